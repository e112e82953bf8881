"""Every change to a task, as data: what the CLI, capture and the matrix ask the store to do.

An operation (``move``, ``set_due``, ``set_done``, ``edit``, ``delete``...) looks at the task as
the caller sees it and returns an :class:`Edit`: the fields before and after. The CLI applies it
inside its transaction; the matrix applies it to its view at once and hands it to the writer as a
:class:`Change`, which is applied to the task as re-read under the lock. Both stamp ``updated``
through :func:`apply_fields`, so the same changes give the same file from either front end.

A change of quadrant appends to the task's ``moves`` with its cause (:mod:`.moves`) in the
``after`` values, so undo restores the list. Marking a recurring task done also creates the next
instance (:mod:`.recurrence`): ``set_done`` returns that creation in the edit's ``then``, to be
committed with it as one step (:meth:`Edit.step`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, Literal

from ..i18n import _
from ..model import (
    InvalidTask,
    Quadrant,
    Task,
    clean_delegate,
    clean_tags,
    clean_title,
    iso_now,
    sanitize_notes,
    utc_now,
)
from .escalation import due_for_escalation, escalation_fields, placement_fields
from .moves import moved, slipped
from .recurrence import Rule, first_due, next_instance
from .tasks import build_task

__all__ = [
    "Change",
    "Edit",
    "add_tag",
    "add_task",
    "apply_changes",
    "apply_fields",
    "created",
    "delete",
    "edit",
    "escalate_all",
    "move",
    "reorder",
    "revise",
    "set_done",
    "set_due",
]

# Fields a user may set with `edit`, each cleaned by its own rule.
EDITABLE = ("title", "notes", "tags", "delegate")


@dataclass(slots=True)
class Edit:
    """One task's fields before and after an operation (the unit of undo)."""

    task_id: str
    before: dict[str, Any]
    after: dict[str, Any]
    # A creation: the task to insert (before: a tombstone, after: alive), so undo deletes it.
    insert: Task | None = None
    # Edits that belong to the same user action (the next instance of a recurring task).
    then: list[Edit] = field(default_factory=list)

    def change(self, stamp: str) -> Change:
        if self.insert is not None:
            return Change(self.task_id, insert=self.insert, stamp=self.insert.updated)
        return Change(self.task_id, dict(self.after), stamp=stamp)

    @property
    def step(self) -> list[Edit]:
        """This edit and those that go with it: commit them as one undoable step."""
        return [self, *self.then]


def created(task: Task) -> Edit:
    """The edit that adds ``task``: undoing it leaves a tombstone, redoing it revives it."""
    return Edit(task.id, {"deleted": task.created}, {"deleted": None}, insert=task)


@dataclass(slots=True)
class Change:
    """One write: insert ``insert``, or set ``fields`` on the task ``task_id``.

    ``expect`` holds field values the stored task must still have; when it does not, the change
    is a conflict (undo/redo: someone else changed those fields) or, with ``on_mismatch="skip"``,
    silently not needed any more (an escalation another window already made).
    """

    task_id: str
    fields: dict[str, Any] = field(default_factory=dict)
    stamp: str = ""
    expect: dict[str, Any] | None = None
    on_mismatch: Literal["conflict", "skip"] = "conflict"
    insert: Task | None = None


def apply_fields(task: Task, fields: Mapping[str, Any], stamp: str) -> Task:
    """The task with ``fields`` set and ``updated`` stamped: the one way a change lands."""
    return replace(task, **fields, updated=stamp)


def mismatched(task: Task | None, expect: Mapping[str, Any] | None) -> bool:
    """Whether a stored task no longer has the values a guarded change expects."""
    if not expect:
        return False
    if task is None:
        return True
    return any(getattr(task, name) != value for name, value in expect.items())


def _edit(task: Task, after: dict[str, Any]) -> Edit | None:
    before = {name: getattr(task, name) for name in after}
    if before == after:
        return None
    return Edit(task.id, before, after)


# --- operations ---------------------------------------------------------------------------------


