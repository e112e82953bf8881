"""`eisenhower export` and `eisenhower import`: the matrix in and out of other tools.

No Textual, no Rich: both commands are short CLI commands.

Export (open tasks; ``--all`` adds done ones; tombstones never):

- ``json``: an array of the ``list --json`` objects (:meth:`Task.to_public`), lossless.
- ``csv``: columns :data:`CSV_COLUMNS`; tags space-separated; booleans ``true``/``false``. Against
  CSV formula injection, a cell starting with ``=`` ``+`` ``-`` ``@``, a tab or a carriage return
  (or with quotes ``'`` before one of those) gets one more ``'`` in front; import removes exactly
  that one quote, so a round trip is lossless.
- ``markdown``: four ``## N · Name (count)`` sections of ``- [ ]`` / ``- [x]`` items to paste in
  a note; the characters that would change the rendering of a title, tag or name are escaped.
- ``ics``: an iCalendar VCALENDAR of VTODOs built with ``icalendar``. ``PRIORITY`` follows the
  RFC 5545 high / medium / low bands: Do first = 1, Schedule = 5, Delegate = 5, Eliminate = 9.
  ``DUE`` is a DATE for an all-day deadline, a UTC DATE-TIME for a timed one.

``-o FILE`` writes atomically through :func:`store.write_atomic`: a new file is created 0600 (tasks
are private, like the task file), an existing file keeps its mode.

Import (``--format`` or guessed from the content), every record validated and sanitised with the
model's functions; any bad record means nothing is written (exit 2), unless ``--skip-invalid``:

- ours: the ``export --format json`` array, or a whole task file (``{"tasks": {...}}``); ids,
  timestamps and unknown fields are kept, tombstones skipped.
- Taskwarrior ``task export``: the uuid is kept as the id. Priority ``H`` = Do first (urgent and
  important), ``M`` = Schedule, ``L`` = Eliminate, none = Schedule (the default quadrant of
  ``add``); escalation makes near deadlines urgent later. A due at exactly 00:00:00 or 23:59:59
  local time (what ``due:2026-11-27`` and ``due:eod`` store) becomes an all-day deadline, anything
  else a timed one in local time. Tags are kept, the project becomes one more tag, annotations
  become note lines (``2026-11-20: text``). ``completed`` tasks are done at ``end``; ``deleted``
  tasks and ``recurring`` templates are skipped and counted (their pending instances import as
  ordinary tasks); a ``waiting`` task is open, with a ``Taskwarrior: waiting until`` note line.
  ``entry`` / ``modified`` become ``created`` / ``updated``; other fields (urgency, depends,
  scheduled, UDAs) are dropped.
- todo.txt: ``(A)``-``(D)`` = quadrants 1-4, ``(E)``-``(Z)`` = Eliminate, none = Schedule;
  ``+project`` and ``@context`` become tags (never the delegate); ``due:YYYY-MM-DD`` is the
  deadline; other ``key:value`` pairs (``t:``, ``rec:``, ``h:``...) are moved out of the title
  into a ``todo.txt: ...`` note line; ``x [done-date] [created-date]`` marks a done task (its
  ``pri:X`` gives the quadrant); the creation date becomes ``created``.
- csv: the export's header; only ``title`` is required, unknown columns are ignored; tags are
  separated by spaces (commas accepted); ``quadrant`` may be 1-4 or a name, ``done`` a date-time
  or yes/no.

Re-importing adds nothing twice. Records with an id (ours, csv with ids, Taskwarrior) match by id;
the local task is replaced only when the incoming ``updated`` (Taskwarrior ``modified``) is
strictly newer (keeping the local manual order and escalation bookkeeping), and a local
deletion stands unless the incoming edit is newer than it. Records
without an id (todo.txt, csv without ids) get a deterministic id derived from their normalised
title and deadline, and also match an existing task with the same title and deadline; a match is
left alone. All writes happen in one store transaction.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import sys
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, tzinfo
from pathlib import Path
from typing import Any

import orjson
from dateutil import tz as dtz

from .dates import MAX_YEAR, MIN_YEAR, local_now
from .domain.tasks import build_task
from .i18n import _, ngettext
from .model import (
    KNOWN_FIELDS,
    InvalidTask,
    Quadrant,
    Task,
    iso_now,
    pane_order,
    sanitize_line,
)
from .store import Store, StoreError, parse_task_file, read_given_file, write_atomic

__all__ = [
    "CSV_COLUMNS",
    "ICS_PRIORITY",
    "Incoming",
    "ParsedImport",
    "cmd_export",
    "cmd_import",
    "detect_format",
    "parse_import",
    "plan_import",
    "render_export",
]

EXPORT_FORMATS = ("json", "csv", "markdown", "ics")
IMPORT_FORMATS = ("json", "taskwarrior", "todotxt", "csv")
CSV_COLUMNS = (
    "id",
    "title",
    "quadrant",
    "urgent",
    "important",
    "due",
    "tags",
    "delegate",
    "done",
    "created",
    "updated",
    "notes",
)
ICS_PRIORITY = {
    Quadrant.DO: 1,
    Quadrant.SCHEDULE: 5,
    Quadrant.DELEGATE: 5,
    Quadrant.ELIMINATE: 9,
}
TASKWARRIOR_PRIORITY = {"H": Quadrant.DO, "M": Quadrant.SCHEDULE, "L": Quadrant.ELIMINATE}
TODOTXT_PRIORITY = {"A": Quadrant.DO, "B": Quadrant.SCHEDULE, "C": Quadrant.DELEGATE}
DEFAULT_QUADRANT = Quadrant.SCHEDULE
PRODID = "-//eisenhower-tui//eisenhower export//EN"

# Deterministic ids for records that carry none: the same line imported twice gets the same id.
_IMPORT_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://eisenhower-tui.invalid/import")
_MAX_SHOWN = 40
_SUMMARY_DETAILS = 3


# --- small helpers ------------------------------------------------------------------------------


def _shown(value: object) -> str:
    """A value quoted in a message: one safe line, cut short (it may be hostile)."""
    line = sanitize_line(str(value))
    return line if len(line) <= _MAX_SHOWN else line[: _MAX_SHOWN - 1] + "…"


def _local_zone(now: datetime) -> tzinfo:
    return now.tzinfo or dtz.tzlocal()


def _check_year(year: int, shown: str) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise InvalidTask(
            _("'{text}': the year {year} is outside {first}-{last}").format(
                text=shown, year=year, first=MIN_YEAR, last=MAX_YEAR
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
        raise InvalidTask(
            _("the {name} {value} is not text").format(name=what, value=_shown(value))
        )
    text = value.strip()
    shown = _shown(text)
    if _ISO_DAY.fullmatch(text):
        try:
            day = date.fromisoformat(text)
        except ValueError:
            raise InvalidTask(
                _("the {name} {value} does not exist").format(name=what, value=shown)
            ) from None
        _check_year(day.year, shown)
        return day.isoformat()
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidTask(
            _(
                "the {name} '{value}' is not an ISO date (YYYY-MM-DD) or date-time "
                "(YYYY-MM-DDTHH:MM+01:00)"
            ).format(name=what, value=shown)
        ) from None
    _check_year(moment.year, shown)
    if moment.tzinfo is None:
        moment = dtz.resolve_imaginary(moment.replace(tzinfo=zone))
    return moment.replace(microsecond=0).isoformat(timespec="seconds")


def normalise_stamp(value: Any, zone: tzinfo, name: str) -> str | None:
    """An ISO timestamp with offset (``created``, ``done``...); a bare date is local midnight."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str):
        raise InvalidTask(
            _("'{name}' {value} is not a date-time").format(name=name, value=_shown(value))
        )
    text = value.strip()
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidTask(
            _("'{name}' {value} is not an ISO date-time").format(name=name, value=_shown(text))
        ) from None
    _check_year(moment.year, _shown(text))
    if moment.tzinfo is None:
        moment = dtz.resolve_imaginary(moment.replace(tzinfo=zone))
    return moment.replace(microsecond=0).isoformat(timespec="seconds")


