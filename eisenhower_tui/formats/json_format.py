"""Our own JSON: the ``export --format json`` array, or a whole task file (``{"tasks": {...}}``).

Export is lossless: the ``list --json`` objects (:meth:`Task.to_public`). Import keeps ids,
timestamps and unknown fields, and skips tombstones.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime, tzinfo
from typing import Any

import orjson

from ..domain.tasks import build_task
from ..i18n import _
from ..model import KNOWN_FIELDS, InvalidTask, Task
from .common import (
    DEFAULT_QUADRANT,
    Incoming,
    ParsedImport,
    at,
    canonical_id,
    local_zone,
    normalise_due,
    normalise_stamp,
    parse_bool,
    parse_quadrant,
    practice_fields,
)

__all__ = ["export_json", "json_error", "parse_ours"]


def export_json(tasks: Sequence[Task]) -> bytes:
    return orjson.dumps([t.to_public() for t in tasks], option=orjson.OPT_INDENT_2) + b"\n"


def json_error(exc: json.JSONDecodeError) -> InvalidTask:
    return InvalidTask(
        _("it is not valid JSON (line {line}, column {column}: {error})").format(
            line=exc.lineno, column=exc.colno, error=exc.msg
        )
    )


def parse_ours(data: Any, now: datetime) -> ParsedImport:
    parsed = ParsedImport(fmt="json")
    if isinstance(data, dict) and isinstance(data.get("tasks"), dict):
        records = list(data["tasks"].values())
    elif isinstance(data, list):
        records = data
    else:
        raise InvalidTask(
            _('the JSON is neither an `eisenhower export` array nor a task file ({"tasks": ...})')
        )
    base = now.timestamp()
    zone = local_zone(now)
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
            parsed.problems.append(at(where, exc))
    return parsed


def _ours_record(
    record: dict[str, Any], where: str, order: float, zone: tzinfo, now: datetime
) -> Incoming:
    raw_id = record.get("id")
    has_id = raw_id not in (None, "")
    urgent = parse_bool(record.get("urgent"), "urgent")
    important = parse_bool(record.get("important"), "important")
    quadrant = DEFAULT_QUADRANT
    if urgent is None and important is None:
        if record.get("quadrant") not in (None, ""):
            quadrant = parse_quadrant(record["quadrant"])
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
    task = build_task(
        now=now,
        order=float(stored_order),
        task_id=canonical_id(raw_id) if has_id else None,
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
        **practice_fields(record, zone),
    )
    return Incoming(
        task=task,
        where=where,
        has_id=has_id,
        dated=bool(record.get("updated") or record.get("created")),
    )
