"""The command line's undo, as data: the last change a command made, and how to take it back.

Every CLI write (add, done, undo-done, rm, move, due, edit) is one :class:`~.history.Step`, as
the matrix records it: an add is ``deleted: created -> None``. ``eisenhower undo`` writes the
``before`` values guarded by the ``after`` values, exactly as :class:`~.history.History` does
for the matrix, so a field someone changed since is never overwritten. Pure: the record is a
JSON-ready dict; the file beside the task file is the CLI's business.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from ..i18n import _
from ..model import KNOWN_FIELDS, Quadrant, Task
from .changes import Change, Edit, edit, move, set_due
from .escalation import placement_fields
from .history import History, Step

__all__ = [
    "RECORD_FORMAT",
    "UNSET",
    "added",
    "combine",
    "edit_task",
    "read_step",
    "step_record",
    "undo_changes",
]

RECORD_FORMAT = 1
# Fields an undo may write back: the task's own (not its id or stamps) and the tombstone.
_RESTORABLE = frozenset(KNOWN_FIELDS) - {"id", "created", "updated"} | {"deleted"}


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


UNSET: Any = _Unset()  # "not given", as opposed to None ("clear it")


def added(tasks: Iterable[Task]) -> Step:
    """New tasks as one step: undoing it leaves tombstones, as the matrix's add does."""
    return Step([Edit(t.id, {"deleted": t.created}, {"deleted": None}) for t in tasks], "add")


def combine(task: Task, edits: Iterable[Edit | None]) -> Edit | None:
    """Several edits of one task, in order, as one: the first ``before`` and the last ``after``
    of each field; None when the task ends as it began."""
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for one in edits:
        if one is None:
            continue
        for name, value in one.before.items():
            before.setdefault(name, value)
        after.update(one.after)
    changed = {name for name in after if before.get(name) != after[name]}
    if not changed:
        return None
    return Edit(
        task.id,
        {name: before[name] for name in after if name in changed},
        {name: after[name] for name in after if name in changed},
    )


def edit_task(
    task: Task,
    *,
    fields: Mapping[str, Any],
    due: str | None = UNSET,
    quadrant: Quadrant | None = None,
    now: datetime,
    horizon: timedelta | None,
) -> Edit | None:
    """`eisenhower edit`: texts, then the deadline, then the quadrant, as one edit.

    A quadrant given with a deadline is the user's placement for that deadline: the new
    deadline does not escalate the task out of the place just chosen, and it sticks.
    """
    edits: list[Edit | None] = []
    current = task

    def step(one: Edit | None) -> None:
        nonlocal current
        edits.append(one)
        if one is not None:
            current = replace(current, **one.after)

    if fields:
        step(edit(current, **fields))
    if due is not UNSET:
        step(set_due(current, due, now, None if quadrant is not None else horizon))
    if quadrant is not None:
        moved = move(current, quadrant, now, horizon)
        if moved is None:  # already there: still settle it for a deadline inside the horizon
            settled = placement_fields(current, now, horizon)
            if settled:
                moved = Edit(current.id, {k: getattr(current, k) for k in settled}, settled)
        step(moved)
    return combine(task, edits)


def step_record(step: Step, made: str) -> dict[str, Any]:
    """The step as JSON-ready data, with when it was made (an ISO stamp)."""
    return {
        "format": RECORD_FORMAT,
        "label": step.label,
        "made": made,
        "edits": [
            {"id": e.task_id, "before": dict(e.before), "after": dict(e.after)} for e in step.edits
        ],
    }


def read_step(data: Any) -> Step:
    """A step back from its record; ValueError when the record is not one we wrote."""
    if not isinstance(data, dict) or data.get("format") != RECORD_FORMAT:
        raise ValueError("not a record of the last change")
    raw_edits = data.get("edits")
    label = data.get("label")
    if not isinstance(raw_edits, list) or not raw_edits or not isinstance(label, str):
        raise ValueError("the record holds no change")
    edits = []
    for raw in raw_edits:
        if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
            raise ValueError("a change in the record has no task id")
        before, after = raw.get("before"), raw.get("after")
        if not isinstance(before, dict) or not isinstance(after, dict) or set(before) != set(after):
            raise ValueError("a change in the record is incomplete")
        if not set(after) <= _RESTORABLE:
            raise ValueError("a change in the record names an unknown field")
        edits.append(Edit(raw["id"], before, after))
    return Step(edits, label)


def undo_changes(
    step: Step, lookup: Callable[[str], Task | None], stamp: str
) -> tuple[list[Change], list[str]]:
    """The guarded changes that take ``step`` back, and the ids of tasks changed since (a
    conflict: then nothing may be written). ``lookup`` must see tombstones too."""
    history = History(undo_stack=[step])
    conflicts = history.conflicts(step, "undo", lookup)
    taken = history.take("undo", stamp)
    assert taken is not None
    return taken[1], conflicts


def changed_fields(task: Task | None, change: Change) -> list[str]:
    """Which guarded fields no longer hold what the change expects (for the message)."""
    if task is None or not change.expect:
        return []
    return [name for name, value in change.expect.items() if getattr(task, name) != value]


def describe_label(label: str) -> str:
    """The command a step came from, in the interface language."""
    return {
        "add": _("add"),
        "done": _("done"),
        "undo-done": _("not done"),
        "rm": _("delete"),
        "move": _("move"),
        "due": _("deadline"),
        "edit": _("edit"),
    }.get(label, label)
