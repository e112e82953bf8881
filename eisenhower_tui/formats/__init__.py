"""Import and export formats, one module each; this module is the registry.

Pure: formats never read or write files and never print. They take text (import) or tasks
(export) and return data or bytes; the ``import``/``export`` commands in :mod:`..cli` do the
file side. Every imported record becomes a task through :func:`..domain.tasks.build_task`.

Export: ``json`` (lossless, the ``list --json`` objects), ``csv``, ``markdown``, ``ics``. JSON
and CSV are data and carry every task, done ones included; markdown and ics are for reading and
show open tasks unless ``--all``. Every text is cleaned on the way out
(:func:`.common.export_safe`).

Import: ``json`` (ours), ``taskwarrior``, ``todotxt``, ``csv``, ``ics``; see each module for its
rules. Without ``--format`` the reader is picked by the file's extension, then its content: a
``.csv`` file is always CSV, a ``.ics`` file iCalendar, a ``.json`` file ours or Taskwarrior's;
only text that is none of those is todo.txt. Any bad record means nothing is written (exit 2),
unless ``--skip-invalid``; re-importing adds nothing twice (:mod:`.plan`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime, time, timedelta
from pathlib import PurePath
from typing import Any

from ..i18n import _
from ..model import InvalidTask, Task, pane_order
from .common import (
    Incoming,
    ParsedImport,
    content_key,
    export_safe,
    finish,
    normalise_due,
    shown,
)
from .csv_format import CSV_COLUMNS, csv_guard, csv_unguard, export_csv, looks_like_csv, parse_csv
from .ics import ICS_PRIORITY, export_ics, looks_like_ics, parse_ics
from .json_format import export_json, json_error, parse_ours
from .markdown import export_markdown
from .plan import ImportPlan, import_summary, plan_import
from .taskwarrior import is_taskwarrior, json_lines, parse_taskwarrior, taskwarrior_due
from .todotxt import parse_todotxt

__all__ = [
    "CSV_COLUMNS",
    "EXPORT_FORMATS",
    "FULL_EXPORTS",
    "ICS_PRIORITY",
    "IMPORT_FORMATS",
    "ImportPlan",
    "Incoming",
    "ParsedImport",
    "content_key",
    "csv_guard",
    "csv_unguard",
    "detect_format",
    "import_summary",
    "normalise_due",
    "parse_import",
    "plan_import",
    "render_export",
    "select_for_export",
    "taskwarrior_due",
]

EXPORT_FORMATS = ("json", "csv", "markdown", "ics")
IMPORT_FORMATS = ("json", "taskwarrior", "todotxt", "csv", "ics")
# Data formats: they carry every task, done ones included, with or without --all.
FULL_EXPORTS = frozenset({"json", "csv"})
# What a file's extension says for sure; content decides the rest.
_BY_EXTENSION = {".csv": "csv", ".ics": "ics", ".ical": "ics", ".ifb": "ics", ".vcs": "ics"}


def select_for_export(tasks: Iterable[Task], *, include_done: bool, now: datetime) -> list[Task]:
    """Live tasks in matrix order: by quadrant, open before done, then the panes' order."""
    chosen = [t for t in tasks if t.deleted is None and (include_done or t.done is None)]
    in_pane = pane_order(now)
    return sorted(chosen, key=lambda t: (int(t.quadrant), in_pane(t)))


def render_export(
    fmt: str,
    tasks: Sequence[Task],
    now: datetime,
    *,
    lead: timedelta | None = None,
    all_day_at: time | None = None,
) -> bytes:
    """The export as bytes; every text in it cleaned first, whatever the file held.

    ``lead`` and ``all_day_at`` (the `[notify]` settings) place the ICS export's reminders.
    """
    tasks = [export_safe(task) for task in tasks]
    if fmt == "json":
        return export_json(tasks)
    if fmt == "csv":
        return export_csv(tasks)
    if fmt == "markdown":
        return export_markdown(tasks, now)
    if fmt == "ics":
        reminders: dict[str, Any] = {}
        if lead is not None:
            reminders["lead"] = lead
        if all_day_at is not None:
            reminders["all_day_at"] = all_day_at
        return export_ics(tasks, now, **reminders)
    raise InvalidTask(
        _("'{format}' is not an export format; use {formats}").format(
            format=shown(fmt), formats=", ".join(EXPORT_FORMATS)
        )
    )


def _looks_like_json(text: str) -> bool:
    head = text.lstrip()[:2]
    first_line = text.lstrip().split("\n", 1)[0].strip()
    return head in ("[{", '{"', "[]", "{}") or first_line in ("[", "{")


def detect_format(text: str, name: str | None = None) -> str:
    """The reader for a file: by its extension when that is certain, else by its content."""
    suffix = PurePath(name).suffix.lower() if name else ""
    if suffix in _BY_EXTENSION:
        return _BY_EXTENSION[suffix]
    if suffix == ".json" or _looks_like_json(text):
        try:
            data = json.loads(text)
        except ValueError:
            lines = json_lines(text)
            if lines and is_taskwarrior(lines[0][1]):
                return "taskwarrior"
            return "json"  # parsing it again gives the user the JSON error
        return "taskwarrior" if is_taskwarrior(data) else "json"
    if looks_like_ics(text):
        return "ics"
    if looks_like_csv(text):
        return "csv"
    return "todotxt"


def parse_import(
    text: str, fmt: str | None, now: datetime, *, name: str | None = None
) -> ParsedImport:
    """Validate every record; raise InvalidTask only when the whole file is unusable.

    ``name`` is the file's name, whose extension helps pick the reader when ``fmt`` is None.
    """
    fmt = fmt or detect_format(text, name)
    if fmt == "todotxt":
        return finish(parse_todotxt(text, now))
    if fmt == "csv":
        return finish(parse_csv(text, now))
    if fmt == "ics":
        return finish(parse_ics(text, now))
    if fmt not in ("json", "taskwarrior"):
        raise InvalidTask(
            _("'{format}' is not an import format; use {formats}").format(
                format=shown(fmt), formats=", ".join(IMPORT_FORMATS)
            )
        )
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        lines = json_lines(text) if fmt == "taskwarrior" else None
        if not lines:
            raise json_error(exc) from None
        return finish(parse_taskwarrior(lines, now))
    except RecursionError:
        raise InvalidTask(_("it is not valid JSON (nested too deeply)")) from None
    if fmt == "json":
        return finish(parse_ours(data, now))
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        raise InvalidTask(_("a Taskwarrior export is a JSON array of tasks"))
    records = [(_("record {n}").format(n=n), r) for n, r in enumerate(data, 1)]
    return finish(parse_taskwarrior(records, now))
