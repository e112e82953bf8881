"""Taskwarrior ``task export`` (a JSON array, or one object per line before 2.4).

The uuid is kept as the id. Priority ``H`` = Do first (urgent and important), ``M`` = Schedule,
``L`` = Eliminate, none = Schedule (the default quadrant of ``add``); escalation makes near
deadlines urgent later. A due at exactly 00:00:00 or 23:59:59 local time (what
``due:2026-11-27`` and ``due:eod`` store) becomes an all-day deadline, anything else a timed one
in local time. Tags are kept, the project becomes one more tag, annotations become note lines
(``2026-11-20: text``). ``completed`` tasks are done at ``end``; ``deleted`` tasks are skipped
and counted. Recurrence: an instance (``parent`` set) carries its template's ``recur`` as our rule
(``weekly`` -> ``FREQ=WEEKLY``, ``until`` -> ``UNTIL``) with the template's uuid as its series;
a ``recurring`` template is skipped and counted when one of its instances is in the file (that
instance carries the rule), and otherwise imports as a recurring task due on its next
occurrence from today; a ``waiting`` task is open, with a ``Taskwarrior: waiting until`` note
line. ``entry`` / ``modified`` become ``created`` / ``updated``; other fields (urgency, depends,
scheduled, UDAs) are dropped.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, time, tzinfo
from typing import Any

from ..domain.recurrence import Rule, catch_up, rule_from_taskwarrior
from ..domain.tasks import build_task
from ..i18n import _
from ..model import InvalidTask, Quadrant, iso_now, sanitize_line
from .common import (
    DEFAULT_QUADRANT,
    Incoming,
    ParsedImport,
    at,
    canonical_id,
    check_year,
    in_zone,
    local_zone,
    shown,
)

__all__ = ["is_taskwarrior", "json_lines", "parse_taskwarrior", "taskwarrior_due"]

TASKWARRIOR_PRIORITY = {"H": Quadrant.DO, "M": Quadrant.SCHEDULE, "L": Quadrant.ELIMINATE}


def is_taskwarrior(data: Any) -> bool:
    items = data if isinstance(data, list) else [data]
    first = next((item for item in items if isinstance(item, dict)), None)
    return first is not None and "uuid" in first and "description" in first


def json_lines(text: str) -> list[tuple[str, Any]] | None:
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
    check_year(moment.year, value)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _tw_not_a_date(name: str, value: Any) -> str:
    return _("'{name}' {value} is not a Taskwarrior date").format(name=name, value=shown(value))


def _tw_stamp(value: Any, name: str) -> str | None:
    moment = _tw_instant(value, name)
    return in_zone(moment, UTC).isoformat(timespec="seconds") if moment else None


def taskwarrior_due(value: Any, zone: tzinfo) -> str | None:
    """Local midnight or 23:59:59 is how Taskwarrior stores a date-only due: make it all-day."""
    moment = _tw_instant(value, "due")
    if moment is None:
        return None
    try:
        local = moment.astimezone(zone)
    except OverflowError:  # the last hours of 9999 are year 10000 here: keep the instant
        return moment.isoformat(timespec="seconds")
    if local.time() in (time(0, 0, 0), time(23, 59, 59)):
        return local.date().isoformat()
    return local.isoformat(timespec="seconds")


def parse_taskwarrior(records: list[tuple[str, Any]], now: datetime) -> ParsedImport:
    parsed = ParsedImport(fmt="taskwarrior")
    base = now.timestamp()
    zone = local_zone(now)
    templates = {
        str(r.get("uuid")): r
        for _where, r in records
        if isinstance(r, dict) and r.get("status") == "recurring"
    }
    parents = {
        str(r.get("parent"))
        for _where, r in records
        if isinstance(r, dict) and r.get("parent") and r.get("status") in ("pending", "waiting")
    }
    for number, (where, record) in enumerate(records, 1):
        if not isinstance(record, dict):
            parsed.problems.append(_("{where}: not a JSON object").format(where=where))
            continue
        status = record.get("status", "pending")
        if status == "deleted":
            parsed.skipped.append(_("{where}: deleted in Taskwarrior").format(where=where))
            continue
        if status == "recurring" and str(record.get("uuid")) in parents:
            parsed.skipped.append(_("{where}: a recurring template").format(where=where))
            continue
        try:
            template = templates.get(str(record.get("parent"))) or record
            item = _tw_record(record, where, base + number / 1000, zone, now)
            _with_rule(item, record, template, zone, now)
            parsed.items.append(item)
        except InvalidTask as exc:
            parsed.problems.append(at(where, exc))
    return parsed


def _tw_rule(template: dict[str, Any], zone: tzinfo) -> Rule:
    """The template's ``recur`` (and ``until``) as our rule."""
    rule = rule_from_taskwarrior(template.get("recur"))
    until = _tw_instant(template.get("until"), "until")
    if until is None:
        return rule
    stamp = in_zone(until, UTC).strftime("%Y%m%dT%H%M%SZ")
    return Rule(f"{rule.rrule};UNTIL={stamp}", rule.mode)


def _with_rule(
    item: Incoming, record: dict[str, Any], template: dict[str, Any], zone: tzinfo, now: datetime
) -> None:
    """A recurring template or instance: the rule, and the template's uuid as the series."""
    source = template if template.get("recur") else record
    if not source.get("recur"):
        return
    rule = _tw_rule(source, zone)
    task = item.task
    task.recur, task.recur_mode = rule.rrule, rule.mode
    parent = record.get("parent")
    task.series = canonical_id(parent) if parent else task.id
    if record.get("status") == "recurring":
        task.due = catch_up(task, now)


def _tw_record(
    record: dict[str, Any], where: str, order: float, zone: tzinfo, now: datetime
) -> Incoming:
    if "uuid" not in record:
        raise InvalidTask(_("no 'uuid'"))
    task_id = canonical_id(record["uuid"])
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
        prefix = f"{in_zone(entry, zone).date().isoformat()}: " if entry else ""
        notes.append(prefix + sanitize_line(note["description"]))
    wait = _tw_instant(record.get("wait"), "wait")
    if wait is not None and wait > now:
        until = in_zone(wait, zone).date().isoformat()
        notes.append(f"Taskwarrior: waiting until {until}")
    created = _tw_stamp(record.get("entry"), "entry")
    updated = _tw_stamp(record.get("modified"), "modified") or created
    done = None
    if record.get("status") == "completed":
        done = _tw_stamp(record.get("end"), "end") or updated or iso_now(now)
    task = build_task(
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
    return Incoming(
        task=task,
        where=where,
        has_id=True,
        dated=bool(record.get("modified") or record.get("entry")),
    )
