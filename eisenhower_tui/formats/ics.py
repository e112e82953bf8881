"""iCalendar: one VTODO per task, for a calendar app or a CalDAV server, and back.

Export, built with ``icalendar``: ``SUMMARY`` the title, ``DESCRIPTION`` the notes, ``DUE`` a
DATE for an all-day deadline or a UTC DATE-TIME for a timed one, ``CATEGORIES`` the tags,
``STATUS``/``COMPLETED`` for done tasks, ``CREATED``/``LAST-MODIFIED`` the stamps. ``PRIORITY``
follows the RFC 5545 high / medium / low bands: Do first = 1, Schedule = 5, Delegate = 5,
Eliminate = 9; since 5 cannot tell Schedule from Delegate, ``X-EISENHOWER-QUADRANT`` carries the
quadrant exactly and ``X-EISENHOWER-DELEGATE`` the delegate. A recurring task carries its
``RRULE`` (with ``DTSTART`` = its deadline, which RFC 5545 wants beside a rule) and
``X-EISENHOWER-RECUR-MODE``/``-SERIES``; ``X-EISENHOWER-FOLLOW-UP``, ``-WAIT``, ``-DELEGATED``
hold those dates as ISO text (no VALARM: a follow-up is a date to see, not an alarm to ring);
an abandoned task is ``STATUS:CANCELLED`` with ``X-EISENHOWER-ABANDONED`` (and ``-REASON``).

Import reads every VTODO of the file (events are skipped and counted): our X-properties when
present, else ``PRIORITY`` (1-4 Do first, 5 Schedule, 6-9 Eliminate, none Schedule). A UID that
is a UUID is the task id (so our own export imports back onto the same tasks); any other UID
gives a stable id derived from it, so importing the same calendar twice adds nothing twice.
Cancelled to-dos are skipped and counted, except our abandoned ones, which come back abandoned.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

from ..domain.tasks import build_task
from ..i18n import _
from ..model import InvalidTask, Quadrant, Task, iso_now, parse_stamp
from .common import (
    DEFAULT_QUADRANT,
    IMPORT_NAMESPACE,
    Incoming,
    ParsedImport,
    at,
    canonical_id,
    check_year,
    in_zone,
    local_zone,
    parse_quadrant,
    practice_fields,
    shown,
    with_offset,
)

__all__ = ["ICS_PRIORITY", "PRODID", "export_ics", "looks_like_ics", "parse_ics"]

ICS_PRIORITY = {
    Quadrant.DO: 1,
    Quadrant.SCHEDULE: 5,
    Quadrant.DELEGATE: 5,
    Quadrant.ELIMINATE: 9,
}
PRODID = "-//eisenhower-tui//eisenhower export//EN"
X_QUADRANT = "X-EISENHOWER-QUADRANT"
X_ALARM = "X-EISENHOWER-ALARM"
# The reminder defaults, as `[notify]` has them: 15 minutes before, 09:00 on the day.
DEFAULT_LEAD = timedelta(minutes=15)
DEFAULT_ALL_DAY_AT = time(9, 0)
X_DELEGATE = "X-EISENHOWER-DELEGATE"
# The 0.2 fields as text properties: (property, task field).
X_PRACTICE: tuple[tuple[str, str], ...] = (
    ("X-EISENHOWER-RECUR-MODE", "recur_mode"),
    ("X-EISENHOWER-SERIES", "series"),
    ("X-EISENHOWER-WAIT", "wait"),
    ("X-EISENHOWER-FOLLOW-UP", "follow_up"),
    ("X-EISENHOWER-DELEGATED", "delegated"),
    ("X-EISENHOWER-ABANDONED", "abandoned"),
    ("X-EISENHOWER-ABANDON-REASON", "abandon_reason"),
)


def _utc(moment: datetime) -> datetime | None:
    """The instant in UTC, or None past the end of year 9999 in UTC (no DATE-TIME for it)."""
    converted = in_zone(moment, UTC)
    return converted if converted.utcoffset() == UTC.utcoffset(None) else None


def set_alarm(todo: Any, task: Task, due: Any, lead: timedelta, all_day_at: time) -> None:
    """Our reminder as a VALARM relative to DUE (the export and the CalDAV copy ring alike):
    ``lead`` before a timed deadline, at ``all_day_at`` on the day of an all-day one. Only our
    own alarm (``X-EISENHOWER-ALARM``) is replaced; a phone's alarms stay."""
    from icalendar import Alarm

    todo.subcomponents = [
        c
        for c in todo.subcomponents
        if not (c.name == "VALARM" and str(c.get(X_ALARM, "")).strip().upper() == "TRUE")
    ]
    if due is None or task.done:
        return
    if isinstance(due, datetime):
        trigger = -lead
    else:  # DUE of an all-day task is the start of that day: ring at the reminder hour
        trigger = timedelta(hours=all_day_at.hour, minutes=all_day_at.minute)
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", task.title)
    alarm.add("trigger", trigger, parameters={"RELATED": "END"})
    alarm.add(X_ALARM, "TRUE")
    todo.add_component(alarm)


