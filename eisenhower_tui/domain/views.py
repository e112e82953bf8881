"""`list --json` straight from stored records: a short command, so this imports little."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from ..model import PRACTICE_DEFAULTS, Quadrant, deadline_order
from .escalation import record_as_seen
from .hidden import record_waiting

__all__ = ["public_records"]

_PUBLIC_DEFAULTS: dict[str, Any] = {
    "id": "",
    "title": "",
    "notes": "",
    "urgent": False,
    "important": False,
    "due": None,
    "tags": [],
    "delegate": None,
    "done": None,
    "created": "",
    "updated": "",
    "escalated": None,
    "escalated_for": None,
    **PRACTICE_DEFAULTS,
}


def public_records(
    records: Iterable[dict[str, Any]],
    now: datetime,
    *,
    include_done: bool = False,
    quadrant: Quadrant | None = None,
    horizon: timedelta | None = None,
    waiting: bool = False,
) -> list[dict[str, Any]]:
    """`list --json` straight from stored records, sorted as in the panes (completed last).

    Same objects as ``Task.to_public`` (known fields with defaults, unknown fields kept, the
    quadrant added; with ``horizon``, tasks due for escalation shown urgent as everywhere else),
    without building a Task per record: scripts call this on every keystroke
    of a status bar, on files of many thousands of tasks.

    Abandoned tasks show only with ``include_done``; tasks hidden until later (``wait``) only
    with ``include_done`` or ``waiting``, which shows those alone.
    """
    out = []
    get_defaults = _PUBLIC_DEFAULTS
    for record in records:
        get = record.get
        if get("deleted") is not None or (not include_done and get("done")):
            continue
        if not include_done and get("abandoned"):
            continue
        # Only a record with a wait date can be waiting: skip the date parse for the rest.
        hidden = bool(get("wait")) and record_waiting(record, now)
        if (waiting or not include_done) and hidden != waiting:
            continue
        public = {**get_defaults, **record}
        public.pop("order", None)
        public.pop("deleted", None)
        # Only a dated, not-urgent record can be due for escalation.
        if horizon is not None and get("due") and not get("urgent"):
            if record_as_seen(record, now, horizon):
                public["urgent"] = True  # as every view shows it: due for escalation
        q = Quadrant.from_flags(bool(public["urgent"]), bool(public["important"]))
        if quadrant is not None and q != quadrant:
            continue
        public["quadrant"] = int(q)
        order = get("order", 0.0)
        public["_sort"] = (order if order.__class__ in (int, float) else 0.0, public["id"])
        out.append(public)
    key = deadline_order(now)
    # As in the panes: open tasks first, then completed ones, each in deadline order.
    out.sort(
        key=lambda r: (
            bool(r["done"]),
            key(r["due"] if r["due"].__class__ is str else None, *r["_sort"]),
        )
    )
    for public in out:
        del public["_sort"]
    return out
