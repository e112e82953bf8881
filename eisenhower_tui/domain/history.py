"""Undo and redo as data: a history of steps, each a list of edits addressed by task id.

A step undoes by writing the ``before`` values, guarded by the ``after`` values: it conflicts only
when a field it restores was changed by someone else since (values are compared, never stamps,
so any number of undos and redos on one task walk the whole history). A conflicting step stays
where it was, and the caller says so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from ..model import Task
from .changes import Change, Edit, mismatched

__all__ = ["History", "Step"]

Direction = Literal["undo", "redo"]


@dataclass(slots=True)
class Step:
    """One user action (a key, an add, a bulk escalation): undone and redone as a whole."""

    edits: list[Edit]
    label: str
    notice: str = ""  # what to say when it is undone, if more than the label

    @property
    def task_id(self) -> str:
        return self.edits[0].task_id


@dataclass(slots=True)
class History:
    undo_stack: list[Step] = field(default_factory=list)
    redo_stack: list[Step] = field(default_factory=list)
    limit: int = 500

    def record(self, step: Step) -> None:
        """A new action: it can be undone; what was undone before can no longer be redone."""
        if not step.edits:
            return
        self.undo_stack.append(step)
        del self.undo_stack[: -self.limit]
        self.redo_stack.clear()

    def peek(self, direction: Direction) -> Step | None:
        stack = self.undo_stack if direction == "undo" else self.redo_stack
        return stack[-1] if stack else None

    def conflicts(
        self, step: Step, direction: Direction, lookup: Callable[[str], Task | None]
    ) -> list[str]:
        """Ids of tasks whose current values are not what the step left (someone else's change)."""
        return [
            edit.task_id
            for edit in step.edits
            if mismatched(lookup(edit.task_id), edit.after if direction == "undo" else edit.before)
        ]

    def take(self, direction: Direction, stamp: str) -> tuple[Step, list[Change]] | None:
        """Move the top step to the other stack; returns it with the guarded changes to write."""
        source, target = (
            (self.undo_stack, self.redo_stack)
            if direction == "undo"
            else (self.redo_stack, self.undo_stack)
        )
        if not source:
            return None
        step = source.pop()
        target.append(step)
        changes = [
            Change(
                edit.task_id,
                dict(edit.before if direction == "undo" else edit.after),
                stamp=stamp,
                expect=dict(edit.after if direction == "undo" else edit.before),
            )
            for edit in step.edits
        ]
        return step, changes

    def give_back(self, step: Step, direction: Direction) -> None:
        """The write of an undo/redo conflicted under the lock: the step returns where it was."""
        source, target = (
            (self.undo_stack, self.redo_stack)
            if direction == "undo"
            else (self.redo_stack, self.undo_stack)
        )
        if target and target[-1] is step:
            target.pop()
        source.append(step)