def _parse_instant(stamp: str | None) -> datetime | None:
    if not stamp:
        return None
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _is_newer(candidate: str | None, than: str | None) -> bool:
    """Strictly newer; an unreadable or missing ``than`` loses to any readable candidate."""
    new, old = _parse_instant(candidate), _parse_instant(than)
    if new is None:
        return False
    return old is None or new > old


def content_key(title: str, due: str | None) -> str:
    """What identifies a task that came without an id: its normalised title and deadline."""
    return " ".join(title.casefold().split()) + "\x1f" + (due or "")


def _canonical_id(value: Any) -> str:
    if not isinstance(value, str):
        raise InvalidTask(_("the id {value} is not text").format(value=_shown(value)))
    try:
        return str(uuid.UUID(value.strip()))
    except ValueError:
        raise InvalidTask(_("the id '{value}' is not a UUID").format(value=_shown(value))) from None


# --- export -------------------------------------------------------------------------------------


def select_for_export(tasks: Iterable[Task], *, include_done: bool, now: datetime) -> list[Task]:
    """Live tasks in matrix order: by quadrant, open before done, then the panes' order."""
    chosen = [t for t in tasks if t.deleted is None and (include_done or t.done is None)]
    in_pane = pane_order(now)
    return sorted(chosen, key=lambda t: (int(t.quadrant), in_pane(t)))


