"""Task <-> VTODO, both ways, with ``icalendar``. Pure: no network, no store, no file.

The mapping (the README's table follows this docstring):

- title = ``SUMMARY``, notes = ``DESCRIPTION``, tags = ``CATEGORIES``, delegate =
  ``X-EISENHOWER-DELEGATE``.
- deadline = ``DUE``: a DATE for an all-day deadline, a UTC DATE-TIME for a timed one; read back
  in the local time zone.
- done = ``STATUS:COMPLETED`` + ``COMPLETED`` + ``PERCENT-COMPLETE:100``; open = ``STATUS:
  NEEDS-ACTION``. A phone that only sets ``PERCENT-COMPLETE:100`` or ``COMPLETED`` also means done.
- quadrant = ``X-EISENHOWER-URGENT`` / ``X-EISENHOWER-IMPORTANT`` (``TRUE``/``FALSE``) **and**
  ``PRIORITY``: Do first 1, Schedule 3, Delegate 5, Eliminate 9. Phone apps sort by PRIORITY
  ascending (1 highest), so the list on the phone reads Do, Schedule, Delegate, Eliminate, and
  the bands match what tasks.org and iOS show (1-4 high, 5 medium, 6-9 low).
- A VTODO without our ``X-`` properties (written on the phone), or whose PRIORITY no longer
  matches them (changed on the phone), is placed from PRIORITY: 1 Do first, 2-4 Schedule, 5
  Delegate, 6-9 Eliminate, none or 0 Schedule (as ``add``); the engine then escalates it by DUE.
- reminder = a ``VALARM`` (``X-EISENHOWER-ALARM:TRUE``) with ``TRIGGER;RELATED=END`` relative
  to DUE: the lead time before a timed deadline, the reminder hour on the day of an all-day one.
- the practice over weeks: recurrence = ``RRULE`` (a phone's own RRULE counts too), and
  ``X-EISENHOWER-RECUR-MODE``/``-SERIES``/``-WAIT``/``-FOLLOW-UP``/``-DELEGATED``/``-ABANDONED``
  as in the ICS export; an abandoned task is ``STATUS:CANCELLED`` (one cancelled on the phone is
  abandoned here).
- Every other property and component on the server copy (a phone's own alarms, sort order,
  ``VTIMEZONE``...) is kept when we rewrite it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

from ..formats.ics import X_PRACTICE, add_practice, practice_values, set_alarm
from ..i18n import _
from ..model import (
    PRACTICE_DEFAULTS,
    InvalidTask,
    Quadrant,
    Task,
    clean_delegate,
    clean_tags,
    sanitize_line,
    sanitize_notes,
)

PRODID = "-//eisenhower-tui//sync//EN"

# The fields that travel; everything else on a task (order, escalation stamps, unknown fields)
# stays local.
SYNCED_FIELDS = (
    "title",
    "notes",
    "urgent",
    "important",
    "due",
    "tags",
    "delegate",
    "done",
    # the practice over weeks: RRULE and X-EISENHOWER-* properties (see formats.ics); the
    # history of moves and the slip count are bookkeeping and stay local
    *(name for name in PRACTICE_DEFAULTS if name not in ("moves", "slips")),
)
PRACTICE_FIELDS = SYNCED_FIELDS[8:]

PRIORITY = {Quadrant.DO: 1, Quadrant.SCHEDULE: 3, Quadrant.DELEGATE: 5, Quadrant.ELIMINATE: 9}

X_URGENT = "X-EISENHOWER-URGENT"
X_IMPORTANT = "X-EISENHOWER-IMPORTANT"
X_DELEGATE = "X-EISENHOWER-DELEGATE"

# Properties this module writes; each is removed and written afresh on a rewrite.
_MANAGED = (
    "SUMMARY",
    "DESCRIPTION",
    "DUE",
    "STATUS",
    "COMPLETED",
    "PERCENT-COMPLETE",
    "CATEGORIES",
    "PRIORITY",
    X_URGENT,
    X_IMPORTANT,
    X_DELEGATE,
    "LAST-MODIFIED",
    "DTSTAMP",
    "RRULE",
    *(name for name, _field in X_PRACTICE),
)


def quadrant_from_priority(priority: int | None) -> Quadrant:
    if priority == 1:
        return Quadrant.DO
    if priority is not None and 2 <= priority <= 4:
        return Quadrant.SCHEDULE
    if priority == 5:
        return Quadrant.DELEGATE
    if priority is not None and 6 <= priority <= 9:
        return Quadrant.ELIMINATE
    return Quadrant.SCHEDULE


def synced_fields(task: Task) -> dict[str, Any]:
    """The values of a task that travel, as plain JSON-able data (the sync state's base copy)."""
    return {
        "title": task.title,
        "notes": task.notes,
        "urgent": task.urgent,
        "important": task.important,
        "due": task.due,
        "tags": list(task.tags),
        "delegate": task.delegate,
        "done": task.done,
        **{name: getattr(task, name) for name in PRACTICE_FIELDS},
    }


@dataclass(slots=True)
class RemoteTodo:
    """What a VTODO says, in the task's terms."""

    uid: str
    fields: dict[str, Any]
    modified: datetime | None  # LAST-MODIFIED, else DTSTAMP: when the server copy last changed
    created: str | None
    placed_by_priority: bool  # no X- properties we trust: placed from PRIORITY


def parse_todo(ics: str | bytes, zone: tzinfo) -> RemoteTodo | None:
    """The first VTODO of a calendar object, or None (an event, a journal, unreadable data)."""
    from icalendar import Calendar

    try:
        calendar = Calendar.from_ical(ics)
        todos = calendar.walk("VTODO")
    except (ValueError, KeyError, IndexError):
        return None
    if not todos:
        return None
    return todo_fields(todos[0], zone)


def todo_fields(todo: Any, zone: tzinfo) -> RemoteTodo:
    uid = str(todo.get("UID", "") or "")
    title = sanitize_line(str(todo.get("SUMMARY", "") or "")) or _("(no title)")
    notes = sanitize_notes(str(todo.get("DESCRIPTION", "") or ""))
    modified = _instant(todo.get("LAST-MODIFIED")) or _instant(todo.get("DTSTAMP"))
    priority = _int(todo.get("PRIORITY"))
    urgent_flag = _flag(todo.get(X_URGENT))
    important_flag = _flag(todo.get(X_IMPORTANT))
    trusted = urgent_flag is not None and important_flag is not None
    if trusted:
        ours = Quadrant.from_flags(bool(urgent_flag), bool(important_flag))
        # A phone keeps our X- properties but lets the user change PRIORITY: that change wins.
        if priority is not None and quadrant_from_priority(priority) != ours:
            trusted = False
    if trusted:
        urgent, important = bool(urgent_flag), bool(important_flag)
    else:
        quadrant = quadrant_from_priority(priority)
        urgent, important = quadrant.urgent, quadrant.important
    status = str(todo.get("STATUS", "") or "").upper()
    completed = _instant(todo.get("COMPLETED"))
    percent = _int(todo.get("PERCENT-COMPLETE"))
    done: str | None = None
    if status == "COMPLETED" or percent == 100 or (completed is not None and status == ""):
        moment = completed or modified or datetime.now(UTC)
        done = moment.astimezone(UTC).isoformat(timespec="seconds")
    created = _instant(todo.get("CREATED"))
    practice = _practice(todo, zone, status, modified)
    return RemoteTodo(
        uid=uid,
        fields={
            "title": title,
            "notes": notes,
            "urgent": urgent,
            "important": important,
            "due": _due_text(todo.get("DUE"), zone),
            "tags": clean_tags(_categories(todo.get("CATEGORIES"))),
            "delegate": clean_delegate(str(todo.get(X_DELEGATE))) if todo.get(X_DELEGATE) else None,
            "done": done,
            **practice,
        },
        modified=modified,
        created=created.astimezone(UTC).isoformat(timespec="seconds") if created else None,
        placed_by_priority=not trusted,
    )


def todo_ics(
    task: Task,
    *,
    previous: str | bytes | None,
    lead: timedelta,
    all_day_at: time,
    now: datetime,
) -> bytes:
    """The calendar object for ``task``: the server's ``previous`` copy with our properties
    rewritten (every other property and component kept), or a new one."""
    from icalendar import Calendar

    calendar = None
    if previous:
        try:
            calendar = Calendar.from_ical(previous)
        except (ValueError, KeyError, IndexError):
            calendar = None
    todos = calendar.walk("VTODO") if calendar is not None else []
    if calendar is None or not todos:
        calendar = Calendar()
        calendar.add("prodid", PRODID)
        calendar.add("version", "2.0")
        todo = _new_todo(task)
        calendar.add_component(todo)
    else:
        todo = todos[0]
    fill_todo(todo, task, lead=lead, all_day_at=all_day_at, now=now)
    return bytes(calendar.to_ical())


def new_vtodo(task: Task, *, lead: timedelta, all_day_at: time, now: datetime) -> Any:
    """A fresh VTODO component for ``task`` (the calendar feed builds one per open task)."""
    todo = _new_todo(task)
    fill_todo(todo, task, lead=lead, all_day_at=all_day_at, now=now)
    return todo


def _new_todo(task: Task) -> Any:
    from icalendar import Todo

    todo = Todo()
    todo.add("uid", task.id)
    created = _parse(task.created)
    if created is not None:
        todo.add("created", created.astimezone(UTC))
    return todo


def fill_todo(todo: Any, task: Task, *, lead: timedelta, all_day_at: time, now: datetime) -> None:
    for name in _MANAGED:
        todo.pop(name, None)
    stamp = now.astimezone(UTC).replace(microsecond=0)
    todo.add("dtstamp", stamp)
    modified = _parse(task.updated)
    todo.add("last-modified", (modified or stamp).astimezone(UTC))
    todo.add("summary", task.title)
    if task.notes:
        todo.add("description", task.notes)
    due = _due_value(task.due, now.tzinfo or UTC)
    if due is not None:
        todo.add("due", due)
        # DUE and DURATION cannot both be there (RFC 5545 3.6.2); a start after the new
        # deadline would make the object invalid.
        todo.pop("DURATION", None)
        start = todo.get("DTSTART")
        if start is not None and not _not_after(start.dt, due):
            todo.pop("DTSTART", None)
    if task.done:
        todo.add("status", "COMPLETED")
        todo.add("percent-complete", 100)
        todo.add("completed", (_parse(task.done) or stamp).astimezone(UTC))
    else:
        todo.add("status", "NEEDS-ACTION")
    if task.tags:
        todo.add("categories", list(task.tags))
    todo.add("priority", PRIORITY[task.quadrant])
    todo.add(X_URGENT, "TRUE" if task.urgent else "FALSE")
    todo.add(X_IMPORTANT, "TRUE" if task.important else "FALSE")
    if task.delegate:
        todo.add(X_DELEGATE, task.delegate)
    if task.abandoned and not task.done:
        todo["status"] = "CANCELLED"
    add_practice(todo, task)
    set_alarm(todo, task, due, lead, all_day_at)


def _practice(todo: Any, zone: tzinfo, status: str, modified: datetime | None) -> dict[str, Any]:
    """The practice fields of a server copy; a phone's own RRULE counts, bad values do not."""
    from ..domain.recurrence import canonical_rrule

    try:
        found = practice_values(todo, zone)
    except InvalidTask:
        found = {}
    values = {name: found.get(name) for name in PRACTICE_FIELDS}
    if values["recur"]:
        try:
            values["recur"] = canonical_rrule(values["recur"])
        except InvalidTask:
            values["recur"] = None
    if status == "CANCELLED" and not values["abandoned"]:  # cancelled on the phone
        moment = modified or datetime.now(UTC)
        values["abandoned"] = moment.astimezone(UTC).isoformat(timespec="seconds")
    return values


# --- values ---------------------------------------------------------------------------------


def due_equal(left: str | None, right: str | None) -> bool:
    """Two deadlines are the same when they are the same day or the same instant."""
    if left == right:
        return True
    if not left or not right or len(left) == 10 or len(right) == 10:
        return False
    a, b = _parse(left), _parse(right)
    return a is not None and a == b


def _due_value(due: str | None, zone: tzinfo) -> date | datetime | None:
    if not due:
        return None
    if len(due) == 10:
        try:
            return date.fromisoformat(due)
        except ValueError:
            return None
    moment = _parse(due, zone)
    return moment.astimezone(UTC) if moment is not None else None


def _due_text(prop: Any, zone: tzinfo) -> str | None:
    value = getattr(prop, "dt", None)
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=zone)  # floating = local
        return moment.astimezone(zone).isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return None


