"""Recurrence that cannot duplicate: rules, occurrences and the ids of instances.

A recurring task carries ``recur`` (an RFC 5545 RRULE in one canonical spelling, so
``every:fri`` and ``FREQ=WEEKLY;BYDAY=FR`` are the same rule) and ``recur_mode``: ``fixed``
follows the calendar (the next deadline comes after this one's), ``after`` counts from the day
it was done. ``series`` is the id of the series' first task.

Marking an instance done creates the next one, whose id is *derived*, never random:
``uuid5(series, occurrence date)`` on a fixed schedule, ``uuid5(series, "after", done instance)``
after completion. Two copies of the file that each complete the same instance (two devices, a
sync conflict, ``merge``) therefore create the same task, and the merge holds one. Pure.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING, Any

from dateutil import tz as dtz

if TYPE_CHECKING:
    from dateutil import rrule as dtrule

from ..i18n import _
from ..model import InvalidTask, Quadrant, Task, iso_now, sanitize_line, strip_accents

__all__ = [
    "MODES",
    "Rule",
    "canonical_rrule",
    "catch_up",
    "first_due",
    "instance_id",
    "next_due",
    "next_instance",
    "parse_every",
    "rule_from_taskwarrior",
]

MODES = ("fixed", "after")
SERIES_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://eisenhower-tui.invalid/series")
# Far enough to find the next Feb 29 or a "5th Friday" rule, near enough to stay fast.
_SEARCH_YEARS = 9

_DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_DAY_WORDS: dict[str, str] = {}
for _code, _names in zip(
    _DAY_CODES,
    (
        ("monday", "mon", "lundi", "lun"),
        ("tuesday", "tue", "tues", "mardi", "mar"),
        ("wednesday", "wed", "mercredi", "mer"),
        ("thursday", "thu", "thur", "thurs", "jeudi", "jeu"),
        ("friday", "fri", "vendredi", "ven"),
        ("saturday", "sat", "samedi", "sam"),
        ("sunday", "sun", "dimanche", "dim"),
    ),
    strict=True,
):
    for _name in _names:
        _DAY_WORDS[_name] = _code

# Words for a whole rule (English, French, Taskwarrior's names).
_RULE_WORDS: dict[str, str] = {
    "day": "FREQ=DAILY",
    "daily": "FREQ=DAILY",
    "jour": "FREQ=DAILY",
    "quotidien": "FREQ=DAILY",
    "week": "FREQ=WEEKLY",
    "weekly": "FREQ=WEEKLY",
    "semaine": "FREQ=WEEKLY",
    "hebdo": "FREQ=WEEKLY",
    "hebdomadaire": "FREQ=WEEKLY",
    "fortnight": "FREQ=WEEKLY;INTERVAL=2",
    "biweekly": "FREQ=WEEKLY;INTERVAL=2",
    "quinzaine": "FREQ=WEEKLY;INTERVAL=2",
    "month": "FREQ=MONTHLY",
    "monthly": "FREQ=MONTHLY",
    "mois": "FREQ=MONTHLY",
    "mensuel": "FREQ=MONTHLY",
    "quarter": "FREQ=MONTHLY;INTERVAL=3",
    "quarterly": "FREQ=MONTHLY;INTERVAL=3",
    "trimestre": "FREQ=MONTHLY;INTERVAL=3",
    "semiannual": "FREQ=MONTHLY;INTERVAL=6",
    "year": "FREQ=YEARLY",
    "yearly": "FREQ=YEARLY",
    "annual": "FREQ=YEARLY",
    "an": "FREQ=YEARLY",
    "annee": "FREQ=YEARLY",
    "annuel": "FREQ=YEARLY",
    "weekday": "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
    "weekdays": "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
    "workday": "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
    "ouvre": "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
    "ouvrable": "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
    "weekend": "FREQ=WEEKLY;BYDAY=SA,SU",
}
# `2w`, `3d`, `1m`, `2mo`, `1y`; French `2s` (semaines), `3j` (jours), `1a` (an).
_UNITS = {
    "d": "DAILY",
    "j": "DAILY",
    "w": "WEEKLY",
    "s": "WEEKLY",
    "m": "MONTHLY",
    "mo": "MONTHLY",
    "y": "YEARLY",
    "a": "YEARLY",
}
_COUNTED = re.compile(r"(\d{1,3})\s*(mo|[djwsmya])")
# Taskwarrior's longer forms: `2weeks`, `3days`, `P1W` (ISO 8601 durations).
_TW_COUNTED = re.compile(r"(\d{1,3})\s*(days?|weeks?|months?|years?|wks?|qtrs?|q)")
_ISO_DURATION = re.compile(r"p(?:(\d{1,3})y)?(?:(\d{1,3})m)?(?:(\d{1,3})w)?(?:(\d{1,3})d)?")

# The canonical order of an RRULE's parts: what defines it first, then the BY parts by name.
_FIRST_PARTS = ("FREQ", "INTERVAL", "COUNT", "UNTIL")
_KNOWN_PARTS = frozenset(
    {
        *_FIRST_PARTS,
        "BYSECOND",
        "BYMINUTE",
        "BYHOUR",
        "BYDAY",
        "BYMONTHDAY",
        "BYYEARDAY",
        "BYWEEKNO",
        "BYMONTH",
        "BYSETPOS",
        "WKST",
    }
)
_FREQS = frozenset({"YEARLY", "MONTHLY", "WEEKLY", "DAILY"})


@dataclass(frozen=True, slots=True)
class Rule:
    """A recurrence as stored: the canonical RRULE text and the mode."""

    rrule: str
    mode: str = "fixed"


def _bad_rule(text: str) -> InvalidTask:
    return InvalidTask(
        _(
            "'{rule}' is not a recurrence; use every:fri, every:month, every:2w, every:weekday "
            "or an RRULE such as FREQ=WEEKLY;BYDAY=FR"
        ).format(rule=sanitize_line(text)[:60])
    )


def parse_every(text: str, mode: str = "fixed") -> Rule:
    """What ``every:RULE``, ``chaque:RULE`` or ``--every RULE`` says, or InvalidTask.

    Words (``fri``, ``month``, ``2w``, ``weekday``, ``lundi``, ``mon,thu``) or any RRULE.
    """
    if mode not in MODES:
        raise InvalidTask(_("the recurrence mode must be fixed or after"))
    raw = sanitize_line(text)
    if "=" in raw:
        return Rule(canonical_rrule(raw), mode)
    word = strip_accents(raw.lower()).strip()
    if word in _RULE_WORDS:
        return Rule(canonical_rrule(_RULE_WORDS[word]), mode)
    days = [part.strip() for part in word.split(",")]
    if days and all(day in _DAY_WORDS for day in days):
        byday = ",".join(_DAY_WORDS[d] for d in days)
        return Rule(canonical_rrule("FREQ=WEEKLY;BYDAY=" + byday), mode)
    counted = _COUNTED.fullmatch(word)
    if counted and int(counted.group(1)) > 0:
        freq = _UNITS[counted.group(2)]
        return Rule(canonical_rrule(f"FREQ={freq};INTERVAL={int(counted.group(1))}"), mode)
    raise _bad_rule(text)


def canonical_rrule(text: str) -> str:
    """One spelling per rule: parts upper-case in a fixed order, ``INTERVAL=1`` dropped, days in
    week order. Raises InvalidTask for what is not an RRULE dateutil can run."""
    body = sanitize_line(text).strip()
    if body.upper().startswith("RRULE:"):
        body = body[6:]
    parts: dict[str, str] = {}
    for piece in filter(None, body.upper().replace(" ", "").split(";")):
        name, sep, value = piece.partition("=")
        if not sep or not value or name not in _KNOWN_PARTS or name in parts:
            raise _bad_rule(text)
        parts[name] = value
    if parts.get("FREQ") not in _FREQS:
        # Hourly and finer rules make no sense for deadlines of days.
        raise _bad_rule(text)
    if parts.get("INTERVAL") == "1":
        del parts["INTERVAL"]
    if "BYDAY" in parts:
        parts["BYDAY"] = ",".join(sorted(parts["BYDAY"].split(","), key=_day_position))
    ordered = [name for name in _FIRST_PARTS if name in parts]
    ordered += sorted(name for name in parts if name not in _FIRST_PARTS)
    canonical = ";".join(f"{name}={parts[name]}" for name in ordered)
    try:
        _rrule(canonical, datetime(2026, 1, 1))
    except (ValueError, TypeError, OverflowError):
        raise _bad_rule(text) from None
    return canonical


def _day_position(value: str) -> tuple[int, str]:
    code = value[-2:]
    return (_DAY_CODES.index(code) if code in _DAY_CODES else 7, value)


def _rrule(rule: str, start: datetime) -> dtrule.rrule:
    """The rule from ``start`` (naive local wall time); COUNT is ours to count, so left out."""
    # Here, not at import: every `add` loads this module, few need a rule expanded (5 ms).
    from dateutil import rrule as dtrule

    parts = []
    for piece in rule.split(";"):
        name, _sep, value = piece.partition("=")
        if name == "COUNT":
            continue
        if name == "UNTIL":  # computed in naive local time: the instant's wall clock is enough
            value = value.rstrip("Z")
        parts.append(f"{name}={value}")
    made = dtrule.rrulestr("RRULE:" + ";".join(parts), dtstart=start)
    if not isinstance(made, dtrule.rrule):
        raise ValueError("not a single rule")
    return made


def _count(rule: str) -> int | None:
    for piece in rule.split(";"):
        if piece.startswith("COUNT="):
            return int(piece[6:])
    return None


def _with_count(rule: str, count: int) -> str:
    return ";".join(f"COUNT={count}" if p.startswith("COUNT=") else p for p in rule.split(";"))


# --- occurrences --------------------------------------------------------------------------------


def _local(due: str, zone: tzinfo) -> tuple[datetime, bool]:
    """A deadline as naive local wall time, and whether it is all-day."""
    if len(due) == 10:
        return datetime.combine(date.fromisoformat(due), time(0)), True
    moment = datetime.fromisoformat(due)
    if moment.tzinfo is not None:
        moment = moment.astimezone(zone)
    return moment.replace(tzinfo=None), False


def _stored(moment: datetime, all_day: bool, zone: tzinfo) -> str:
    if all_day:
        return moment.date().isoformat()
    aware = dtz.resolve_imaginary(moment.replace(tzinfo=zone))
    return aware.isoformat(timespec="seconds")


def _after(rule: str, start: datetime, *, inclusive: bool) -> datetime | None:
    try:
        found = _rrule(rule, start).after(start, inc=inclusive)
    except (ValueError, OverflowError):
        return None
    if found is None or found.year - start.year > _SEARCH_YEARS:
        return None
    return found


def first_due(rule: Rule, now: datetime) -> str | None:
    """The first deadline of a new recurring task that has none: the rule's first day from
    today on (today included), all-day."""
    found = _after(rule.rrule, datetime.combine(now.date(), time(0)), inclusive=True)
    return found.date().isoformat() if found else None


def next_due(task: Task, done_at: datetime) -> str | None:
    """The deadline of the instance after ``task``, done at ``done_at`` (aware, local), or None
    when the rule has ended (UNTIL passed, COUNT used up)."""
    if not task.recur:
        return None
    count = _count(task.recur)
    if count is not None and count <= 1:
        return None
    zone = done_at.tzinfo or dtz.tzlocal()
    if task.due:
        try:
            anchor, all_day = _local(task.due, zone)
        except ValueError:
            anchor, all_day = datetime.combine(done_at.date(), time(0)), True
    else:
        anchor, all_day = datetime.combine(done_at.date(), time(0)), True
    if task.recur_mode == "after":
        # Counted from the day it was done, at the deadline's time of day.
        anchor = datetime.combine(done_at.astimezone(zone).date(), anchor.time())
    found = _after(task.recur, anchor, inclusive=False)
    return _stored(found, all_day, zone) if found else None


def catch_up(task: Task, now: datetime) -> str | None:
    """The rule's first occurrence from today on, on the task's schedule (a series imported
    long after it started); the first day from the rule when the task has no deadline."""
    if not task.recur:
        return task.due
    if not task.due:
        return first_due(Rule(task.recur), now)
    zone = now.tzinfo or dtz.tzlocal()
    try:
        anchor, all_day = _local(task.due, zone)
    except ValueError:
        return task.due
    if anchor.date() >= now.date():
        return task.due
    start = datetime.combine(now.date(), anchor.time())
    try:
        found = _rrule(task.recur, anchor).after(start, inc=True)
    except (ValueError, OverflowError):
        return task.due
    return _stored(found, all_day, zone) if found else task.due


def instance_id(series: str, occurrence: str) -> str:
    """The id of a fixed-schedule instance: the series and the occurrence's day, nothing else."""
    return str(uuid.uuid5(SERIES_NAMESPACE, f"{series}\x1f{occurrence[:10]}"))


