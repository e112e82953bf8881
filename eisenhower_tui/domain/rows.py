"""What a matrix row says about the practice over weeks, as plain data the widget draws.

A row marks a recurring task (``↻``), a task hidden until later (``until Sat 5 Dec``, drawn
dimmed when ``W`` shows them), how long a delegate has had a task (``waiting 9d``, in the warning
colour once the follow-up day has passed) and an abandoned task (shown by the filter). Pure.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..dates import describe_due
from ..i18n import _
from ..model import Task
from .followup import follow_up_overdue, waiting_days, waiting_text
from .hidden import is_waiting

__all__ = ["RECURRING", "RowNotes", "row_notes"]

RECURRING = "↻"


@dataclass(frozen=True, slots=True)
class RowNotes:
    recurring: bool = False
    waiting_until: str = ""  # "until Sat 5 Dec": hidden until then (empty: showing)
    delegate_wait: str = ""  # "waiting 9d": how long the delegate has had it
    follow_up_late: bool = False  # the follow-up day passed without a check-in
    abandoned: str = ""  # "abandoned": given up on (only the filter shows these)


def row_notes(task: Task, now: datetime) -> RowNotes:
    waiting_until = ""
    if task.wait and is_waiting(task, now):
        when = describe_due(task.wait, now, mark_all_day=False).rpartition(" - ")[0]
        waiting_until = _("until {when}").format(when=when)
    late = follow_up_overdue(task, now)
    # "waiting 0d" on a task delegated today is noise; from the next day (or once the
    # follow-up passed) it says how long the delegate has had it.
    days = waiting_days(task, now) if task.is_open else None
    shown = days is not None and (days >= 1 or late)
    return RowNotes(
        recurring=bool(task.recur),
        waiting_until=waiting_until,
        delegate_wait=waiting_text(task, now) if shown else "",
        follow_up_late=late,
        abandoned=_("abandoned") if task.abandoned is not None else "",
    )
