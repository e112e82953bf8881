"""A task in full, as (label, text) rows: the detail view (`i`) shows them. Pure."""

from __future__ import annotations

from datetime import datetime

from ..dates import describe_due
from ..i18n import _
from ..model import Task, parse_stamp, sanitize_line
from .followup import follow_up_overdue, waiting_text
from .hidden import is_waiting
from .moves import story

__all__ = ["task_details"]


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
