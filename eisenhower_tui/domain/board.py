"""What the matrix shows, as plain data: the tasks, and each pane's rows in order.

The screen owns no rule: it asks the board to load, filter or apply changes and pushes the rows
of the panes the board says were touched down to those panes. Pure, so it is tested without
Textual and used by the benchmarks.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from ..model import Quadrant, Task, pane_order
from .changes import Change, apply_changes
from .filters import Filter
from .hidden import in_panes, is_waiting

__all__ = ["Board"]


class Board:
    def __init__(self) -> None:
        self.tasks: dict[str, Task] = {}
        self.graveyard: dict[str, Task] = {}  # deleted in this window: undo brings them back
        self.filter = Filter()
        self.show_done = False
        self.show_waiting = False  # W: tasks hidden until later show too (dimmed)
        self.now: datetime | None = None
        self.rows: dict[Quadrant, list[Task]] = {q: [] for q in Quadrant}
        self.open_counts: dict[Quadrant, int] = dict.fromkeys(Quadrant, 0)
        # Open tasks hidden until later, per quadrant: the panes' titles say "+3 waiting".
        self.waiting_counts: dict[Quadrant, int] = dict.fromkeys(Quadrant, 0)
        self._key: Callable[[Task], Any] = lambda t: 0

    def lookup(self, task_id: str) -> Task | None:
        return self.tasks.get(task_id) or self.graveyard.get(task_id)

    def visible(self, task: Task) -> bool:
        if task.done is not None and not self.show_done:
            return False
        now = self.now or datetime.now().astimezone()
        if not in_panes(task, now) and not self._shown_anyway(task, now):
            return False
        return not self.filter.active or self.filter.matches(task, now)

    def _shown_anyway(self, task: Task, now: datetime) -> bool:
        """Left out of the panes, but asked for: waiting ones with W, abandoned ones by the
        filter's ``abandoned`` word. Deleted tasks never show."""
        if task.deleted is not None:
            return False
        if task.abandoned is not None:
            return self.filter.shows_abandoned
        return self.show_waiting and is_waiting(task, now)

    def waits(self, task: Task) -> bool:
        """In a pane's count of waiting tasks: open, and hidden until later."""
        return task.is_open and is_waiting(task, self.now or datetime.now().astimezone())

    def counted(self, task: Task) -> bool:
        """In a pane's count of open tasks: open, and not waiting until later."""
        return task.is_open and in_panes(task, self.now or datetime.now().astimezone())

    def load(self, tasks: Iterable[Task], now: datetime) -> set[str]:
        """Replace every task (a start or a re-read); returns the ids that are new."""
        old = set(self.tasks)
        self.tasks = {t.id: t for t in tasks}
        self.rebuild(now)
        return set(self.tasks) - old if old else set()

    def rebuild(self, now: datetime) -> None:
        """Every pane's rows again, in order (a filter, the minute tick, a re-read)."""
        self.now = now
        self._key = pane_order(now)
        buckets: dict[Quadrant, list[Task]] = {q: [] for q in Quadrant}
        counts = dict.fromkeys(Quadrant, 0)
        waiting = dict.fromkeys(Quadrant, 0)
        matches = self.filter.matches if self.filter.active else None
        show_done = self.show_done
        for task in self.tasks.values():
            quadrant = task.quadrant
            if task.wait is None and task.abandoned is None and task.deleted is None:
                # Most tasks: in the panes, counted while open. The same as counted() and
                # visible() below, without their date checks (this runs for every task at start).
                if task.done is None:
                    counts[quadrant] += 1
                elif not show_done:
                    continue
                if matches is None or matches(task, now):
                    buckets[quadrant].append(task)
                continue
            if self.counted(task):
                counts[quadrant] += 1
            elif self.waits(task):
                waiting[quadrant] += 1
            if self.visible(task):
                buckets[quadrant].append(task)
        for rows in buckets.values():
            rows.sort(key=self._key)
        self.rows, self.open_counts, self.waiting_counts = buckets, counts, waiting

    def apply(self, changes: Iterable[Change]) -> set[Quadrant]:
        """Apply changes to the view now; returns the quadrants whose rows changed.

        Only the changed tasks move: a key press costs O(log n) comparisons and one insertion,
        not a re-sort of every task.
        """
        touched: set[Quadrant] = set()
        for old, new in apply_changes(self.tasks, changes, self.graveyard):
            if old is not None:
                rows = self.rows[old.quadrant]
                index = next((i for i, t in enumerate(rows) if t.id == old.id), None)
                if index is not None:
                    del rows[index]
                if self.counted(old):
                    self.open_counts[old.quadrant] -= 1
                elif self.waits(old):
                    self.waiting_counts[old.quadrant] -= 1
                touched.add(old.quadrant)
            if new is not None:
                if self.visible(new):
                    bisect.insort(self.rows[new.quadrant], new, key=self._key)
                if self.counted(new):
                    self.open_counts[new.quadrant] += 1
                elif self.waits(new):
                    self.waiting_counts[new.quadrant] += 1
                touched.add(new.quadrant)
        return touched

    def shown_count(self) -> int:
        return sum(len(rows) for rows in self.rows.values())
