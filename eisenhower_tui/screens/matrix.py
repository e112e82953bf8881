"""The four-pane matrix: layout, bindings and message handlers. No rule lives here.

Data flow: a key asks the domain for an edit, the board (``domain.board``) applies it to the view
at once, the panes touched get their rows pushed down, and after that frame the change goes to the
:class:`~eisenhower_tui.writer.TaskWriter`, which writes it under the store's lock and reports back
with :class:`MatrixScreen.Written`. A change made by another process is noticed by polling the
file's signature and shown by a re-read that keeps each cursor on its task.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Input, Static

from ..config import Config
from ..domain import changes as ops
from ..domain.board import Board
from ..domain.changes import Change, Edit
from ..domain.filters import Filter
from ..domain.history import Direction, History, Step
from ..i18n import _, ngettext
from ..merge import find_conflict_copies, merge_copy
from ..model import InvalidTask, Quadrant, Task, display_safe, iso_now, sanitize_line
from ..store import Signature, Snapshot, Store, StoreError
from ..widgets.key_bar import KeyBar
from ..widgets.quadrant_pane import QuadrantPane
from ..widgets.task_list import TaskList
from ..writer import Batch, TaskWriter, WriteReport
from .dialogs import ConfirmScreen, DeadlineScreen, EditTaskScreen, MoveScreen, QuickAddScreen
from .help import HelpScreen, binding_rows

# Panes in the grid: (row, column) of each quadrant.
POSITION = {
    Quadrant.DO: (0, 0),
    Quadrant.SCHEDULE: (0, 1),
    Quadrant.DELEGATE: (1, 0),
    Quadrant.ELIMINATE: (1, 1),
}
AT = {pos: q for q, pos in POSITION.items()}
NEW_MARK_SECONDS = 5.0
MIN_WIDTH, MIN_HEIGHT = 60, 16


def _short(title: str, width: int = 40) -> str:
    return title if len(title) <= width else title[: width - 1] + "…"


class MatrixScreen(Screen[None]):
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
    ]

    @dataclass
    class Written(Message):
        """The writer thread finished a write (posted from that thread)."""

        report: WriteReport

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
        self.writer = TaskWriter(store, report=self._report_written)
        self.known_signature: Signature | None = None
        self.zoomed = False
        self._unsent: list[Batch] = []  # waiting for the frame that shows them
        self._reloading = False
        self._offered_copies: set[Path] = set()
        self._last_quadrant = Quadrant.DO
        self.panes: dict[Quadrant, QuadrantPane] = {}
        self.lists: dict[Quadrant, TaskList] = {}

    def _report_written(self, report: WriteReport) -> None:
        """Called on the writer's thread: posting a message is thread-safe."""
        self.post_message(self.Written(report))

    # --- compatibility views for the palette, tests and benchmarks ---------------------------

    @property
    def tasks(self) -> dict[str, Task]:
        return self.board.tasks

    @property
    def pending_writes(self) -> int:
        return len(self.writer.pending) + len(self._unsent)

    # --- layout ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        now = self.clock()
        with Grid(id="matrix"):
            for quadrant in Quadrant:
                task_list = TaskList(
                    now=now,
                    horizon=self.config.horizon_or_default,
                    lang=self.config.language,
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
        status = self.query_one("#status", Static)
        status.update("  ·  ".join(bits))
        status.display = bool(bits)

    def _load(self, snapshot: Snapshot, *, mark_new: bool = True) -> None:
        # Text is cleaned where it is shown (rows, dialogs, palette, messages), not here:
        # a pass over every task would cost every start and every reload.
        fresh = self.board.load(snapshot.tasks, self.clock())
        self.writer.reset(self.board.tasks)
        self.known_signature = snapshot.signature
        self._push()
        if mark_new and fresh:
            self._mark_new(fresh)
        for notice in getattr(snapshot, "notices", ()):
            self.notify(sanitize_line(notice), severity="warning", timeout=15, markup=False)

    def _mark_new(self, ids: set[str]) -> None:
        for task_list in self.lists.values():
            task_list.new_ids |= ids
            task_list.refresh()

        def unmark() -> None:
            for task_list in self.lists.values():
                task_list.new_ids -= ids
                task_list.refresh()

        self.set_timer(NEW_MARK_SECONDS, unmark)

    # --- the live link to the file --------------------------------------------------------

    def poll_file(self) -> None:
        """Cheap stat; a full re-read only when another process changed the file."""
        if self.pending_writes or self._reloading:
            return
        try:
            signature = self.store.signature()
        except OSError:
            return
        if signature != self.known_signature:
            self.reload()

    @work(thread=True, exclusive=True, group="reload")
    def reload(self) -> None:
        self._reloading = True
        try:
            snapshot = self.store.read()
        except StoreError as exc:
            self.app.call_from_thread(self._reload_failed, exc)
            return
        self.app.call_from_thread(self._reloaded, snapshot)

    def _reloaded(self, snapshot: Snapshot) -> None:
        self._reloading = False
        if self.pending_writes:
            return  # our own queued writes would be undone on screen; the next poll re-reads
        keep = {q: i for q, lst in self.lists.items() if (i := lst.highlighted_id)}
        self._load(snapshot)
        self._push(keep=keep)

    def _reload_failed(self, error: StoreError) -> None:
        self._reloading = False
        self.known_signature = self.store.signature()  # do not retry every tick
        self.notify(
            sanitize_line(str(error)),  # paths and titles in it are text, not commands
            title=_("Cannot read the task file"),
            severity="error",
            timeout=15,
            markup=False,
        )

    def check_conflict_copies(self) -> None:
        """Syncthing/Dropbox leave conflict copies beside the file: offer to merge them, once."""
        copies = [p for p in find_conflict_copies(self.store.path) if p not in self._offered_copies]
        if not copies:
            return
        self._offered_copies.update(copies)
        names = ", ".join(sanitize_line(p.name) for p in copies)
        self.notify(
            names + "\n" + _("Press M to merge them into your tasks."),
            title=_("Sync conflict copies found"),
            severity="warning",
            timeout=20,
            markup=False,
        )

    def action_merge_conflicts(self) -> None:
        copies = find_conflict_copies(self.store.path)
        if not copies:
            self.notify(_("No sync conflict copies beside the task file."), timeout=3)
            return
        question = _("Merge these copies into your tasks? Newest change wins per task.")
        question += "\n" + "\n".join(sanitize_line(p.name) for p in copies)

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.merge_copies(copies)

        self.app.push_screen(ConfirmScreen(question), confirmed)

    @work(thread=True, exclusive=True, group="merge")
    def merge_copies(self, copies: list[Path]) -> None:
        self.flush_writes()
        lines = []
        for copy in copies:
            try:
                report, _before, _after = merge_copy(self.store, copy)
            except (StoreError, InvalidTask, OSError) as exc:
                lines.append(f"{sanitize_line(copy.name)}: {sanitize_line(str(exc))}")
                continue
            lines.append(f"{sanitize_line(copy.name)}: {report.summary()}")
        lines.append(_("The copies were left in place; you may delete them."))
        self.app.call_from_thread(
            self.notify, "\n".join(lines), title=_("Merged"), timeout=15, markup=False
        )
        self.app.call_from_thread(self.reload)

    def tick_minute(self) -> None:
        """Relative deadlines move with the clock; overdue tasks move up."""
        self.refresh_panes()
        self.run_escalation()

    def run_escalation(self) -> None:
        """Escalations found now are one undoable step, named in one notice."""
        now = self.clock()
        edits, changes = ops.escalate_all(self.board.tasks.values(), now, self.horizon)
        if not edits:
            return
        titles = [display_safe(self.board.tasks[e.task_id]).title for e in edits]
        names = ", ".join(_short(t) for t in titles[:3]) + ("…" if len(titles) > 3 else "")
        title = ngettext(
            "Deadline close: moved {n} task to urgent",
            "Deadlines close: moved {n} tasks to urgent",
            len(edits),
        ).format(n=len(edits))
        self.commit(Step(edits, _("escalation")), changes)
        self.notify(
            names + "\n" + _("u to undo"), title=title, severity="warning", timeout=8, markup=False
        )

    # --- writing --------------------------------------------------------------------------

    def commit(
        self,
        step: Step | None,
        changes: list[Change],
        *,
        follow: str | None = None,
        direction: Direction | None = None,
    ) -> None:
        """Show changes now, queue them for the file, and (a new action) remember it for undo."""
        if not changes:
            return
        keep = {self.focused_quadrant: self.lists[self.focused_quadrant].highlighted_id}
        touched = self.board.apply(changes)
        batch = Batch(changes, step if direction else None, direction)
        self._unsent.append(batch)
        if len(self._unsent) == 1:
            # The writer's JSON encoding holds the GIL for tens of milliseconds on a big file;
            # started at once it would hold up the very frame that shows the key's effect.
            self.call_after_refresh(self._send)
        if step is not None and direction is None:
            self.history.record(step)
        target = None
        if follow and follow in self.board.tasks:
            target = self.board.tasks[follow].quadrant
            keep[target] = follow
        self._push(touched, {q: i for q, i in keep.items() if i})
        if target is not None and self.board.visible(self.board.tasks[follow or ""]):
            self.lists[target].focus()
            self.lists[target].select_id(follow or "")

    def commit_edits(self, edits: list[Edit | None], label: str, follow: str | None = None) -> None:
        """A user action made of domain edits: one undoable step."""
        real = [e for e in edits if e is not None]
        if not real:
            return
        stamp = iso_now(self.clock())
        self.commit(Step(real, label), [e.change(stamp) for e in real], follow=follow)

    def _send(self) -> None:
        while self._unsent:
            self.writer.submit(self._unsent.pop(0))

    def flush_writes(self, timeout: float = 60.0) -> bool:
        """Wait until the file holds every change shown; False if that did not happen."""
        self._send()
        return self.writer.flush(timeout) and self.writer.failures == 0

    @on(Written)
    def _written(self, message: Written) -> None:
        report = message.report
        self.writer.settle(report)
        failed = report.failed
        for outcome in failed:
            batch = outcome.batch
            if outcome.conflict and batch.step is not None and batch.direction is not None:
                self.history.give_back(batch.step, batch.direction)
            self.notify(
                sanitize_line(outcome.error or ""),
                title=_("Not saved"),
                severity="warning" if outcome.conflict else "error",
                timeout=10,
                markup=False,
            )
        if failed:
            # Never show a state that was not saved: back to what the file last held, plus
            # the changes still on their way to it; then read the file again.
            self.board.tasks = self.writer.view_after_failure()
            self.refresh_panes()
            self.known_signature = None
        elif report.before == self.known_signature:
            self.known_signature = report.after
        else:
            # Someone else wrote since our last read: their change is in the file now too.
            self.known_signature = None
        if self.pending_writes == 0 and self.known_signature is None:
            self.reload()

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
                lang=self.config.language,
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
            DeadlineScreen(
                task, self.clock(), week_start=self.config.week_start, lang=self.config.language
            ),
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
