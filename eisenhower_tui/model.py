"""Tasks, quadrants, ordering and the escalation rule.

Pure: no I/O, no Textual, no Rich. Everything that depends on time takes ``now`` explicitly so the
rules can be tested with a fixed clock.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from enum import IntEnum
from typing import Any

from .i18n import _

MAX_TITLE = 500
DEFAULT_HORIZON = timedelta(hours=48)

# Fields this version knows; anything else found in a record is carried through untouched.
KNOWN_FIELDS = (
    "id",
    "title",
    "notes",
    "urgent",
    "important",
    "due",
    "tags",
    "delegate",
    "done",
    "created",
    "updated",
    "escalated",
    "escalated_for",
    "deleted",
    "order",
    # version 0.2: the practice over weeks (recurrence, wait, follow-up, abandon, moves)
    "recur",
    "recur_mode",
    "series",
    "wait",
    "follow_up",
    "delegated",
    "abandoned",
    "abandon_reason",
    "moves",
    "slips",
)

# The 0.2 fields and their values when absent: a record stores them only when set, so files
# without them (every older one) read and rewrite unchanged.
PRACTICE_DEFAULTS: dict[str, Any] = {
    "recur": None,
    "recur_mode": None,
    "series": None,
    "wait": None,
    "follow_up": None,
    "delegated": None,
    "abandoned": None,
    "abandon_reason": None,
    "moves": [],
    "slips": 0,
}
_PRACTICE_TEXTS = ("recur", "recur_mode", "series", "wait", "follow_up", "delegated", "abandoned")


_KNOWN_SET = frozenset(KNOWN_FIELDS)
_PRACTICE_SET = frozenset(PRACTICE_DEFAULTS)


class InvalidTask(ValueError):
    """A value a user gave cannot be stored; the message is meant for that user."""


class Quadrant(IntEnum):
    DO = 1
    SCHEDULE = 2
    DELEGATE = 3
    ELIMINATE = 4

    @property
    def urgent(self) -> bool:
        return self in (Quadrant.DO, Quadrant.DELEGATE)

    @property
    def important(self) -> bool:
        return self in (Quadrant.DO, Quadrant.SCHEDULE)

    @property
    def label(self) -> str:
        """Human name, as in the pane titles."""
        return _LABELS[self]

    @property
    def key(self) -> str:
        """The lower-case word accepted on the command line."""
        return self.name.lower()

    @classmethod
    def from_flags(cls, urgent: bool, important: bool) -> Quadrant:
        if urgent:
            return cls.DO if important else cls.DELEGATE
        return cls.SCHEDULE if important else cls.ELIMINATE

    @classmethod
    def parse(cls, text: str | int) -> Quadrant:
        """Accept 1-4 or a quadrant name (English or French, any case)."""
        word = str(text).strip().lower()
        found = _ALIASES.get(strip_accents(word))
        if found is None:
            raise InvalidTask(
                _(
                    "'{text}' is not a quadrant; use 1-4 or do, schedule, delegate, eliminate"
                ).format(text=text)
            )
        return found


_LABELS = {
    Quadrant.DO: "Do first",
    Quadrant.SCHEDULE: "Schedule",
    Quadrant.DELEGATE: "Delegate",
    Quadrant.ELIMINATE: "Eliminate",
}

_ALIASES: dict[str, Quadrant] = {
    "1": Quadrant.DO,
    "do": Quadrant.DO,
    "q1": Quadrant.DO,
    "faire": Quadrant.DO,
    "2": Quadrant.SCHEDULE,
    "schedule": Quadrant.SCHEDULE,
    "q2": Quadrant.SCHEDULE,
    "planifier": Quadrant.SCHEDULE,
    "3": Quadrant.DELEGATE,
    "delegate": Quadrant.DELEGATE,
    "q3": Quadrant.DELEGATE,
    "deleguer": Quadrant.DELEGATE,
    "4": Quadrant.ELIMINATE,
    "eliminate": Quadrant.ELIMINATE,
    "q4": Quadrant.ELIMINATE,
    "eliminer": Quadrant.ELIMINATE,
}


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# --- hostile text -----------------------------------------------------------------------------

# Whole escape sequences first (so their parameters do not survive as visible junk), then any
# remaining control, format (bidi overrides, zero-width) or surrogate code point.
_ESCAPE_SEQUENCE = re.compile(
    r"""
    \x1b\][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?   # OSC ... BEL / ST (clipboard, titles, links)
  | \x9d[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?     # 8-bit OSC
  | \x1b[P_^X][^\x1b\x9c]*(?:\x1b\\|\x9c)?        # DCS, APC, PM, SOS
  | \x1b\[[0-?]*[ -/]*[@-~]?                      # CSI
  | \x9b[0-?]*[ -/]*[@-~]?                        # 8-bit CSI
  | \x1b[ -/]*[0-~]?                              # other ESC sequences
    """,
    re.VERBOSE,
)


def _is_unsafe(ch: str) -> bool:
    cat = unicodedata.category(ch)
    # Cc: C0/C1 controls incl. NUL, ESC, DEL. Cf: bidi overrides/isolates, zero-width joiners.
    # Cs: lone surrogates, which cannot be encoded. Zl/Zp: line/paragraph separators.
    return cat in ("Cc", "Cs", "Zl", "Zp") or (cat == "Cf" and ch not in "\u200d")


def sanitize_line(text: str) -> str:
    """One-line user text made safe to store and draw: NFC, no escapes or controls, tabs as spaces.

    ZWJ is kept because emoji sequences (family, flags) need it; it is not a control for terminals.
    """
    text = unicodedata.normalize("NFC", str(text))
    text = _ESCAPE_SEQUENCE.sub("", text)
    text = text.replace("\t", " ").replace("\r\n", " ").replace("\n", " ").replace("\r", " ")
    text = "".join(ch for ch in text if not _is_unsafe(ch))
    return re.sub(r" {2,}", " ", text).strip()


def cut(text: str, width: int) -> str:
    """``text`` in at most ``width`` characters, cut with an ellipsis: the one way a long title
    or quoted value is shortened for a row, a notice or a message."""
    return text if len(text) <= width else text[: width - 1] + "…"


def sanitize_notes(text: str) -> str:
    """Multi-line free text: like :func:`sanitize_line` but keeps newlines."""
    text = unicodedata.normalize("NFC", str(text)).replace("\r\n", "\n").replace("\r", "\n")
    text = _ESCAPE_SEQUENCE.sub("", text)
    text = text.replace("\t", "    ")
    return "".join(ch for ch in text if ch == "\n" or not _is_unsafe(ch)).strip("\n")


# Anything sanitize_line would change, found by one C-speed search, so clean text costs nothing.
_NEEDS_CLEANING = re.compile(
    "[\x00-\x1f\x7f-\x9f\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2\u180e\u200b-\u200c"
    "\u200e-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb\ud800-\udfff]"
    "|[\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001-\U000e007f]"
)


def display_safe(task: Task) -> Task:
    """The task with text fields safe to draw; unchanged (same object) when already clean.

    Titles are cleaned on the way in, but a file written by another tool may still carry
    escape sequences, so the view cleans again before anything reaches the terminal.
    """
    fields: dict[str, Any] = {}
    if _NEEDS_CLEANING.search(task.title):
        fields["title"] = sanitize_line(task.title) or "?"
    if _NEEDS_CLEANING.search(task.notes.replace("\n", "")):
        fields["notes"] = sanitize_notes(task.notes)
    if any(_NEEDS_CLEANING.search(tag) for tag in task.tags):
        fields["tags"] = [sanitize_line(tag) for tag in task.tags]
    if task.delegate and _NEEDS_CLEANING.search(task.delegate):
        fields["delegate"] = sanitize_line(task.delegate)
    return replace(task, **fields) if fields else task


def clean_title(text: str) -> str:
    """A storable title or :class:`InvalidTask` with a reason a user understands."""
    title = sanitize_line(text)
    if not title:
        raise InvalidTask(_("the title is empty; type what the task is"))
    if len(title) > MAX_TITLE:
        raise InvalidTask(
            _("the title has {count} characters; the limit is {limit}").format(
                count=len(title), limit=MAX_TITLE
            )
        )
    return title


def clean_tag(text: str) -> str:
    """Tags are stored without '#', as typed, with inner spaces turned into dashes."""
    tag = sanitize_line(text).lstrip("#").strip()
    return re.sub(r"\s+", "-", tag)[:100]


def clean_tags(values: Iterable[Any]) -> list[str]:
    """The one tag rule: cleaned, empty ones dropped, duplicates by case dropped (first spelling
    kept), so `#home #Home` is one tag wherever tags come from."""
    tags: list[str] = []
    seen: set[str] = set()
    for value in values:
        tag = clean_tag(str(value))
        if tag and tag.casefold() not in seen:
            seen.add(tag.casefold())
            tags.append(tag)
    return tags


def clean_delegate(text: str | None) -> str | None:
    if text is None:
        return None
    name = sanitize_line(text).lstrip("@").strip()[:100]
    return name or None


# --- time helpers -----------------------------------------------------------------------------


def utc_now() -> datetime:
    return datetime.now(UTC)


def iso_now(now: datetime | None = None) -> str:
    return (now or utc_now()).astimezone(UTC).isoformat(timespec="seconds")


def parse_stamp(value: Any) -> datetime | None:
    """An ISO stamp as an aware instant (naive ones are UTC), or None when missing or unreadable.

    The one reader of ``created``/``updated``/``done``/``deleted`` stamps: merge, import and the
    tombstone purge compare them.
    """
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def due_instant(due: str, tz: Any) -> datetime:
    """The instant a deadline passes: the end of the day in local time for an all-day one."""
    if len(due) == 10:
        day = date.fromisoformat(due)
        return datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz)
    moment = datetime.fromisoformat(due)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    return moment


def is_overdue(due: str | None, now: datetime) -> bool:
    if not due:
        return False
    try:
        return due_instant(due, now.tzinfo) <= now
    except (ValueError, OverflowError):
        return False


# --- the task ---------------------------------------------------------------------------------


@dataclass(slots=True)
class Task:
    title: str
    urgent: bool = False
    important: bool = True
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    notes: str = ""
    due: str | None = None
    tags: list[str] = field(default_factory=list)
    delegate: str | None = None
    done: str | None = None
    created: str = ""
    updated: str = ""
    escalated: str | None = None
    escalated_for: str | None = None
    deleted: str | None = None
    order: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)
    recur: str | None = None  # an RFC 5545 RRULE, canonical (domain.recurrence)
    recur_mode: str | None = None  # "fixed" (the schedule) or "after" (counted from done)
    series: str | None = None  # the id of the series' first task
    wait: str | None = None  # hidden until this date or instant
    follow_up: str | None = None  # a delegated task: the day to ask how it goes
    delegated: str | None = None  # when a delegate was first given
    abandoned: str | None = None  # given up on: neither done nor deleted
    abandon_reason: str | None = None
    moves: list[dict[str, Any]] = field(default_factory=list)  # quadrant changes, newest last
    slips: int = 0  # how often the deadline moved later

    @property
    def quadrant(self) -> Quadrant:
        return Quadrant.from_flags(self.urgent, self.important)

    @property
    def is_open(self) -> bool:
        """Still to do: not done, deleted or abandoned."""
        return self.done is None and self.deleted is None and self.abandoned is None

    def with_quadrant(self, quadrant: Quadrant) -> Task:
        return replace(self, urgent=quadrant.urgent, important=quadrant.important)

    def to_record(self) -> dict[str, Any]:
        """The dict stored in the file: unknown fields first so known ones always win."""
        record: dict[str, Any] = dict(self.extra)
        record.update(
            id=self.id,
            title=self.title,
            notes=self.notes,
            urgent=self.urgent,
            important=self.important,
            due=self.due,
            tags=list(self.tags),
            delegate=self.delegate,
            done=self.done,
            created=self.created,
            updated=self.updated,
            escalated=self.escalated,
            escalated_for=self.escalated_for,
            order=self.order,
        )
        if self.deleted is not None:
            record["deleted"] = self.deleted
        for name in _PRACTICE_TEXTS:
            value = getattr(self, name)
            if value is not None:
                record[name] = value
        if self.abandon_reason is not None:
            record["abandon_reason"] = self.abandon_reason
        if self.moves:
            record["moves"] = [dict(move) for move in self.moves]
        if self.slips:
            record["slips"] = self.slips
        return record

    def to_public(self) -> dict[str, Any]:
        """The object `list --json` prints: SPEC fields plus the derived quadrant."""
        record = self.to_record()
        for name, default in PRACTICE_DEFAULTS.items():
            record.setdefault(name, [] if name == "moves" else default)
        record.pop("order", None)
        record["quadrant"] = int(self.quadrant)
        return record

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> Task:
        """Build from a stored dict; raises ``ValueError`` on a record of the wrong shape.

        Written for speed: a 50,000-task file is read through here on every start.
        """
        if not isinstance(record, Mapping):
            raise ValueError(_("a task record is not an object"))
        get = record.get
        task_id = get("id")
        title = get("title")
        if task_id.__class__ is not str or not task_id:
            raise ValueError(_("a task has no id"))
        if title.__class__ is not str:
            raise ValueError(_("task {id} has no title").format(id=task_id))
        tags = get("tags") or []
        if tags.__class__ is not list:
            raise ValueError(_("task {id} has tags that are not a list").format(id=task_id))
        order = get("order", 0.0)
        notes, due, delegate, done = get("notes"), get("due"), get("delegate"), get("done")
        created, updated, deleted = get("created"), get("updated"), get("deleted")
        escalated, escalated_for = get("escalated"), get("escalated_for")
        task = cls(
            title,
            bool(get("urgent", False)),
            bool(get("important", False)),
            task_id,
            notes if notes.__class__ is str else "",
            due if due.__class__ is str else None,
            list(map(str, tags)),
            delegate if delegate.__class__ is str else None,
            done if done.__class__ is str else None,
            created if created.__class__ is str else "",
            updated if updated.__class__ is str else "",
            escalated if escalated.__class__ is str else None,
            escalated_for if escalated_for.__class__ is str else None,
            deleted if deleted.__class__ is str else None,
            float(order) if order.__class__ in (int, float) else 0.0,
            {} if record.keys() <= _KNOWN_SET else _unknown_fields(record),
        )
        if not _PRACTICE_SET.isdisjoint(record.keys()):  # most records of a file: none of them
            _read_practice(task, record)
        return task


def _read_practice(task: Task, record: Mapping[str, Any]) -> None:
    """The 0.2 fields of a stored record; a value of the wrong type reads as absent."""
    get = record.get
    for name in _PRACTICE_TEXTS:
        value = get(name)
        setattr(task, name, value if value.__class__ is str and value else None)
    reason = get("abandon_reason")
    task.abandon_reason = reason if reason.__class__ is str else None
    moves = get("moves")
    if moves.__class__ is list:
        task.moves = [dict(move) for move in moves if isinstance(move, Mapping)]
    slips = get("slips")
    task.slips = slips if slips.__class__ is int and slips > 0 else 0


def _unknown_fields(record: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if k not in _KNOWN_SET}


def _str_or(value: Any, default: Any) -> Any:
    return value if isinstance(value, str) else default


# --- ordering ---------------------------------------------------------------------------------


def _due_timestamp(due: str, tz: Any) -> float | None:
    try:
        return due_instant(due, tz).timestamp()
    except (ValueError, OverflowError):
        return None


def deadline_order(
    now: datetime,
) -> Callable[[str | None, float, str], tuple[int, float, float, str]]:
    """The within-pane order as a key on (due, order, id), for tasks and raw records alike."""
    moment = now.timestamp()
    zone = now.tzinfo
    # Many tasks share a deadline day, so each distinct deadline is parsed once per sort.
    instants: dict[str, float | None] = {}

    def key(due: str | None, order: float, task_id: str) -> tuple[int, float, float, str]:
        if due:
            if due in instants:
                instant = instants[due]
            else:
                instant = instants[due] = _due_timestamp(due, zone)
            if instant is not None:
                return (0 if instant <= moment else 1, instant, order, task_id)
        return (2, 0.0, order, task_id)

    return key


def sort_tasks(tasks: Iterable[Task], now: datetime) -> list[Task]:
    key = deadline_order(now)
    return sorted(tasks, key=lambda t: key(t.due, t.order, t.id))


def pane_order(now: datetime) -> Callable[[Task], tuple[bool, tuple[int, float, float, str]]]:
    """The order of a pane: open tasks by deadline, then completed ones (when shown) likewise."""
    key = deadline_order(now)
    return lambda t: (t.done is not None, key(t.due, t.order, t.id))
