"""iCalendar: a VCALENDAR of VTODOs built with ``icalendar``, for a calendar app or CalDAV.

``PRIORITY`` follows the RFC 5545 high / medium / low bands: Do first = 1, Schedule = 5,
Delegate = 5, Eliminate = 9. ``DUE`` is a DATE for an all-day deadline, a UTC DATE-TIME for a
timed one.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime

from ..model import Quadrant, Task, parse_stamp

__all__ = ["ICS_PRIORITY", "PRODID", "export_ics"]

ICS_PRIORITY = {
    Quadrant.DO: 1,
    Quadrant.SCHEDULE: 5,
    Quadrant.DELEGATE: 5,
    Quadrant.ELIMINATE: 9,
}
PRODID = "-//eisenhower-tui//eisenhower export//EN"


def export_ics(tasks: Sequence[Task], now: datetime) -> bytes:
    from icalendar import Calendar, Todo

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    stamp = now.astimezone(UTC).replace(microsecond=0)
    for task in tasks:
        todo = Todo()
        todo.add("uid", task.id)
        todo.add("dtstamp", stamp)
        todo.add("summary", task.title)
        if task.due:
            if len(task.due) == 10:
                todo.add("due", date.fromisoformat(task.due))
            else:
                moment = parse_stamp(task.due)
                if moment is not None:
                    todo.add("due", moment.astimezone(UTC))
        todo.add("priority", ICS_PRIORITY[task.quadrant])
        if task.tags:
            todo.add("categories", list(task.tags))
        done_at = parse_stamp(task.done)
        if task.done:
            todo.add("status", "COMPLETED")
            if done_at is not None:
                todo.add("completed", done_at.astimezone(UTC))
        else:
            todo.add("status", "NEEDS-ACTION")
        if task.notes:
            todo.add("description", task.notes)
        for name, value in (("created", task.created), ("last-modified", task.updated)):
            moment = parse_stamp(value)
            if moment is not None:
                todo.add(name, moment.astimezone(UTC))
        calendar.add_component(todo)
    return bytes(calendar.to_ical())
