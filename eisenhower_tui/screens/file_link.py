"""The matrix's live link to the file: changes out through the writer, others' changes in.

A key's change is shown at once (the board), queued for the writer after the frame that shows
it, and confirmed when :class:`FileLink.Written` comes back; a failed write puts the view back to
what the file holds plus what is still queued, then re-reads. Another process's change is noticed
by polling the file's signature and shown by a re-read that keeps each cursor on its task.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.message import Message

from ..domain import changes as ops
from ..domain.board import Board
from ..domain.changes import Change, Edit
from ..domain.history import Direction, History, Step
from ..i18n import _, ngettext
from ..model import Quadrant, cut, display_safe, iso_now, sanitize_line
from ..store import Signature, Snapshot, StoreError
from ..writer import Batch, TaskWriter, WriteReport
from .conflict_copies import ConflictCopies
from .sync_link import SyncLink

if TYPE_CHECKING:
    from ..widgets.task_list import TaskList

NEW_MARK_SECONDS = 5.0


class FileLink(ConflictCopies, SyncLink):
    @dataclass
    class Written(Message):
        """The writer thread finished a write (posted from that thread)."""

        report: WriteReport

    board: Board
    history: History
    writer: TaskWriter
    clock: Callable[[], datetime]
    horizon: Any
    known_signature: Signature | None
    lists: dict[Quadrant, TaskList]
    _unsent: list[Batch]
    _reloading: bool

    if TYPE_CHECKING:  # provided by MatrixScreen

        @property
        def focused_quadrant(self) -> Quadrant: ...
        def _push(
            self, quadrants: set[Quadrant] | None = None, keep: dict[Quadrant, str] | None = None
        ) -> None: ...
        def refresh_panes(self) -> None: ...

    def _report_written(self, report: WriteReport) -> None:
        """Called on the writer's thread: posting a message is thread-safe."""
        self.post_message(self.Written(report))

    @property
    def pending_writes(self) -> int:
        return len(self.writer.pending) + len(self._unsent)

    def _load(self, snapshot: Snapshot, *, mark_new: bool = True) -> None:
        # Text is cleaned where it is shown (rows, dialogs, palette, messages), not here:
        # a pass over every task would cost every start and every reload.
        fresh = self.board.load(snapshot.tasks, self.clock())
        self.writer.reset(self.board.tasks)
        self.known_signature = snapshot.signature
        self._push()
        if mark_new and fresh:
            self._mark_new(fresh)
        for notice in snapshot.notices:
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
        if snapshot.signature is None and self.board.tasks:
            # The file was deleted or moved away: an empty matrix would look like lost tasks.
            # Keep showing what it held, say so once, and read it again when it is back.
            self.known_signature = None
            self.notify(
                _(
                    "The task file {path} is gone (deleted or moved). The matrix still shows "
                    "what it held; put the file back, or `eisenhower restore` a backup."
                ).format(path=sanitize_line(str(self.store.path))),
                title=_("Task file missing"),
                severity="error",
                timeout=30,
                markup=False,
            )
            return
        self._load(snapshot)  # each pane keeps its cursor on the task it was on

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
        names = ", ".join(cut(t, 40) for t in titles[:3]) + ("…" if len(titles) > 3 else "")
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

    def commit_edits(
        self, edits: Sequence[Edit | None], label: str, follow: str | None = None
    ) -> None:
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
        """Wait until the file holds every change made here; False if one could not be saved."""
        self._send()
        # A change that failed earlier was shown as "Not saved" and taken back on screen, but
        # it is still a change the user made that the file does not hold: not a clean exit.
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
