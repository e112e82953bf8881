"""The practice over weeks, rule by rule: recurrence, wait, follow-up, abandon, moves, limits,
the weekly review. Pure functions on a fixed clock (a Thursday in Paris)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from clock import NOW
from hypothesis import given, settings
from hypothesis import strategies as st

from eisenhower_tui.domain import changes as ops
from eisenhower_tui.domain.changes import apply_changes, apply_fields
from eisenhower_tui.domain.followup import (
    check_in,
    follow_up_after,
    follow_up_overdue,
    owed_by,
    waiting_text,
)
from eisenhower_tui.domain.hidden import (
    abandon,
    in_panes,
    is_waiting,
    sweep,
    sweep_candidates,
    unabandon,
    waiting_counts,
)
from eisenhower_tui.domain.history import History, Step
from eisenhower_tui.domain.merge import merge_records
from eisenhower_tui.domain.moves import MAX_MOVES, merge_moves, story
from eisenhower_tui.domain.recurrence import (
    instance_id,
    next_due,
    next_instance,
    parse_every,
    rule_from_taskwarrior,
)
from eisenhower_tui.domain.review import (
    limit_text,
    limit_warning,
    over_limit,
    review,
    sparkline,
    week_summary,
)
from eisenhower_tui.domain.tasks import build_task
from eisenhower_tui.domain.views import public_records
from eisenhower_tui.model import InvalidTask, Quadrant, Task, iso_now
from eisenhower_tui.quickadd import parse_quick_add

H48 = timedelta(hours=48)


def recurring(title: str = "Pay rent", rule: str = "month", due: str = "2026-12-01") -> Task:
    return ops.add_task(
        title=title,
        quadrant=Quadrant.SCHEDULE,
        explicit=True,
        now=NOW,
        horizon=H48,
        due=due,
        recur=parse_every(rule),
    )


def done_with_next(task: Task, when=NOW) -> tuple[Task, Task]:
    edit = ops.set_done(task, True, when)
    assert edit is not None
    [follow] = edit.then
    assert follow.insert is not None
    return apply_fields(task, edit.after, iso_now(when)), follow.insert


# --- recurrence ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("words", "rrule"),
    [
        ("fri", "FREQ=WEEKLY;BYDAY=FR"),
        ("Friday", "FREQ=WEEKLY;BYDAY=FR"),
        ("month", "FREQ=MONTHLY"),
        ("2w", "FREQ=WEEKLY;INTERVAL=2"),
        ("weekday", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"),
        ("lundi", "FREQ=WEEKLY;BYDAY=MO"),
        ("thu,mon", "FREQ=WEEKLY;BYDAY=MO,TH"),
        ("3j", "FREQ=DAILY;INTERVAL=3"),
        ("RRULE:freq=weekly;interval=1;byday=fr", "FREQ=WEEKLY;BYDAY=FR"),
        ("FREQ=MONTHLY;BYMONTHDAY=-1", "FREQ=MONTHLY;BYMONTHDAY=-1"),
    ],
)
def test_rule_words_and_rrules_have_one_canonical_spelling(words, rrule):
    assert parse_every(words).rrule == rrule


@pytest.mark.parametrize("bad", ["", "often", "FREQ=HOURLY", "FREQ=WEEKLY;BYDAY=XX", "0w", "[/]"])
def test_a_rule_that_is_not_one_is_refused_with_the_examples(bad):
    with pytest.raises(InvalidTask, match="every:fri"):
        parse_every(bad)


def test_done_on_a_monthly_task_creates_the_next_month_with_a_derived_id():
    rent = recurring()
    assert rent.series == rent.id and rent.recur == "FREQ=MONTHLY" and rent.recur_mode == "fixed"
    _done, january = done_with_next(rent)
    assert january.due == "2027-01-01"
    assert january.id == instance_id(rent.id, "2027-01-01")
    assert (january.series, january.recur, january.title) == (rent.id, "FREQ=MONTHLY", "Pay rent")
    assert january.quadrant is Quadrant.SCHEDULE and january.done is None


def test_the_next_instance_carries_notes_tags_delegate_and_the_time_of_day():
    task = ops.add_task(
        title="Standup notes",
        quadrant=Quadrant.DELEGATE,
        explicit=True,
        now=NOW,
        horizon=None,
        due="2026-12-04T09:30:00+01:00",
        tags=["work"],
        delegate="Alice",
        notes="the usual",
        recur=parse_every("fri"),
    )
    _done, following = done_with_next(task)
    assert following.due == "2026-12-11T09:30:00+01:00"
    assert (following.tags, following.delegate, following.notes) == (["work"], "Alice", "the usual")
    assert following.quadrant is Quadrant.DELEGATE


def test_a_timed_deadline_keeps_its_wall_clock_time_across_the_change_to_summer_time():
    task = replace(recurring(rule="fri"), due="2027-03-26T09:30:00+01:00")
    assert next_due(task, NOW) == "2027-04-02T09:30:00+02:00"


def test_after_completion_counts_from_the_day_it_was_done():
    task = recurring(rule="2w", due="2026-11-20")
    task.recur_mode = "after"
    assert next_due(task, NOW) == "2026-12-10"  # done Thursday 26 Nov, two weeks on
    task.recur_mode = "fixed"
    assert next_due(task, NOW) == "2026-12-04"  # the schedule: 20 Nov + 2 weeks


def test_a_recurring_task_without_a_deadline_gets_its_first_day_from_the_rule():
    task = ops.add_task(
        title="Water the plants",
        quadrant=Quadrant.SCHEDULE,
        explicit=False,
        now=NOW,
        horizon=None,
        recur=parse_every("mon"),
    )
    assert task.due == "2026-11-30"


def test_a_rule_with_a_count_ends_and_until_stops_it():
    task = recurring(rule="FREQ=WEEKLY;COUNT=2", due="2026-12-01")
    _done, second = done_with_next(task)
    assert second.recur == "FREQ=WEEKLY;COUNT=1"
    edit = ops.set_done(second, True, NOW)
    assert edit is not None and edit.then == []
    ended = recurring(rule="FREQ=WEEKLY;UNTIL=20261205T000000Z", due="2026-12-01")
    assert next_due(ended, NOW) is None


def test_an_escalated_instance_hands_on_its_own_quadrant_not_the_escalation():
    task = replace(recurring(rule="fri", due="2026-12-11"), due="2026-11-27")
    [edit], _changes = ops.escalate_all([task], NOW, H48)
    escalated = apply_fields(task, edit.after, iso_now(NOW))
    assert escalated.quadrant is Quadrant.DO
    _done, following = done_with_next(escalated)
    assert following.quadrant is Quadrant.SCHEDULE


def test_done_twice_or_on_an_instance_already_there_creates_nothing_more():
    rent = recurring()
    done, january = done_with_next(rent)
    assert ops.set_done(done, True, NOW) is None
    reopened = apply_fields(done, {"done": None}, iso_now(NOW))
    again = ops.set_done(reopened, True, NOW, lookup={january.id: january}.get)
    assert again is not None and again.then == []


def test_one_step_holds_the_done_and_the_next_instance_and_undo_removes_both():
    rent = recurring()
    tasks = {rent.id: rent}
    graveyard: dict[str, Task] = {}
    edit = ops.set_done(rent, True, NOW)
    assert edit is not None
    history = History()
    history.record(Step(edit.step, "done"))
    apply_changes(tasks, [e.change(iso_now(NOW)) for e in edit.step], graveyard)
    assert len(tasks) == 2 and tasks[rent.id].done
    taken = history.take("undo", iso_now(NOW + timedelta(minutes=1)))
    assert taken is not None
    apply_changes(tasks, taken[1], graveyard)
    assert list(tasks) == [rent.id] and tasks[rent.id].done is None
    assert len(graveyard) == 1  # the next instance, as a tombstone


@settings(max_examples=60, deadline=None)
@given(
    day=st.sampled_from(
        ["fri", "friday", "vendredi", "FREQ=WEEKLY;BYDAY=FR", "rrule:byday=FR;freq=WEEKLY"]
    ),
    offset=st.integers(min_value=0, max_value=400),
)
def test_instance_ids_do_not_depend_on_how_the_rule_was_written(day, offset):
    due = (NOW.date() + timedelta(days=offset)).isoformat()
    words = replace(recurring(rule="fri", due=due), id="5b0e52a4-5df1-4c9c-9a43-3a1e35c1ad1e")
    words.series = words.id
    spelled = replace(words, recur=parse_every(day).rrule)
    assert spelled.recur == words.recur
    first = next_instance(words, NOW)
    second = next_instance(spelled, NOW)
    assert first is not None and second is not None
    assert (first.id, first.due) == (second.id, second.due)


@settings(max_examples=40, deadline=None)
@given(
    hours_apart=st.integers(min_value=0, max_value=24 * 20),
    rule=st.sampled_from(["month", "fri", "2w", "weekday", "FREQ=YEARLY"]),
)
def test_two_copies_completing_the_same_instance_merge_into_one_next_instance(hours_apart, rule):
    task = recurring(rule=rule, due="2026-12-01")
    ours_done, ours_next = done_with_next(task, NOW)
    theirs_done, theirs_next = done_with_next(task, NOW + timedelta(hours=hours_apart))
    ours = [ours_done.to_record(), ours_next.to_record()]
    theirs = [theirs_done.to_record(), theirs_next.to_record()]
    merged, _report = merge_records(ours, theirs)
    assert len(merged) == 2
    assert len([r for r in merged if r["done"] is None]) == 1


@pytest.mark.parametrize(
    ("value", "rrule"),
    [
        ("weekly", "FREQ=WEEKLY"),
        ("monthly", "FREQ=MONTHLY"),
        ("quarterly", "FREQ=MONTHLY;INTERVAL=3"),
        ("3days", "FREQ=DAILY;INTERVAL=3"),
        ("2wks", "FREQ=WEEKLY;INTERVAL=2"),
        ("P1M", "FREQ=MONTHLY"),
        ("biweekly", "FREQ=WEEKLY;INTERVAL=2"),
    ],
)
def test_taskwarrior_recur_values_become_rules(value, rrule):
    assert rule_from_taskwarrior(value).rrule == rrule


def test_quick_add_reads_every_wait_and_follow_tokens():
    draft = parse_quick_add("Report every:fri wait:mon follow:+2d @Bob", now=NOW)
    assert draft.title == "Report"
    assert draft.every is not None and draft.every.rrule == "FREQ=WEEKLY;BYDAY=FR"
    assert draft.wait is not None and draft.wait.due == "2026-11-30"
    assert draft.follow is not None and draft.follow.due == "2026-11-28"
    french = parse_quick_add("Réunion chaque:lundi", now=NOW)
    assert french.every is not None and french.every.rrule == "FREQ=WEEKLY;BYDAY=MO"
    after = parse_quick_add("Haircut every!:6w", now=NOW)
    assert after.every is not None and after.every.mode == "after"
    assert parse_quick_add(r"Say \every:fri aloud", now=NOW).title == "Say every:fri aloud"


# --- wait and abandon ---------------------------------------------------------------------------


def test_a_waiting_task_leaves_the_panes_until_its_day_begins():
    task = build_task(now=NOW, title="Renew insurance", wait="2026-11-30")
    assert is_waiting(task, NOW) and not in_panes(task, NOW)
    monday = NOW + timedelta(days=3, hours=14)  # Monday 00:00 in Paris
    assert not is_waiting(task, monday) and in_panes(task, monday)
    counts = waiting_counts([task, build_task(now=NOW, title="Other")], NOW)
    assert counts[Quadrant.SCHEDULE] == 1 and counts[Quadrant.DO] == 0


def test_list_json_hides_waiting_and_abandoned_tasks_unless_asked():
    waiting = build_task(now=NOW, title="Later", wait="2026-12-01")
    gone = build_task(now=NOW, title="Gone", abandoned=iso_now(NOW))
    here = build_task(now=NOW, title="Here")
    records = [t.to_record() for t in (waiting, gone, here)]
    assert [r["title"] for r in public_records(records, NOW)] == ["Here"]
    assert [r["title"] for r in public_records(records, NOW, waiting=True)] == ["Later"]
    assert {r["title"] for r in public_records(records, NOW, include_done=True)} == {
        "Later",
        "Gone",
        "Here",
    }


def test_abandon_is_neither_done_nor_deleted_and_comes_back():
    task = build_task(now=NOW, title="Learn the oboe")
    edit = abandon(task, NOW, "no time\x1b[31m")
    assert edit is not None
    gone = apply_fields(task, edit.after, iso_now(NOW))
    assert gone.abandon_reason == "no time" and gone.done is None and gone.deleted is None
    assert not gone.is_open and not in_panes(gone, NOW)
    assert abandon(gone, NOW) is None
    back = unabandon(gone)
    assert back is not None and back.after == {"abandoned": None, "abandon_reason": None}


def test_the_sweep_abandons_eliminate_tasks_older_than_the_limit_only():
    old = build_task(now=NOW - timedelta(days=31), title="Old", quadrant=Quadrant.ELIMINATE)
    young = build_task(now=NOW - timedelta(days=29), title="Young", quadrant=Quadrant.ELIMINATE)
    planned = build_task(now=NOW - timedelta(days=90), title="Planned", quadrant=Quadrant.SCHEDULE)
    assert sweep_candidates([old, young, planned], NOW, 30) == [old]
    [edit] = sweep([old, young, planned], NOW, 30, "swept")
    assert edit.task_id == old.id and edit.after["abandoned"] == iso_now(NOW)


# --- follow-up ----------------------------------------------------------------------------------


def test_a_first_delegate_sets_a_follow_up_three_working_days_later():
    task = ops.add_task(
        title="Order chairs",
        quadrant=Quadrant.DELEGATE,
        explicit=True,
        now=NOW,
        horizon=None,
        delegate="Bob",
    )
    assert task.delegated == iso_now(NOW)
    assert task.follow_up == "2026-12-01"  # Thu -> Fri, Mon, Tue
    assert follow_up_after(NOW.date(), 0) == "2026-11-26"
    edit = ops.edit(build_task(now=NOW, title="x"), NOW, delegate="@Carol")
    assert edit is not None and edit.after["follow_up"] == "2026-12-01"


def test_waiting_text_overdue_follow_up_and_check_in():
    task = build_task(
        now=NOW,
        title="Figures",
        delegate="Bob",
        delegated=iso_now(NOW - timedelta(days=9)),
        follow_up="2026-11-24",
    )
    assert waiting_text(task, NOW) == "waiting 9d"
    assert follow_up_overdue(task, NOW)
    edit = check_in(task, NOW, "sends them Monday")
    checked = apply_fields(task, edit.after, iso_now(NOW))
    assert checked.notes == "2026-11-26: checked in with Bob: sends them Monday"
    assert checked.follow_up == "2026-12-01" and not follow_up_overdue(checked, NOW)


def test_what_each_person_owes_grouped_and_filtered():
    bob = build_task(now=NOW, title="A", delegate="Bob")
    bob2 = build_task(now=NOW, title="B", delegate="bob")
    alice = build_task(now=NOW, title="C", delegate="Alice")
    done = build_task(now=NOW, title="D", delegate="Bob", done=iso_now(NOW))
    owed = owed_by([bob, bob2, alice, done])
    assert list(owed) == ["Alice", "Bob"] and owed["Bob"] == [bob, bob2]
    assert list(owed_by([bob, alice], "@bo")) == ["Bob"]


# --- moves, story, slips ------------------------------------------------------------------------


def test_moves_record_their_cause_and_undo_restores_the_list():
    task = build_task(now=NOW, title="Slides", due="2026-11-28")
    edit = ops.move(task, Quadrant.DO, NOW, H48, "cli")
    assert edit is not None
    [entry] = edit.after["moves"]
    assert entry == {"at": iso_now(NOW), "from": 2, "to": 1, "cause": "cli", "due_in_h": 62}
    assert edit.before["moves"] == []


def test_the_story_tells_escalation_and_the_move_back_with_slips():
    task = build_task(now=NOW, title="Slides", due="2026-11-27T20:00:00+01:00")
    [edit], _changes = ops.escalate_all([task], NOW, H48)
    escalated = apply_fields(task, edit.after, iso_now(NOW))
    later = NOW + timedelta(days=1)
    back = ops.move(escalated, Quadrant.SCHEDULE, later, H48, "key")
    assert back is not None
    moved_back = apply_fields(escalated, back.after, iso_now(later))
    slip = ops.set_due(moved_back, "2026-12-10", later, H48)
    assert slip is not None and slip.after["slips"] == 1
    slipped = apply_fields(moved_back, slip.after, iso_now(later))
    assert story(slipped, NOW) == (
        "Schedule -> Do first on 26 Nov by escalation, due in 34 h; moved back by you on 27 Nov, "
        "due in 10 h; the deadline slipped 1 time"
    )


def test_an_earlier_deadline_is_not_a_slip_and_moves_stay_capped():
    task = build_task(now=NOW, title="x", due="2026-12-10")
    edit = ops.set_due(task, "2026-12-01", NOW, None)
    assert edit is not None and "slips" not in edit.after
    for n in range(MAX_MOVES + 5):
        target = Quadrant.DO if n % 2 == 0 else Quadrant.SCHEDULE
        step = ops.move(task, target, NOW + timedelta(minutes=n), None, "key")
        assert step is not None
        task = apply_fields(task, step.after, iso_now(NOW))
    assert len(task.moves) == MAX_MOVES


def test_add_records_the_placement_and_an_escalation_on_save():
    task = ops.add_task(
        title="Call back",
        quadrant=Quadrant.SCHEDULE,
        explicit=False,
        now=NOW,
        horizon=H48,
        due="2026-11-27",
    )
    assert [(m["from"], m["to"], m["cause"]) for m in task.moves] == [
        (None, 2, "add"),
        (2, 1, "escalation"),
    ]


def test_merge_joins_both_copies_moves_once_each():
    a = {"at": "2026-11-20T09:00:00+00:00", "from": 2, "to": 1, "cause": "escalation"}
    b = {"at": "2026-11-21T09:00:00+00:00", "from": 1, "to": 2, "cause": "key"}
    c = {"at": "2026-11-22T09:00:00+00:00", "from": 2, "to": 4, "cause": "cli"}
    assert merge_moves([a, b], [b, c]) == [a, b, c]
    task = build_task(now=NOW, title="x")
    ours = replace(task, moves=[a, b], updated="2026-11-21T09:00:00+00:00").to_record()
    theirs = replace(task, moves=[a, c], updated="2026-11-22T09:00:00+00:00").to_record()
    [merged], _report = merge_records([ours], [theirs])
    assert merged["moves"] == [a, b, c]


# --- limits and the weekly review ---------------------------------------------------------------


def test_limit_text_and_the_soft_warning():
    assert limit_text(7, 8) == "7/8" and limit_text(7, None) == "7"
    assert not over_limit(8, 8) and over_limit(9, 8) and not over_limit(99, None)
    assert limit_warning(Quadrant.DO, 8, 8) is None
    warning = limit_warning(Quadrant.DO, 9, 8)
    assert warning is not None and "9" in warning and "8" in warning


def test_the_review_steps_find_each_kind_of_task():
    overdue = build_task(now=NOW, title="Overdue", quadrant=Quadrant.DO, due="2026-11-25")
    chase = build_task(
        now=NOW, title="Chase", quadrant=Quadrant.DELEGATE, delegate="Bob", follow_up="2026-11-20"
    )
    vague = build_task(now=NOW, title="Someday", quadrant=Quadrant.SCHEDULE)
    stale = build_task(now=NOW - timedelta(days=40), title="Stale", quadrant=Quadrant.ELIMINATE)
    back = build_task(now=NOW, title="Back", quadrant=Quadrant.DO, wait="2026-11-23")
    found = review([overdue, chase, vague, stale, back], NOW, 30)
    assert found.overdue == [overdue]
    assert found.follow_ups == [chase]
    assert found.unscheduled == [vague]
    assert found.stale == [stale]
    assert found.back == [back]


def test_the_week_summary_counts_done_work_and_the_share_from_schedule():
    def done(title: str, quadrant: Quadrant, days_ago: int, **kw: object) -> Task:
        task = build_task(now=NOW, title=title, quadrant=quadrant, **kw)  # type: ignore[arg-type]
        return replace(task, done=iso_now(NOW - timedelta(days=days_ago)))

    escalated = done("Was planned", Quadrant.DO, 1)
    escalated.moves = [{"at": iso_now(NOW), "from": 2, "to": 1, "cause": "escalation"}]
    tasks = [
        done("Planned", Quadrant.SCHEDULE, 0),
        escalated,
        done("Fire", Quadrant.DO, 2),
        done("Fire", Quadrant.DO, 2),
        done("Last week", Quadrant.SCHEDULE, 7),
    ]
    summary = week_summary(tasks, NOW, week_start=0)
    assert summary.week_start.isoformat() == "2026-11-23"
    assert summary.done == {
        Quadrant.DO: 3,
        Quadrant.SCHEDULE: 1,
        Quadrant.DELEGATE: 0,
        Quadrant.ELIMINATE: 0,
    }
    assert summary.share == 0.5
    assert summary.spark == "··········█▅"
    assert summary.to_json()["done_total"] == 4


def test_sparkline_uses_eight_levels_and_a_dot_for_no_data():
    assert sparkline([0.0, 0.5, 1.0, None]) == "▁▅█·"


def test_the_matrix_board_leaves_waiting_and_abandoned_tasks_out_of_rows_and_counts():
    from eisenhower_tui.domain.board import Board

    waiting = build_task(now=NOW, title="Later", wait="2026-12-01")
    gone = build_task(now=NOW, title="Gone", abandoned=iso_now(NOW))
    here = build_task(now=NOW, title="Here")
    board = Board()
    board.load([waiting, gone, here], NOW)
    assert [t.title for t in board.rows[Quadrant.SCHEDULE]] == ["Here"]
    assert board.open_counts[Quadrant.SCHEDULE] == 1
    board.rebuild(NOW + timedelta(days=5))  # the wait is over
    assert {t.title for t in board.rows[Quadrant.SCHEDULE]} == {"Here", "Later"}
    assert board.open_counts[Quadrant.SCHEDULE] == 2
