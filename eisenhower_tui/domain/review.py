"""The weekly review, as data: quadrant limits, the review's steps and the week's summary.

- Limits (config ``[limits]``, e.g. ``do = 8``): ``7/8`` text and an over-limit predicate; adding
  or moving into a full quadrant is allowed with a warning, never refused.
- The steps: (1) overdue and escalated, (2) delegated past follow-up, (3) Schedule without a
  deadline, (4) Eliminate older than N days, (5) waiting tasks that came back this week.
- The summary: tasks done this week by quadrant, the share of done work that came from
  Schedule (planned, not fire-fighting), and that share over 12 weeks as a sparkline.

Pure: no store, no Textual.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from ..i18n import _
from ..model import Quadrant, Task, is_overdue, parse_stamp
from .followup import follow_up_overdue
from .hidden import DEFAULT_SWEEP_DAYS, in_panes, sweep_candidates, wait_instant

__all__ = [
    "Review",
    "WeekSummary",
    "came_from_schedule",
    "limit_text",
    "limit_warning",
    "over_limit",
    "pane_counts",
    "pane_heading",
    "review",
    "sparkline",
    "summary_lines",
    "week_summary",
]

SPARKS = "▁▂▃▄▅▆▇█"
NO_DATA = "·"  # a week without anything done: not the same as 0% from Schedule
WEEKS = 12


# --- limits -------------------------------------------------------------------------------------


def pane_counts(tasks: Iterable[Task], now: datetime) -> dict[Quadrant, int]:
    """Open tasks per quadrant as the panes count them (not waiting, not abandoned)."""
    counts = dict.fromkeys(Quadrant, 0)
    for task in tasks:
        if task.is_open and in_panes(task, now):
            counts[task.quadrant] += 1
    return counts


def limit_text(count: int, limit: int | None) -> str:
    """``7/8`` with a limit, ``7`` without."""
    return str(count) if limit is None else f"{count}/{limit}"


def pane_heading(quadrant: Quadrant, count: int, limit: int | None, waiting: int = 0) -> str:
    """A pane's title: ``2 Schedule (7/8 +3 waiting)``; numbers and our own words only.

    Over its limit the count gets a ``⚠``: the colour alone would not say it (and the Delegate
    pane's title is already in the warning colour).
    """
    inside = limit_text(count, limit)
    if over_limit(count, limit):
        inside += " ⚠"
    if waiting:
        inside += " " + _("+{n} waiting").format(n=waiting)
    return f"{int(quadrant)} {_(quadrant.label)} ({inside})"


def over_limit(count: int, limit: int | None) -> bool:
    return limit is not None and count > limit


def limit_warning(quadrant: Quadrant, count: int, limit: int | None) -> str | None:
    """What to say when ``count`` (after the change) passes the quadrant's limit."""
    if not over_limit(count, limit):
        return None
    return _("warning: {quadrant} now holds {count} open tasks; your limit is {limit}").format(
        quadrant=_(quadrant.label), count=count, limit=limit
    )


# --- the review's steps -------------------------------------------------------------------------


@dataclass(slots=True)
class Review:
    overdue: list[Task] = field(default_factory=list)  # (1) overdue, or escalated
    follow_ups: list[Task] = field(default_factory=list)  # (2) delegated, past follow-up
    unscheduled: list[Task] = field(default_factory=list)  # (3) Schedule without a deadline
    stale: list[Task] = field(default_factory=list)  # (4) Eliminate older than N days
    back: list[Task] = field(default_factory=list)  # (5) waited, showing again this week

    @property
    def steps(self) -> list[list[Task]]:
        """The five steps' tasks, in the order the review walks them."""
        return [self.overdue, self.follow_ups, self.unscheduled, self.stale, self.back]


def review(tasks: Iterable[Task], now: datetime, sweep_days: int = DEFAULT_SWEEP_DAYS) -> Review:
    every = [t for t in tasks if t.is_open]
    found = Review()
    week_ago = now - timedelta(days=7)
    for task in every:
        if not in_panes(task, now):
            continue
        if is_overdue(task.due, now) or (task.escalated and task.escalated_for == task.due):
            found.overdue.append(task)
        if follow_up_overdue(task, now):
            found.follow_ups.append(task)
        if task.quadrant is Quadrant.SCHEDULE and not task.due:
            found.unscheduled.append(task)
        if task.wait:
            until = wait_instant(task.wait, now)
            if until is not None and week_ago < until <= now:
                found.back.append(task)
    found.stale = sweep_candidates(every, now, sweep_days)
    return found


# --- the summary --------------------------------------------------------------------------------


def came_from_schedule(task: Task) -> bool:
    """Planned work: the task sat in Schedule at some point (escalation moves it out)."""
    if task.quadrant is Quadrant.SCHEDULE:
        return True
    if any(move.get("from") == 2 or move.get("to") == 2 for move in task.moves):
        return True
    return bool(task.escalated and task.important)


def week_start_of(day: date, week_start: int) -> date:
    return day - timedelta(days=(day.weekday() - week_start) % 7)


@dataclass(slots=True)
class WeekSummary:
    week_start: date
    done: dict[Quadrant, int]
    from_schedule: int
    shares: list[float | None]  # the last 12 weeks, oldest first; None: nothing done

    @property
    def total(self) -> int:
        return sum(self.done.values())

    @property
    def share(self) -> float | None:
        return self.from_schedule / self.total if self.total else None

    @property
    def spark(self) -> str:
        return sparkline(self.shares)

    def to_json(self) -> dict[str, Any]:
        return {
            "week_start": self.week_start.isoformat(),
            "done": {str(int(q)): n for q, n in self.done.items()},
            "done_total": self.total,
            "from_schedule": self.from_schedule,
            "schedule_share": self.share,
            "weekly_schedule_share": self.shares,
            "sparkline": self.spark,
        }


def sparkline(values: Iterable[float | None]) -> str:
    """One block per value in 0..1 (``▁`` to ``█``); ``·`` where there is no value."""
    out = []
    for value in values:
        if value is None:
            out.append(NO_DATA)
        else:
            level = min(len(SPARKS) - 1, max(0, round(value * (len(SPARKS) - 1))))
            out.append(SPARKS[level])
    return "".join(out)


def week_summary(tasks: Iterable[Task], now: datetime, week_start: int = 0) -> WeekSummary:
    """What was done this week (from ``week_start``, 0 = Monday) and the 12-week trend."""
    this_week = week_start_of(now.date(), week_start)
    first = this_week - timedelta(weeks=WEEKS - 1)
    totals = [0] * WEEKS
    planned = [0] * WEEKS
    done: dict[Quadrant, int] = dict.fromkeys(Quadrant, 0)
    zone = now.tzinfo
    for task in tasks:
        if task.deleted is not None or task.done is None:
            continue
        moment = parse_stamp(task.done)
        if moment is None:
            continue
        day = moment.astimezone(zone).date() if zone else moment.date()
        if day < first or day > now.date():
            continue
        index = (week_start_of(day, week_start) - first).days // 7
        totals[index] += 1
        planned[index] += came_from_schedule(task)
        if index == WEEKS - 1:
            done[task.quadrant] += 1
    shares = [planned[i] / totals[i] if totals[i] else None for i in range(WEEKS)]
    return WeekSummary(this_week, done, planned[-1], shares)


def summary_lines(summary: WeekSummary) -> list[str]:
    """The summary as ``eisenhower stats`` prints it and the review's last screen shows it."""
    since = summary.week_start.isoformat()
    lines = [_("Done this week (since {day}): {n}").format(day=since, n=summary.total)]
    for quadrant in Quadrant:
        lines.append(f"  {int(quadrant)} {_(quadrant.label):<12} {summary.done[quadrant]}")
    share = summary.share
    shown = "-" if share is None else f"{round(share * 100)}%"
    lines.append(_("From Schedule (planned work): {share}").format(share=shown))
    lines.append(_("Last 12 weeks: {spark}").format(spark=summary.spark))
    return lines