def export_json(tasks: Sequence[Task]) -> bytes:
    return orjson.dumps([t.to_public() for t in tasks], option=orjson.OPT_INDENT_2) + b"\n"


_FORMULA = re.compile(r"'*[=+\-@\t\r]")


def csv_guard(value: str) -> str:
    """Defuse a cell a spreadsheet would run as a formula; reversible by :func:`csv_unguard`."""
    return "'" + value if _FORMULA.match(value) else value


def csv_unguard(value: str) -> str:
    return value[1:] if value.startswith("'") and _FORMULA.match(value[1:]) else value


def export_csv(tasks: Sequence[Task]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for task in tasks:
        row = [
            task.id,
            task.title,
            str(int(task.quadrant)),
            "true" if task.urgent else "false",
            "true" if task.important else "false",
            task.due or "",
            " ".join(task.tags),
            task.delegate or "",
            task.done or "",
            task.created,
            task.updated,
            task.notes,
        ]
        writer.writerow([csv_guard(cell) for cell in row])
    return buffer.getvalue().encode()


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>~|])")


def markdown_escape(text: str) -> str:
    """Backslash the few characters that would turn a title into emphasis, a link or HTML."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def _due_for_humans(due: str, zone: tzinfo) -> str:
    if len(due) == 10:
        return due
    moment = _parse_instant(due)
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M") if moment else due


def export_markdown(tasks: Sequence[Task], now: datetime) -> bytes:
    zone = _local_zone(now)
    lines = [f"# Eisenhower matrix ({now.astimezone(zone).date().isoformat()})", ""]
    for quadrant in Quadrant:
        rows = [t for t in tasks if t.quadrant == quadrant]
        lines += [f"## {int(quadrant)} · {quadrant.label} ({len(rows)})", ""]
        if not rows:
            lines += ["_(empty)_", ""]
            continue
        for task in rows:
            parts = [f"- [{'x' if task.done else ' '}] {markdown_escape(task.title)}"]
            if task.due:
                parts.append(f"— due {_due_for_humans(task.due, zone)}")
            parts += [f"#{markdown_escape(tag)}" for tag in task.tags]
            if task.delegate:
                parts.append(f"@{markdown_escape(task.delegate)}")
            lines.append(" ".join(parts))
        lines.append("")
    return "\n".join(lines).encode()


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
                moment = _parse_instant(task.due)
                if moment is not None:
                    todo.add("due", moment.astimezone(UTC))
        todo.add("priority", ICS_PRIORITY[task.quadrant])
        if task.tags:
            todo.add("categories", list(task.tags))
        done_at = _parse_instant(task.done)
        if task.done:
            todo.add("status", "COMPLETED")
            if done_at is not None:
                todo.add("completed", done_at.astimezone(UTC))
        else:
            todo.add("status", "NEEDS-ACTION")
        if task.notes:
            todo.add("description", task.notes)
        for name, value in (("created", task.created), ("last-modified", task.updated)):
            moment = _parse_instant(value)
            if moment is not None:
                todo.add(name, moment.astimezone(UTC))
        calendar.add_component(todo)
    return calendar.to_ical()


def render_export(fmt: str, tasks: Sequence[Task], now: datetime) -> bytes:
    if fmt == "json":
        return export_json(tasks)
    if fmt == "csv":
        return export_csv(tasks)
    if fmt == "markdown":
        return export_markdown(tasks, now)
    if fmt == "ics":
        return export_ics(tasks, now)
    raise InvalidTask(
        _("'{format}' is not an export format; use {formats}").format(
            format=_shown(fmt), formats=", ".join(EXPORT_FORMATS)
        )
    )


def _write_export(target: Path, payload: bytes, db_path: Path) -> None:
    if target.resolve() == db_path.resolve():
        raise InvalidTask(
            _(
                "{target} is the task file itself; choose another output file (nothing was written)"
            ).format(target=target)
        )
    if target.is_dir():
        raise InvalidTask(
            _("{target} is a folder; give a file name after -o").format(target=target)
        )
    if not target.parent.is_dir():
        raise StoreError(
            _("Cannot write the export to {target}: the folder {folder} does not exist.").format(
                target=target, folder=target.parent
            )
        )
    write_atomic(target, payload, temp_prefix=f".{target.name}.")


def cmd_export(args: argparse.Namespace, store: Store) -> int:
    """Print or write the export; reading the store never writes it."""
    now = local_now()
    tasks = select_for_export(store.read().tasks, include_done=bool(args.all), now=now)
    payload = render_export(args.format, tasks, now)
    output = getattr(args, "output", None)
    if output and output != "-":
        target = Path(output).expanduser()
        _write_export(target, payload, store.path)
        exported = ngettext(
            "Exported {n} task as {format} to {target}",
            "Exported {n} tasks as {format} to {target}",
            len(tasks),
        )
        print(exported.format(n=len(tasks), format=args.format, target=target))
    else:
        sys.stdout.buffer.write(payload)
        sys.stdout.flush()
    return 0


# --- import: parsing ----------------------------------------------------------------------------


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


def _make_task(**fields: Any) -> Task:
    """The one place an imported record becomes a Task: the domain's draft-to-task rule."""
    return build_task(**fields)


