"""`eisenhower notify`: one-shot desktop reminders, for a systemd user timer, cron or launchd.

Each open task whose deadline is within the lead time (``[notify] lead_minutes``, 15 by default)
or, for an all-day deadline, whose day has reached the reminder hour (``[notify] all_day_at``,
09:00) is shown once through ``notify-send`` (Linux) or ``osascript`` (macOS), and printed.
What was shown is remembered in ``<tasks>.notified.json`` beside the task file (atomic, 0600),
keyed by task id and deadline: a changed deadline rings again, a second run rings nothing.
A deadline passed more than a day ago is not announced late (a laptop back from a week away
would otherwise ring for everything). A delegated task whose follow-up day has passed rings once
per follow-up date ("Follow up with Bob: ..."); a check-in moves the date, so it can ring again.
"""

from __future__ import annotations

import html
import json
import shutil
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta, tzinfo
from pathlib import Path
from typing import Any

from .i18n import _
from .model import Task, due_instant, sanitize_line
from .store import write_atomic

LATE_LIMIT = timedelta(days=1)
NOTIFIER_TIMEOUT = 10  # seconds; a stuck notification daemon must not hang a timer


@dataclass(slots=True)
class Reminder:
    key: str
    task: Task
    due: datetime
    follow_up: bool = False  # a delegated task whose follow-up day has passed


def state_path(db: Path) -> Path:
    return db.with_name(db.name + ".notified.json")


def ring_time(
    due: str, zone: tzinfo, lead: timedelta, all_day_at: time
) -> tuple[datetime, datetime]:
    """(when to ring, the deadline) for a deadline text; ValueError when unreadable."""
    if len(due) == 10:
        day = datetime.fromisoformat(due).date()
        return datetime.combine(day, all_day_at, tzinfo=zone), due_instant(due, zone)
    deadline = due_instant(due, zone)
    return deadline - lead, deadline


def due_reminders(
    tasks: Iterable[Task],
    now: datetime,
    *,
    lead: timedelta,
    all_day_at: time,
    already: set[str],
) -> list[Reminder]:
    """The reminders to show now (pure)."""
    zone = now.tzinfo
    found = []
    for task in tasks:
        if not task.is_open or not task.due:
            continue
        key = f"{task.id}|{task.due}"
        if key in already:
            continue
        try:
            ring, deadline = ring_time(task.due, zone, lead, all_day_at)  # type: ignore[arg-type]
        except (ValueError, OverflowError):
            continue
        if ring <= now < deadline + LATE_LIMIT:
            found.append(Reminder(key, task, deadline))
    return sorted(found, key=lambda r: r.due)


def follow_up_reminders(tasks: Iterable[Task], now: datetime, already: set[str]) -> list[Reminder]:
    """Delegated tasks whose follow-up day has passed, once per follow-up date (pure)."""
    from .domain.followup import follow_up_overdue

    found = []
    for task in tasks:
        key = f"{task.id}|follow|{task.follow_up}"
        if key in already or not follow_up_overdue(task, now):
            continue
        try:
            when = due_instant(task.follow_up or "", now.tzinfo)
        except (ValueError, OverflowError):
            continue
        found.append(Reminder(key, task, when, follow_up=True))
    return sorted(found, key=lambda r: r.due)


def _live_keys(tasks: Iterable[Task]) -> set[str]:
    keys = set()
    for task in tasks:
        if task.is_open and task.due:
            keys.add(f"{task.id}|{task.due}")
        if task.is_open and task.delegate and task.follow_up:
            keys.add(f"{task.id}|follow|{task.follow_up}")
    return keys


def message_for(reminder: Reminder, now: datetime) -> tuple[str, str]:
    """(summary, body) of a notification; the title cleaned of anything a terminal or a
    notification daemon would interpret."""
    from .dates import humanize_due

    task = reminder.task
    title = sanitize_line(task.title) or "?"
    if reminder.follow_up:
        who = sanitize_line(task.delegate or "")
        summary = _("Follow up with {who}: {title}").format(who=who, title=title)
        return summary, _("Eisenhower: follow-up due {day}").format(day=task.follow_up)
    when = humanize_due(task.due or "", now)
    if reminder.due <= now:
        summary = _("Overdue: {title}").format(title=title)
    else:
        summary = _("Due {when}: {title}").format(when=when, title=title)
    return summary, _("Eisenhower: deadline {due}").format(due=task.due)


def send(summary: str, body: str) -> bool:
    """Show one desktop notification; False when there is no notifier here."""
    if sys.platform == "darwin" and shutil.which("osascript"):
        # The texts travel as arguments, never inside the script: no AppleScript injection.
        script = [
            "-e", "on run argv",
            "-e", "display notification (item 2 of argv) with title (item 1 of argv)",
            "-e", "end run",
        ]  # fmt: skip
        argv = ["osascript", *script, summary, body]
    elif shutil.which("notify-send"):
        # notify-send reads a little HTML in the body; "--" ends the options, so a title
        # starting with "-" is text.
        argv = ["notify-send", "--app-name=eisenhower", "--", summary, html.escape(body)]
    else:
        return False
    try:
        subprocess.run(argv, check=False, timeout=NOTIFIER_TIMEOUT, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return True


def load_state(path: Path) -> dict[str, str]:
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return {}
    shown = data.get("shown") if isinstance(data, dict) else None
    return {str(k): str(v) for k, v in shown.items()} if isinstance(shown, dict) else {}


def cmd_notify(store: Any, config: Any, now: datetime | None = None) -> int:
    from .dates import local_now

    moment = now or local_now()
    tasks = store.read().tasks
    path = state_path(store.path)
    shown = load_state(path)
    reminders = due_reminders(
        tasks,
        moment,
        lead=config.notify_lead,
        all_day_at=config.notify_all_day_at,
        already=set(shown),
    )
    reminders += follow_up_reminders(tasks, moment, set(shown))
    missing_notifier = False
    for reminder in reminders:
        summary, body = message_for(reminder, moment)
        print(summary)
        if not send(summary, body):
            missing_notifier = True
        shown[reminder.key] = moment.isoformat(timespec="seconds")
    if missing_notifier:
        print(
            "eisenhower: "
            + _("warning: no notify-send (Linux) or osascript (macOS) here; printed only"),
            file=sys.stderr,
        )
    # Forget keys of tasks gone, done or moved to another deadline: the file stays small.
    live = _live_keys(tasks)
    kept = {key: stamp for key, stamp in shown.items() if key in live}
    if reminders or kept != load_state(path):
        payload = json.dumps({"shown": kept}, sort_keys=True, indent=1).encode() + b"\n"
        write_atomic(path, payload, temp_prefix=f".{path.name}.")
    return 0