def _not_after(start: Any, due: date | datetime) -> bool:
    try:
        if isinstance(start, datetime) and isinstance(due, datetime):
            return (start if start.tzinfo else start.replace(tzinfo=UTC)) <= due
        as_day = start.date() if isinstance(start, datetime) else start
        due_day = due.date() if isinstance(due, datetime) else due
        return bool(as_day <= due_day)
    except TypeError:
        return False


def _parse(value: str | None, zone: tzinfo = UTC) -> datetime | None:
    from ..model import parse_stamp

    moment = parse_stamp(value)
    if moment is None or not isinstance(value, str):
        return None
    # parse_stamp reads a naive stamp as UTC; a naive deadline is local time.
    if "+" not in value[10:] and "-" not in value[10:] and not value.endswith("Z"):
        return moment.replace(tzinfo=zone)
    return moment


def _instant(prop: Any) -> datetime | None:
    value = getattr(prop, "dt", None)
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return None


def _int(prop: Any) -> int | None:
    try:
        return int(prop) if prop is not None else None
    except (TypeError, ValueError):
        return None


def _flag(prop: Any) -> bool | None:
    if prop is None:
        return None
    text = (prop.to_ical().decode() if hasattr(prop, "to_ical") else str(prop)).strip().upper()
    if text in ("TRUE", "1", "YES"):
        return True
    if text in ("FALSE", "0", "NO"):
        return False
    return None


def _categories(prop: Any) -> list[str]:
    if prop is None:
        return []
    props = prop if isinstance(prop, list) else [prop]
    found: list[str] = []
    for item in props:
        cats = getattr(item, "cats", None)
        if cats is None:
            found.extend(part for part in str(item).split(",") if part)
        else:
            found.extend(str(cat) for cat in cats)
    return found


def describe(field: str, value: Any) -> str:
    """A field's value as one line of notes, for the losing side of a conflict."""
    if value is None or value == "" or value == []:
        return _("(none)")
    if field == "tags":
        return " ".join("#" + tag for tag in value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


def fields_of(record: Mapping[str, Any]) -> dict[str, Any]:
    return {name: record.get(name) for name in SYNCED_FIELDS}
