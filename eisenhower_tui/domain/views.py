"""What the read-only views show: `list --json` from stored records, a task's details."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from ..dates import describe_due
from ..i18n import _
from ..model import (
    PRACTICE_DEFAULTS,
    Quadrant,
    Task,
    deadline_order,
    parse_stamp,
    sanitize_line,
)
from .escalation import record_as_seen
from .followup import follow_up_overdue, waiting_text
from .hidden import is_waiting, record_waiting
from .moves import story

__all__ = ["public_records", "task_details"]

_PUBLIC_DEFAULTS: dict[str, Any] = {
    "id": "",
    "title": "",
    "notes": "",
    "urgent": False,
    "important": False,
    "due": None,
    "tags": [],
    "delegate": None,
    "done": None,
    "created": "",
    "updated": "",
    "escalated": None,
    "escalated_for": None,
    **PRACTICE_DEFAULTS,
}


def public_records(
    records: Iterable[dict[str, Any]],
    now: datetime,
    *,
    include_done: bool = False,
    quadrant: Quadrant | None = None,
    horizon: timedelta | None = None,
    waiting: bool = False,
) -> list[dict[str, Any]]:
    """`list --json` straight from stored records, sorted as in the panes (completed last).

    Same objects as ``Task.to_public`` (known fields with defaults, unknown fields kept, the
    quadrant added; with ``horizon``, tasks due for escalation shown urgent as everywhere else),
    without building a Task per record: scripts call this on every keystroke
    of a status bar, on files of many thousands of tasks.

    Abandoned tasks show only with ``include_done``; tasks hidden until later (``wait``) only
    with ``include_done`` or ``waiting``, which shows those alone.
    """
    out = []
    get_defaults = _PUBLIC_DEFAULTS
    for record in records:
        get = record.get
        if get("deleted") is not None or (not include_done and get("done")):
            continue
        if not include_done and get("abandoned"):
            continue
        # Only a record with a wait date can be waiting: skip the date parse for the rest.
        hidden = bool(get("wait")) and record_waiting(record, now)
        if (waiting or not include_done) and hidden != waiting:
            continue
        public = {**get_defaults, **record}
        public.pop("order", None)
        public.pop("deleted", None)
        # Only a dated, not-urgent record can be due for escalation.
        if horizon is not None and get("due") and not get("urgent"):
            if record_as_seen(record, now, horizon):
                public["urgent"] = True  # as every view shows it: due for escalation
        q = Quadrant.from_flags(bool(public["urgent"]), bool(public["important"]))
        if quadrant is not None and q != quadrant:
            continue
        public["quadrant"] = int(q)
        order = get("order", 0.0)
        public["_sort"] = (order if order.__class__ in (int, float) else 0.0, public["id"])
        out.append(public)
    key = deadline_order(now)
    # As in the panes: open tasks first, then completed ones, each in deadline order.
    out.sort(
        key=lambda r: (
            bool(r["done"]),
            key(r["due"] if r["due"].__class__ is str else None, *r["_sort"]),
        )
    )
    for public in out:
        del public["_sort"]
    return out


def _moment(value: str | None, now: datetime) -> str:
    """A stamp or deadline as a local date (and time): `Thu 26 Nov 10:00`, no relative part.

    describe_due is the one date formatter; its absolute part is what comes before " - ".
    """
    if not value:
        return ""
    if len(value) == 10:  # an all-day deadline
        return describe_due(value, now, mark_all_day=False).rpartition(" - ")[0]
    moment = parse_stamp(value)
    if moment is None:
        return sanitize_line(value)[:40]
    local = moment.astimezone(now.tzinfo).replace(second=0, microsecond=0)
    return describe_due(local.isoformat(), now).rpartition(" - ")[0]


def task_details(task: Task, now: datetime) -> list[tuple[str, str]]:
    """Every field of a task as (label, text) rows, for the detail view; texts cleaned.

    Notes keep their lines (the view shows them as a block); every other text is one line.
    """
    rows: list[tuple[str, str]] = [(_("Title"), sanitize_line(task.title))]
    quadrant = task.quadrant
    rows.append((_("Quadrant"), f"{int(quadrant)} {_(quadrant.label)}"))
    rows.append((_("Deadline"), describe_due(task.due, now) if task.due else _("none")))
    # Why it is here: the moves with their causes, and how often the deadline slipped (a
    # task from before moves were recorded has no story: no row rather than an empty one).
    why = story(task, now)
    if why:
        rows.append((_("Why here"), sanitize_line(why)))
    if task.escalated and task.escalated_for:
        text = _("escalated on {when} for the deadline {due}").format(
            when=_moment(task.escalated, now), due=_moment(task.escalated_for, now)
        )
        rows.append((_("Escalation"), text))
    elif task.escalated_for and task.escalated_for == task.due:
        text = _("placed here by you for the deadline {due}; not escalated again")
        rows.append((_("Escalation"), text.format(due=_moment(task.escalated_for, now))))
    tags = " ".join("#" + sanitize_line(tag) for tag in task.tags)
    rows.append((_("Tags"), tags or _("none")))
    delegate = "@" + sanitize_line(task.delegate) if task.delegate else _("nobody")
    rows.append((_("Delegated to"), delegate))
    rows.extend(_practice_rows(task, now))
    rows.append((_("Created"), _moment(task.created, now)))
    rows.append((_("Updated"), _moment(task.updated, now)))
    rows.append((_("Done"), _moment(task.done, now) if task.done else _("not yet")))
    return rows


def _practice_rows(task: Task, now: datetime) -> list[tuple[str, str]]:
    """Recurrence, wait, follow-up and abandon, each only when the task has it."""
    rows: list[tuple[str, str]] = []
    if task.recur:
        rule = "↻ " + sanitize_line(task.recur)
        if task.recur_mode == "after":
            rule += " " + _("(after done)")
        rows.append((_("Recurs"), rule))
    if task.wait and is_waiting(task, now):
        rows.append((_("Hidden until"), _moment(task.wait, now)))
    if task.delegate and task.follow_up:
        text = _moment(task.follow_up, now)
        if follow_up_overdue(task, now):
            text += " (" + _("passed") + ")"
        since = waiting_text(task, now)
        rows.append((_("Follow-up"), f"{text} · {since}" if since else text))
    if task.abandoned:
        text = _moment(task.abandoned, now)
        if task.abandon_reason:
            text += ": " + sanitize_line(task.abandon_reason)
        rows.append((_("Abandoned"), text))
    return rows
