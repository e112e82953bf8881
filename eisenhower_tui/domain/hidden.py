"""What leaves the panes without being done or deleted: waiting tasks and abandoned ones.

- ``wait`` (a date or an instant): the task stays out of the panes and ``list`` until then; a
  date means until that day begins. The panes' titles say how many wait (``12 +3 waiting``).
- ``abandoned`` (a stamp, with an optional ``abandon_reason``): given up on, which is neither
  done nor deleted; it leaves the panes, stays searchable (``list --all``) and can come back.
  The sweep offers to abandon Eliminate tasks that have lingered for weeks.

Pure: no store, no Textual.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from ..model import Quadrant, Task, iso_now, parse_stamp, sanitize_line

if TYPE_CHECKING:
    from .changes import Edit

__all__ = [
    "DEFAULT_SWEEP_DAYS",
    "abandon",
    "in_panes",
    "is_waiting",
    "record_waiting",
    "set_wait",
    "sweep",
    "sweep_candidates",
    "unabandon",
    "wait_instant",
    "waiting_counts",
]

DEFAULT_SWEEP_DAYS = 30


def wait_instant(wait: str, now: datetime) -> datetime | None:
    """When a wait ends: the start of that day (local) for a date, else the instant."""
    try:
        if len(wait) == 10:
            return datetime.combine(date.fromisoformat(wait), time(0), now.tzinfo)
        moment = datetime.fromisoformat(wait)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=now.tzinfo)


def _waiting(wait: Any, now: datetime) -> bool:
    if not isinstance(wait, str) or not wait:
        return False
    until = wait_instant(wait, now)
    try:
        return until is not None and until > now
    except TypeError:
        return False


def is_waiting(task: Task, now: datetime) -> bool:
    """Hidden until later: the wait has not ended yet."""
    return _waiting(task.wait, now)


def record_waiting(record: Mapping[str, Any], now: datetime) -> bool:
    """:func:`is_waiting` on a raw stored record (``list --json``)."""
    return _waiting(record.get("wait"), now)


def in_panes(task: Task, now: datetime) -> bool:
    """Shown in the matrix at ``now`` (done ones too, when completed tasks are shown)."""
    return task.deleted is None and task.abandoned is None and not is_waiting(task, now)


def waiting_counts(tasks: Iterable[Task], now: datetime) -> dict[Quadrant, int]:
    """Per quadrant, the open tasks hidden until later (for ``Schedule (12 +3 waiting)``)."""
    counts = dict.fromkeys(Quadrant, 0)
    for task in tasks:
        if task.is_open and is_waiting(task, now):
            counts[task.quadrant] += 1
    return counts


def set_wait(task: Task, wait: str | None) -> Edit | None:
    """Hide the task until ``wait`` (None: show it again)."""
    from .changes import Edit  # here, not at import: `list --json` needs none of it

    if task.wait == wait:
        return None
    return Edit(task.id, {"wait": task.wait}, {"wait": wait})


def abandon(task: Task, now: datetime, reason: str | None = None) -> Edit | None:
    """Give up on the task, with an optional reason; nothing when it already is abandoned."""
    from .changes import Edit  # here, not at import: `list --json` needs none of it

    if task.abandoned is not None:
        return None
    cleaned = sanitize_line(reason)[:200] if reason else None
    return Edit(
        task.id,
        {"abandoned": None, "abandon_reason": task.abandon_reason},
        {"abandoned": iso_now(now), "abandon_reason": cleaned or None},
    )


def unabandon(task: Task) -> Edit | None:
    """Bring an abandoned task back where it was."""
    from .changes import Edit  # here, not at import: `list --json` needs none of it

    if task.abandoned is None:
        return None
    return Edit(
        task.id,
        {"abandoned": task.abandoned, "abandon_reason": task.abandon_reason},
        {"abandoned": None, "abandon_reason": None},
    )


def sweep_candidates(
    tasks: Iterable[Task], now: datetime, days: int = DEFAULT_SWEEP_DAYS
) -> list[Task]:
    """Open Eliminate tasks created more than ``days`` days ago, oldest first."""
    cutoff = now - timedelta(days=days)
    found = []
    for task in tasks:
        if not task.is_open or task.quadrant is not Quadrant.ELIMINATE:
            continue
        created = parse_stamp(task.created)
        if created is not None and created < cutoff:
            found.append((created, task))
    return [task for _created, task in sorted(found, key=lambda pair: (pair[0], pair[1].id))]


def sweep(
    tasks: Iterable[Task], now: datetime, days: int = DEFAULT_SWEEP_DAYS, reason: str | None = None
) -> list[Edit]:
    """Abandon every sweep candidate: one step, undone as a whole."""
    edits = [abandon(task, now, reason) for task in sweep_candidates(tasks, now, days)]
    return [edit for edit in edits if edit is not None]
