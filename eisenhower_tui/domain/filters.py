"""The filter grammar shared by the matrix's `/` box and `eisenhower list`.

Words are ANDed: ``#tag`` (a tag starting so), ``@who`` (the delegate starting so),
``overdue``, ``due:today``, ``due:week`` (within the next 7 days, overdue included), ``abandoned``
(the tasks given up on, which the panes leave out otherwise), anything else is text found in the
title or the notes. Case does not matter.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from ..model import Task, due_instant

__all__ = ["Filter"]

_WORDS_OVERDUE = frozenset({"overdue", "retard", "en-retard"})
_DUE_TODAY = frozenset({"due:today", "due:aujourd'hui", "due:auj"})
_DUE_WEEK = frozenset({"due:week", "due:semaine"})
_ABANDONED = frozenset({"abandoned", "abandonné", "abandonnée", "abandonne", "abandonnee"})


@dataclass(frozen=True, slots=True)
class Filter:
    text: str = ""

    @property
    def active(self) -> bool:
        return bool(self.text.strip())

    @property
    def shows_abandoned(self) -> bool:
        """The filter asks for abandoned tasks: the matrix shows them (they match nothing else)."""
        return any(word in _ABANDONED for word in self.text.lower().split())

    def matches(self, task: Task, now: datetime) -> bool:
        for word in self.text.lower().split():
            if not _word_matches(word, task, now):
                return False
        return True


def _due_within(task: Task, now: datetime, end: datetime) -> bool:
    if not task.due:
        return False
    try:
        return due_instant(task.due, now.tzinfo) <= end
    except (ValueError, OverflowError):
        return False


def _midnight_after(now: datetime, *, days: int) -> datetime:
    """The end of the day ``days - 1`` days from now (all-day deadlines end at that midnight)."""
    return datetime.combine(now.date() + timedelta(days=days), datetime.min.time(), now.tzinfo)


def _word_matches(word: str, task: Task, now: datetime) -> bool:
    if word.startswith("#") and len(word) > 1:
        return any(tag.lower().startswith(word[1:]) for tag in task.tags)
    if word.startswith("@") and len(word) > 1:
        return (task.delegate or "").lower().startswith(word[1:])
    if word in _ABANDONED:
        return task.abandoned is not None
    if word in _WORDS_OVERDUE:
        return _due_within(task, now, now)
    if word in _DUE_TODAY:
        end_of_day = datetime.combine(
            now.date() + timedelta(days=1), datetime.min.time(), now.tzinfo
        )
        return _due_within(task, now, end_of_day)
    if word in _DUE_WEEK:
        return _due_within(task, now, _midnight_after(now, days=7))
    return word in task.title.lower() or word in task.notes.lower()
