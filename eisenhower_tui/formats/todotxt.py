"""todo.txt: one task per line.

``(A)``-``(D)`` = quadrants 1-4, ``(E)``-``(Z)`` = Eliminate, none = Schedule; ``+project`` and
``@context`` become tags (never the delegate); ``due:YYYY-MM-DD`` is the deadline; other
``key:value`` pairs (``t:``, ``rec:``, ``h:``...) are moved out of the title into a
``todo.txt: ...`` note line; ``x [done-date] [created-date]`` marks a done task (its ``pri:X``
gives the quadrant); the creation date becomes ``created``.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, tzinfo

from dateutil import tz as dtz

from ..domain.tasks import build_task
from ..i18n import _
from ..model import InvalidTask, Quadrant, Task, iso_now, sanitize_line
from .common import (
    DEFAULT_QUADRANT,
    Incoming,
    ParsedImport,
    at,
    check_year,
    in_zone,
    local_zone,
    normalise_due,
    shown,
)

__all__ = ["parse_todotxt"]

TODOTXT_PRIORITY = {"A": Quadrant.DO, "B": Quadrant.SCHEDULE, "C": Quadrant.DELEGATE}

_TODO_DATE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
_TODO_DONE = re.compile(rf"x (?:({_TODO_DATE}) )?(?:({_TODO_DATE}) )?")
_TODO_PRIORITY = re.compile(rf"\(([A-Z])\) (?:({_TODO_DATE}) )?")
_TODO_CREATED = re.compile(rf"({_TODO_DATE}) ")
_TODO_PAIR = re.compile(r"([A-Za-z][A-Za-z0-9_-]*):(\S+)")


def _todo_quadrant(letter: str | None) -> Quadrant:
    if not letter:
        return DEFAULT_QUADRANT
    return TODOTXT_PRIORITY.get(letter.upper(), Quadrant.ELIMINATE)


def _todo_day_stamp(text: str | None, zone: tzinfo) -> str | None:
    """A todo.txt date as the instant it began locally (done and created are date-times here)."""
    if not text:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise InvalidTask(_("{date} is not a date that exists").format(date=shown(text))) from None
    check_year(day.year, text)
    start = dtz.resolve_imaginary(datetime.combine(day, time(0), tzinfo=zone))
    return in_zone(start, UTC).isoformat(timespec="seconds")


def parse_todotxt(text: str, now: datetime) -> ParsedImport:
    parsed = ParsedImport(fmt="todotxt")
    base = now.timestamp()
    zone = local_zone(now)
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        where = _("line {n}").format(n=number)
        try:
            task = _todo_line(line, base + number / 1000, zone, now)
        except InvalidTask as exc:
            parsed.problems.append(at(where, exc))
            continue
        parsed.items.append(Incoming(task=task, where=where, has_id=False, dated=False))
    return parsed


def _todo_line(line: str, order: float, zone: tzinfo, now: datetime) -> Task:
    rest = sanitize_line(line) + " "
    done = created = priority = None
    done_match = _TODO_DONE.match(rest)
    if done_match:
        done = _todo_day_stamp(done_match[1], zone) or iso_now(now)
        created = _todo_day_stamp(done_match[2], zone)
        rest = rest[done_match.end() :]
    priority_match = _TODO_PRIORITY.match(rest)
    if priority_match:
        priority = priority_match[1]
        created = created or _todo_day_stamp(priority_match[2], zone)
        rest = rest[priority_match.end() :]
    elif not done_match:
        created_match = _TODO_CREATED.match(rest)
        if created_match:
            created = _todo_day_stamp(created_match[1], zone)
            rest = rest[created_match.end() :]
    words: list[str] = []
    tags: list[str] = []
    pairs: list[str] = []
    due = None
    for token in rest.split():
        pair = _TODO_PAIR.fullmatch(token)
        if token[0] in "+@" and len(token) > 1:
            tags.append(token[1:])
        elif pair and not pair[2].startswith("//"):  # not a URL
            key = pair[1].lower()
            if key == "due":
                due = normalise_due(pair[2], zone)
            elif key == "pri" and priority is None and re.fullmatch(r"[A-Za-z]", pair[2]):
                priority = pair[2]
            else:
                pairs.append(token)
        else:
            words.append(token)
    return build_task(
        now=now,
        order=order,
        title=" ".join(words),
        quadrant=_todo_quadrant(priority),
        notes=f"todo.txt: {' '.join(pairs)}" if pairs else "",
        due=due,
        tags=tags,
        done=done,
        created=created,
    )
