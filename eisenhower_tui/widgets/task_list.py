"""A virtualised, one-line-per-task list.

One widget per task does not scale to thousands of tasks, and ``OptionList`` measures every option
up front. This draws only the visible rows from a plain list of tasks, so setting 10,000 rows costs
a list assignment. Task text is never parsed as markup: rows are built from plain segments.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ..dates import due_closeness, humanize_due
from ..domain.rows import RECURRING, row_notes
from ..i18n import _
from ..model import Task, sanitize_line

# Row glyphs: a task marked for a bulk action, a completed one, a recurring one, one with notes.
MARKED = "▶ "
DONE = "✓ "
RECURS = RECURRING + " "
NOTES = " ≡"


class TaskList(ScrollView, can_focus=True):
    """Rows of tasks with a cursor; posts messages, never touches the store."""

    BINDINGS = [
        Binding("up,k", "cursor_up", _("Up"), show=False, id="cursor-up"),
        Binding("down,j", "cursor_down", _("Down"), show=False, id="cursor-down"),
        Binding("left,h", "edge('left')", _("Pane left"), show=False, id="pane-left"),
        Binding("right,l", "edge('right')", _("Pane right"), show=False, id="pane-right"),
        Binding("home,g", "first", _("First task"), show=False, id="cursor-first"),
        Binding("end,G", "last", _("Last task"), show=False, id="cursor-last"),
        Binding("pageup", "page_up", _("Page up"), show=False, id="page-up"),
        Binding("pagedown", "page_down", _("Page down"), show=False, id="page-down"),
    ]

    COMPONENT_CLASSES = {
        "task-list--cursor",
        "task-list--cursor-blurred",
        "task-list--overdue",
        "task-list--day",
        "task-list--horizon",
        "task-list--later",
        "task-list--tag",
        "task-list--delegate",
        "task-list--done",
        "task-list--new",
        "task-list--marked",
        "task-list--notes",
        "task-list--hidden",
        "task-list--follow-up",
        "task-list--follow-up-late",
    }

    cursor: reactive[int] = reactive(0, always_update=True, init=False)

    @dataclass
    class Edge(Message):
        """The cursor tried to leave the list: up/down past an end, or left/right."""

        task_list: TaskList
        direction: str

    @dataclass
    class Highlighted(Message):
        task_list: TaskList
        task_id: str | None

    @dataclass
    class Chosen(Message):
        """Enter or double click on a row."""

        task_list: TaskList
        task_id: str

    def __init__(
        self,
        *,
        now: datetime | None = None,
        horizon: timedelta = timedelta(hours=48),
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.tasks: list[Task] = []
        self.now = now or datetime.now().astimezone()
        self.horizon = horizon
        self.new_ids: set[str] = set()
        self.marked: set[str] = set()  # ids marked with v for a bulk action (the screen's set)

    # data in

    def set_tasks(self, tasks: list[Task], keep_id: str | None = None) -> None:
        """Replace the rows, keeping the cursor on ``keep_id`` (or the current task) if present."""
        keep_id = keep_id or self.highlighted_id
        old_row = self.cursor
        self.tasks = tasks
        self.virtual_size = Size(0, len(tasks))  # never wider than the view: no sideways scroll
        row = next((i for i, t in enumerate(tasks) if t.id == keep_id), None) if keep_id else None
        if row is None:
            row = min(old_row, len(tasks) - 1)
        self.cursor = max(row, 0)
        self.refresh()

    def select_id(self, task_id: str) -> bool:
        for index, task in enumerate(self.tasks):
            if task.id == task_id:
                self.cursor = index
                return True
        return False

    @property
    def highlighted(self) -> Task | None:
        if 0 <= self.cursor < len(self.tasks):
            return self.tasks[self.cursor]
        return None

    @property
    def highlighted_id(self) -> str | None:
        task = self.highlighted
        return task.id if task else None

    # cursor

    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, len(self.tasks) - 1)) if self.tasks else 0

    def watch_cursor(self, old: int, new: int) -> None:
        if self.tasks:
            self.scroll_to_region(
                Region(0, new, max(self.size.width, 1), 1), animate=False, force=True
            )
        self.refresh()
        self.post_message(self.Highlighted(self, self.highlighted_id))

    def action_cursor_up(self) -> None:
        if self.cursor == 0 or not self.tasks:
            self.post_message(self.Edge(self, "up"))
        else:
            self.cursor -= 1

    def action_cursor_down(self) -> None:
        if self.cursor >= len(self.tasks) - 1:
            self.post_message(self.Edge(self, "down"))
        else:
            self.cursor += 1

    def action_edge(self, direction: str) -> None:
        self.post_message(self.Edge(self, direction))

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = len(self.tasks) - 1

    def action_page_up(self) -> None:
        self.cursor -= max(1, self.scrollable_content_region.height - 1)

    def action_page_down(self) -> None:
        self.cursor += max(1, self.scrollable_content_region.height - 1)

    def on_click(self, event: events.Click) -> None:
        row = event.y + self.scroll_offset.y
        if 0 <= row < len(self.tasks):
            self.cursor = row
            if event.chain >= 2:
                self.post_message(self.Chosen(self, self.tasks[row].id))

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def on_resize(self) -> None:
        self.virtual_size = Size(0, len(self.tasks))

    # drawing

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        row = y + self.scroll_offset.y
        base = self.rich_style
        if row >= len(self.tasks) or width <= 0:
            return Strip.blank(width, base)
        if row == self.cursor:
            name = "task-list--cursor" if self.has_focus else "task-list--cursor-blurred"
            base = base + self.get_component_rich_style(name, partial=True)
        segments = self._row_segments(self.tasks[row], width, base, row == self.cursor)
        strip = Strip(segments, width)
        return strip.crop_extend(0, width, base)

    def _row_segments(self, task: Task, width: int, base: Style, cursor: bool) -> list[Segment]:
        """One row: mark, title (+ notes glyph), then deadline, tags, delegate on the right.

        The title gets the room first: when it does not fit, the delegate goes, then the tags
        from the last, and only then is the title cut. The deadline label always stays.
        On the cursor row every part keeps the cursor's colours (they are chosen to read).
        """

        def style(name: str) -> Style:
            if cursor and name != "task-list--overdue":
                return Style()
            style = self.get_component_rich_style(name, partial=True)
            return Style(bold=style.bold) if cursor else style

        done = task.done is not None
        notes_of = row_notes(task, self.now)
        # Waiting (shown with W) or abandoned (shown by the filter): not in play, so dimmed.
        hidden = bool(notes_of.waiting_until or notes_of.abandoned)
        text_style = base + style("task-list--done") if done else base
        if hidden and not done:
            text_style += style("task-list--hidden")
        if task.id in self.new_ids:
            text_style += style("task-list--new")
        due: list[Segment] = []
        if task.due:
            closeness = due_closeness(task.due, self.now, self.horizon)
            label = humanize_due(task.due, self.now)
            due_style = base if done else base + style(f"task-list--{closeness}")
            due.append(Segment(label, due_style))
        for label in (notes_of.abandoned, notes_of.waiting_until):
            if label:
                due.append(Segment(label, base + style("task-list--hidden")))
        if notes_of.delegate_wait:
            late = notes_of.follow_up_late
            name = "task-list--follow-up-late" if late else "task-list--follow-up"
            due.append(Segment(notes_of.delegate_wait, base + style(name)))
        extras = [
            Segment("#" + sanitize_line(tag), base + style("task-list--tag")) for tag in task.tags
        ]
        if task.delegate:
            delegate = "@" + sanitize_line(task.delegate)
            extras.append(Segment(delegate, base + style("task-list--delegate")))
        marked = task.id in self.marked
        mark = MARKED if marked else (DONE if done else (RECURS if notes_of.recurring else "  "))
        mark_style = base + style("task-list--marked") if marked else text_style
        title = sanitize_line(task.title)
        notes = NOTES if task.notes.strip() else ""
        fixed = cell_len(mark) + cell_len(notes) + 2  # the gap (at least one cell) and the end

        def right_len(parts: list[Segment]) -> int:
            return sum(cell_len(s.text) for s in parts) + max(len(parts) - 1, 0)

        # Drop the details from the end (delegate, then tags) while the title does not fit.
        while extras and width - fixed - right_len(due + extras) < cell_len(title):
            extras.pop()
        right = due + extras
        # A deadline wider than half the row (a narrow pane, a long label) is cut too.
        budget = max(0, width // 2)
        spaced: list[Segment] = []
        for part in right:
            if spaced:
                spaced.append(Segment(" ", base))  # plain gaps: a colour never bleeds into them
            spaced.append(part)
        length = sum(cell_len(s.text) for s in spaced)
        if length > budget and cell_len(title) + fixed + length > width:
            spaced = next(iter(Segment.split_and_crop_lines(spaced, max(budget - 1, 0), pad=False)))
            spaced.append(Segment("…", base))
            length = sum(cell_len(s.text) for s in spaced)
        title_room = max(0, width - length - fixed)
        if cell_len(title) > title_room:
            title = set_cell_size(title, max(0, title_room - 1)) + "…" if title_room else ""
        gap = width - cell_len(mark) - cell_len(title) - cell_len(notes) - length - 1
        return [
            Segment(mark, mark_style),
            Segment(title, text_style),
            Segment(notes, base + style("task-list--notes")),
            Segment(" " * max(gap, 1), base),
            *spaced,
            Segment(" ", base),
        ]