def add_task(
    *,
    title: str,
    quadrant: Quadrant,
    explicit: bool,
    now: datetime,
    horizon: timedelta | None,
    due: str | None = None,
    tags: Iterable[str] = (),
    delegate: str | None = None,
    notes: str = "",
    order: float | None = None,
    cause: str = "add",
    recur: Rule | None = None,
    wait: str | None = None,
    follow_up: str | None = None,
    follow_up_days: int = 3,
) -> Task:
    """A new task as the user typed it, with escalation applied as it is saved.

    ``explicit``: the quadrant came from the user (a token, ``--quadrant``), so a deadline
    already inside the horizon does not move it; otherwise the rule makes it urgent at once,
    the same in ``add``, capture and the add box. A recurring task without a deadline gets
    the rule's first day; a delegated one a follow-up ``follow_up_days`` working days on.
    """
    from .followup import delegate_fields

    if recur is not None and not due:
        due = first_due(recur, now)
    task = build_task(
        now=now,
        title=title,
        quadrant=quadrant,
        due=due,
        tags=tags,
        delegate=delegate,
        notes=notes,
        order=order,
        recur=recur.rrule if recur else None,
        recur_mode=recur.mode if recur else None,
        wait=wait,
        follow_up=follow_up,
    )
    if recur is not None:
        task.series = task.id
    if task.delegate:
        named = replace(task, delegate=None)
        task = replace(task, **delegate_fields(named, task.delegate, now, follow_up_days))
    task.moves = moved(task, quadrant, now, cause, added=True)
    if explicit:
        settled = placement_fields(task, now, horizon)
        return replace(task, **settled) if settled else task
    if due_for_escalation(task, now, horizon):
        urgent = Quadrant.from_flags(True, task.important)
        return replace(
            task,
            **escalation_fields(task, now),
            moves=moved(task, urgent, now, "escalation"),
        )
    return task


def move(
    task: Task,
    quadrant: Quadrant,
    now: datetime,
    horizon: timedelta | None,
    cause: str = "key",
) -> Edit | None:
    """Put the task in ``quadrant``; an explicit placement, so it sticks (see escalation).

    ``cause``: ``key`` (the matrix), ``cli``, ``import``, ``merge``; recorded in ``moves``.
    """
    if task.quadrant == quadrant:
        return None
    placed = replace(task, urgent=quadrant.urgent, important=quadrant.important)
    after: dict[str, Any] = {"urgent": quadrant.urgent, "important": quadrant.important}
    after.update(placement_fields(placed, now, horizon))
    after["moves"] = moved(task, quadrant, now, cause)
    return _edit(task, after)


def set_due(
    task: Task,
    due: str | None,
    now: datetime,
    horizon: timedelta | None,
    cause: str = "escalation",
) -> Edit | None:
    """Set or clear the deadline; a deadline inside the horizon escalates at once (the move
    is recorded with ``cause``). A deadline moved later counts as a slip."""
    if task.due == due:
        return None
    after: dict[str, Any] = {"due": due}
    dated = replace(task, due=due)
    if due_for_escalation(dated, now, horizon):
        after.update(escalation_fields(dated, now))
        after["moves"] = moved(dated, Quadrant.from_flags(True, task.important), now, cause)
    if slipped(task.due, due, now):
        after["slips"] = task.slips + 1
    return _edit(task, after)


def set_done(
    task: Task,
    done: bool,
    now: datetime,
    *,
    lookup: Callable[[str], Task | None] | None = None,
) -> Edit | None:
    """Mark done (stamped now) or not done; nothing when it already is.

    Done on a recurring task: the edit's ``then`` holds the creation of the next instance
    (commit ``edit.step`` as one step, so undo removes it too); none when ``lookup`` finds that
    instance already alive (done twice, or on two devices: the same id, one task).
    """
    if (task.done is not None) == done:
        return None
    edit = _edit(task, {"done": iso_now(now) if done else None})
    if edit is not None and done and task.recur:
        following = next_instance(task, now, lookup=lookup)
        if following is not None:
            edit.then.append(created(following))
    return edit


def delete(task: Task, now: datetime) -> Edit:
    """A tombstone, so a sync tool or merge cannot silently bring the task back."""
    return Edit(task.id, {"deleted": task.deleted}, {"deleted": iso_now(now)})


def edit(task: Task, now: datetime | None = None, **fields: Any) -> Edit | None:
    """Change title, notes, tags or delegate, each cleaned by its rule (InvalidTask if bad).

    A first delegate also stamps ``delegated`` and sets a follow-up (:mod:`.followup`).
    """
    after: dict[str, Any] = {}
    for name, value in fields.items():
        if name == "title":
            after[name] = clean_title(value)
        elif name == "notes":
            after[name] = sanitize_notes(value or "")
        elif name == "tags":
            after[name] = clean_tags(value or ())
        elif name == "delegate":
            from .followup import delegate_fields

            after.update(delegate_fields(task, clean_delegate(value), now or utc_now()))
        else:
            raise InvalidTask(_("'{name}' cannot be edited").format(name=name))
    return _edit(task, after)


def add_tag(task: Task, tag: str) -> Edit | None:
    """The task with one more tag (the tag rule dedupes by case: nothing if it is there)."""
    return edit(task, tags=[*task.tags, tag])


