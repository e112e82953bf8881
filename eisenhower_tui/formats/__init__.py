"""Import and export formats, one module each; this module is the registry.

Pure: formats never read or write files and never print. They take text (import) or tasks
(export) and return data or bytes; the ``import``/``export`` commands in :mod:`..cli` do the
file side. Every imported record becomes a task through :func:`..domain.tasks.build_task`.

Export: ``json`` (lossless, the ``list --json`` objects), ``csv``, ``markdown``, ``ics``.
Import: ``json`` (ours), ``taskwarrior``, ``todotxt``, ``csv``; see each module for its rules.
Any bad record means nothing is written (exit 2), unless ``--skip-invalid``; re-importing adds
nothing twice (:mod:`.plan`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime

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
from .ics import ICS_PRIORITY, export_ics
from .json_format import export_json, json_error, parse_ours
from .markdown import export_markdown
from .plan import ImportPlan, import_summary, plan_import
from .taskwarrior import is_taskwarrior, json_lines, parse_taskwarrior, taskwarrior_due
from .todotxt import parse_todotxt

__all__ = [
    "CSV_COLUMNS",
    "EXPORT_FORMATS",
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
IMPORT_FORMATS = ("json", "taskwarrior", "todotxt", "csv")


def select_for_export(tasks: Iterable[Task], *, include_done: bool, now: datetime) -> list[Task]:
    """Live tasks in matrix order: by quadrant, open before done, then the panes' order."""
    chosen = [t for t in tasks if t.deleted is None and (include_done or t.done is None)]
    in_pane = pane_order(now)
    return sorted(chosen, key=lambda t: (int(t.quadrant), in_pane(t)))


def render_export(fmt: str, tasks: Sequence[Task], now: datetime) -> bytes:
    """The export as bytes; every text in it cleaned first, whatever the file held."""
    tasks = [export_safe(task) for task in tasks]
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
            format=shown(fmt), formats=", ".join(EXPORT_FORMATS)
        )
    )


def _looks_like_json(text: str) -> bool:
    head = text.lstrip()[:2]
    first_line = text.lstrip().split("\n", 1)[0].strip()
    return head in ("[{", '{"', "[]", "{}") or first_line in ("[", "{")


def detect_format(text: str) -> str:
    """Guess the format from the content."""
    if _looks_like_json(text):
        try:
            data = json.loads(text)
        except ValueError:
            lines = json_lines(text)
            if lines and is_taskwarrior(lines[0][1]):
                return "taskwarrior"
            return "json"  # parsing it again gives the user the JSON error
        return "taskwarrior" if is_taskwarrior(data) else "json"
    if looks_like_csv(text):
        return "csv"
    return "todotxt"


def parse_import(text: str, fmt: str | None, now: datetime) -> ParsedImport:
    """Validate every record; raise InvalidTask only when the whole file is unusable."""
    fmt = fmt or detect_format(text)
    if fmt == "todotxt":
        return finish(parse_todotxt(text, now))
    if fmt == "csv":
        return finish(parse_csv(text, now))
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