def _after_completion_id(series: str, done_instance: str) -> str:
    """After completion the next day depends on when it was done, which two devices may not
    agree on; the instance it follows is what they agree on."""
    return str(uuid.uuid5(SERIES_NAMESPACE, f"{series}\x1fafter\x1f{done_instance}"))


def _shifted(value: str | None, days: int) -> str | None:
    """A wait or follow-up date moved with the deadline, so it keeps its distance to it."""
    if not value or not days:
        return value
    try:
        if len(value) == 10:
            return (date.fromisoformat(value) + timedelta(days=days)).isoformat()
        moment = datetime.fromisoformat(value)
    except (ValueError, OverflowError):
        return None
    return (moment + timedelta(days=days)).isoformat(timespec="seconds")


def next_instance(
    task: Task,
    done_at: datetime,
    *,
    lookup: Callable[[str], Task | None] | None = None,
) -> Task | None:
    """The instance that follows ``task`` when it is done at ``done_at``, or None (no rule,
    the rule has ended, or ``lookup`` finds that instance already there and alive)."""
    due = next_due(task, done_at)
    if due is None:
        return None
    series = task.series or task.id
    if task.recur_mode == "after":
        new_id = _after_completion_id(series, task.id)
    else:
        new_id = instance_id(series, due)
    if lookup is not None:
        existing = lookup(new_id)
        if existing is not None and existing.deleted is None:
            return None
    stamp = iso_now(done_at)
    moved_days = _day_distance(task.due, due)
    count = _count(task.recur or "")
    rule = _with_count(task.recur or "", count - 1) if count else task.recur
    # An instance escalated for its own deadline goes back to where the user had it.
    urgent = task.urgent and not (task.escalated and task.escalated_for == task.due)
    quadrant = int(Quadrant.from_flags(urgent, task.important))
    return Task(
        title=task.title,
        urgent=urgent,
        important=task.important,
        id=new_id,
        notes=task.notes,
        due=due,
        tags=list(task.tags),
        delegate=task.delegate,
        created=stamp,
        updated=stamp,
        order=task.order,
        recur=rule,
        recur_mode=task.recur_mode or "fixed",
        series=series,
        wait=_shifted(task.wait, moved_days),
        follow_up=_shifted(task.follow_up, moved_days),
        delegated=stamp if task.delegate else None,
        moves=[{"at": stamp, "from": None, "to": quadrant, "cause": "add"}],
    )