def revise(
    task: Task,
    *,
    now: datetime,
    horizon: timedelta | None,
    due: str | None,
    quadrant: Quadrant,
    **fields: Any,
) -> Edit | None:
    """The whole edit form as one edit: texts, then the deadline, then the quadrant.

    One :class:`Edit` per task, so undo restores every field the form changed at once. The
    deadline goes first so a close one escalates as ``set_due`` says; a quadrant the user
    changed in the form goes last and is a placement that sticks, as ``move`` says.
    """
    after: dict[str, Any] = {}
    current = task  # each part looks at the task as the previous part left it
    texts = edit(task, **fields) if fields else None
    if texts is not None:
        after.update(texts.after)
        current = apply_fields(current, texts.after, current.updated)
    dated = set_due(current, due, now, horizon)
    if dated is not None:
        after.update(dated.after)
        current = apply_fields(current, dated.after, current.updated)
    if quadrant != task.quadrant:
        placed = move(current, quadrant, now, horizon)
        if placed is not None:
            after.update(placed.after)
    before = {name: getattr(task, name) for name in after}
    if before == after:
        return None
    return Edit(task.id, before, after)


def reorder(rows: Sequence[Task], task_id: str, offset: int) -> list[Edit]:
    """Move a task up (``offset`` -1) or down (+1) among the pane's open tasks without a deadline.

    Those tasks sort by ``order`` (SPEC: the user's manual order), so the task gets an order
    between its new neighbours; nothing else is written. When two neighbours share an order
    (tasks made in the same instant, an import) there is no number between them: the whole
    run is renumbered 1, 2, 3... in the new order, still one undoable list of edits.
    Tasks with a deadline sort by it and cannot be reordered: an empty list.
    """
    undated = [t for t in rows if not t.due and t.done is None]
    index = next((i for i, t in enumerate(undated) if t.id == task_id), None)
    target = None if index is None else index + offset
    if index is None or target is None or not 0 <= target < len(undated):
        return []
    moved = undated[index]
    rest = undated[:index] + undated[index + 1 :]
    # The neighbours the task lands between, in the new order.
    above = rest[target - 1] if target > 0 else None
    below = rest[target] if target < len(rest) else None
    if above is None and below is not None:
        new_order = below.order - 1.0
    elif below is None and above is not None:
        new_order = above.order + 1.0
    elif above is not None and below is not None:
        new_order = (above.order + below.order) / 2
    else:
        return []
    low = above.order if above is not None else float("-inf")
    high = below.order if below is not None else float("inf")
    if low < new_order < high:
        single = _edit(moved, {"order": new_order})
        return [single] if single is not None else []
    sequence = [*rest[:target], moved, *rest[target:]]
    edits = [_edit(t, {"order": float(n)}) for n, t in enumerate(sequence, start=1)]
    return [e for e in edits if e is not None]


def escalate_all(
    tasks: Iterable[Task], now: datetime, horizon: timedelta | None, cause: str = "escalation"
) -> tuple[list[Edit], list[Change]]:
    """Every escalation due at ``now``: the edits (one undoable step) and guarded changes.

    Undoing an escalation is the user's placement: its ``before`` keeps the task settled for
    that deadline, so the next pass does not escalate it again. The change is skipped, not a
    conflict, when another window escalated or moved the task first.
    """
    stamp = iso_now(now)
    edits: list[Edit] = []
    changes: list[Change] = []
    for task in tasks:
        if not due_for_escalation(task, now, horizon):
            continue
        after = escalation_fields(task, now)
        after["moves"] = moved(task, Quadrant.from_flags(True, task.important), now, cause)
        before = {
            "urgent": False,
            "escalated": task.escalated,
            "escalated_for": task.due,
            "moves": task.moves,
        }
        edits.append(Edit(task.id, before, after))
        expect = {"urgent": False, "due": task.due, "escalated_for": task.escalated_for}
        changes.append(Change(task.id, after, stamp=stamp, expect=expect, on_mismatch="skip"))
    return edits, changes


# --- applying a list of changes to tasks held in memory -----------------------------------------


def apply_changes(
    tasks: MutableMapping[str, Task],
    changes: Iterable[Change],
    graveyard: MutableMapping[str, Task],
) -> list[tuple[Task | None, Task | None]]:
    """Apply changes to a view of the tasks; returns (before, after) for each task touched.

    A task deleted here moves to ``graveyard``, so undoing the deletion can bring it back at
    once. Guarded changes whose expectation fails are left out (the writer reports them).
    """
    pairs: list[tuple[Task | None, Task | None]] = []
    for change in changes:
        if change.insert is not None:
            pairs.append((tasks.get(change.insert.id), change.insert))
            tasks[change.insert.id] = change.insert
            continue
        current = tasks.get(change.task_id)
        base = current or graveyard.get(change.task_id)
        if base is None or mismatched(base, change.expect):
            continue
        updated = apply_fields(base, change.fields, change.stamp)
        if updated.deleted:
            tasks.pop(updated.id, None)
            graveyard[updated.id] = updated
            pairs.append((current, None))
        else:
            graveyard.pop(updated.id, None)
            tasks[updated.id] = updated
            pairs.append((current, updated))
    return pairs
