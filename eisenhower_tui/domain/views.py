"""What the read-only views print: `list --json` straight from stored records."""

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
    for record in records:
        if record.get("deleted") is not None or (not include_done and record.get("done")):
            continue
        if not include_done and record.get("abandoned"):
            continue
        if (waiting or not include_done) and record_waiting(record, now) != waiting:
            continue
        public = {**_PUBLIC_DEFAULTS, **record}
        public.pop("order", None)
        public.pop("deleted", None)
        if horizon is not None and record_as_seen(record, now, horizon):
            public["urgent"] = True  # as every view shows it: due for escalation
        q = Quadrant.from_flags(bool(public["urgent"]), bool(public["important"]))
        if quadrant is not None and q != quadrant:
            continue
        public["quadrant"] = int(q)
        order = record.get("order", 0.0)
        public["_sort"] = (order if order.__class__ in (int, float) else 0.0, public["id"])
        out.append(public)
    key = deadline_order(now)
    # As in the panes: open tasks first, then completed ones, each in deadline order.
    out.sort(
        key=lambda r: (
            bool(r["done"]),
            key(r["due"] if isinstance(r["due"], str) else None, *r["_sort"]),
        )
    )
    for public in out:
        del public["_sort"]
    return out
