"""The pure halves of sync: the three-way merge, the plan, and the Task <-> VTODO mapping."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from eisenhower_tui.domain.tasks import new_task
from eisenhower_tui.model import Quadrant
from eisenhower_tui.sync.engine import Fetched, merge_fields, plan_sync
from eisenhower_tui.sync.mapping import (
    parse_todo,
    quadrant_from_priority,
    synced_fields,
    todo_ics,
)
from eisenhower_tui.sync.state import Item

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 11, 30, 10, 0, tzinfo=PARIS)
EARLY, LATE = NOW - timedelta(hours=2), NOW - timedelta(hours=1)


def fields(**changes: object) -> dict[str, object]:
    base: dict[str, object] = {
        "title": "Report",
        "notes": "",
        "urgent": False,
        "important": True,
        "due": None,
        "tags": [],
        "delegate": None,
        "done": None,
    }
    base.update(changes)
    return base


def test_a_field_changed_on_one_side_only_takes_that_side() -> None:
    merged = merge_fields(
        fields(), fields(title="Mine"), fields(tags=["work"]), ours_time=LATE, theirs_time=EARLY
    )
    assert merged.fields["title"] == "Mine"
    assert merged.fields["tags"] == ["work"]
    assert merged.conflicts == []


@pytest.mark.parametrize(
    ("ours_time", "theirs_time", "winner", "loser"),
    [
        (LATE, EARLY, "Mine", "Theirs"),
        (EARLY, LATE, "Theirs", "Mine"),
        (LATE, LATE, "Mine", "Theirs"),
    ],
)
def test_a_field_changed_on_both_sides_keeps_the_newer_and_notes_the_other(
    ours_time: datetime, theirs_time: datetime, winner: str, loser: str
) -> None:
    merged = merge_fields(
        fields(), fields(title="Mine"), fields(title="Theirs"), ours_time, theirs_time
    )
    assert merged.fields["title"] == winner
    assert merged.fields["notes"] == f"[sync] other value of title: {loser}"
    assert merged.conflicts == ["title"]


def test_the_same_change_on_both_sides_is_no_conflict() -> None:
    merged = merge_fields(fields(), fields(due="2026-12-01"), fields(due="2026-12-01"), LATE, EARLY)
    assert merged.fields["due"] == "2026-12-01" and merged.conflicts == []


def test_one_instant_in_two_offsets_is_the_same_deadline() -> None:
    merged = merge_fields(
        fields(due="2026-12-01T17:00:00+01:00"),
        fields(due="2026-12-01T17:00:00+01:00"),
        fields(due="2026-12-01T16:00:00+00:00"),
        LATE,
        EARLY,
    )
    assert merged.fields["due"] == "2026-12-01T17:00:00+01:00" and merged.conflicts == []


def test_a_conflict_line_already_in_the_notes_is_not_added_twice() -> None:
    line = "[sync] other value of title: Theirs"
    merged = merge_fields(
        fields(), fields(title="Mine", notes=line), fields(title="Theirs"), LATE, EARLY
    )
    assert merged.fields["notes"] == line


def test_without_a_base_every_difference_is_a_conflict() -> None:
    merged = merge_fields(None, fields(urgent=True), fields(tags=["x"]), EARLY, LATE)
    assert merged.fields["urgent"] is False and merged.fields["tags"] == ["x"]
    assert sorted(merged.conflicts) == ["tags", "urgent"]
    assert "other value of urgent: yes" in merged.fields["notes"]


@pytest.mark.parametrize(
    ("priority", "quadrant"),
    [(1, Quadrant.DO), (2, Quadrant.SCHEDULE), (4, Quadrant.SCHEDULE), (5, Quadrant.DELEGATE),
     (6, Quadrant.ELIMINATE), (9, Quadrant.ELIMINATE), (0, Quadrant.SCHEDULE),
     (None, Quadrant.SCHEDULE)],
)  # fmt: skip
def test_priority_places_a_phone_task(priority: int | None, quadrant: Quadrant) -> None:
    assert quadrant_from_priority(priority) == quadrant


def test_a_task_survives_the_trip_to_a_vtodo_and_back() -> None:
    task = new_task(
        "Ship [/] $title \x1b]52;c;evil\x07",
        Quadrant.DELEGATE,
        due="2026-12-01T17:30:00+01:00",
        tags=["work", "Q4"],
        delegate="sam",
        notes="line one\nline two",
        now=NOW,
    )
    ics = todo_ics(task, previous=None, lead=timedelta(minutes=15), all_day_at=time(9), now=NOW)
    back = parse_todo(ics, PARIS)
    assert back is not None and back.uid == task.id and not back.placed_by_priority
    assert back.fields == synced_fields(task)
    assert b"PRIORITY:5" in ics and b"DUE:20261201T163000Z" in ics
    assert b"TRIGGER;RELATED=END:-PT15M" in ics


def test_a_phone_priority_change_wins_over_our_flags() -> None:
    task = new_task("Plan", Quadrant.SCHEDULE, now=NOW)
    ics = todo_ics(task, previous=None, lead=timedelta(0), all_day_at=time(9), now=NOW)
    changed = ics.replace(b"PRIORITY:3", b"PRIORITY:1")
    back = parse_todo(changed, PARIS)
    assert back is not None and (back.fields["urgent"], back.fields["important"]) == (True, True)


def test_an_all_day_deadline_rings_at_the_reminder_hour() -> None:
    task = new_task("Taxes", due="2026-12-15", now=NOW)
    ics = todo_ics(task, previous=None, lead=timedelta(minutes=15), all_day_at=time(9), now=NOW)
    assert b"DUE;VALUE=DATE:20261215" in ics and b"TRIGGER;RELATED=END:PT9H" in ics


def test_the_plan_pushes_a_local_change_and_leaves_the_base_for_after_the_push() -> None:
    task = new_task("Plan", now=NOW)
    base = synced_fields(task)
    task.title = "Plan better"
    items = {task.id: Item("/alice/tasks/x.ics", '"1"', base)}
    plan = plan_sync(
        local={task.id: task},
        items=items,
        fetched={},
        removed=set(),
        href_for=lambda uid: f"/alice/tasks/{uid}.ics",
        now=NOW,
        horizon=timedelta(hours=48),
    )
    assert [p.task.title for p in plan.pushes] == ["Plan better"]
    assert plan.pushes[0].etag == '"1"'
    assert plan.items == {} and plan.local_puts == []


def test_the_plan_takes_a_server_change_and_agrees_on_the_new_base() -> None:
    task = new_task("Plan", now=NOW)
    task.updated = EARLY.astimezone(UTC).isoformat()
    items = {task.id: Item("/a/x.ics", '"1"', synced_fields(task))}
    theirs = task.__class__(**{**task.to_record(), "title": "Plan (phone)", "extra": {}})
    theirs_ics = todo_ics(theirs, previous=None, lead=timedelta(0), all_day_at=time(9), now=NOW)
    todo = parse_todo(theirs_ics, PARIS)
    assert todo is not None
    plan = plan_sync(
        local={task.id: task},
        items=items,
        fetched={"/a/x.ics": Fetched("/a/x.ics", '"2"', theirs_ics.decode(), todo)},
        removed=set(),
        href_for=lambda uid: uid,
        now=NOW,
        horizon=None,
    )
    assert [t.title for t in plan.local_puts] == ["Plan (phone)"]
    assert plan.pushes == []
    assert plan.items[task.id].etag == '"2"'
    assert plan.items[task.id].base is not None
    assert plan.items[task.id].base["title"] == "Plan (phone)"


def test_the_merge_and_the_mapping_import_no_network_and_no_ui() -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "import eisenhower_tui.sync, eisenhower_tui.sync.engine, eisenhower_tui.sync.mapping\n"
        "print(sorted(m for m in ('caldav', 'niquests', 'textual', 'rich') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
