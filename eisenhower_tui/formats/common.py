"""What every format shares: the parsed-import records, date and id rules, safe messages.

Pure: no file I/O, no printing, no Textual. Formats take text or tasks and return data or bytes.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, tzinfo
from typing import Any

from dateutil import tz as dtz

from ..dates import MAX_YEAR, MIN_YEAR
from ..i18n import _
from ..model import (
    PRACTICE_DEFAULTS,
    InvalidTask,
    Quadrant,
    Task,
    display_safe,
    parse_stamp,
    sanitize_line,
    sanitize_notes,
)

__all__ = [
    "DEFAULT_QUADRANT",
    "PRACTICE_COLUMNS",
    "Incoming",
    "ParsedImport",
    "canonical_id",
    "content_key",
    "export_safe",
    "finish",
    "is_newer",
    "normalise_due",
    "normalise_stamp",
    "parse_bool",
    "practice_cells",
    "practice_fields",
    "shown",
]

# The default quadrant of `add`: a record that says nothing about urgency goes there.
DEFAULT_QUADRANT = Quadrant.SCHEDULE

# Deterministic ids for records that carry none: the same line imported twice gets the same id.
IMPORT_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://eisenhower-tui.invalid/import")
_MAX_SHOWN = 40


@dataclass(slots=True)
class Incoming:
    """One valid record: the task to store, where it came from, and how to recognise it again."""

    task: Task
    where: str
    has_id: bool
    # False when the record had no timestamps: its `updated` is the import time, which must not
    # count as a newer edit on every re-import.
    dated: bool = True


@dataclass(slots=True)
class ParsedImport:
    fmt: str
    items: list[Incoming] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # "line 7: reason", invalid records
    skipped: list[str] = field(default_factory=list)  # not importable by design (deleted...)


# --- messages -----------------------------------------------------------------------------------


def shown(value: object) -> str:
    """A value quoted in a message: one safe line, cut short (it may be hostile)."""
    line = sanitize_line(str(value))
    return line if len(line) <= _MAX_SHOWN else line[: _MAX_SHOWN - 1] + "…"


def at(where: str, error: object) -> str:
    """A problem of one record: where it is, then what is wrong."""
    return _("{where}: {error}").format(where=where, error=error)


# --- text leaving the program -------------------------------------------------------------------


def _plain(text: str) -> bool:
    """Printable ASCII: nothing a terminal could run, so cleaning can be skipped (most text)."""
    return text.isascii() and text.isprintable()


def _safe_line(text: str) -> str:
    return text if _plain(text) else sanitize_line(text)


def _safe_optional(text: str | None) -> str | None:
    return None if text is None else _safe_line(text)


def _safe_text(text: str) -> str:
    return text if _plain(text) else sanitize_notes(text)


def _safe_value(value: Any) -> Any:
    """An unknown field's value with every string in it cleaned (JSON: dicts, lists, scalars)."""
    if isinstance(value, str):
        return _safe_text(value)
    if isinstance(value, dict):
        return {_safe_line(str(key)): _safe_value(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_safe_value(item) for item in value]
    return value


def export_safe(task: Task) -> Task:
    """The task as an export may show it: every text field cleaned, as `list` shows it.

    Titles are cleaned on the way in, but a task file written by another tool or by hand may
    still hold escape sequences, C1 controls or bidi overrides, and an export printed to a
    terminal must not retitle it or write its clipboard (OSC 52). JSON escapes only C0
    controls, so its strings are cleaned too, and so are the ids, stamps and unknown fields it
    carries. The same object comes back when nothing needs cleaning (the common case: a
    50,000-task export must not pay for it).
    """
    task = display_safe(task)  # title, notes, tags, delegate: the model's own check and rule
    stamps = (task.due, task.done, task.created, task.updated, task.escalated, task.escalated_for)
    practice = (
        *(task.recur, task.recur_mode, task.series, task.wait, task.follow_up),
        *(task.delegated, task.abandoned, task.abandon_reason),
    )
    if (
        not task.extra
        and not task.moves
        and all(value is None or _plain(value) for value in practice)
        and _plain(task.id)
        and all(stamp is None or _plain(stamp) for stamp in stamps)
    ):
        return task
    return replace(
        task,
        id=_safe_line(task.id),
        due=_safe_optional(task.due),
        done=_safe_optional(task.done),
        created=_safe_line(task.created),
        updated=_safe_line(task.updated),
        escalated=_safe_optional(task.escalated),
        escalated_for=_safe_optional(task.escalated_for),
        extra=_safe_value(task.extra),
        recur=_safe_optional(task.recur),
        recur_mode=_safe_optional(task.recur_mode),
        series=_safe_optional(task.series),
        wait=_safe_optional(task.wait),
        follow_up=_safe_optional(task.follow_up),
        delegated=_safe_optional(task.delegated),
        abandoned=_safe_optional(task.abandoned),
        abandon_reason=_safe_optional(task.abandon_reason),
        moves=_safe_value(task.moves),
    )


# --- dates --------------------------------------------------------------------------------------


def local_zone(now: datetime) -> tzinfo:
    return now.tzinfo or dtz.tzlocal()


def in_zone(moment: datetime, zone: tzinfo) -> datetime:
    """``moment.astimezone(zone)``, or the moment as given when that would leave year 9999.

    The calendar ends at 9999-12-31: 23:59:59 UTC that day is already year 10000 in Paris, and
    Python raises OverflowError there. The instant is the same either way.
    """
    try:
        return moment.astimezone(zone)
    except (OverflowError, ValueError):
        return moment


def check_year(year: int, text: str) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise InvalidTask(
            _("'{text}': the year {year} is outside {first}-{last}").format(
                text=shown(text), year=year, first=MIN_YEAR, last=MAX_YEAR
            )
        )


_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def normalise_due(value: Any, zone: tzinfo, name: str = "due date") -> str | None:
    """A stored deadline (``YYYY-MM-DD`` or an ISO datetime with offset) or InvalidTask.

    A datetime without offset is taken as local wall-clock time, as a person typing a CSV means.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    what = _("due date") if name == "due date" else name
    if not isinstance(value, str):
        raise InvalidTask(_("the {name} {value} is not text").format(name=what, value=shown(value)))
    text = value.strip()
    if _ISO_DAY.fullmatch(text):
        try:
            day = date.fromisoformat(text)
        except ValueError:
            raise InvalidTask(
                _("the {name} {value} does not exist").format(name=what, value=shown(text))
            ) from None
        check_year(day.year, text)
        return day.isoformat()
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidTask(
            _(
                "the {name} '{value}' is not an ISO date (YYYY-MM-DD) or date-time "
                "(YYYY-MM-DDTHH:MM+01:00)"
            ).format(name=what, value=shown(text))
        ) from None
    check_year(moment.year, text)
    return with_offset(moment, zone)


def normalise_stamp(value: Any, zone: tzinfo, name: str) -> str | None:
    """An ISO timestamp with offset (``created``, ``done``...); a bare date is local midnight."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str):
        raise InvalidTask(
            _("'{name}' {value} is not a date-time").format(name=name, value=shown(value))
        )
    text = value.strip()
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidTask(
            _("'{name}' {value} is not an ISO date-time").format(name=name, value=shown(text))
        ) from None
    check_year(moment.year, text)
    return with_offset(moment, zone)


def with_offset(moment: datetime, zone: tzinfo) -> str:
    """An ISO date-time with its offset; a naive one is local wall-clock time."""
    if moment.tzinfo is None:
        try:
            moment = dtz.resolve_imaginary(moment.replace(tzinfo=zone))
        except (OverflowError, ValueError):  # the last hour of 9999: nothing to resolve there
            moment = moment.replace(tzinfo=zone)
    return moment.replace(microsecond=0).isoformat(timespec="seconds")


def is_newer(candidate: str | None, than: str | None) -> bool:
    """Strictly newer; an unreadable or missing ``than`` loses to any readable candidate."""
    new, old = parse_stamp(candidate), parse_stamp(than)
    if new is None:
        return False
    return old is None or new > old


# --- ids ----------------------------------------------------------------------------------------


def content_key(title: str, due: str | None) -> str:
    """What identifies a task that came without an id: its normalised title and deadline."""
    return " ".join(title.casefold().split()) + "\x1f" + (due or "")


def canonical_id(value: Any) -> str:
    if not isinstance(value, str):
        raise InvalidTask(_("the id {value} is not text").format(value=shown(value)))
    try:
        return str(uuid.UUID(value.strip()))
    except ValueError:
        raise InvalidTask(_("the id '{value}' is not a UUID").format(value=shown(value))) from None


def finish(parsed: ParsedImport) -> ParsedImport:
    """Ids for id-less records, and a duplicate id inside one file is a bad record."""
    seen: dict[str, str] = {}
    occurrences: dict[str, int] = {}
    kept: list[Incoming] = []
    for item in parsed.items:
        if not item.has_id:
            key = content_key(item.task.title, item.task.due)
            count = occurrences.get(key, 0)
            occurrences[key] = count + 1
            item.task.id = str(uuid.uuid5(IMPORT_NAMESPACE, f"{key}\x1f{count}"))
        elif item.task.id in seen:
            parsed.problems.append(
                _("{where}: the id {id} appears twice (first at {first})").format(
                    where=item.where, id=item.task.id, first=seen[item.task.id]
                )
            )
            continue
        seen.setdefault(item.task.id, item.where)
        kept.append(item)
    parsed.items = kept
    return parsed


# --- values -------------------------------------------------------------------------------------

TRUE_WORDS = frozenset({"true", "yes", "y", "1", "x", "oui"})
FALSE_WORDS = frozenset({"false", "no", "n", "0", "non"})
BOOL_WORDS = TRUE_WORDS | FALSE_WORDS


def parse_bool(value: Any, name: str) -> bool | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise InvalidTask(
        _("'{name}' is {value}; use true or false").format(name=name, value=shown(value))
    )


def parse_quadrant(value: Any) -> Quadrant:
    """A quadrant number or name from a file; the message quotes the value safely."""
    try:
        return Quadrant.parse(value)
    except InvalidTask:
        raise InvalidTask(
            _("'{text}' is not a quadrant; use 1-4 or do, schedule, delegate, eliminate").format(
                text=shown(value)
            )
        ) from None


# --- the 0.2 fields -----------------------------------------------------------------------------

# The columns / keys of the practice over weeks, in export order (CSV adds them after notes).
PRACTICE_COLUMNS = (
    *(name for name in PRACTICE_DEFAULTS if name not in ("moves", "slips")),
    "slips",
    "moves",
)


def practice_fields(values: Mapping[str, Any], zone: tzinfo) -> dict[str, Any]:
    """The 0.2 fields of an imported record, checked, as :func:`build_task` keywords.

    ``values`` may be a JSON object (``moves`` a list, ``slips`` a number) or a CSV row (all
    text: ``moves`` as JSON, ``slips`` digits). A bad recurrence or date is a bad record; a bad
    history of moves is dropped (it is bookkeeping, not the user's data).
    """
    found: dict[str, Any] = {}
    recur = values.get("recur")
    if isinstance(recur, str) and recur.strip():
        found["recur"] = recur.strip()  # build_task checks it and makes it canonical
        mode = values.get("recur_mode")
        found["recur_mode"] = mode.strip() if isinstance(mode, str) and mode.strip() else None
    series = values.get("series")
    if isinstance(series, str) and series.strip():
        found["series"] = canonical_id(series)
    for name, label in (("wait", _("wait date")), ("follow_up", _("follow-up date"))):
        found[name] = normalise_due(values.get(name), zone, label)
    for name in ("delegated", "abandoned"):
        found[name] = normalise_stamp(values.get(name), zone, name)
    reason = values.get("abandon_reason")
    found["abandon_reason"] = reason if isinstance(reason, str) and reason.strip() else None
    slips = values.get("slips")
    if isinstance(slips, str) and slips.strip().isdigit():
        slips = int(slips.strip())
    found["slips"] = slips if isinstance(slips, int) and not isinstance(slips, bool) else 0
    moves = values.get("moves")
    if isinstance(moves, str) and moves.strip():
        try:
            moves = json.loads(moves)
        except ValueError:
            moves = None
    found["moves"] = moves if isinstance(moves, list) else None
    return found


def practice_cells(task: Task) -> list[str]:
    """The 0.2 fields of a task as CSV cells, in :data:`PRACTICE_COLUMNS` order."""
    return [
        task.recur or "",
        task.recur_mode or "",
        task.series or "",
        task.wait or "",
        task.follow_up or "",
        task.delegated or "",
        task.abandoned or "",
        task.abandon_reason or "",
        str(task.slips) if task.slips else "",
        json.dumps(task.moves, ensure_ascii=False, separators=(",", ":")) if task.moves else "",
    ]
