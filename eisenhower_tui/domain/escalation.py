"""Escalation: a not-urgent task whose deadline comes within the horizon becomes urgent, once.

One rule for every front end. ``escalated_for`` holds the deadline for which escalation is
*settled*: either the task was escalated for it (``escalated`` then says when), or the user
placed the task in a not-urgent quadrant while that deadline was already inside the horizon
(a quadrant token, ``--quadrant``, ``move``, a key). Either way it is not escalated again for
that deadline; a new deadline is a new reason.

The views (``list``, ``list --json``, exports, the matrix) show :func:`as_seen`, so at one instant
a task has the same quadrant everywhere, whether or not the matrix has written the escalation
to the file yet.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from ..model import DEFAULT_HORIZON, Quadrant, Task, due_instant, iso_now

__all__ = [
    "as_seen",
    "due_for_escalation",
    "escalated",
    "escalates_on_save",
    "escalation_fields",
    "placement_fields",
    "record_as_seen",
]


def escalates_on_save(
    quadrant: Quadrant, due: str | None, explicit: bool, now: datetime, horizon: timedelta | None
) -> bool:
    """Whether a new task placed so would be made urgent as it is saved (for previews)."""
    if explicit or quadrant.urgent or horizon is None or not due:
        return False
    return _inside(due, now, horizon)


def _inside(due: str, now: datetime, horizon: timedelta) -> bool:
    try:
        return due_instant(due, now.tzinfo) - now <= horizon
    except (ValueError, OverflowError):
        return False


def _due_for(
    urgent: Any, done: Any, deleted: Any, due: Any, settled_for: Any, now: datetime, horizon: Any
) -> bool:
    """The rule on plain values, so tasks and raw records (``list --json``) share it."""
    if horizon is None or urgent or done or deleted or not isinstance(due, str) or not due:
        return False
    if settled_for == due:
        return False
    return _inside(due, now, horizon)


def due_for_escalation(
    task: Task, now: datetime, horizon: timedelta | None = DEFAULT_HORIZON
) -> bool:
    """True when the rule would make this task urgent now (``horizon`` None: escalation off)."""
    return _due_for(
        task.urgent,
        task.done or task.abandoned,
        task.deleted,
        task.due,
        task.escalated_for,
        now,
        horizon,
    )


def escalation_fields(task: Task, now: datetime) -> dict[str, Any]:
    """The fields escalation changes; ``updated`` is stamped by whoever writes them."""
    return {"urgent": True, "escalated": iso_now(now), "escalated_for": task.due}


def escalated(task: Task, now: datetime, horizon: timedelta | None = DEFAULT_HORIZON) -> Task:
    """The task after the rule: escalated if it is due for it, else the same object."""
    if not due_for_escalation(task, now, horizon):
        return task
    return replace(task, **escalation_fields(task, now))


def placement_fields(task: Task, now: datetime, horizon: timedelta | None) -> dict[str, Any]:
    """What an explicit placement adds: settled for the current deadline when it is already
    inside the horizon and the place is not urgent, so the user's choice sticks."""
    if task.urgent or horizon is None or not task.due or task.escalated_for == task.due:
        return {}
    if not _inside(task.due, now, horizon):
        return {}
    return {"escalated_for": task.due}


def as_seen(tasks: Iterable[Task], now: datetime, horizon: timedelta | None) -> list[Task]:
    """The tasks as every view shows them at ``now``: those due for escalation already urgent."""
    return [escalated(t, now, horizon) for t in tasks]


def record_as_seen(record: Mapping[str, Any], now: datetime, horizon: timedelta | None) -> bool:
    """Whether a raw stored record is seen as urgent by escalation (for ``list --json``)."""
    get = record.get
    return _due_for(
        get("urgent"),
        get("done") or get("abandoned"),
        get("deleted"),
        get("due"),
        get("escalated_for"),
        now,
        horizon,
    )
