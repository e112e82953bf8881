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
    sanitize_line,
    sanitize_notes,
    utc_now,
)
from .moves import MAX_MOVES
from .recurrence import MODES, canonical_rrule

__all__ = ["build_task", "clean_moves", "new_task"]


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
    recur: str | None = None,
    recur_mode: str | None = None,
    series: str | None = None,
    wait: str | None = None,
    follow_up: str | None = None,
    delegated: str | None = None,
    abandoned: str | None = None,
    abandon_reason: Any = None,
    moves: Any = None,
    slips: Any = 0,
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
    if recur is not None:
        recur = canonical_rrule(recur)
        recur_mode = recur_mode if recur_mode in MODES else "fixed"
    else:
        recur_mode = None
    if abandon_reason is not None and not isinstance(abandon_reason, str):
        raise InvalidTask(_("the abandon reason is not text"))
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
        recur=recur,
        recur_mode=recur_mode,
        series=sanitize_line(series) or None if series else None,
        wait=wait,
        follow_up=follow_up,
        delegated=delegated,
        abandoned=abandoned,
        abandon_reason=sanitize_line(abandon_reason)[:200] or None if abandon_reason else None,
        moves=clean_moves(moves),
        slips=slips if isinstance(slips, int) and not isinstance(slips, bool) and slips > 0 else 0,
    )


_MOVE_KEYS = ("at", "from", "to", "cause", "due_in_h")


def clean_moves(value: Any) -> list[dict[str, Any]]:
    """A ``moves`` list from outside: entries with known keys and plain values, capped."""
    if not isinstance(value, list):
        return []
    cleaned = []
    for entry in value:
        if not isinstance(entry, Mapping):
            continue
        kept: dict[str, Any] = {}
        for key in _MOVE_KEYS:
            item = entry.get(key)
            if isinstance(item, str):
                kept[key] = sanitize_line(item)[:40]
            elif isinstance(item, int) and not isinstance(item, bool):
                kept[key] = item
            elif key in ("from", "to") or item is not None:
                kept[key] = None
        if kept.get("at") and kept.get("to") is not None:
            cleaned.append(kept)
    return cleaned[-MAX_MOVES:]


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
