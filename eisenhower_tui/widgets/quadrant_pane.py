"""A titled pane holding one quadrant's task list and its empty state."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from ..domain.review import over_limit, pane_heading
from ..i18n import _
from ..model import Quadrant, Task
from .task_list import TaskList


def empty_message() -> str:
    """The empty pane's words, read when shown so the language applies."""
    return _("Nothing here. Press a to add a task.")


class QuadrantPane(Vertical):
    def __init__(self, quadrant: Quadrant, list_: TaskList) -> None:
        super().__init__(id=f"pane-{int(quadrant)}", classes="pane")
        self.quadrant = quadrant
        self.task_list = list_
        self._filtered = False

    def compose(self) -> ComposeResult:
        yield self.task_list
        yield Static(empty_message(), classes="empty", markup=False)

    def show(
        self,
        tasks: list[Task],
        open_count: int,
        keep_id: str | None = None,
        *,
        filtered: bool = False,
        waiting: int = 0,
        limit: int | None = None,
    ) -> None:
        """Rows pushed down by the screen; the title says the quadrant and its open count.

        ``filtered``: a filter is on, so an empty pane says nothing matches (not "add one").
        ``waiting``: open tasks hidden until later (``+3 waiting``); ``limit``: the quadrant's
        limit from the config (``7/8``, in the warning colour when over).
        """
        # Touch the title and the class only when they change: each change costs a layout pass.
        # The title is built from our own words and numbers only, never from user text.
        title = pane_heading(self.quadrant, open_count, limit, waiting)
        if self.border_title != title:
            self.border_title = title
        over = over_limit(open_count, limit)
        if self.has_class("-over-limit") != over:
            self.set_class(over, "-over-limit")
        self.task_list.set_tasks(tasks, keep_id)
        if self.has_class("is-empty") != (not tasks):
            self.set_class(not tasks, "is-empty")
        if not tasks and self._filtered != filtered:
            self._filtered = filtered
            empty = _("No match for the filter.") if filtered else empty_message()
            self.query_one(".empty", Static).update(empty)
