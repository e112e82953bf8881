"""The four-pane matrix: layout, bindings, the view and navigation. No rule lives here; the keys
that change tasks are in ``task_actions``, the practice over weeks in ``practice``.

Data flow: a key asks the domain for an edit, the board (``domain.board``) applies it to the view
at once, the panes touched get their rows pushed down, and after that frame the change goes to the
:class:`~eisenhower_tui.writer.TaskWriter`, which writes it under the store's lock and reports back
with a message (see ``file_link``). A change made by another process is noticed by polling the
file's signature and shown by a re-read that keeps each cursor on its task.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid
from textual.signal import Signal
from textual.widgets import Input, Static

from ..config import Config
from ..domain.board import Board
from ..domain.filters import Filter
from ..domain.history import History
from ..i18n import _, ngettext
from ..model import Quadrant, Task, display_safe, sanitize_line
from ..store import Signature, Snapshot, Store
from ..widgets.key_bar import KeyBar
from ..widgets.quadrant_pane import QuadrantPane
from ..widgets.task_list import TaskList
from ..writer import Batch, TaskWriter
from .file_link import FileLink
from .help import HelpScreen, binding_rows
from .practice import PracticeActions
from .task_actions import TaskActions

# Panes in the grid: (row, column) of each quadrant.
POSITION = {
    Quadrant.DO: (0, 0),
    Quadrant.SCHEDULE: (0, 1),
    Quadrant.DELEGATE: (1, 0),
    Quadrant.ELIMINATE: (1, 1),
}
AT = {pos: q for q, pos in POSITION.items()}
# Four panes need 60x16; one zoomed pane (z) still works down to 40x10.
MIN_WIDTH, MIN_HEIGHT = 60, 16
ZOOM_MIN_WIDTH, ZOOM_MIN_HEIGHT = 40, 10


class MatrixScreen(TaskActions, PracticeActions, FileLink):
    BINDINGS = [
        Binding("1", "focus_quadrant(1)", _("Focus Do first"), show=False, id="focus-1"),
        Binding("2", "focus_quadrant(2)", _("Focus Schedule"), show=False, id="focus-2"),
        Binding("3", "focus_quadrant(3)", _("Focus Delegate"), show=False, id="focus-3"),
        Binding("4", "focus_quadrant(4)", _("Focus Eliminate"), show=False, id="focus-4"),
        Binding("a", "add", _("Add"), id="add"),
        Binding("e,enter", "edit", _("Edit"), id="edit"),
        Binding("i", "details", _("Details"), show=False, id="details"),
        Binding("d", "deadline", _("Due"), id="deadline"),
        Binding("D", "clear_deadline", _("Clear due"), show=False, id="clear-deadline"),
        Binding("m", "move_prompt", _("Move"), id="move"),
        Binding("shift+left,H", "move_dir('left')", _("Move left"), show=False, id="move-left"),
        Binding("shift+right,L", "move_dir('right')", _("Move right"), show=False, id="move-right"),
        Binding("shift+up,K", "move_dir('up')", _("Move up"), show=False, id="move-up"),
        Binding("shift+down,J", "move_dir('down')", _("Move down"), show=False, id="move-down"),
        Binding(
            "ctrl+up,less_than_sign",
            "reorder(-1)",
            _("Earlier in the pane"),
            show=False,
            id="reorder-up",
        ),
        Binding(
            "ctrl+down,greater_than_sign",
            "reorder(1)",
            _("Later in the pane"),
            show=False,
            id="reorder-down",
        ),
        Binding("x,space", "toggle_done", _("Done"), id="done"),
        Binding("v", "toggle_mark", _("Mark"), show=False, id="mark"),
        Binding("t", "add_tag", _("Add a tag"), show=False, id="tag"),
        Binding("delete", "delete", _("Delete"), show=False, id="delete"),
        Binding("u,ctrl+z", "undo", _("Undo"), id="undo"),
        Binding("ctrl+y", "redo", _("Redo"), show=False, id="redo"),
        Binding("slash", "filter", _("Filter"), id="filter"),
        Binding("z", "zoom", _("Zoom"), show=False, id="zoom"),
        Binding("c", "toggle_completed", _("Completed"), show=False, id="completed"),
        Binding("question_mark", "help", _("Help"), id="help"),
        Binding("M", "merge_conflicts", _("Merge sync conflicts"), show=False, id="merge"),
        Binding("S", "sync", _("Sync with the CalDAV server"), show=False, id="sync"),
        # The practice over weeks (screens/practice.py)
        Binding("R", "review", _("Weekly review"), show=False, id="review"),
        Binding("A", "abandon", _("Abandon or bring back"), show=False, id="abandon"),
        Binding("f", "check_in", _("Check in with the delegate"), show=False, id="check-in"),
        Binding("P", "people", _("Who owes what"), show=False, id="people"),
        Binding("W", "toggle_waiting", _("Show waiting tasks"), show=False, id="waiting"),
    ]

    # The writer is a seam: the benchmarks time or stub its writes through a subclass.
    writer_class: type[TaskWriter] = TaskWriter

    def __init__(
        self,
        store: Store,
        config: Config,
        *,
        clock: Callable[[], datetime],
        poll_interval: float | None = 0.5,
        initial: Snapshot | None = None,
    ) -> None:
        super().__init__()
        self._initial = initial
        self.store = store
        self.config = config
        self.clock = clock
        self.poll_interval = poll_interval
        self.horizon = config.horizon  # None: escalation is off
        self.board = Board()
        self.history = History()
        self.writer = self.writer_class(store, report=self._report_written)
        self.known_signature: Signature | None = None
        self.zoomed = False
        self._unsent: list[Batch] = []  # waiting for the frame that shows them
        self._reloading = False
        self._offered_copies: set[Path] = set()
        self._last_quadrant = Quadrant.DO
        self.panes: dict[Quadrant, QuadrantPane] = {}
        self.lists: dict[Quadrant, TaskList] = {}
        self.marked: set[str] = set()  # ids marked with v; every pane draws from this one set
        # The task a key acts on when the weekly review (not a pane's cursor) chose it.
        self._acting_on: Task | None = None
        self.review_position: tuple[int, str | None] = (0, None)  # R resumes here
        # Published after every change shown, so the review's lists follow the matrix.
        self.board_changed: Signal[MatrixScreen] = Signal(self, "board-changed")

    # --- compatibility views for the palette, tests and benchmarks ---------------------------

    @property
    def tasks(self) -> dict[str, Task]:
        return self.board.tasks

    # --- layout ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        now = self.clock()
        with Grid(id="matrix"):
            for quadrant in Quadrant:
                task_list = TaskList(
                    now=now,
                    horizon=self.config.horizon_or_default,
                    id=f"list-{int(quadrant)}",
                )
                task_list.marked = self.marked
                pane = QuadrantPane(quadrant, task_list)
                self.panes[quadrant] = pane
                self.lists[quadrant] = task_list
                yield pane
        yield Static("", id="too-small", markup=False)
        yield Static("", id="status", markup=False)
        yield KeyBar(id="keys")

    def on_mount(self) -> None:
        snapshot, self._initial = self._initial or self.store.read(), None
        self._load(snapshot, mark_new=False)
        self.lists[Quadrant.DO].focus()
        self.writer.start()
        if self.poll_interval:
            self.set_interval(self.poll_interval, self.poll_file)
            self.set_interval(10, self.check_conflict_copies)
        self.set_interval(60, self.tick_minute)
        self.check_conflict_copies()
        self.call_after_refresh(self.run_escalation)
        self.start_sync_schedule()
        self._check_size()

    def on_unmount(self) -> None:
        self.flush_writes()
        self.writer.stop()

    def on_resize(self) -> None:
        self._check_size()

    def _check_size(self) -> None:
        width, height = self.app.size
        four_fit = width >= MIN_WIDTH and height >= MIN_HEIGHT
        one_fits = width >= ZOOM_MIN_WIDTH and height >= ZOOM_MIN_HEIGHT
        too_small = not one_fits or (not four_fit and not self.zoomed)
        if too_small:
            message = (
                _("The terminal is too small for four panes (60 x 16).")
                + "\n"
                + _("Press z to show one pane.")
                if one_fits
                else _("The terminal is too small. Make it at least 60 x 16.")
            )
            self.query_one("#too-small", Static).update(message)
        self.set_class(too_small, "-too-small")

    # --- the view -------------------------------------------------------------------------

    @property
    def focused_quadrant(self) -> Quadrant:
        for quadrant, task_list in self.lists.items():
            if task_list.has_focus:
                return quadrant
        return self._last_quadrant

    @property
    def current_task(self) -> Task | None:
        """The task under the cursor, with its text safe to show in a dialog."""
        if self._acting_on is not None:
            return display_safe(self._live(self._acting_on))
        task = self.lists[self.focused_quadrant].highlighted
        return display_safe(task) if task is not None else None

    def _push(
        self, quadrants: set[Quadrant] | None = None, keep: dict[Quadrant, str] | None = None
    ):
        """Push the board's rows down to the panes it touched, keeping cursors on their tasks."""
        for quadrant in quadrants if quadrants is not None else set(Quadrant):
            pane = self.panes[quadrant]
            pane.task_list.now = self.board.now or self.clock()
            pane.show(
                self.board.rows[quadrant],
                self.board.open_counts[quadrant],
                (keep or {}).get(quadrant),
                filtered=self.board.filter.active,
                waiting=self.board.waiting_counts[quadrant],
                limit=self.config.limits.get(quadrant),
            )
        self._update_status()
        self.board_changed.publish(self)

    def refresh_panes(self) -> None:
        self.board.rebuild(self.clock())
        self._push()

    def _update_status(self) -> None:
        bits = []
        if self.marked:
            bits.append(
                ngettext("{n} marked", "{n} marked", len(self.marked)).format(n=len(self.marked))
                + " "
                + _("(escape clears)")
            )
        if self.board.filter.active:
            # shown / total open tasks: how much of the list the filter hides
            shown = sum(1 for rows in self.board.rows.values() for t in rows if t.done is None)
            total = sum(self.board.open_counts.values())
            text = sanitize_line(self.board.filter.text)
            bits.append(_("filter: ") + text + f" ({shown}/{total})")
        if self.board.show_done:
            bits.append(_("showing completed"))
        if self.board.show_waiting:
            bits.append(_("showing waiting (W hides)"))
        if self.zoomed:
            bits.append(_("zoomed (z to return)"))
        if self.sync_status:
            bits.append(self.sync_status)
        status = self.query_one("#status", Static)
        status.update("  ·  ".join(bits))
        status.display = bool(bits)

    # --- actions --------------------------------------------------------------------------

    def action_focus_quadrant(self, number: int) -> None:
        quadrant = Quadrant(number)
        if self.zoomed:
            self._zoom_to(quadrant)
        self.lists[quadrant].focus()

    def _neighbour(self, quadrant: Quadrant, direction: str) -> Quadrant | None:
        row, col = POSITION[quadrant]
        d_row, d_col = {"left": (0, -1), "right": (0, 1), "up": (-1, 0), "down": (1, 0)}[direction]
        return AT.get((row + d_row, col + d_col))

    @on(TaskList.Edge)
    def _edge(self, event: TaskList.Edge) -> None:
        target = self._neighbour(self.focused_quadrant, event.direction)
        if target is not None and not self.zoomed:
            task_list = self.lists[target]
            task_list.focus()
            if event.direction == "up":
                task_list.cursor = len(task_list.tasks) - 1
            elif event.direction == "down":
                task_list.cursor = 0

    @on(TaskList.Chosen)
    def _chosen(self, event: TaskList.Chosen) -> None:
        self.action_edit()

    def on_descendant_focus(self) -> None:
        for quadrant, task_list in self.lists.items():
            if task_list.has_focus:
                self._last_quadrant = quadrant

    def _filter_box(self) -> Input:
        """The filter input, mounted on first use: a hidden Input costs ~50 ms of every start."""
        box = next(self.query("#filter").results(Input), None)
        if box is None:
            box = Input(placeholder=_("Filter: text or #tag (escape clears)"), id="filter")
            self.mount(box, before="#matrix")
        return box

    def action_filter(self) -> None:
        box = self._filter_box()
        box.add_class("-visible")
        box.focus()

    def _set_filter(self, text: str) -> None:
        self.board.filter = Filter(text)
        self.refresh_panes()

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self._set_filter(event.value)

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self) -> None:
        box = self._filter_box()
        if not box.value:
            box.remove_class("-visible")
        self.lists[self._last_quadrant].focus()

    def key_escape(self) -> None:
        box = next(self.query("#filter").results(Input), None)
        if self.marked and not (box is not None and box.has_focus):
            self.clear_marks()
        elif box is not None and (box.has_focus or self.board.filter.active):
            box.value = ""
            box.remove_class("-visible")
            self._set_filter("")
            self.lists[self._last_quadrant].focus()
        elif self.zoomed:
            self.action_zoom()

    def action_zoom(self) -> None:
        if self.zoomed:
            self.zoomed = False
            self.query_one("#matrix").remove_class("-zoomed")
            for pane in self.panes.values():
                pane.remove_class("-zoom-target")
        else:
            self._zoom_to(self.focused_quadrant)
        self._check_size()
        self._update_status()

    def _zoom_to(self, quadrant: Quadrant) -> None:
        self.zoomed = True
        self.query_one("#matrix").add_class("-zoomed")
        for q, pane in self.panes.items():
            pane.set_class(q == quadrant, "-zoom-target")
        self.lists[quadrant].focus()

    def action_toggle_completed(self) -> None:
        self.board.show_done = not self.board.show_done
        self.refresh_panes()

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(binding_rows(self)))

    def go_to_task(self, task_id: str) -> None:
        """Command palette "go to task": clear what hides it, focus its pane and row."""
        task = self.board.tasks.get(task_id)
        if task is None:
            return
        if task.done and not self.board.show_done:
            self.board.show_done = True
        if self.board.waits(task) and not self.board.show_waiting:
            self.board.show_waiting = True  # hidden until later: W's view shows it
        if self.board.filter.active and not self.board.visible(task):
            self._filter_box().value = ""
            self.board.filter = Filter()
        if task.abandoned is not None:
            # Abandoned tasks show through the filter's word; the box says how it got there.
            box = self._filter_box()
            box.value = _("abandoned")
            box.add_class("-visible")
            self.board.filter = Filter(box.value)
        self.refresh_panes()
        if self.zoomed:
            self._zoom_to(task.quadrant)
        self.lists[task.quadrant].focus()
        self.lists[task.quadrant].select_id(task_id)