def _finish(parsed: ParsedImport) -> ParsedImport:
    """Ids for id-less records, and a duplicate id inside one file is a bad record."""
    seen: dict[str, str] = {}
    occurrences: dict[str, int] = {}
    kept: list[Incoming] = []
    for item in parsed.items:
        if not item.has_id:
            key = content_key(item.task.title, item.task.due)
            count = occurrences.get(key, 0)
            occurrences[key] = count + 1
            item.task.id = str(uuid.uuid5(_IMPORT_NAMESPACE, f"{key}\x1f{count}"))
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


def _bool(value: Any, name: str) -> bool | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in ("true", "yes", "y", "1", "x", "oui"):
        return True
    if word in ("false", "no", "n", "0", "non"):
        return False
    raise InvalidTask(
        _("'{name}' is {value}; use true or false").format(name=name, value=_shown(value))
    )


# ours: the export array or a whole task file


def _parse_ours(data: Any, now: datetime) -> ParsedImport:
    parsed = ParsedImport("json")
    if isinstance(data, dict) and isinstance(data.get("tasks"), dict):
        records = list(data["tasks"].values())
    elif isinstance(data, list):
        records = data
    else:
        raise InvalidTask(
            _('the JSON is neither an `eisenhower export` array nor a task file ({"tasks": ...})')
        )
    base = now.timestamp()
    zone = _local_zone(now)
    for number, record in enumerate(records, 1):
        where = _("record {n}").format(n=number)
        if not isinstance(record, dict):
            parsed.problems.append(_("{where}: not a JSON object").format(where=where))
            continue
        if record.get("deleted"):
            parsed.skipped.append(_("{where}: deleted (a tombstone)").format(where=where))
            continue
        try:
            parsed.items.append(_ours_record(record, where, base + number / 1000, zone, now))
        except InvalidTask as exc:
            parsed.problems.append(_where(where, exc))
    return parsed


def _ours_record(
    record: dict[str, Any], where: str, order: float, zone: tzinfo, now: datetime
) -> Incoming:
    raw_id = record.get("id")
    has_id = raw_id not in (None, "")
    urgent = _bool(record.get("urgent"), "urgent")
    important = _bool(record.get("important"), "important")
    quadrant = DEFAULT_QUADRANT
    if urgent is None and important is None:
        if record.get("quadrant") not in (None, ""):
            quadrant = Quadrant.parse(record["quadrant"])
    else:
        urgent, important = bool(urgent), bool(important)
    tags = record.get("tags") or []
    if isinstance(tags, str):
        tags = tags.split()
    if not isinstance(tags, list):
        raise InvalidTask(_("'tags' is not a list"))
    stored_order = record.get("order")
    if isinstance(stored_order, bool) or not isinstance(stored_order, int | float):
        stored_order = order
    extra = {k: v for k, v in record.items() if k not in KNOWN_FIELDS and k != "quadrant"}
    # Escalation bookkeeping: a bad value is dropped, which only allows escalating again.
    try:
        escalated_for = normalise_due(record.get("escalated_for"), zone)
    except InvalidTask:
        escalated_for = None
    try:
        escalated = normalise_stamp(record.get("escalated"), zone, "escalated")
    except InvalidTask:
        escalated = None
    task = _make_task(
        now=now,
        order=float(stored_order),
        task_id=_canonical_id(raw_id) if has_id else None,
        title=record.get("title"),
        quadrant=quadrant,
        urgent=urgent,
        important=important,
        notes=record.get("notes") or "",
        due=normalise_due(record.get("due"), zone),
        tags=tags,
        delegate=record.get("delegate"),
        done=normalise_stamp(record.get("done"), zone, "done"),
        created=normalise_stamp(record.get("created"), zone, "created"),
        updated=normalise_stamp(record.get("updated"), zone, "updated"),
        escalated=escalated,
        escalated_for=escalated_for,
        extra=extra,
    )
    return Incoming(task, where, has_id, bool(record.get("updated") or record.get("created")))


