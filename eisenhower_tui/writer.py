"""The matrix's single background writer: changes reach the file in order, off the event loop.

A plain-Python thread (no Textual): the screen applies a change to its view at once, then hands
a :class:`Batch` to :meth:`TaskWriter.submit`; the thread applies queued batches to the task as
re-read under the store's lock and reports each write through the ``report`` callback (the screen
turns it into a Textual message; posting a message is thread-safe). Batches queued while a write
is in flight are coalesced into the next transaction, so a burst of keys on a 50,000-task file
costs a few writes, not one each. Any exception in a write becomes a failed report, never a dead
thread.

Reconciliation lives here too: ``confirmed`` is what the file held after our last known write,
and :meth:`view_after_failure` is that plus the batches still on their way.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .domain.changes import Change, apply_changes, apply_fields, mismatched
from .domain.history import Direction, Step
from .i18n import _
from .model import Task, display_safe, iso_now
from .store import Signature, Store

__all__ = ["Batch", "Outcome", "TaskWriter", "WriteReport"]


@dataclass(slots=True)
class Batch:
    """The changes of one user action, written all or nothing."""

    changes: list[Change]
    step: Step | None = None  # the undo/redo step this batch writes, if any
    direction: Direction | None = None
    seq: int = 0  # given by the writer on submit, in order


@dataclass(slots=True)
class Outcome:
    batch: Batch
    error: str | None = None  # None: written
    conflict: bool = False  # someone else changed what this batch expected


@dataclass(slots=True)
class WriteReport:
    outcomes: list[Outcome]
    before: Signature | None = None  # the file as read under the lock
    after: Signature | None = None  # the file as written

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.error is not None]


class _Conflict(Exception):
    pass


class TaskWriter:
    def __init__(self, store: Store, report: Callable[[WriteReport], None]) -> None:
        self.store = store
        self._report = report
        self._queue: queue.Queue[Batch | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._idle = threading.Condition()
        self._in_flight = 0  # submitted, not yet written (thread-safe count)
        self.failures = 0  # batches that could not be written (not conflicts)
        self.next_seq = 1
        # Main thread only:
        self.pending: list[Batch] = []  # submitted, not yet reported back
        self.confirmed: dict[str, Task] = {}
        self._confirmed_graves: dict[str, Task] = {}

    # --- lifecycle ------------------------------------------------------------------------

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, daemon=True, name="task-writer")
        self._thread.start()

    def stop(self) -> None:
        self._queue.put(None)

    def submit(self, batch: Batch) -> None:
        batch.seq = self.next_seq
        self.next_seq += 1
        self.pending.append(batch)
        with self._idle:
            self._in_flight += 1
        self._queue.put(batch)

    def flush(self, timeout: float = 60.0) -> bool:
        """Wait until everything submitted is written (or failed); False on timeout."""
        with self._idle:
            return self._idle.wait_for(lambda: self._in_flight == 0, timeout)

    @property
    def busy(self) -> bool:
        with self._idle:
            return self._in_flight > 0

    # --- reconciliation (main thread) ------------------------------------------------------

    def reset(self, tasks: dict[str, Task]) -> None:
        """After a read of the file: that is what it holds."""
        self.confirmed = dict(tasks)
        self._confirmed_graves = {}

    def settle(self, report: WriteReport) -> None:
        """A write came back: its batches are no longer pending; written ones are confirmed."""
        for outcome in report.outcomes:
            if outcome.batch in self.pending:
                self.pending.remove(outcome.batch)
            if outcome.error is None:
                apply_changes(self.confirmed, outcome.batch.changes, self._confirmed_graves)

    def view_after_failure(self) -> dict[str, Task]:
        """What the screen may show after a failed write: the file, plus what is still queued."""
        view = dict(self.confirmed)
        graves = dict(self._confirmed_graves)
        for batch in self.pending:
            apply_changes(view, batch.changes, graves)
        return view

    # --- the thread -----------------------------------------------------------------------

    def _run(self) -> None:
        while True:
            first = self._queue.get()
            if first is None:
                return
            batches = [first]
            stop = False
            while True:  # coalesce what queued up meanwhile into this one transaction
                try:
                    more = self._queue.get_nowait()
                except queue.Empty:
                    break
                if more is None:
                    stop = True
                    break
                batches.append(more)
            try:
                report = self._write(batches)
            except BaseException as exc:
                report = WriteReport([Outcome(b, error=_describe(exc)) for b in batches])
            self.failures += sum(1 for o in report.outcomes if o.error and not o.conflict)
            try:
                self._report(report)
            except Exception:
                pass
            finally:
                with self._idle:
                    self._in_flight -= len(batches)
                    self._idle.notify_all()
            if stop:
                return

    def _write(self, batches: list[Batch]) -> WriteReport:
        try:

            def write(txn: Any) -> tuple[Signature | None, list[Outcome]]:
                # Acts on txn only: the store runs it again on the new file if a sync tool
                # swapped the file in meanwhile.
                before = self.store.signature()  # what we read, under the lock
                return before, [self._apply_batch(txn, batch) for batch in batches]

            before, outcomes = self.store.apply(write)
            after = self.store.signature()
        except Exception as exc:
            return WriteReport([Outcome(b, error=_describe(exc)) for b in batches])
        return WriteReport(outcomes, before, after)

    def _apply_batch(self, txn: Any, batch: Batch) -> Outcome:
        """All of a batch's changes, or none when one of them conflicts."""
        writes: list[Task] = []
        seen: dict[str, Task] = {}
        try:
            for change in batch.changes:
                if change.insert is not None:
                    writes.append(change.insert)
                    continue
                task = seen.get(change.task_id) or txn.get(change.task_id)
                if task is None:
                    raise _Conflict(_("that task no longer exists"))
                if mismatched(task, change.expect):
                    if change.on_mismatch == "skip":
                        continue
                    raise _Conflict(_changed_elsewhere(task))
                if task.deleted is not None and "deleted" not in change.fields:
                    raise _Conflict(_changed_elsewhere(task))
                task = apply_fields(task, change.fields, change.stamp or iso_now(txn.now))
                seen[task.id] = task
                writes.append(task)
        except _Conflict as exc:
            return Outcome(batch, error=str(exc), conflict=True)
        if writes:
            txn.put_many(writes)
        return Outcome(batch)


def _changed_elsewhere(task: Task) -> str:
    return _("'{title}' was changed elsewhere since; left as it is").format(
        title=display_safe(task).title
    )


def _describe(exc: BaseException) -> str:
    return str(exc) or exc.__class__.__name__