def export_ics(
    tasks: Sequence[Task],
    now: datetime,
    *,
    lead: timedelta = DEFAULT_LEAD,
    all_day_at: time = DEFAULT_ALL_DAY_AT,
) -> bytes:
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
                    # A deadline in the last hours of 9999 west of UTC has no UTC date-time:
                    # its own day, all-day, is the closest a calendar can hold.
                    todo.add("due", _utc(moment) or moment.date())
        todo.add("priority", ICS_PRIORITY[task.quadrant])
        todo.add(X_QUADRANT, str(int(task.quadrant)))
        if task.delegate:
            todo.add(X_DELEGATE, task.delegate)
        if task.tags:
            todo.add("categories", list(task.tags))
        done_at = parse_stamp(task.done)
        if task.done:
            todo.add("status", "COMPLETED")
            if done_at is not None and _utc(done_at) is not None:
                todo.add("completed", _utc(done_at))
        elif task.abandoned:
            todo.add("status", "CANCELLED")
        else:
            todo.add("status", "NEEDS-ACTION")
        add_practice(todo, task)
        if task.notes:
            todo.add("description", task.notes)
        if task.is_open:
            set_alarm(todo, task, todo.get("due").dt if todo.get("due") else None, lead, all_day_at)
        for name, value in (("created", task.created), ("last-modified", task.updated)):
            moment = parse_stamp(value)
            if moment is not None and _utc(moment) is not None:
                todo.add(name, _utc(moment))
        calendar.add_component(todo)
    return bytes(calendar.to_ical())


def add_practice(todo: Any, task: Task) -> None:
    """RRULE and our X- properties of the practice over weeks (also used by CalDAV sync)."""
    from icalendar import vRecur

    if task.recur:
        due = todo.get("due")
        if due is not None and todo.get("dtstart") is None:
            todo.add("dtstart", due.dt)
        todo.add("rrule", vRecur.from_ical(task.recur))
    for name, attribute in X_PRACTICE:
        value = getattr(task, attribute)
        if value:
            todo.add(name, value)


def practice_values(component: Any, zone: tzinfo) -> dict[str, Any]:
    """The practice fields a VTODO carries, as build_task keywords (InvalidTask if bad)."""
    values: dict[str, Any] = {a: _text(component, n).strip() or None for n, a in X_PRACTICE}
    rule = component.get("rrule")
    if rule is not None:
        rules = rule if isinstance(rule, list) else [rule]
        values["recur"] = rules[0].to_ical().decode("ascii", "replace")
    return practice_fields(values, zone)


# --- import -------------------------------------------------------------------------------------


def looks_like_ics(text: str) -> bool:
    return text.lstrip()[:15].upper() == "BEGIN:VCALENDAR"


def parse_ics(text: str, now: datetime) -> ParsedImport:
    from icalendar import Calendar

    try:
        calendars = Calendar.from_ical(text, multiple=True)
    except (ValueError, KeyError, IndexError, TypeError) as exc:
        raise InvalidTask(
            _("it is not a valid iCalendar file ({error})").format(error=shown(exc))
        ) from None
    if not calendars:
        raise InvalidTask(_("it is not a valid iCalendar file (no VCALENDAR)"))
    parsed = ParsedImport(fmt="ics")
    base = now.timestamp()
    zone = local_zone(now)
    todos = events = 0
    for calendar in calendars:
        for component in calendar.walk():
            if component.name == "VEVENT":
                events += 1
                where = _("event {n}").format(n=events)
                parsed.skipped.append(_("{where}: an event, not a to-do").format(where=where))
                continue
            if component.name != "VTODO":
                continue
            todos += 1
            where = _("to-do {n}").format(n=todos)
            status = str(component.get("status", "")).upper()
            if status == "CANCELLED" and component.get("X-EISENHOWER-ABANDONED") is None:
                parsed.skipped.append(_("{where}: cancelled").format(where=where))
                continue
            try:
                parsed.items.append(_todo(component, where, base + todos / 1000, zone, now))
            except InvalidTask as exc:
                parsed.problems.append(at(where, exc))
            except (ValueError, KeyError, IndexError, TypeError, AttributeError) as exc:
                parsed.problems.append(at(where, shown(exc)))
    return parsed