# Taskwarrior


def _tw_instant(value: Any, name: str) -> datetime | None:
    """Taskwarrior writes ``20261127T170000Z``; ISO forms are accepted too."""
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise InvalidTask(_tw_not_a_date(name, value))
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise InvalidTask(_tw_not_a_date(name, value)) from None
    _check_year(moment.year, _shown(value))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _tw_not_a_date(name: str, value: Any) -> str:
    return _("'{name}' {value} is not a Taskwarrior date").format(name=name, value=_shown(value))


def _tw_stamp(value: Any, name: str) -> str | None:
    moment = _tw_instant(value, name)
    return moment.astimezone(UTC).isoformat(timespec="seconds") if moment else None


def taskwarrior_due(value: Any, zone: tzinfo) -> str | None:
    """Local midnight or 23:59:59 is how Taskwarrior stores a date-only due: make it all-day."""
    moment = _tw_instant(value, "due")
    if moment is None:
        return None
    local = moment.astimezone(zone)
    if local.time() in (time(0, 0, 0), time(23, 59, 59)):
        return local.date().isoformat()
    return local.isoformat(timespec="seconds")


def _parse_taskwarrior(records: list[tuple[str, Any]], now: datetime) -> ParsedImport:
    parsed = ParsedImport("taskwarrior")
    base = now.timestamp()
    zone = _local_zone(now)
    for number, (where, record) in enumerate(records, 1):
        if not isinstance(record, dict):
            parsed.problems.append(_("{where}: not a JSON object").format(where=where))
            continue
        status = record.get("status", "pending")
        if status == "deleted":
            parsed.skipped.append(_("{where}: deleted in Taskwarrior").format(where=where))
            continue
        if status == "recurring":
            parsed.skipped.append(_("{where}: a recurring template").format(where=where))
            continue
        try:
            parsed.items.append(_tw_record(record, where, base + number / 1000, zone, now))
        except InvalidTask as exc:
            parsed.problems.append(_where(where, exc))
    return parsed


def _tw_record(
    record: dict[str, Any], where: str, order: float, zone: tzinfo, now: datetime
) -> Incoming:
    if "uuid" not in record:
        raise InvalidTask(_("no 'uuid'"))
    task_id = _canonical_id(record["uuid"])
    priority = record.get("priority")
    quadrant = TASKWARRIOR_PRIORITY.get(str(priority).upper(), DEFAULT_QUADRANT)
    tags = record.get("tags") or []
    if not isinstance(tags, list):
        raise InvalidTask(_("'tags' is not a list"))
    project = record.get("project")
    if isinstance(project, str) and project.strip():
        tags = [*tags, project]
    notes = []
    annotations = record.get("annotations") or []
    if not isinstance(annotations, list):
        raise InvalidTask(_("'annotations' is not a list"))
    for note in annotations:
        if not isinstance(note, dict) or not isinstance(note.get("description"), str):
            raise InvalidTask(_("an annotation has no description"))
        entry = _tw_instant(note.get("entry"), "annotation entry")
        prefix = f"{entry.astimezone(zone).date().isoformat()}: " if entry else ""
        notes.append(prefix + sanitize_line(note["description"]))
    wait = _tw_instant(record.get("wait"), "wait")
    if wait is not None and wait > now:
        notes.append(f"Taskwarrior: waiting until {wait.astimezone(zone).date().isoformat()}")
    created = _tw_stamp(record.get("entry"), "entry")
    updated = _tw_stamp(record.get("modified"), "modified") or created
    done = None
    if record.get("status") == "completed":
        done = _tw_stamp(record.get("end"), "end") or updated or iso_now(now)
    task = _make_task(
        now=now,
        order=order,
        task_id=task_id,
        title=record.get("description"),
        quadrant=quadrant,
        notes="\n".join(notes),
        due=taskwarrior_due(record.get("due"), zone),
        tags=[str(t) for t in tags],
        done=done,
        created=created,
        updated=updated,
    )
    return Incoming(task, where, True, bool(record.get("modified") or record.get("entry")))


