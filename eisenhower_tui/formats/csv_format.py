"""CSV, for spreadsheets: the export's columns; on import only ``title`` is required.

Columns :data:`CSV_COLUMNS`; tags space-separated (commas accepted on import); booleans
``true``/``false``; ``quadrant`` 1-4 or a name; ``done`` a date-time or yes/no. Unknown columns
are ignored. Against CSV formula injection, a cell starting with ``=`` ``+`` ``-`` ``@``, a tab
or a carriage return (or with quotes ``'`` before one of those) gets one more ``'`` in front;
import removes exactly that one quote, so a round trip is lossless.
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
from collections.abc import Iterator, Sequence
from datetime import datetime, tzinfo

from ..domain.tasks import build_task
from ..i18n import _, ngettext
from ..model import InvalidTask, Task, iso_now, sanitize_line
from .common import (
    BOOL_WORDS,
    DEFAULT_QUADRANT,
    PRACTICE_COLUMNS,
    Incoming,
    ParsedImport,
    at,
    canonical_id,
    local_zone,
    normalise_due,
    normalise_stamp,
    parse_bool,
    parse_quadrant,
    practice_cells,
    practice_fields,
    shown,
)

__all__ = ["CSV_COLUMNS", "csv_guard", "csv_unguard", "export_csv", "looks_like_csv", "parse_csv"]

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
    *PRACTICE_COLUMNS,
)

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
            *practice_cells(task),
        ]
        writer.writerow([csv_guard(cell) for cell in row])
    return buffer.getvalue().encode()


def _header_names(header: Sequence[str]) -> list[str]:
    return [sanitize_line(name).lower() for name in header]


def looks_like_csv(text: str) -> bool:
    """A first line that is a CSV header with a ``title`` column among others."""
    first_line = text.split("\n", 1)[0]
    try:
        header = next(csv.reader([first_line]))
    except (csv.Error, StopIteration):
        return False
    return "title" in _header_names(header) and len(header) > 1


# The csv module's own default field limit, kept as ours: a cell longer than this is one bad row.
CELL_LIMIT = 131_072


@contextlib.contextmanager
def _whole_cells() -> Iterator[None]:
    """Let the csv module read a cell of any length, so that we decide what is too long.

    At its limit the csv module raises in the middle of a row and resumes reading inside it (in
    a quoted cell that spans lines, that is the middle of a cell): one oversized cell used to
    end the import there. The text is already in memory, so reading the cell costs nothing new.
    """
    previous = csv.field_size_limit(2**31 - 1)
    try:
        yield
    finally:
        csv.field_size_limit(previous)


def parse_csv(text: str, now: datetime) -> ParsedImport:
    with _whole_cells():
        return _parse_csv(text, now)


def _parse_csv(text: str, now: datetime) -> ParsedImport:
    parsed = ParsedImport(fmt="csv")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        raise InvalidTask(_("the CSV file has no header row")) from None
    columns = _header_names(header)
    if "title" not in columns:
        raise InvalidTask(
            _(
                "the CSV header ({header}) has no 'title' column; "
                "the columns it can have are {columns}"
            ).format(
                header=", ".join(shown(name) for name in header),
                columns=",".join(CSV_COLUMNS),
            )
        )
    base = now.timestamp()
    zone = local_zone(now)
    start = reader.line_num + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:  # the reader starts afresh on the next line
            parsed.problems.append(at(_("line {n}").format(n=start), shown(exc)))
            start = reader.line_num + 1
            continue
        where = _("line {n}").format(n=start)
        start = reader.line_num + 1
        if not any(cell.strip() for cell in row):
            continue
        longest = max(map(len, row))
        if longest > CELL_LIMIT:
            too_long = _("{where}: a cell has {count} characters; the limit is {limit}")
            parsed.problems.append(too_long.format(where=where, count=longest, limit=CELL_LIMIT))
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
            parsed.problems.append(at(where, exc))
    return parsed


def _csv_row(
    values: dict[str, str], where: str, order: float, zone: tzinfo, now: datetime
) -> Incoming:
    raw_id = values.get("id", "").strip()
    urgent = parse_bool(values.get("urgent"), "urgent")
    important = parse_bool(values.get("important"), "important")
    quadrant = DEFAULT_QUADRANT
    if urgent is None and important is None:
        if values.get("quadrant", "").strip():
            quadrant = parse_quadrant(values["quadrant"])
    else:
        urgent, important = bool(urgent), bool(important)
    done_text = values.get("done", "").strip()
    done_flag = parse_bool(done_text, "done") if done_text.lower() in BOOL_WORDS else None
    if done_flag is None:
        done = normalise_stamp(done_text, zone, "done")
    else:
        done = iso_now(now) if done_flag else None
    task = build_task(
        now=now,
        order=order,
        task_id=canonical_id(raw_id) if raw_id else None,
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
        **practice_fields(values, zone),
    )
    dated = bool(values.get("updated", "").strip() or values.get("created", "").strip())
    return Incoming(task=task, where=where, has_id=bool(raw_id), dated=dated)
