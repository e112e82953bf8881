"""The four-pane matrix: the view of the tasks, the keys, undo/redo and the live link to the file.

Data flow: widgets post messages; this screen changes its in-memory view at once (so a key shows
its effect in the same frame), queues the change for a single writer thread, and re-reads the
file when another process changed it. Changes are small patches addressed by uuid, applied to
the task as re-read under the lock, so a change made elsewhere to another task (or another field)
is never overwritten.
"""

from __future__ import annotations

import bisect
import queue
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.screen import Screen
from textual.widgets import Input, Static

from ..config import Config
from ..conflicts import find_conflict_copies, merge_copy
from ..domain.tasks import new_task
from ..i18n import _, ngettext
from ..model import (
    DEFAULT_HORIZON,
    InvalidTask,
    Quadrant,
    Task,
    display_safe,
    escalate,
    iso_now,
    needs_escalation,
    pane_order,
    sanitize_line,
)
from ..store import ConflictError, Signature, Snapshot, Store, StoreError, UnknownId
from ..widgets.key_bar import KeyBar
from ..widgets.task_list import TaskList
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


@dataclass(slots=True)
class Change:
    """One write: insert ``task``, or set ``fields`` on the task ``task_id``.

    ``expect`` guards undo/redo: the stored task must still carry that ``updated`` stamp.
    """

    task_id: str
    fields: dict[str, Any] = field(default_factory=dict)
    stamp: str = ""
    expect: str | None = None
    insert: Task | None = None
    only_if: Callable[[Task], bool] | None = None


@dataclass(slots=True)
class Edit:
    """An undoable change: the values before and after, and the stamp the change wrote."""

    task_id: str
    before: dict[str, Any]
    after: dict[str, Any]
    stamp: str
    label: str


class QuadrantPane(Vertical):
    """A titled pane holding one quadrant's list and its empty state."""

    def __init__(self, quadrant: Quadrant, list_: TaskList) -> None:
        super().__init__(id=f"pane-{int(quadrant)}", classes="pane")
        self.quadrant = quadrant
        self.task_list = list_

    def compose(self) -> ComposeResult:
        yield self.task_list
        yield Static(_("Nothing here. Press a to add a task."), classes="empty", markup=False)

    def show(self, tasks: list[Task], open_count: int, keep_id: str | None = None) -> None:
        # Touch the title and the class only when they change: each change costs a layout pass.
        title = f"{int(self.quadrant)} {_(self.quadrant.label)} ({open_count})"
        if self.border_title != title:
            self.border_title = title
        self.task_list.set_tasks(tasks, keep_id)
        if self.has_class("is-empty") != (not tasks):
            self.set_class(not tasks, "is-empty")