# todo.txt

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
        raise InvalidTask(_("{date} is not a date that exists").format(date=text)) from None
    _check_year(day.year, text)
    start = dtz.resolve_imaginary(datetime.combine(day, time(0), tzinfo=zone))
    return start.astimezone(UTC).isoformat(timespec="seconds")


def _parse_todotxt(text: str, now: datetime) -> ParsedImport:
    parsed = ParsedImport("todotxt")
    base = now.timestamp()
    zone = _local_zone(now)
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        where = _("line {n}").format(n=number)
        try:
            parsed.items.append(
                Incoming(_todo_line(line, base + number / 1000, zone, now), where, False, False)
            )
        except InvalidTask as exc:
            parsed.problems.append(_where(where, exc))
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
    return _make_task(
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


# CSV


def _parse_csv(text: str, now: datetime) -> ParsedImport:
    parsed = ParsedImport("csv")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        raise InvalidTask(_("the CSV file has no header row")) from None
    columns = [sanitize_line(name).lower() for name in header]
    if "title" not in columns:
        raise InvalidTask(
            _("the CSV header has no 'title' column (expected {columns})").format(
                columns=",".join(CSV_COLUMNS)
            )
        )
    base = now.timestamp()
    zone = _local_zone(now)
    start = reader.line_num + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            parsed.problems.append(_where(_("line {n}").format(n=start), exc))
            break
        where = _("line {n}").format(n=start)
        start = reader.line_num + 1
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(columns):
            too_many = ngettext(
                "{where}: {count} values but the header has {columns} columns",
                "{where}: {count} values but the header has {columns} columns",
                len(columns),
            )
            parsed.problems.append(
                too_many.format(where=where, count=len(row), columns=len(columns))
            )
            continue
        values: dict[str, str] = {}
        for name, cell in zip(columns, row, strict=False):
            values.setdefault(name, csv_unguard(cell))
        try:
            parsed.items.append(_csv_row(values, where, base + len(parsed.items) / 1000, zone, now))
        except InvalidTask as exc:
            parsed.problems.append(_where(where, exc))
    return parsed


def _csv_row(
    values: dict[str, str], where: str, order: float, zone: tzinfo, now: datetime
) -> Incoming:
    raw_id = values.get("id", "").strip()
    urgent = _bool(values.get("urgent"), "urgent")
    important = _bool(values.get("important"), "important")
    quadrant = DEFAULT_QUADRANT
    if urgent is None and important is None:
        if values.get("quadrant", "").strip():
            quadrant = Quadrant.parse(values["quadrant"])
    else:
        urgent, important = bool(urgent), bool(important)
    done_text = values.get("done", "").strip()
    done_flag = _bool(done_text, "done") if done_text.lower() in _BOOL_WORDS else None
    if done_flag is None:
        done = normalise_stamp(done_text, zone, "done")
    else:
        done = iso_now(now) if done_flag else None
    task = _make_task(
        now=now,
        order=order,
        task_id=_canonical_id(raw_id) if raw_id else None,
        title=values.get("title", ""),
        quadrant=quadrant,
        urgent=urgent,
        important=important,
        notes=values.get("notes", ""),
        due=normalise_due(values.get("due"), zone),
        tags=values.get("tags", "").replace(",", " ").split(),
        delegate=values.get("delegate") or None,
        done=done,
        created=normalise_stamp(values.get("created"), zone, "created"),
        updated=normalise_stamp(values.get("updated"), zone, "updated"),
    )
    dated = bool(values.get("updated", "").strip() or values.get("created", "").strip())
    return Incoming(task, where, bool(raw_id), dated)


_BOOL_WORDS = frozenset({"true", "yes", "y", "1", "x", "oui", "false", "no", "n", "0", "non"})


# detection


def _json_error(exc: json.JSONDecodeError) -> InvalidTask:
    return InvalidTask(
        _("it is not valid JSON (line {line}, column {column}: {error})").format(
            line=exc.lineno, column=exc.colno, error=exc.msg
        )
    )


def _where(where: str, error: object) -> str:
    """A problem of one record: where it is, then what is wrong."""
    return _("{where}: {error}").format(where=where, error=error)


def _is_taskwarrior(data: Any) -> bool:
    items = data if isinstance(data, list) else [data]
    first = next((item for item in items if isinstance(item, dict)), None)
    return first is not None and "uuid" in first and "description" in first


def _json_lines(text: str) -> list[tuple[str, Any]] | None:
    """Taskwarrior before 2.4 exported one object per line (comma-terminated); None if not."""
    records: list[tuple[str, Any]] = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip().rstrip(",")
        if not line or line in ("[", "]"):
            continue
        try:
            records.append((_("line {n}").format(n=number), json.loads(line)))
        except ValueError:
            return None
    return records


def _looks_like_json(text: str) -> bool:
    head = text.lstrip()[:2]
    first_line = text.lstrip().split("\n", 1)[0].strip()
    return head in ("[{", '{"', "[]", "{}") or first_line in ("[", "{")


def detect_format(text: str) -> str:
    """Guess the format from the content, as documented in the module docstring."""
    if _looks_like_json(text):
        try:
            data = json.loads(text)
        except ValueError:
            lines = _json_lines(text)
            if lines and _is_taskwarrior(lines[0][1]):
                return "taskwarrior"
            return "json"  # parsing it again gives the user the JSON error
        return "taskwarrior" if _is_taskwarrior(data) else "json"
    first_line = text.split("\n", 1)[0]
    try:
        header = next(csv.reader([first_line]))
    except (csv.Error, StopIteration):
        header = []
    if "title" in [sanitize_line(cell).lower() for cell in header] and len(header) > 1:
        return "csv"
    return "todotxt"


def parse_import(text: str, fmt: str | None, now: datetime) -> ParsedImport:
    """Validate every record; raise InvalidTask only when the whole file is unusable."""
    fmt = fmt or detect_format(text)
    if fmt == "todotxt":
        return _finish(_parse_todotxt(text, now))
    if fmt == "csv":
        return _finish(_parse_csv(text, now))
    if fmt not in ("json", "taskwarrior"):
        raise InvalidTask(
            _("'{format}' is not an import format; use {formats}").format(
                format=_shown(fmt), formats=", ".join(IMPORT_FORMATS)
            )
        )
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        lines = _json_lines(text) if fmt == "taskwarrior" else None
        if not lines:
            raise _json_error(exc) from None
        return _finish(_parse_taskwarrior(lines, now))
    except RecursionError:
        raise InvalidTask(_("it is not valid JSON (nested too deeply)")) from None
    if fmt == "json":
        return _finish(_parse_ours(data, now))
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        raise InvalidTask(_("a Taskwarrior export is a JSON array of tasks"))
    records = [(_("record {n}").format(n=n), r) for n, r in enumerate(data, 1)]
    return _finish(_parse_taskwarrior(records, now))


# --- import: planning and writing ---------------------------------------------------------------


@dataclass(slots=True)
class ImportPlan:
    new: list[Task] = field(default_factory=list)
    updated: list[Task] = field(default_factory=list)
    present: int = 0

    @property
    def writes(self) -> list[Task]:
        return [*self.new, *self.updated]


def _apply_update(current: Task, incoming: Task) -> Task:
    """The incoming edit wins, but local bookkeeping (order, escalation, extra fields) stays."""
    return replace(
        incoming,
        order=current.order,
        escalated=incoming.escalated or current.escalated,
        escalated_for=incoming.escalated_for or current.escalated_for,
        extra={**current.extra, **incoming.extra},
        deleted=None,
    )


def plan_import(items: Sequence[Incoming], existing: Sequence[Task]) -> ImportPlan:
    """What an import would change; ``existing`` includes tombstones so deletions stand."""
    plan = ImportPlan()
    by_id = {t.id: t for t in existing}
    by_key: dict[str, list[str]] = {}
    for task in existing:
        if task.deleted is None:
            by_key.setdefault(content_key(task.title, task.due), []).append(task.id)
    claimed: set[str] = set()
    for item in items:
        task = item.task
        current = by_id.get(task.id)
        if item.has_id:
            if current is None:
                plan.new.append(task)
            elif item.dated and _is_newer(task.updated, _last_change(current)):
                plan.updated.append(_apply_update(current, task))
            else:
                plan.present += 1
            continue
        if current is not None:
            claimed.add(task.id)
            plan.present += 1
            continue
        key = content_key(task.title, task.due)
        match = next((i for i in by_key.get(key, []) if i not in claimed), None)
        if match is not None:
            claimed.add(match)
            plan.present += 1
        else:
            plan.new.append(task)
    return plan


def _last_change(task: Task) -> str | None:
    """A tombstone counts from its deletion, whichever of the two stamps is later."""
    if task.deleted and _is_newer(task.deleted, task.updated):
        return task.deleted
    return task.updated


def _read_input(name: str) -> str:
    """The import file as text, or InvalidTask (exit 2) with what is wrong with it."""
    if name == "-":
        raw = sys.stdin.buffer.read()
    else:
        raw = read_given_file(
            Path(name).expanduser(),
            lambda reason: _("cannot import {name}: {reason}").format(name=name, reason=reason),
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidTask(
            _(
                "cannot import {name}: it is not UTF-8 text (byte {byte}); save it as UTF-8 "
                "and try again. Nothing was written."
            ).format(name=name, byte=exc.start)
        ) from None
    if "\x00" in text:
        raise InvalidTask(
            _("cannot import {name}: it is a binary file, not text").format(name=name)
        )
    return text


def _existing(store: Store) -> list[Task]:
    """Every record on disk including tombstones, without locking or writing (for --dry-run)."""
    raw = store._read_bytes()
    if raw is None:
        return []
    return _tasks_of(parse_task_file(raw, store.path).get("tasks", {}).values(), store.path)


def _tasks_of(records: Iterable[Any], path: Path) -> list[Task]:
    try:
        return [Task.from_record(record) for record in records]
    except ValueError as exc:
        raise StoreError(
            _("Cannot read the task file {path}: {error}. Nothing was written.").format(
                path=path, error=exc
            )
        ) from None


def _summary(plan: ImportPlan, skipped: Sequence[str], *, dry_run: bool = False) -> str:
    new = len(plan.new)
    if dry_run:
        head = ngettext("Would import {n} new", "Would import {n} new", new)
    else:
        head = ngettext("Imported {n} new", "Imported {n} new", new)
    present = ngettext("{n} already present", "{n} already present", plan.present)
    parts = [head.format(n=new), present.format(n=plan.present)]
    if plan.updated:
        updated = ngettext(
            "{n} updated (newer in the file)", "{n} updated (newer in the file)", len(plan.updated)
        )
        parts.append(updated.format(n=len(plan.updated)))
    if skipped:
        # The first clause of each reason: the full ones are on stderr, and "; " separates here
        # (French puts a no-break space before the semicolon: rstrip drops it, and the
        # translated separator puts it back).
        firsts = (reason.split("; ")[0].rstrip() for reason in skipped[:_SUMMARY_DETAILS])
        shown = _("; ").join(firsts)
        more = len(skipped) - _SUMMARY_DETAILS
        if more > 0:
            shown += ngettext("; and {n} more", "; and {n} more", more).format(n=more)
        count = ngettext("{n} skipped ({reasons})", "{n} skipped ({reasons})", len(skipped))
        parts.append(count.format(n=len(skipped), reasons=shown))
    return ", ".join(parts)


def cmd_import(args: argparse.Namespace, store: Store) -> int:
    """Validate everything first; then plan and write under one lock, or not at all."""
    now = local_now()
    text = _read_input(args.file)
    try:
        parsed = parse_import(text, args.format, now)
    except InvalidTask as exc:
        raise InvalidTask(
            _("cannot import {file}: {error}. Nothing was written.").format(
                file=args.file, error=exc
            )
        ) from None
    if parsed.problems and not args.skip_invalid:
        count = len(parsed.problems)
        listing = "\n".join(f"  {problem}" for problem in parsed.problems)
        invalid = ngettext(
            "{file} has {count} invalid record; nothing was imported:\n{listing}\n"
            "Fix it, or pass --skip-invalid to import the valid ones.",
            "{file} has {count} invalid records; nothing was imported:\n{listing}\n"
            "Fix them, or pass --skip-invalid to import the valid ones.",
            count,
        )
        raise InvalidTask(invalid.format(file=args.file, count=count, listing=listing))
    for problem in parsed.problems:
        print("eisenhower: " + _("skipped {problem}").format(problem=problem), file=sys.stderr)
    skipped = [*parsed.problems, *parsed.skipped]
    if args.dry_run:
        plan = plan_import(parsed.items, _existing(store))
        print(_summary(plan, skipped, dry_run=True))
        return 0
    plan = ImportPlan()
    if parsed.items:
        with store.transaction() as txn:
            try:
                existing = txn.all(include_deleted=True)
            except ValueError as exc:
                raise StoreError(
                    _("Cannot read the task file {path}: {error}.").format(
                        path=store.path, error=exc
                    )
                ) from None
            plan = plan_import(parsed.items, existing)
            if plan.writes:
                txn.put_many(plan.writes)
    print(_summary(plan, skipped))
    return 0
