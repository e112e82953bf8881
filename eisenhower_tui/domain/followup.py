"""Delegated work: when it was handed over, when to ask how it goes, and who owes what.

A delegate given for the first time stamps ``delegated`` and sets ``follow_up`` (unless one was
given) to a default number of working days later (config ``follow_up_days``, 3). A check-in
appends a dated line to the notes and moves the follow-up on by that default. Pure.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from ..i18n import _
from ..model import Task, clean_delegate, is_overdue, iso_now, parse_stamp, sanitize_line
from .changes import Edit

__all__ = [
    "DEFAULT_FOLLOW_UP_DAYS",
    "check_in",
    "delegate_fields",
    "follow_up_after",
    "follow_up_overdue",
    "owed_by",
    "set_follow_up",
    "waiting_days",
    "waiting_text",
]

DEFAULT_FOLLOW_UP_DAYS = 3


def follow_up_after(day: date, working_days: int) -> str:
    """``working_days`` Monday-to-Friday days after ``day``, as an ISO date."""
    current = day
    left = max(0, working_days)
    while left:
        current += timedelta(days=1)
        if current.weekday() < 5:
            left -= 1
    return current.isoformat()


def delegate_fields(
    task: Task,
    delegate: str | None,
    now: datetime,
    follow_up_days: int = DEFAULT_FOLLOW_UP_DAYS,
) -> dict[str, Any]:
    """The fields a new delegate sets: who, since when, and when to follow up.

    Handing the task to someone else keeps the follow-up date but restarts ``delegated``;
    taking it back clears both.
    """
    name = clean_delegate(delegate)
    if name == task.delegate:
        return {}
    if name is None:
        return {"delegate": None, "delegated": None, "follow_up": None}
    fields: dict[str, Any] = {"delegate": name, "delegated": iso_now(now)}
    if task.follow_up is None:
        fields["follow_up"] = follow_up_after(now.date(), follow_up_days)
    return fields


def set_follow_up(task: Task, follow_up: str | None) -> Edit | None:
    if task.follow_up == follow_up:
        return None
    return Edit(task.id, {"follow_up": task.follow_up}, {"follow_up": follow_up})


def waiting_days(task: Task, now: datetime) -> int | None:
    """Whole days since the task was delegated (None: not delegated, or no stamp)."""
    if not task.delegate:
        return None
    since = parse_stamp(task.delegated)
    if since is None:
        return None
    local = since.astimezone(now.tzinfo) if now.tzinfo else since
    return max(0, (now.date() - local.date()).days)


def waiting_text(task: Task, now: datetime) -> str:
    """``waiting 9d``: how long the delegate has had it; empty when unknown."""
    days = waiting_days(task, now)
    return "" if days is None else _("waiting {n}d").format(n=days)


def follow_up_overdue(task: Task, now: datetime) -> bool:
    """An open delegated task whose follow-up day has passed without a check-in."""
    return bool(task.is_open and task.delegate and is_overdue(task.follow_up, now))


def check_in(
    task: Task,
    now: datetime,
    text: str = "",
    follow_up_days: int = DEFAULT_FOLLOW_UP_DAYS,
) -> Edit:
    """``2026-11-26: checked in with Bob: text`` appended to the notes; follow-up moved on."""
    who = task.delegate or _("the delegate")
    line = _("{day}: checked in with {who}").format(day=now.date().isoformat(), who=who)
    extra = sanitize_line(text)
    if extra:
        line += ": " + extra
    notes = f"{task.notes}\n{line}" if task.notes else line
    after = {"notes": notes, "follow_up": follow_up_after(now.date(), follow_up_days)}
    return Edit(task.id, {"notes": task.notes, "follow_up": task.follow_up}, after)


def owed_by(tasks: Iterable[Task], who: str | None = None) -> dict[str, list[Task]]:
    """Open delegated tasks by person (case does not matter), people in alphabetical order;
    with ``who``, only the people whose name starts so."""
    prefix = (clean_delegate(who) or "").casefold()
    people: dict[str, list[Task]] = {}
    names: dict[str, str] = {}
    for task in tasks:
        if not task.is_open or not task.delegate:
            continue
        key = task.delegate.casefold()
        if prefix and not key.startswith(prefix):
            continue
        names.setdefault(key, task.delegate)
        people.setdefault(key, []).append(task)
    return {names[key]: people[key] for key in sorted(people)}
