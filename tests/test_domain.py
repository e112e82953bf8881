"""The rulebook in isolation: operations as edits, escalation, undo history, filter, board."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from clock import NOW

from eisenhower_tui.domain import changes as ops
from eisenhower_tui.domain.board import Board
from eisenhower_tui.domain.escalation import as_seen, due_for_escalation
from eisenhower_tui.domain.filters import Filter
from eisenhower_tui.domain.history import History, Step
from eisenhower_tui.domain.tasks import build_task
from eisenhower_tui.model import Quadrant, Task, clean_tags

H48 = timedelta(hours=48)
TOMORROW = "2026-11-27"
LATER = "2026-12-20"


def make(title: str = "Task", quadrant: Quadrant = Quadrant.SCHEDULE, **fields: object) -> Task:
    return replace(build_task(now=NOW, title=title, quadrant=quadrant), **fields)


def apply(task: Task, edit: ops.Edit | None) -> Task:
    assert edit is not None
    return ops.apply_fields(task, edit.after, "2026-11-26T09:00:00+00:00")


# --- tags and draft to task ---------------------------------------------------------------------


def test_one_tag_rule_drops_duplicates_by_case_keeping_the_first_spelling() -> None:
    assert clean_tags(["#Home", "home", "HOME", "work", "", "#"]) == ["Home", "work"]


def test_build_task_cleans_every_text_once() -> None:
    task = build_task(
        now=NOW,
        title="\x1b]0;pwned\x07Pay rent",
        notes="line\x1b[2J\nnext",
        tags=["#a", "A"],
        delegate="@bob\u202e",
    )
    assert (task.title, task.notes, task.tags, task.delegate) == (
        "Pay rent",
        "line\nnext",
        ["a"],
        "bob",
    )


# --- escalation ---------------------------------------------------------------------------------


def test_add_without_a_chosen_quadrant_escalates_a_close_deadline_at_once() -> None:
    task = ops.add_task(
        title="Close",
        quadrant=Quadrant.SCHEDULE,
        explicit=False,
        now=NOW,
        horizon=H48,
        due=TOMORROW,
    )
    assert task.quadrant is Quadrant.DO
    assert task.escalated and task.escalated_for == TOMORROW


def test_an_explicit_placement_inside_the_horizon_sticks() -> None:
    task = ops.add_task(
        title="Close",
        quadrant=Quadrant.ELIMINATE,
        explicit=True,
        now=NOW,
        horizon=H48,
        due=TOMORROW,
    )
    assert task.quadrant is Quadrant.ELIMINATE
    assert task.escalated is None and task.escalated_for == TOMORROW
    assert not due_for_escalation(task, NOW + timedelta(hours=20), H48)


def test_a_move_out_of_urgent_with_a_close_deadline_sticks_and_a_new_deadline_escalates_again() -> (
    None
):
    task = make(quadrant=Quadrant.DO, due=TOMORROW)
    moved = apply(task, ops.move(task, Quadrant.SCHEDULE, NOW, H48))
    assert moved.quadrant is Quadrant.SCHEDULE
    assert not due_for_escalation(moved, NOW, H48)
    redated = apply(moved, ops.set_due(moved, "2026-11-27T12:00:00+01:00", NOW, H48))
    assert redated.quadrant is Quadrant.DO  # setting a close deadline escalates at once


def test_a_deadline_beyond_the_horizon_does_not_escalate_and_off_means_off() -> None:
    task = make()
    assert apply(task, ops.set_due(task, LATER, NOW, H48)).quadrant is Quadrant.SCHEDULE
    assert apply(task, ops.set_due(task, TOMORROW, NOW, None)).quadrant is Quadrant.SCHEDULE


def test_every_view_sees_the_same_quadrant_before_the_file_holds_the_escalation() -> None:
    pending = make("Pending", due=TOMORROW)
    (seen,) = as_seen([pending], NOW, H48)
    assert seen.quadrant is Quadrant.DO and pending.quadrant is Quadrant.SCHEDULE


def test_escalation_pass_is_one_list_of_guarded_edits_whose_undo_sticks() -> None:
    due = make("Due", due=TOMORROW)
    far = make("Far", due=LATER)
    placed = make("Placed", quadrant=Quadrant.ELIMINATE, due=TOMORROW, escalated_for=TOMORROW)
    edits, changes = ops.escalate_all([due, far, placed], NOW, H48)
    assert [e.task_id for e in edits] == [due.id]
    assert changes[0].on_mismatch == "skip" and changes[0].expect == {
        "urgent": False,
        "due": TOMORROW,
        "escalated_for": None,
    }
    up = ops.apply_fields(due, edits[0].after, "s")
    back = ops.apply_fields(up, edits[0].before, "s")  # what undo writes
    assert back.quadrant is Quadrant.SCHEDULE
    assert not due_for_escalation(back, NOW + timedelta(hours=1), H48)


# --- undo history -------------------------------------------------------------------------------


def test_many_undos_and_redos_on_one_task_walk_the_whole_history() -> None:
    tasks = {}
    task = make(quadrant=Quadrant.DO)
    tasks[task.id] = task
    history = History()
    for quadrant in (Quadrant.SCHEDULE, Quadrant.ELIMINATE, Quadrant.DELEGATE):
        edit = ops.move(tasks[task.id], quadrant, NOW, H48)
        assert edit is not None
        tasks[task.id] = apply(tasks[task.id], edit)
        history.record(Step([edit], "move"))

    def walk(direction: str) -> Quadrant:
        step = history.peek(direction)  # type: ignore[arg-type]
        assert step is not None
        assert history.conflicts(step, direction, tasks.get) == []  # type: ignore[arg-type]
        taken = history.take(direction, "stamp")  # type: ignore[arg-type]
        assert taken is not None
        ops.apply_changes(tasks, taken[1], {})
        return tasks[task.id].quadrant

    assert [walk("undo") for _ in range(3)] == [Quadrant.ELIMINATE, Quadrant.SCHEDULE, Quadrant.DO]
    assert history.peek("undo") is None
    assert [walk("redo") for _ in range(3)] == [
        Quadrant.SCHEDULE,
        Quadrant.ELIMINATE,
        Quadrant.DELEGATE,
    ]


def test_a_step_conflicts_only_on_the_fields_it_restores_and_stays_on_the_stack() -> None:
    task = make(quadrant=Quadrant.DO)
    edit = ops.move(task, Quadrant.SCHEDULE, NOW, H48)
    moved = apply(task, edit)
    history = History()
    history.record(Step([edit], "move"))  # type: ignore[list-item]
    renamed = replace(moved, title="renamed elsewhere")
    step = history.peek("undo")
    assert step is not None
    assert history.conflicts(step, "undo", {task.id: renamed}.get) == []
    elsewhere = replace(moved, urgent=False, important=False)
    assert history.conflicts(step, "undo", {task.id: elsewhere}.get) == [task.id]
    assert history.peek("undo") is step  # nothing was taken


def test_give_back_returns_a_conflicting_step_where_it_was() -> None:
    task = make(quadrant=Quadrant.DO)
    history = History()
    history.record(Step([ops.move(task, Quadrant.SCHEDULE, NOW, H48)], "move"))  # type: ignore[list-item]
    taken = history.take("undo", "s")
    assert taken is not None and history.peek("undo") is None
    history.give_back(taken[0], "undo")
    assert history.peek("undo") is taken[0] and history.peek("redo") is None


# --- filter and board ---------------------------------------------------------------------------


def test_filter_words_and_tags_people_and_deadlines() -> None:
    report = make("Quarterly report", tags=["work"], delegate="Bob", due="2026-11-20")
    today = make("Call mum", due="2026-11-26")
    week = make("Plan trip", due="2026-12-02")
    none = make("Read", notes="a book about Work")
    every = [report, today, week, none]

    def shown(text: str) -> list[str]:
        return [t.title for t in every if Filter(text).matches(t, NOW)]

    assert shown("#wo") == ["Quarterly report"]
    assert shown("@bo") == ["Quarterly report"]
    assert shown("work") == ["Read"]  # text is title and notes; tags need #
    assert shown("overdue") == ["Quarterly report"]
    assert shown("due:today") == ["Quarterly report", "Call mum"]
    assert shown("due:week") == ["Quarterly report", "Call mum", "Plan trip"]
    assert shown("REPORT #work") == ["Quarterly report"]


def test_board_moves_only_the_changed_task_between_pane_rows() -> None:
    a, b = make("a", Quadrant.DO, order=1.0), make("b", Quadrant.DO, order=2.0)
    board = Board()
    board.load([a, b], NOW)
    edit = ops.move(a, Quadrant.ELIMINATE, NOW, H48)
    assert edit is not None
    touched = board.apply([edit.change("s")])
    assert touched == {Quadrant.DO, Quadrant.ELIMINATE}
    assert [t.title for t in board.rows[Quadrant.DO]] == ["b"]
    assert [t.title for t in board.rows[Quadrant.ELIMINATE]] == ["a"]
    assert board.open_counts[Quadrant.DO] == 1


def test_board_keeps_a_deleted_task_so_undo_brings_it_back() -> None:
    a = make("a")
    board = Board()
    board.load([a], NOW)
    edit = ops.delete(a, NOW)
    board.apply([edit.change("s")])
    assert board.rows[Quadrant.SCHEDULE] == [] and board.lookup(a.id) is not None
    board.apply([ops.Change(a.id, dict(edit.before), stamp="s2")])
    assert [t.title for t in board.rows[Quadrant.SCHEDULE]] == ["a"]


# --- the edit form, bulk tags, manual order, details ----------------------------------------------


def test_the_edit_form_is_one_edit_whose_before_restores_every_field_it_changed() -> None:
    task = make("Old", quadrant=Quadrant.DO, tags=["a"])
    edit = ops.revise(
        task,
        now=NOW,
        horizon=H48,
        due=LATER,
        quadrant=Quadrant.ELIMINATE,
        title="New",
        tags=["b", "B"],
    )
    assert edit is not None
    after = apply(task, edit)
    assert (after.title, after.tags, after.due, after.quadrant) == (
        "New",
        ["b"],
        LATER,
        Quadrant.ELIMINATE,
    )
    back = apply(after, ops.Edit(task.id, edit.after, edit.before))
    assert (back.title, back.tags, back.due, back.quadrant) == ("Old", ["a"], None, Quadrant.DO)


def test_the_edit_form_escalates_a_close_deadline_unless_the_user_picks_the_quadrant() -> None:
    task = make("Plan")
    same_place = apply(
        task, ops.revise(task, now=NOW, horizon=H48, due=TOMORROW, quadrant=task.quadrant)
    )
    assert same_place.quadrant is Quadrant.DO and same_place.escalated
    chosen = apply(
        task, ops.revise(task, now=NOW, horizon=H48, due=TOMORROW, quadrant=Quadrant.ELIMINATE)
    )
    assert chosen.quadrant is Quadrant.ELIMINATE
    assert not due_for_escalation(chosen, NOW, H48)


def test_the_edit_form_changing_nothing_is_no_edit() -> None:
    task = make("Same", tags=["a"])
    assert (
        ops.revise(task, now=NOW, horizon=H48, due=None, quadrant=task.quadrant, title="Same")
        is None
    )


def test_adding_a_tag_keeps_the_others_and_a_tag_already_there_in_any_case_is_no_edit() -> None:
    task = make(tags=["Home"])
    assert apply(task, ops.add_tag(task, "#work")).tags == ["Home", "work"]
    assert ops.add_tag(task, "home") is None


def _ordered(tasks: list[Task]) -> list[Task]:
    return sorted(tasks, key=lambda t: (t.due is not None, t.order, t.id))


def test_reorder_puts_the_task_between_its_new_neighbours_with_one_edit() -> None:
    a, b, c = (make(n, order=float(i)) for i, n in enumerate("abc", start=1))
    edits = ops.reorder([a, b, c], c.id, -1)
    assert [e.task_id for e in edits] == [c.id]
    moved = apply(c, edits[0])
    assert [t.title for t in _ordered([a, b, moved])] == ["a", "c", "b"]
    top = apply(a, ops.reorder([a, b, c], a.id, +1)[0])
    assert [t.title for t in _ordered([top, b, c])] == ["b", "a", "c"]


def test_reorder_renumbers_the_run_when_neighbours_share_an_order() -> None:
    a, b, c = (make(n, order=5.0) for n in "abc")
    rows = sorted([a, b, c], key=lambda t: t.id)
    first, second, third = rows
    edits = ops.reorder(rows, third.id, -1)
    by_id = {t.id: t for t in rows}
    for edit in edits:
        by_id[edit.task_id] = apply(by_id[edit.task_id], edit)
    assert [t.id for t in _ordered(list(by_id.values()))] == [first.id, third.id, second.id]


def test_reorder_does_nothing_at_the_ends_or_for_a_task_with_a_deadline() -> None:
    a, b = make("a", order=1.0), make("b", order=2.0)
    dated = make("dated", due=LATER)
    rows = [dated, a, b]
    assert ops.reorder(rows, a.id, -1) == []  # first of the undated ones
    assert ops.reorder(rows, b.id, +1) == []
    assert ops.reorder(rows, dated.id, +1) == []


def test_details_say_when_and_for_which_deadline_a_task_was_escalated() -> None:
    from eisenhower_tui.domain.details import task_details

    task = make("Report", quadrant=Quadrant.DO, due=TOMORROW, notes="n", tags=["ops"])
    task = replace(task, escalated="2026-11-26T09:00:00+00:00", escalated_for=TOMORROW)
    rows = dict(task_details(task, NOW))
    assert rows["Escalation"] == "escalated on Thu 26 Nov 10:00 for the deadline Fri 27 Nov"
    assert rows["Deadline"] == "Fri 27 Nov (all day) - tomorrow"
    assert rows["Quadrant"] == "1 Do first" and rows["Tags"] == "#ops"
    assert rows["Done"] == "not yet" and rows["Created"].startswith("Thu 26 Nov")