def _text(component: Any, name: str) -> str:
    value = component.get(name)
    return "" if value is None else str(value)


def _moment(component: Any, name: str) -> date | datetime | None:
    """A date or date-time property as Python values; an unreadable one is InvalidTask."""
    if component.get(name) is None:
        return None
    try:
        value = component.decoded(name)
    except (ValueError, KeyError, TypeError):
        raise InvalidTask(
            _("'{name}' {value} is not an iCalendar date").format(
                name=name, value=shown(component.get(name))
            )
        ) from None
    if not isinstance(value, date):  # a duration or a period: not a moment
        raise InvalidTask(_("'{name}' is not a date").format(name=name))
    check_year(value.year, str(value))
    return value


def _due(component: Any, zone: tzinfo) -> str | None:
    value = _moment(component, "DUE")
    if value is None:
        return None
    if not isinstance(value, datetime):
        return value.isoformat()
    if value.tzinfo is None:  # "floating": the wall clock wherever the user is
        return with_offset(value, zone)
    return in_zone(value, zone).replace(microsecond=0).isoformat(timespec="seconds")


def _stamp(component: Any, name: str, zone: tzinfo) -> str | None:
    value = _moment(component, name)
    if value is None:
        return None
    if not isinstance(value, datetime):
        value = datetime.combine(value, datetime.min.time())
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone)
    return in_zone(value, UTC).replace(microsecond=0).isoformat(timespec="seconds")


def _quadrant(component: Any) -> Quadrant:
    ours = _text(component, X_QUADRANT).strip()
    if ours:
        return parse_quadrant(ours)
    try:
        priority = int(str(component.get("priority", "0")).strip() or 0)
    except ValueError:
        return DEFAULT_QUADRANT
    if 1 <= priority <= 4:
        return Quadrant.DO
    if 6 <= priority <= 9:
        return Quadrant.ELIMINATE
    return DEFAULT_QUADRANT  # 5 (medium), 0 or none (undefined)


def _categories(component: Any) -> list[str]:
    value = component.get("categories")
    if value is None:
        return []
    tags: list[str] = []
    for entry in value if isinstance(value, list) else [value]:
        cats = getattr(entry, "cats", None)
        tags += [str(cat) for cat in cats] if cats is not None else str(entry).split(",")
    return tags


def _task_id(uid: str) -> tuple[str | None, bool]:
    """Our UUIDs come back as they are; another app's UID gives an id derived from it."""
    uid = uid.strip()
    if not uid:
        return None, False
    try:
        return canonical_id(uid), True
    except InvalidTask:
        return str(uuid.uuid5(IMPORT_NAMESPACE, "ics\x1f" + uid)), True


def _todo(component: Any, where: str, order: float, zone: tzinfo, now: datetime) -> Incoming:
    task_id, has_id = _task_id(_text(component, "UID"))
    created = _stamp(component, "CREATED", zone)
    updated = _stamp(component, "LAST-MODIFIED", zone)
    completed = _stamp(component, "COMPLETED", zone)
    status = _text(component, "STATUS").strip().upper()
    done = None
    if status == "COMPLETED" or completed:
        done = completed or updated or iso_now(now)
    delegate = _text(component, X_DELEGATE).strip() or None
    task = build_task(
        now=now,
        order=order,
        task_id=task_id,
        title=_text(component, "SUMMARY"),
        quadrant=_quadrant(component),
        notes=_text(component, "DESCRIPTION"),
        due=_due(component, zone),
        tags=_categories(component),
        delegate=delegate,
        done=done,
        created=created,
        updated=updated,
        **practice_values(component, zone),
    )
    return Incoming(task=task, where=where, has_id=has_id, dated=bool(updated or created))
