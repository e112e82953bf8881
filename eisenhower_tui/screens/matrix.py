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
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid
from textual.signal import Signal
from textual.widgets import Input, Static

from ..config import Config
from ..domain import changes as ops
from ..domain.board import Board
from ..domain.changes import Edit
from ..domain.filters import Filter
from ..domain.history import Direction, History
from ..domain.review import limit_warning
from ..i18n import _, ngettext
from ..model import InvalidTask, Quadrant, Task, display_safe, iso_now, sanitize_line
from ..store import Signature, Snapshot, Store
from ..widgets.key_bar import KeyBar
from ..widgets.quadrant_pane import QuadrantPane
from ..widgets.task_list import TaskList
from ..writer import Batch, TaskWriter
from .file_link import FileLink
from .help import HelpScreen, binding_rows
from .practice import PracticeActions

if TYPE_CHECKING:
    from .dialogs import DeadlineScreen, EditTaskScreen

# The dialogs are imported where they open: their widgets (TextArea, Button...) cost about
# 15 ms of every start and most sessions open few of them.

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


class MatrixScreen(PracticeActions, FileLink):
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
                cause="add",
                recur=draft.every,
                wait=draft.wait.due if draft.wait else None,
                follow_up=draft.follow.due if draft.follow else None,
                follow_up_days=self.config.follow_up_days,
            )
            self.commit_edits([ops.created(task)], _("add"), follow=task.id)
            message = _("Added to {quadrant}").format(quadrant=_(task.quadrant.label))
            if task.escalated:
                message += " " + _("(the deadline is close, so it is urgent)")
            if self.board.waits(task) and not self.board.show_waiting:
                message += " " + _("(waiting until later; W shows waiting tasks)")
            elif not self.board.visible(task):
                message += " " + _("(hidden by the filter; escape clears it)")
            warning = self.limit_notice(task.quadrant)
            self.notify(message, timeout=3, markup=False)
            if warning:
                self.notify(warning, severity="warning", timeout=5, markup=False)

        from .dialogs import QuickAddScreen

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
            try:
                # The whole form is one edit, so one undo restores every field it changed.
                edit = ops.revise(
                    self._live(task),
                    now=self.clock(),
                    horizon=self.horizon,
                    due=result.due,
                    quadrant=result.quadrant,
                    title=result.title,
                    notes=result.notes,
                    tags=result.tags,
                    delegate=result.delegate,
                )
            except InvalidTask as exc:
                self.notify(sanitize_line(str(exc)), severity="error", markup=False)
                return
            self.commit_edits([edit], _("edit"), follow=task.id)

        from .dialogs import EditTaskScreen

        self.app.push_screen(
            EditTaskScreen(task, self.clock(), week_start=self.config.week_start), edited
        )

    def action_details(self) -> None:
        task = self._need_task()
        if task is None:
            return

        def closed(result: str | None) -> None:
            if result == "edit":
                self.action_edit()

        from .dialogs import DetailScreen

        self.app.push_screen(DetailScreen(task, self.clock()), closed)

    def action_deadline(self) -> None:
        task = self._need_task()
        if task is None:
            return

        def chosen(result: DeadlineScreen.Result | None) -> None:
            if result is not None:
                edit = ops.set_due(self._live(task), result.due, self.clock(), self.horizon)
                self.commit_edits([edit], _("deadline"), follow=task.id)

        from .dialogs import DeadlineScreen

        self.app.push_screen(
            DeadlineScreen(task, self.clock(), week_start=self.config.week_start),
            chosen,
        )

    # --- marks: v marks tasks; x, m, delete, D and t then act on all of them as one step ----

    def _targets(self) -> list[Task]:
        """The marked tasks (as the board holds them), or the task under the cursor."""
        if self.marked and self._acting_on is None:
            return [self.board.tasks[i] for i in list(self.marked) if i in self.board.tasks]
        task = self._need_task()
        return [self._live(task)] if task is not None else []

    def _bulk(self, edits: list[Edit | None], label: str, follow: str | None = None) -> int:
        """Commit the edits of a key as one undoable step; marks are used up. Returns a count."""
        real = [e for e in edits if e is not None]
        if self._acting_on is None:  # the review acts on its own task: the marks stay
            self.clear_marks()
        self.commit_edits(real, label, follow=follow)
        return len(real)

    def clear_marks(self) -> None:
        if self.marked:
            self.marked.clear()
            for task_list in self.lists.values():
                task_list.refresh()
            self._update_status()

    def action_toggle_mark(self) -> None:
        task_list = self.lists[self.focused_quadrant]
        task = task_list.highlighted
        if task is None:
            return
        if task.id in self.marked:
            self.marked.discard(task.id)
        else:
            self.marked.add(task.id)
        task_list.refresh()
        # The next row is the next one a user triaging a list wants to look at.
        if task_list.cursor < len(task_list.tasks) - 1:
            task_list.cursor += 1
        self._update_status()

    def action_clear_deadline(self) -> None:
        targets = [t for t in self._targets() if t.due]
        if not targets:
            return
        now = self.clock()
        follow = targets[0].id if len(targets) == 1 else None
        edits = [ops.set_due(t, None, now, self.horizon) for t in targets]
        self._bulk(list(edits), _("clear deadline"), follow=follow)

    def move_task(self, task: Task, quadrant: Quadrant, *, follow: bool = True) -> None:
        edit = ops.move(self._live(task), quadrant, self.clock(), self.horizon, cause="key")
        self.commit_edits([edit], _("move"), follow=task.id if follow else None)
        if edit is not None:
            self.warn_limit(quadrant)

    def limit_notice(self, quadrant: Quadrant) -> str | None:
        """What to say when ``quadrant`` now holds more open tasks than its limit (soft)."""
        limit = self.config.limits.get(quadrant)
        return limit_warning(quadrant, self.board.open_counts[quadrant], limit)

    def warn_limit(self, quadrant: Quadrant) -> None:
        warning = self.limit_notice(quadrant)
        if warning:
            self.notify(warning, severity="warning", timeout=5, markup=False)

    def action_move_prompt(self) -> None:
        targets = self._targets()
        if not targets:
            return
        marked = bool(self.marked)
        current = None if marked else targets[0].quadrant
        heading = (
            ngettext(
                "Move {n} task to which quadrant?",
                "Move {n} tasks to which quadrant?",
                len(targets),
            ).format(n=len(targets))
            if marked
            else None
        )

        def picked(quadrant: Quadrant | None) -> None:
            if quadrant is None:
                return
            # The cursor stays in the pane being triaged, on the next task.
            now = self.clock()
            moved = self._bulk(
                [ops.move(self._live(t), quadrant, now, self.horizon, "key") for t in targets],
                _("move"),
            )
            if moved:
                message = ngettext(
                    "Moved {n} task to {quadrant} · u to undo",
                    "Moved {n} tasks to {quadrant} · u to undo",
                    moved,
                ).format(n=moved, quadrant=_(quadrant.label))
                self.notify(message, timeout=3, markup=False)
                self.warn_limit(quadrant)

        from .dialogs import MoveScreen

        self.app.push_screen(MoveScreen(current, heading), picked)

    def action_add_tag(self) -> None:
        targets = self._targets()
        if not targets:
            return
        heading = ngettext("Add a tag to {n} task", "Add a tag to {n} tasks", len(targets)).format(
            n=len(targets)
        )

        def chosen(tag: str | None) -> None:
            if not tag:
                return
            follow = targets[0].id if len(targets) == 1 else None
            edits = [ops.add_tag(self._live(t), tag) for t in targets]
            tagged = self._bulk(list(edits), _("tag"), follow=follow)
            message = ngettext(
                "Tagged {n} task · u to undo", "Tagged {n} tasks · u to undo", tagged
            ).format(n=tagged)
            self.notify(message, timeout=3, markup=False)

        from .dialogs import TagScreen

        self.app.push_screen(TagScreen(heading), chosen)

    def action_reorder(self, offset: int) -> None:
        task = self._need_task()
        if task is None:
            return
        rows = self.board.rows[task.quadrant]
        edits = ops.reorder(rows, task.id, offset)
        if not edits:
            if task.due:
                message = _("Tasks with a deadline sort by their deadline.")
                self.notify(message, severity="warning", timeout=3)
            else:
                self.app.bell()
            return
        self.commit_edits(list(edits), _("reorder"), follow=task.id)

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
        self.move_task(task, target)  # shift-moves follow the task: it is the one being placed

    def action_toggle_done(self) -> None:
        targets = self._targets()
        if not targets:
            return
        # Marked tasks all become done, unless they all are already: then all open again.
        done = any(t.done is None for t in targets)
        now = self.clock()
        follow = targets[0].id if len(targets) == 1 else None
        lookup = self.board.lookup
        edits = [ops.set_done(t, done, now, lookup=lookup) for t in targets]
        real = [e for e in edits if e is not None]
        # A recurring task's next instance is made in the same step: one u takes both back.
        count = self._bulk([part for e in real for part in e.step], _("done"), follow)
        if not count:
            return
        count = len(real)
        if done:
            message = ngettext("Done · u to undo", "{n} done · u to undo", count)
        else:
            message = ngettext("Not done · u to undo", "{n} not done · u to undo", count)
        message = message.format(n=count)
        following = [e.then[0].insert for e in real if e.then and e.then[0].insert is not None]
        if following:
            message += "\n" + self.next_instance_notice(following)
        self.notify(message, timeout=3, markup=False)

    def action_delete(self) -> None:
        targets = self._targets()
        if not targets:
            return

        def confirmed(yes: bool | None) -> None:
            if not yes:
                return
            now = self.clock()
            count = self._bulk([ops.delete(self._live(t), now) for t in targets], _("delete"))
            message = ngettext(
                "Deleted. Press u to undo.", "Deleted {n} tasks. Press u to undo.", count
            )
            self.notify(message.format(n=count), timeout=3)

        if self.config.confirm_delete:
            if len(targets) == 1:
                question = _("Delete this task?") + "\n" + display_safe(targets[0]).title
            else:
                question = _("Delete {n} tasks?").format(n=len(targets))
            from .dialogs import ConfirmScreen

            self.app.push_screen(ConfirmScreen(question), confirmed)
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