def _day_distance(old: str | None, new: str) -> int:
    if not old:
        return 0
    try:
        return (date.fromisoformat(new[:10]) - date.fromisoformat(old[:10])).days
    except ValueError:
        return 0


# --- Taskwarrior --------------------------------------------------------------------------------


def rule_from_taskwarrior(value: Any) -> Rule:
    """Taskwarrior's ``recur`` (``weekly``, ``2w``, ``3days``, ``P1M``, ``quarterly``) as a rule."""
    if not isinstance(value, str) or not value.strip():
        raise _bad_rule(str(value))
    word = value.strip().lower()
    if word in _RULE_WORDS or _COUNTED.fullmatch(word):
        return parse_every(word)
    counted = _TW_COUNTED.fullmatch(word)
    if counted and int(counted.group(1)) > 0:
        unit = counted.group(2)
        n = int(counted.group(1))
        if unit.startswith("q"):
            return parse_every(f"{3 * n}m")
        return parse_every(f"{n}{'mo' if unit.startswith('mo') else unit[0]}")
    iso = _ISO_DURATION.fullmatch(word)
    if iso and any(iso.groups()):
        years, months, weeks, days = (int(g) if g else 0 for g in iso.groups())
        for amount, unit in ((years, "y"), (months, "mo"), (weeks, "w"), (days, "d")):
            if amount and sum(bool(x) for x in (years, months, weeks, days)) == 1:
                return parse_every(f"{amount}{unit}")
    raise _bad_rule(value)