class MatrixScreen(Screen):
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
        self.horizon = config.horizon or DEFAULT_HORIZON
        self.tasks: dict[str, Task] = {}
        self.known_signature: Signature | None = None
        self.show_done = False
        self.filter_text = ""
        self.zoomed = False
        self.undo_stack: list[list[Edit]] = []
        self.redo_stack: list[list[Edit]] = []
        self._rows: dict[Quadrant, list[Task]] = {q: [] for q in Quadrant}  # shown, in order
        self._open_counts: dict[Quadrant, int] = dict.fromkeys(Quadrant, 0)
        self._row_key: Callable[[Task], tuple[Any, ...]] = lambda t: (0,)
        self._pending: deque[list[Change]] = deque()  # queued, not yet acknowledged
        self._unsent: list[list[Change]] = []  # waiting for the frame that shows them
        self._unsent_lock = (
            threading.Lock()
        )  # flush_writes may run on a worker thread  # queued, not yet acknowledged
        self._confirmed: dict[str, Task] = {}  # what the file held after our last known write
        self._writes: queue.Queue[list[Change] | None] = queue.Queue()
        self._writer: threading.Thread | None = None
        self._reloading = False
        self._deleted_here: dict[str, Task] = {}  # so undo of a delete can show it again at once
        self._loop: Any = None
        self.panes: dict[Quadrant, QuadrantPane] = {}
        self.lists: dict[Quadrant, TaskList] = {}

    # --- layout ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        now = self.clock()
        with Grid(id="matrix"):
            for quadrant in Quadrant:
                task_list = TaskList(
                    now=now,
                    horizon=self.horizon,
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
        import asyncio

        self._loop = asyncio.get_running_loop()
        snapshot, self._initial = self._initial or self.store.read(), None
        self._apply_snapshot(snapshot, mark_new=False)
        self.lists[Quadrant.DO].focus()
        self._writer = threading.Thread(target=self._writer_loop, daemon=True, name="writer")
        self._writer.start()
        if self.poll_interval:
            self.set_interval(self.poll_interval, self.poll_file)
        self.set_interval(60, self.tick_minute)
        self._offered_copies: set[Path] = set()
        self.check_conflict_copies()
        if self.poll_interval:
            self.set_interval(10, self.check_conflict_copies)
        self.call_after_refresh(self.run_escalation)
        self._check_size()

    def on_unmount(self) -> None:
        self.flush_writes()
        self._writes.put(None)

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
        return getattr(self, "_last_quadrant", Quadrant.DO)

    @property
    def current_task(self) -> Task | None:
        """The task under the cursor, with its text safe to show in a dialog."""
        task = self.lists[self.focused_quadrant].highlighted
        return display_safe(task) if task is not None else None

    def _visible(self, task: Task) -> bool:
        if task.done is not None and not self.show_done:
            return False
        text = self.filter_text.strip().lower()
        if not text:
            return True
        for word in text.split():
            if word.startswith("#") and len(word) > 1:
                if not any(
                    t.lower() == word[1:] or t.lower().startswith(word[1:]) for t in task.tags
                ):
                    return False
            elif word.startswith("@") and len(word) > 1:
                if not (task.delegate or "").lower().startswith(word[1:]):
                    return False
            elif word not in task.title.lower() and word not in task.notes.lower():
                return False
        return True

    def refresh_panes(self) -> None:
        """Rebuild and redraw every pane, keeping each cursor on its task.

        For one key's changes, :meth:`_update_rows` moves just those tasks instead.
        """
        wanted = set(Quadrant)
        now = self.clock()
        self._row_key = pane_order(now)
        buckets: dict[Quadrant, list[Task]] = {q: [] for q in wanted}
        open_counts = dict.fromkeys(wanted, 0)
        for task in self.tasks.values():
            quadrant = task.quadrant
            if quadrant not in buckets:
                continue
            if task.done is None:
                open_counts[quadrant] += 1
            if self._visible(task):
                buckets[quadrant].append(task)
        for quadrant in wanted:
            self._rows[quadrant] = sorted(buckets[quadrant], key=self._row_key)
            self._open_counts[quadrant] = open_counts[quadrant]
            self.panes[quadrant].task_list.now = now
            self._show(quadrant, None)
        self._update_status()

    def _show(self, quadrant: Quadrant, keep_id: str | None) -> None:
        self.panes[quadrant].show(self._rows[quadrant], self._open_counts[quadrant], keep_id)

    def _update_rows(
        self, pairs: list[tuple[Task | None, Task | None]], keep: dict[Quadrant, str]
    ) -> None:
        """Move just the changed tasks between the pane lists: a key press costs O(log n)
        comparisons and one list insertion, not a re-sort of every task."""
        touched: set[Quadrant] = set()
        for old, new in pairs:
            if old is not None:
                rows = self._rows[old.quadrant]
                index = next((i for i, t in enumerate(rows) if t.id == old.id), None)
                if index is not None:
                    del rows[index]
                if old.done is None:
                    self._open_counts[old.quadrant] -= 1
                touched.add(old.quadrant)
            if new is not None:
                if self._visible(new):
                    bisect.insort(self._rows[new.quadrant], new, key=self._row_key)
                if new.done is None:
                    self._open_counts[new.quadrant] += 1
                touched.add(new.quadrant)
        for quadrant in touched:
            self._show(quadrant, keep.get(quadrant))
        if self.filter_text:
            self._update_status()

    def _update_status(self) -> None:
        bits = []
        if self.filter_text:
            shown = sum(len(t.tasks) for t in self.lists.values())
            bits.append(_("filter: ") + self.filter_text + f" ({shown})")
        if self.show_done:
            bits.append(_("showing completed"))
        if self.zoomed:
            bits.append(_("zoomed (z to return)"))
        status = self.query_one("#status", Static)
        status.update("  ·  ".join(bits))
        status.display = bool(bits)

    def _apply_snapshot(self, snapshot: Snapshot, *, mark_new: bool = True) -> None:
        old_ids = set(self.tasks)
        # Text is cleaned where it is shown (rows, dialogs, palette, messages), not here:
        # a pass over every task would cost every start and every reload.
        self.tasks = {t.id: t for t in snapshot.tasks}
        self._confirmed = dict(self.tasks)
        self.known_signature = snapshot.signature
        if mark_new and old_ids:
            fresh = set(self.tasks) - old_ids
            if fresh:
                self._mark_new(fresh)
        self.refresh_panes()

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
        self._apply_snapshot(snapshot)

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
            except (StoreError, InvalidTask) as exc:
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
        if self.config.horizon is None:
            return
        now = self.clock()
        due = [t for t in self.tasks.values() if needs_escalation(t, now, self.horizon)]
        if not due:
            return
        changes = []
        for task in due:
            escalated = escalate(task, now)
            fields = {
                "urgent": True,
                "escalated": escalated.escalated,
                "escalated_for": escalated.escalated_for,
            }
            changes.append(
                Change(
                    task.id,
                    fields,
                    stamp=escalated.updated,
                    only_if=lambda t, h=self.horizon, n=now: needs_escalation(t, n, h),
                )
            )
        pairs = self._apply_locally(changes)
        self._queue(changes)
        self._update_rows(pairs, {})  # show the moves now, not at the next minute tick
        names = ", ".join(display_safe(t).title[:40] for t in due[:3]) + (
            "…" if len(due) > 3 else ""
        )
        self.notify(
            names,
            title=ngettext(
                "Deadline close: moved {n} task to urgent",
                "Deadlines close: moved {n} tasks to urgent",
                len(due),
            ).format(n=len(due)),
            severity="warning",
            timeout=8,
            markup=False,
        )

    # --- writing --------------------------------------------------------------------------

    def _apply_locally(self, changes: list[Change]) -> list[tuple[Task | None, Task | None]]:
        """Change the view now; returns (before, after) of each task that changed."""
        return self._apply_to(self.tasks, changes)

    def _apply_to(
        self, target: dict[str, Task], changes: list[Change]
    ) -> list[tuple[Task | None, Task | None]]:
        pairs: list[tuple[Task | None, Task | None]] = []
        for change in changes:
            if change.insert is not None:
                pairs.append((target.get(change.insert.id), change.insert))
                target[change.insert.id] = change.insert
                continue
            current = target.get(change.task_id)
            task = (
                current or self.tasks.get(change.task_id) or self._deleted_here.get(change.task_id)
            )
            if task is None:
                continue
            updated = replace(task, **change.fields, updated=change.stamp)
            if updated.deleted:
                target.pop(task.id, None)
                self._deleted_here[task.id] = updated
                pairs.append((current, None))
            else:
                target[task.id] = updated
                pairs.append((current, updated))
        return pairs

    @property
    def pending_writes(self) -> int:
        return len(self._pending)

    def _queue(self, changes: list[Change]) -> None:
        """Hand changes to the writer once the screen has shown them.

        The writer's JSON encoding holds the GIL for tens of milliseconds on a big file; started
        at once it would hold up the very frame that shows the key's effect.
        """
        self._pending.append(changes)
        self._unsent.append(changes)
        if len(self._unsent) == 1:
            self.call_after_refresh(self._send)

    def _send(self) -> None:
        with self._unsent_lock:
            while self._unsent:
                self._writes.put(self._unsent.pop(0))

    def flush_writes(self, timeout: float = 10.0) -> None:
        """Wait for queued writes (quit must not drop them)."""
        self._send()
        done = threading.Event()
        self._writes.put([])  # a marker: the writer reaches it after everything before it

        def waiter() -> None:
            self._writes.join()
            done.set()

        threading.Thread(target=waiter, daemon=True).start()
        done.wait(timeout)

    def _writer_loop(self) -> None:
        """The single writer: changes reach the file in the order they were made."""
        while True:
            changes = self._writes.get()
            try:
                if changes is None:
                    return
                if changes:
                    self._write_batch(changes)
            finally:
                self._writes.task_done()

    def _write_batch(self, changes: list[Change]) -> None:
        error: Exception | None = None
        before = after = None
        try:
            with self.store.transaction() as txn:
                before = self.store.signature()  # what we read, under the lock
                for change in changes:
                    self._write_one(txn, change)
            after = self.store.signature()
        except (StoreError, UnknownId, ConflictError, OSError) as exc:
            error = exc
        # Not call_from_thread: it would block, and quitting waits for this thread.
        try:
            self._loop.call_soon_threadsafe(self._written, before, after, error)
        except RuntimeError:
            pass  # the event loop is gone: the app has exited

    def _write_one(self, txn: Any, change: Change) -> None:
        if change.insert is not None:
            txn.put(change.insert)
            return
        task = txn.get(change.task_id)
        if task is None:
            raise UnknownId(_("that task no longer exists"))
        if change.expect is not None and task.updated != change.expect:
            raise ConflictError(
                _("'{title}' was changed elsewhere since; left as it is").format(
                    title=display_safe(task).title
                )
            )
        if change.only_if is not None and not change.only_if(task):
            return
        for name, value in change.fields.items():
            setattr(task, name, value)
        task.updated = change.stamp
        txn.put(task)

    def _written(
        self, before: Signature | None, after: Signature | None, error: Exception | None
    ) -> None:
        batch = self._pending.popleft()
        if error is not None:
            self.notify(
                sanitize_line(str(error)),
                title=_("Not saved"),
                severity="error",
                timeout=10,
                markup=False,
            )
            # Never show a state that was not saved: back to what the file last held, plus
            # the changes still on their way to it.
            self.tasks = dict(self._confirmed)
            for pending in self._pending:
                self._apply_to(self.tasks, pending)
            self.refresh_panes()
            self.known_signature = None
        else:
            self._apply_to(self._confirmed, batch)
            # If someone else wrote since our last read, their change is in the file now too:
            # forget the signature so the file is read again.
            self.known_signature = after if before == self.known_signature else None
        if self.pending_writes == 0 and self.known_signature is None:
            self.reload()

    def commit(
        self, edits: list[Edit], *, undoable: bool = True, follow: str | None = None
    ) -> None:
        """Apply edits now, queue them for the file, and remember them for undo."""
        if not edits:
            return
        changes = [Change(e.task_id, e.after, stamp=e.stamp) for e in edits]
        self._commit_changes(changes, follow)
        if undoable:
            self.undo_stack.append(edits)
            self.redo_stack.clear()

    def _commit_changes(self, changes: list[Change], follow: str | None) -> None:
        keep = {self.focused_quadrant: self.lists[self.focused_quadrant].highlighted_id}
        pairs = self._apply_locally(changes)
        self._queue(changes)
        target = None
        if follow and follow in self.tasks:
            target = self.tasks[follow].quadrant
            keep[target] = follow
        self._update_rows(pairs, {q: i for q, i in keep.items() if i})
        if target is not None and self._visible(self.tasks[follow]):
            self.lists[target].focus()
            self.lists[target].select_id(follow)

    def edit_task(self, task: Task, label: str, **after: Any) -> None:
        before = {name: getattr(task, name) for name in after}
        if before == after:
            return
        stamp = iso_now(self.clock())
        self.commit([Edit(task.id, before, after, stamp, label)], follow=task.id)

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

    def _focus_neighbour(self, direction: str) -> None:
        target = self._neighbour(self.focused_quadrant, direction)
        if target is not None and not self.zoomed:
            task_list = self.lists[target]
            task_list.focus()
            if direction == "up":
                task_list.cursor = len(task_list.tasks) - 1
            elif direction == "down":
                task_list.cursor = 0

    @on(TaskList.Edge)
    def _edge(self, event: TaskList.Edge) -> None:
        self._focus_neighbour(event.direction)

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
            task = new_task(
                draft.title,
                draft.quadrant,
                due=draft.deadline.due if draft.deadline else None,
                tags=draft.tags,
                delegate=draft.delegate,
                now=now,
            )
            escalated = self.config.horizon is not None and needs_escalation(
                task, now, self.horizon
            )
            if escalated:  # the escalation rule applies at once, not a minute later
                task = escalate(task, now)
            stamp = task.updated
            edit = Edit(task.id, {"deleted": stamp}, {"deleted": None}, stamp, _("add"))
            self._commit_changes([Change(task.id, insert=task, stamp=stamp)], follow=task.id)
            self.undo_stack.append([edit])
            self.redo_stack.clear()
            message = _("Added to {quadrant}").format(quadrant=_(task.quadrant.label))
            if escalated:
                message += " " + _("(the deadline is close, so it is urgent)")
            self.notify(message, timeout=3, markup=False)

        self.app.push_screen(
            QuickAddScreen(
                quadrant,
                self.clock(),
                week_start=self.config.week_start,
                lang=self.config.language,
                default_label=_("this pane"),
            ),
            added,
        )

    def _need_task(self) -> Task | None:
        task = self.current_task
        if task is None:
            self.notify(_("No task selected"), severity="warning", timeout=2)
        return task

    def action_edit(self) -> None:
        task = self._need_task()
        if task is None:
            return

        def edited(result: EditTaskScreen.Result | None) -> None:
            if result is None:
                return
            self.edit_task(
                task,
                _("edit"),
                title=result.title,
                notes=result.notes,
                tags=result.tags,
                delegate=result.delegate,
            )

        self.app.push_screen(EditTaskScreen(task), edited)

    def action_deadline(self) -> None:
        task = self._need_task()
        if task is None:
            return

        def chosen(result: DeadlineScreen.Result | None) -> None:
            if result is not None:
                self.edit_task(self.tasks.get(task.id, task), _("deadline"), due=result.due)

        self.app.push_screen(
            DeadlineScreen(
                task, self.clock(), week_start=self.config.week_start, lang=self.config.language
            ),
            chosen,
        )

    def action_clear_deadline(self) -> None:
        task = self._need_task()
        if task is not None and task.due:
            self.edit_task(task, _("clear deadline"), due=None)

    def move_task(self, task: Task, quadrant: Quadrant) -> None:
        if task.quadrant == quadrant:
            return
        fields: dict[str, Any] = {"urgent": quadrant.urgent, "important": quadrant.important}
        now = self.clock()
        if self.config.horizon is not None and needs_escalation(
            replace(task, **fields), now, self.horizon
        ):
            # Moved out of urgent with its deadline already close: the user's choice, so the
            # next escalation pass must not move it back (as for an escalated task moved back).
            fields.update(escalated=iso_now(now), escalated_for=task.due)
        self.edit_task(task, _("move"), **fields)

    def action_move_prompt(self) -> None:
        task = self._need_task()
        if task is None:
            return

        def picked(quadrant: Quadrant | None) -> None:
            if quadrant is not None:
                self.move_task(self.tasks.get(task.id, task), quadrant)

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
        done = None if task.done else iso_now(self.clock())
        self.edit_task(task, _("done"), done=done)

    def action_delete(self) -> None:
        task = self._need_task()
        if task is None:
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                stamp = iso_now(self.clock())
                self.commit(
                    [Edit(task.id, {"deleted": None}, {"deleted": stamp}, stamp, _("delete"))]
                )
                self.notify(_("Deleted. Press u to undo."), timeout=3)

        if self.config.confirm_delete:
            self.app.push_screen(
                ConfirmScreen(_("Delete this task?") + "\n" + task.title), confirmed
            )
        else:
            confirmed(True)

    def action_undo(self) -> None:
        self._step(self.undo_stack, self.redo_stack, undo=True)

    def action_redo(self) -> None:
        self._step(self.redo_stack, self.undo_stack, undo=False)

    def _step(self, source: list[list[Edit]], target: list[list[Edit]], *, undo: bool) -> None:
        if not source:
            self.notify(_("Nothing to undo") if undo else _("Nothing to redo"), timeout=2)
            return
        edits = source.pop()
        stamp = iso_now(self.clock())
        changes = []
        moved: list[Edit] = []
        for edit in edits:
            values = edit.before if undo else edit.after
            changes.append(Change(edit.task_id, values, stamp=stamp, expect=edit.stamp))
            moved.append(Edit(edit.task_id, edit.before, edit.after, stamp, edit.label))
        self._commit_changes(changes, follow=edits[0].task_id)
        target.append(moved)
        verb = _("Undone: {what}") if undo else _("Redone: {what}")
        self.notify(verb.format(what=edits[0].label), timeout=2, markup=False)

    def _filter_box(self) -> Input:
        """The filter input, mounted on first use: a hidden Input costs ~50 ms of every start."""
        found = self.query("#filter").results(Input)
        box = next(found, None)
        if box is None:
            box = Input(placeholder=_("Filter: text or #tag (escape clears)"), id="filter")
            self.mount(box, before="#matrix")
        return box

    def action_filter(self) -> None:
        box = self._filter_box()
        box.add_class("-visible")
        box.focus()

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.filter_text = event.value
        self.refresh_panes()

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self) -> None:
        box = self._filter_box()
        if not box.value:
            box.remove_class("-visible")
        self.lists[getattr(self, "_last_quadrant", Quadrant.DO)].focus()

    def key_escape(self) -> None:
        box = next(self.query("#filter").results(Input), None)
        if box is not None and (box.has_focus or self.filter_text):
            box.value = ""
            box.remove_class("-visible")
            self.filter_text = ""
            self.refresh_panes()
            self.lists[getattr(self, "_last_quadrant", Quadrant.DO)].focus()
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
        self.show_done = not self.show_done
        self.refresh_panes()

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(binding_rows(self)))

    def go_to_task(self, task_id: str) -> None:
        """Command palette "go to task": clear what hides it, focus its pane and row."""
        task = self.tasks.get(task_id)
        if task is None:
            return
        if task.done and not self.show_done:
            self.show_done = True
        if self.filter_text and not self._visible(task):
            self._filter_box().value = ""
            self.filter_text = ""
        self.refresh_panes()
        if self.zoomed:
            self._zoom_to(task.quadrant)
        self.lists[task.quadrant].focus()
        self.lists[task.quadrant].select_id(task_id)
