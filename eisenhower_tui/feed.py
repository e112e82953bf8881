"""The calendar feed: an ``.ics`` of open tasks, rewritten after each write of the task file.

Set ``[feed] path = "~/Public/tasks.ics"`` and subscribe a calendar app to that file (or serve it
with any static web server). Each open task is a VTODO with the same mapping and reminder as the
CalDAV copy (:mod:`eisenhower_tui.sync.mapping`); done and deleted tasks are left out.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

from .i18n import _
from .model import Task, pane_order, utc_now
from .store import StoreError, write_atomic


def render_feed(
    tasks: Iterable[Task],
    *,
    now: datetime,
    lead: timedelta = timedelta(minutes=15),
    all_day_at: time = time(9, 0),
) -> bytes:
    from icalendar import Calendar

    from .sync.mapping import PRODID, new_vtodo

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Eisenhower")
    open_tasks = [t for t in tasks if t.is_open]
    for task in sorted(open_tasks, key=pane_order(now)):
        calendar.add_component(new_vtodo(task, lead=lead, all_day_at=all_day_at, now=now))
    return bytes(calendar.to_ical())


def write_feed(
    path: Path,
    tasks: Iterable[Task],
    *,
    now: datetime | None = None,
    lead: timedelta = timedelta(minutes=15),
    all_day_at: time = time(9, 0),
) -> None:
    """Write the feed atomically (0600 when new: tasks are private); StoreError on failure."""
    moment = (now or utc_now()).astimezone()
    payload = render_feed(tasks, now=moment, lead=lead, all_day_at=all_day_at)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(
            _("Cannot create the folder {folder}: {reason}.").format(
                folder=path.parent, reason=exc.strerror
            )
        ) from None
    write_atomic(path, payload, temp_prefix=f".{path.name}.")


def feed_writer(
    config: Any, warn: Callable[[str], None] | None = None
) -> Callable[[list[Mapping[str, Any]]], None] | None:
    """The store's ``after_write`` callback for ``config.feed_path``, or None when unset.

    A failure becomes one warning (to ``warn``, else standard error); the task file is saved.
    """
    path = getattr(config, "feed_path", None)
    if path is None:
        return None
    report = warn or (lambda message: print("eisenhower: " + message, file=sys.stderr))

    def after_write(records: list[Mapping[str, Any]]) -> None:
        try:
            tasks = []
            for record in records:
                if record.get("deleted") is None and not record.get("done"):
                    try:
                        tasks.append(Task.from_record(record))
                    except ValueError:
                        continue
            write_feed(
                path,
                tasks,
                now=datetime.now(UTC),
                lead=config.notify_lead,
                all_day_at=config.notify_all_day_at,
            )
        except (StoreError, OSError, ValueError) as exc:
            report(
                _("warning: the calendar feed {path} was not written: {error}").format(
                    path=path, error=exc
                )
            )

    return after_write
