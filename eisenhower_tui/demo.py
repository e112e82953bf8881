"""The demo data set: a dozen realistic tasks, some overdue, some due today, on a temporary copy.

It shows the practice over weeks too: a quarterly return that recurs, delegated tasks with
follow-up dates (one overdue), a task hidden until next week and one back from waiting, Eliminate
tasks that have lingered for weeks, a story of moves, and twelve weeks of done work for the
review's summary. Every step of the weekly review (``R``) has at least one task. Deterministic
for a given ``now`` (ids aside), so screenshots and tests can rely on it.
"""

from __future__ import annotations

import tempfile
from datetime import datetime, timedelta
from pathlib import Path

from .config import Config
from .domain.tasks import new_task
from .i18n import _
from .model import Quadrant, Task, iso_now
from .store import Store

# (title, quadrant, due offset in days or hours-as-str, tags, delegate, done)
DEMO: list[tuple[str, Quadrant, str | None, list[str], str | None]] = [
    ("Submit the quarterly VAT return", Quadrant.DO, "-1d", ["admin"], None),
    ("Fix the login outage on prod", Quadrant.DO, "+3h", ["work"], None),
    ("Prepare slides for Monday's board meeting", Quadrant.DO, "+1d", ["work"], None),
    ("Renew passport", Quadrant.SCHEDULE, "+12d", ["admin"], None),
    ("Plan the team offsite", Quadrant.SCHEDULE, "+20d", ["work"], None),
    ("Write the blog post on TinyDB locking", Quadrant.SCHEDULE, None, ["writing"], None),
    ("Book a dentist check-up", Quadrant.SCHEDULE, None, ["health"], None),
    ("Reply to the conference organisers", Quadrant.DELEGATE, "+0d", ["mail"], "Alice"),
    ("Order new office chairs", Quadrant.DELEGATE, "+2d", ["office"], "Bob"),
    ("Call the plumber about the leak", Quadrant.DELEGATE, "-2h", ["home"], None),
    ("Sort the old photo backups", Quadrant.ELIMINATE, None, ["home"], None),
    ("Reorganise the bookmarks bar", Quadrant.ELIMINATE, None, [], None),
    ("Watch the new sci-fi series", Quadrant.ELIMINATE, None, ["fun"], None),
]


def _tag(tag: str) -> str:
    """A demo tag in the interface language (the demo is a sample of a user's own words)."""
    words = {
        "admin": _("admin"),
        "work": _("work"),
        "writing": _("writing"),
        "health": _("health"),
        "mail": _("mail"),
        "office": _("office"),
        "home": _("home"),
        "fun": _("fun"),
    }
    return words.get(tag, tag)


def demo_tasks(now: datetime) -> list[Task]:
    tasks = []
    for index, (title, quadrant, offset, tags, delegate) in enumerate(DEMO):
        due = None
        if offset is not None:
            amount = int(offset[:-1])
            if offset.endswith("h"):
                due = (now + timedelta(hours=amount)).replace(second=0, microsecond=0).isoformat()
            else:
                due = (now + timedelta(days=amount)).date().isoformat()
        tags = [_tag(t) for t in tags]
        task = new_task(_(title), quadrant, due=due, tags=tags, delegate=delegate, now=now)
        task.order = float(index)
        tasks.append(task)
    done = new_task(_("Send the invoice to ACME"), Quadrant.DO, tags=[_tag("admin")], now=now)
    done.done = done.created
    tasks.append(done)
    _practice(tasks, now)
    return tasks


def _practice(tasks: list[Task], now: datetime) -> None:
    """Recurrence, follow-ups and a waiting task on the demo set, without changing its rows."""
    by_title = {task.title: task for task in tasks}
    vat = by_title[_("Submit the quarterly VAT return")]
    vat.recur, vat.recur_mode, vat.series = "FREQ=MONTHLY;INTERVAL=3", "fixed", vat.id
    # (title, delegated days ago, follow-up in days: negative is overdue)
    for title, days_ago, follow_in in (
        ("Reply to the conference organisers", 6, -2),
        ("Order new office chairs", 1, 3),
    ):
        task = by_title[_(title)]
        task.delegated = (now - timedelta(days=days_ago)).isoformat(timespec="seconds")
        task.follow_up = (now.date() + timedelta(days=follow_in)).isoformat()
    waiting = new_task(_("Renew the car insurance"), Quadrant.SCHEDULE, tags=["admin"], now=now)
    waiting.due = (now + timedelta(days=30)).date().isoformat()
    waiting.wait = (now + timedelta(days=9)).date().isoformat()
    waiting.order = float(len(tasks))
    tasks.append(waiting)
    # Back from waiting this week (the review's last step); its row looks like any other.
    by_title[_("Book a dentist check-up")].wait = (now.date() - timedelta(days=2)).isoformat()
    # Eliminate tasks that have lingered for weeks: the sweep's candidates.
    for title, days in (
        ("Sort the old photo backups", 62),
        ("Reorganise the bookmarks bar", 45),
    ):
        by_title[_(title)].created = (now - timedelta(days=days)).isoformat(timespec="seconds")
    # A story for the detail view: escalated out of Schedule, and the deadline slipped once.
    slides = by_title[_("Prepare slides for Monday's board meeting")]
    added, escalated = now - timedelta(days=7), now - timedelta(days=1)
    slides.moves = [
        {"at": iso_now(added), "from": None, "to": 2, "cause": "add"},
        {"at": iso_now(escalated), "from": 2, "to": 1, "cause": "escalation", "due_in_h": 48},
    ]
    slides.escalated, slides.escalated_for = iso_now(escalated), slides.due
    slides.slips = 1
    tasks.extend(_done_weeks(now))


# (title, quadrant, days ago it was done): planned work from Schedule and fires in Do, so the
# review's summary has a week to count and a 12-week sparkline with a gap or two.
DONE: list[tuple[str, Quadrant, int]] = [
    ("Book the train tickets", Quadrant.SCHEDULE, 2),
    ("Send the weekly report", Quadrant.SCHEDULE, 8),
    ("Restart the crashed build server", Quadrant.DO, 9),
    ("Send the weekly report", Quadrant.SCHEDULE, 15),
    ("Send the weekly report", Quadrant.SCHEDULE, 22),
    ("Restart the crashed build server", Quadrant.DO, 23),
    ("Restart the crashed build server", Quadrant.DO, 30),
    ("Send the weekly report", Quadrant.SCHEDULE, 36),
    ("Send the weekly report", Quadrant.SCHEDULE, 50),
    ("Restart the crashed build server", Quadrant.DO, 51),
    ("Send the weekly report", Quadrant.SCHEDULE, 71),
]


def _done_weeks(now: datetime) -> list[Task]:
    done = []
    for title, quadrant, days in DONE:
        moment = now - timedelta(days=days)
        task = new_task(_(title), quadrant, tags=[_tag("work")], now=moment)
        task.done = moment.isoformat(timespec="seconds")
        done.append(task)
    return done


def demo_store(config: Config | None = None, now: datetime | None = None) -> Store:
    """A fresh store in a temporary folder, so the demo never touches the user's data."""
    from .dates import local_now

    folder = Path(tempfile.mkdtemp(prefix="eisenhower-demo-"))
    store = Store(folder / "tasks.json")
    store.add(*demo_tasks(now or local_now()))
    return store
