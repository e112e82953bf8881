"""Why a task is where it is: every change of quadrant, with its cause, in a capped list.

Each entry of a task's ``moves`` is ``{"at": stamp, "from": 2, "to": 1, "cause": "escalation",
"due_in_h": 40}`` (``from`` is None when the task was added; ``due_in_h`` only with a deadline).
The operations of :mod:`.changes` append to it in their ``after`` values, so undo restores the
list. Merge joins two versions' lists by ``(at, from, to)``. ``slips`` counts how often the
deadline moved later. Pure.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from ..i18n import _, ngettext
from ..model import Quadrant, Task, due_instant, iso_now, parse_stamp

__all__ = [
    "CAUSES",
    "MAX_MOVES",
    "merge_moves",
    "move_entry",
    "moved",
    "slipped",
    "story",
]

CAUSES = ("key", "cli", "escalation", "import", "merge", "add")
# Enough for the story of a task over months; a file of 50,000 tasks must stay small.
MAX_MOVES = 20

# Month abbreviations as dates.py spells them (the catalogue already holds them).
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def move_entry(
    task: Task, to: Quadrant, now: datetime, cause: str, *, added: bool = False
) -> dict[str, Any]:
    """One entry: from the task's quadrant (None when it is being added) to ``to``."""
    entry: dict[str, Any] = {
        "at": iso_now(now),
        "from": None if added else int(task.quadrant),
        "to": int(to),
        "cause": cause,
    }
    if task.due:
        try:
            hours = (due_instant(task.due, now.tzinfo) - now).total_seconds() / 3600
        except (ValueError, OverflowError):
            return entry
        entry["due_in_h"] = round(hours)
    return entry


def moved(
    task: Task, to: Quadrant, now: datetime, cause: str, *, added: bool = False
) -> list[dict[str, Any]]:
    """The task's ``moves`` with one more entry, the oldest dropped past :data:`MAX_MOVES`."""
    entries = [*task.moves, move_entry(task, to, now, cause, added=added)]
    return entries[-MAX_MOVES:]


def _key(entry: Mapping[str, Any]) -> tuple[str, Any, Any]:
    return (str(entry.get("at", "")), entry.get("from"), entry.get("to"))


def merge_moves(
    ours: Iterable[Mapping[str, Any]], theirs: Iterable[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """Both versions' moves, each once (by at, from, to), oldest first, capped."""
    union: dict[tuple[str, Any, Any], dict[str, Any]] = {}
    for entry in [*ours, *theirs]:
        if isinstance(entry, Mapping):
            union.setdefault(_key(entry), dict(entry))
    ordered = sorted(union.values(), key=lambda e: (parse_stamp(e.get("at")) is None, _key(e)))
    return ordered[-MAX_MOVES:]


def slipped(old: str | None, new: str | None, now: datetime) -> bool:
    """True when a deadline moves later (not when one is first set or cleared)."""
    if not old or not new:
        return False
    try:
        return due_instant(new, now.tzinfo) > due_instant(old, now.tzinfo)
    except (ValueError, OverflowError):
        return False


# --- the story ----------------------------------------------------------------------------------


def _name(number: Any) -> str:
    try:
        return _(Quadrant(int(number)).label)
    except (TypeError, ValueError):
        return "?"


def _day(moment: datetime, now: datetime) -> str:
    local = moment.astimezone(now.tzinfo) if now.tzinfo else moment
    day: date = local.date()
    text = _("{day} {month}").format(day=day.day, month=_(_MONTHS[day.month - 1]))
    return text if day.year == now.year else f"{text} {day.year}"


def _by(cause: Any) -> str:
    return {
        "escalation": _("by escalation"),
        "key": _("by you"),
        "cli": _("by you"),
        "import": _("by an import"),
        "merge": _("by a merge"),
        "add": _("when added"),
    }.get(str(cause), _("by you"))


def _sentence(entry: Mapping[str, Any], previous: Mapping[str, Any] | None, now: datetime) -> str:
    moment = parse_stamp(entry.get("at"))
    when = _day(moment, now) if moment else "?"
    if entry.get("from") is None:
        text = _("added to {to} on {day}").format(to=_name(entry.get("to")), day=when)
    elif (
        previous is not None
        and previous.get("from") == entry.get("to")
        and previous.get("to") == entry.get("from")
    ):
        text = _("moved back {by} on {day}").format(by=_by(entry.get("cause")), day=when)
    else:
        text = _("{source} -> {target} on {day} {by}").format(
            source=_name(entry.get("from")),
            target=_name(entry.get("to")),
            day=when,
            by=_by(entry.get("cause")),
        )
    hours = entry.get("due_in_h")
    if isinstance(hours, int) and not isinstance(hours, bool) and entry.get("from") is not None:
        if hours >= 0:
            text += ", " + _("due in {n} h").format(n=hours)
        else:
            text += ", " + _("{n} h overdue").format(n=-hours)
    return text


def story(task: Task, now: datetime) -> str:
    """Why the task is where it is, in one line: "Schedule -> Do on 12 Mar by escalation, due
    in 40 h; moved back by you on 13 Mar"; then how often the deadline slipped."""
    sentences = []
    previous: Mapping[str, Any] | None = None
    for entry in task.moves:
        sentences.append(_sentence(entry, previous, now))
        previous = entry
    if task.slips:
        slips = ngettext(
            "the deadline slipped {n} time", "the deadline slipped {n} times", task.slips
        )
        sentences.append(slips.format(n=task.slips))
    return "; ".join(sentences)
