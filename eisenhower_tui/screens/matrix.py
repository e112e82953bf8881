"""The four-pane matrix: layout, bindings and the actions keys run. No rule lives here.

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
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid
from textual.widgets import Input, Static

from ..config import Config
from ..domain import changes as ops
from ..domain.board import Board
from ..domain.changes import Change, Edit
from ..domain.filters import Filter
from ..domain.history import Direction, History, Step
from ..i18n import _
from ..model import InvalidTask, Quadrant, Task, display_safe, iso_now, sanitize_line
from ..store import Signature, Snapshot, Store
from ..widgets.key_bar import KeyBar
from ..widgets.quadrant_pane import QuadrantPane
from ..widgets.task_list import TaskList
from ..writer import Batch, TaskWriter
from .dialogs import ConfirmScreen, DeadlineScreen, EditTaskScreen, MoveScreen, QuickAddScreen
from .file_link import FileLink
from .help import HelpScreen, binding_rows

# Panes in the grid: (row, column) of each quadrant.
POSITION = {
    Quadrant.DO: (0, 0),
    Quadrant.SCHEDULE: (0, 1),
    Quadrant.DELEGATE: (1, 0),
    Quadrant.ELIMINATE: (1, 1),
}
AT = {pos: q for q, pos in POSITION.items()}
MIN_WIDTH, MIN_HEIGHT = 60, 16


class MatrixScreen(FileLink):
    BINDINGS = [
        Binding("1", "focus_quadrant(1)", _("Do"), show=False, id="focus-1"),
        Binding("2", "focus_quadrant(2)", _("Schedule"), show=False, id="focus-2"),
        Binding("3", "focus_quadrant(3)", _("Delegate"), show=False, id="focus-3"),
        Binding("4", "focus_quadrant(4)", _("Eliminate"), show=False, id="focus-4"),
        Binding("a", "add", _("Add"), id="add"),
        Binding("e,enter", "edit", _("Edit"), id="edit"),
        Binding("d", "deadline", _("Due"), id="deadline"),
        Binding("D", "clear_deadline", _("Clear due"), show=False, id="clear-deadline"),
        Binding("m", "move_prompt", _("Move"), id="move"),
        Binding("shift+left,H", "move_dir('left')", _("Move left"), show=False, id="move-left"),
        Binding("shift+right,L", "move_dir('right')", _("Move right"), show=False, id="move-right"),
        Binding("shift+up,K", "move_dir('up')", _("Move up"), show=False, id="move-up"),
        Binding("shift+down,J", "move_dir('down')", _("Move down"), show=False, id="move-down"),
        Binding("x,space", "toggle_done", _("Done"), id="done"),
        Binding("delete", "delete", _("Delete"), show=False, id="delete"),
        Binding("u,ctrl+z", "undo", _("Undo"), id="undo"),
        Binding("ctrl+y", "redo", _("Redo"), show=False, id="redo"),
        Binding("slash", "filter", _("Filter"), id="filter"),
        Binding("z", "zoom", _("Zoom"), show=False, id="zoom"),
        Binding("c", "toggle_completed", _("Completed"), show=False, id="completed"),
        Binding("question_mark", "help", _("Help"), id="help"),
        Binding("M", "merge_conflicts", _("Merge sync conflicts"), show=False, id="merge"),
        Binding("S", "sync", _("Sync with the CalDAV server"), show=False, id="sync"),
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
                pane = QuadrantPane(quadrant, task_list)
                self.panes[quadrant] = pane
                self.lists[quadrant] = task_list
                yield pane
        yield Static(
            _("The terminal is too small. Make it at least 60 x 16."),
            id="too-small",
            markup=False,
        )
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
        self.set_class(width < MIN_WIDTH or height < MIN_HEIGHT, "-too-small")

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
            )
        self._update_status()

    def refresh_panes(self) -> None:
        self.board.rebuild(self.clock())
        self._push()

    def _update_status(self) -> None:
        bits = []
        if self.board.filter.active:
            shown = self.board.shown_count()
            bits.append(_("filter: ") + self.board.filter.text + f" ({shown})")
        if self.board.show_done:
            bits.append(_("showing completed"))
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

    def action_add(self) -> None:
        quadrant = self.focused_quadrant

        def added(draft: Any) -> None:
            if draft is None:
                return
            now = self.clock()
            task = ops.add_task(
                title=draft.title,
                quadrant=draft.quadrant,
                explicit=draft.quadrant_from_tokens,
                now=now,
                horizon=self.horizon,
                due=draft.deadline.due if draft.deadline else None,
                tags=draft.tags,
                delegate=draft.delegate,
            )
            step = Step([Edit(task.id, {"deleted": task.created}, {"deleted": None})], _("add"))
            self.commit(step, [Change(task.id, insert=task, stamp=task.updated)], follow=task.id)
            message = _("Added to {quadrant}").format(quadrant=_(task.quadrant.label))
            if task.escalated:
                message += " " + _("(the deadline is close, so it is urgent)")
            self.notify(message, timeout=3, markup=False)

        self.app.push_screen(
            QuickAddScreen(
                quadrant,
                self.clock(),
                week_start=self.config.week_start,
                default_label=_("this pane"),
                horizon=self.horizon,
            ),
            added,
        )

    def _need_task(self) -> Task | None:
        task = self.current_task
        if task is None:
            self.notify(_("No task selected"), severity="warning", timeout=2)
        return task

    def _live(self, task: Task) -> Task:
        """The task as the board holds it now (a dialog shows a cleaned copy)."""
        return self.board.tasks.get(task.id, task)

    def action_edit(self) -> None:
        task = self._need_task()
        if task is None:
            return

        def edited(result: EditTaskScreen.Result | None) -> None:
            if result is None:
                return
            fields: dict[str, Any] = {"title": result.title, "notes": result.notes}
            fields.update(tags=result.tags, delegate=result.delegate)
            try:
                edit = ops.edit(self._live(task), **fields)
            except InvalidTask as exc:
                self.notify(sanitize_line(str(exc)), severity="error", markup=False)
                return
            self.commit_edits([edit], _("edit"), follow=task.id)

        self.app.push_screen(EditTaskScreen(task), edited)

    def action_deadline(self) -> None:
        task = self._need_task()
        if task is None:
            return

        def chosen(result: DeadlineScreen.Result | None) -> None:
            if result is not None:
                edit = ops.set_due(self._live(task), result.due, self.clock(), self.horizon)
                self.commit_edits([edit], _("deadline"), follow=task.id)

        self.app.push_screen(
            DeadlineScreen(task, self.clock(), week_start=self.config.week_start),
            chosen,
        )

    def action_clear_deadline(self) -> None:
        task = self._need_task()
        if task is not None and task.due:
            edit = ops.set_due(self._live(task), None, self.clock(), self.horizon)
            self.commit_edits([edit], _("clear deadline"), follow=task.id)

    def move_task(self, task: Task, quadrant: Quadrant) -> None:
        edit = ops.move(self._live(task), quadrant, self.clock(), self.horizon)
        self.commit_edits([edit], _("move"), follow=task.id)

    def action_move_prompt(self) -> None:
        task = self._need_task()
        if task is None:
            return

        def picked(quadrant: Quadrant | None) -> None:
            if quadrant is not None:
                self.move_task(task, quadrant)

        self.app.push_screen(MoveScreen(task.quadrant), picked)

    def action_move_dir(self, direction: str) -> None:
        task = self._need_task()
        if task is None:
            return
        target = self._neighbour(task.quadrant, direction)
        if target is None:
            self.app.bell()
            return
        if self.zoomed:
            self._zoom_to(target)
        self.move_task(task, target)

    def action_toggle_done(self) -> None:
        task = self._need_task()
        if task is None:
            return
        edit = ops.set_done(self._live(task), task.done is None, self.clock())
        self.commit_edits([edit], _("done"), follow=task.id)

    def action_delete(self) -> None:
        task = self._need_task()
        if task is None:
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.commit_edits([ops.delete(self._live(task), self.clock())], _("delete"))
                self.notify(_("Deleted. Press u to undo."), timeout=3)

        if self.config.confirm_delete:
            self.app.push_screen(
                ConfirmScreen(_("Delete this task?") + "\n" + task.title), confirmed
            )
        else:
            confirmed(True)

    def action_undo(self) -> None:
        self._walk("undo")

    def action_redo(self) -> None:
        self._walk("redo")

    def _walk(self, direction: Direction) -> None:
        step = self.history.peek(direction)
        if step is None:
            self.notify(
                _("Nothing to undo") if direction == "undo" else _("Nothing to redo"), timeout=2
            )
            return
        clashes = self.history.conflicts(step, direction, self.board.lookup)
        if clashes:
            task = self.board.lookup(clashes[0])
            title = display_safe(task).title if task else clashes[0][:8]
            message = _("'{title}' was changed elsewhere since; left as it is").format(title=title)
            self.notify(message, severity="warning", timeout=5, markup=False)
            return
        taken = self.history.take(direction, iso_now(self.clock()))
        assert taken is not None
        step, changes = taken
        self.commit(step, changes, follow=step.task_id, direction=direction)
        verb = _("Undone: {what}") if direction == "undo" else _("Redone: {what}")
        self.notify(verb.format(what=step.label), timeout=2, markup=False)

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
        if box is not None and (box.has_focus or self.board.filter.active):
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
        if self.board.filter.active and not self.board.visible(task):
            self._filter_box().value = ""
            self.board.filter = Filter()
        self.refresh_panes()
        if self.zoomed:
            self._zoom_to(task.quadrant)
        self.lists[task.quadrant].focus()
        self.lists[task.quadrant].select_id(task_id)
