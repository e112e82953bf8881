"""Draft to task: the one place any text from outside becomes a stored task."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from ..i18n import _
from ..model import (
    InvalidTask,
    Quadrant,
    Task,
    clean_delegate,
    clean_tags,
    clean_title,
    iso_now,
    sanitize_notes,
    utc_now,
)

__all__ = ["build_task", "new_task"]


def build_task(
    *,
    now: datetime,
    title: Any,
    quadrant: Quadrant = Quadrant.SCHEDULE,
    urgent: bool | None = None,
    important: bool | None = None,
    task_id: str | None = None,
    notes: Any = "",
    due: str | None = None,
    tags: Iterable[Any] = (),
    delegate: Any = None,
    done: str | None = None,
    created: str | None = None,
    updated: str | None = None,
    escalated: str | None = None,
    escalated_for: str | None = None,
    order: float | None = None,
    extra: Mapping[str, Any] | None = None,
) -> Task:
    """A validated task; raises :class:`InvalidTask` with a reason a user understands.

    Every text is cleaned here, once, whatever front end it came from (add, capture, the add
    box, import, merge): escape sequences and controls out, tags deduplicated by case.
    """
    if not isinstance(title, str):
        raise InvalidTask(_("the title is missing or not text"))
    if not isinstance(notes, str):
        raise InvalidTask(_("the notes are not text"))
    if delegate is not None and not isinstance(delegate, str):
        raise InvalidTask(_("the delegate is not text"))
    stamp = iso_now(now)
    created = created or updated or stamp
    return Task(
        id=task_id or str(uuid.uuid4()),
        title=clean_title(title),
        urgent=quadrant.urgent if urgent is None else urgent,
        important=quadrant.important if important is None else important,
        notes=sanitize_notes(notes),
        due=due,
        tags=clean_tags(tags),
        delegate=clean_delegate(delegate),
        done=done,
        created=created,
        updated=updated or created,
        escalated=escalated,
        escalated_for=escalated_for,
        order=now.timestamp() if order is None else order,
        extra=dict(extra or {}),
    )


def new_task(
    title: str,
    quadrant: Quadrant = Quadrant.SCHEDULE,
    *,
    due: str | None = None,
    tags: Iterable[str] = (),
    delegate: str | None = None,
    notes: str = "",
    now: datetime | None = None,
    order: float | None = None,
) -> Task:
    """A new task typed by the user (no escalation here; see :mod:`.changes`)."""
    return build_task(
        now=now or utc_now(),
        title=title,
        quadrant=quadrant,
        due=due,
        tags=tags,
        delegate=delegate,
        notes=notes,
        order=order,
    )
