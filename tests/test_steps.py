"""The command line's undo as data (domain.steps): records, combined edits, guarded undo."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta

import pytest
from clock import NOW
from hypothesis import given
from hypothesis import strategies as st

from eisenhower_tui.domain.changes import apply_fields, edit, move, set_done
from eisenhower_tui.domain.history import Step
from eisenhower_tui.domain.steps import (
    UNSET,
    added,
    combine,
    edit_task,
    read_step,
    step_record,
    undo_changes,
)
from eisenhower_tui.domain.tasks import new_task
from eisenhower_tui.model import Quadrant, Task, iso_now

H48 = timedelta(hours=48)
STAMP = iso_now(NOW)


def test_an_add_is_undone_into_a_tombstone() -> None:
    task = new_task("Fresh", now=NOW)
    [change], conflicts = undo_changes(added([task]), {task.id: task}.get, STAMP)
    assert conflicts == []
    assert change.fields == {"deleted": task.created} and change.expect == {"deleted": None}


def test_a_record_survives_json_and_reads_back_the_same_step() -> None:
    task = new_task("Report", now=NOW, tags=["work"])
    one = edit(task, title="Final", tags=["a", "b"])
    assert one is not None
    step = Step([one], "edit")
    back = read_step(json.loads(json.dumps(step_record(step, STAMP))))
    assert (back.label, back.edits) == ("edit", step.edits)


@pytest.mark.parametrize(
    "data",
    [
        None,
        [],
        {"format": 2, "label": "add", "edits": []},
        {"format": 1, "label": "add", "edits": []},
        {"format": 1, "label": "add", "edits": [{"id": 3, "before": {}, "after": {}}]},
        {"format": 1, "label": "x", "edits": [{"id": "a", "before": {"title": "t"}, "after": {}}]},
        {
            "format": 1,
            "label": "x",
            "edits": [{"id": "a", "before": {"id": 1}, "after": {"id": 2}}],
        },
    ],
)
def test_a_record_we_did_not_write_is_refused(data: object) -> None:
    with pytest.raises(ValueError):
        read_step(data)


def test_undo_conflicts_only_on_the_fields_it_restores() -> None:
    task = new_task("Report", now=NOW)
    one = move(task, Quadrant.DO, NOW, H48)
    assert one is not None
    moved = apply_fields(task, one.after, STAMP)
    step = Step([one], "move")
    noted = replace(moved, notes="changed elsewhere")
    assert undo_changes(step, {task.id: noted}.get, STAMP)[1] == []
    renamed_and_moved = replace(moved, urgent=False)
    assert undo_changes(step, {task.id: renamed_and_moved}.get, STAMP)[1] == [task.id]
    assert undo_changes(step, {}.get, STAMP)[1] == [task.id]  # gone: a conflict too


def test_edit_task_with_a_quadrant_and_a_close_deadline_keeps_the_place() -> None:
    task = new_task("Report", Quadrant.SCHEDULE, now=NOW)
    tomorrow = (NOW + timedelta(days=1)).date().isoformat()
    one = edit_task(task, fields={}, due=tomorrow, quadrant=Quadrant.SCHEDULE, now=NOW, horizon=H48)
    assert one is not None
    assert one.after == {"due": tomorrow, "escalated_for": tomorrow}
    escalating = edit_task(task, fields={}, due=tomorrow, now=NOW, horizon=H48)
    assert escalating is not None and escalating.after["urgent"] is True


def test_edit_task_with_nothing_new_is_no_edit() -> None:
    task = new_task("Report", now=NOW)
    assert edit_task(task, fields={"title": " Report "}, now=NOW, horizon=H48) is None
    assert edit_task(task, fields={}, due=UNSET, now=NOW, horizon=H48) is None


OPERATIONS = st.sampled_from(
    [
        lambda t: edit(t, title="Other title"),
        lambda t: edit(t, tags=["x", "X", "y"]),
        lambda t: edit(t, delegate="bob"),
        lambda t: move(t, Quadrant.ELIMINATE, NOW, H48),
        lambda t: move(t, Quadrant.DO, NOW, H48),
        lambda t: set_done(t, True, NOW),
        lambda t: set_done(t, False, NOW),
        lambda t: edit(t, title="Report"),
    ]
)


@given(st.lists(OPERATIONS, max_size=6))
def test_undoing_a_combined_edit_gives_back_the_task(operations: list) -> None:  # type: ignore[type-arg]
    """Any run of operations combined into one edit undoes to the task as it was."""
    task: Task = new_task("Report", Quadrant.SCHEDULE, now=NOW)
    current, edits = task, []
    for operation in operations:
        one = operation(current)
        edits.append(one)
        if one is not None:
            current = apply_fields(current, one.after, STAMP)
    one = combine(task, edits)
    if one is None:
        assert current.to_record() | {"updated": ""} == task.to_record() | {"updated": ""}
        return
    [change], conflicts = undo_changes(Step([one], "edit"), {task.id: current}.get, STAMP)
    assert conflicts == []
    undone = apply_fields(current, change.fields, task.updated)
    assert undone == task
