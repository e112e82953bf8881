"""The pure rules behind the matrix's side of the practice: pane titles, row notes, the filter's
``abandoned`` word, the board's waiting view, the details' story, the summary's lines."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from clock import NOW

from eisenhower_tui.domain.board import Board
from eisenhower_tui.domain.details import task_details
from eisenhower_tui.domain.filters import Filter
from eisenhower_tui.domain.review import pane_heading, review, summary_lines, week_summary
from eisenhower_tui.domain.rows import row_notes
from eisenhower_tui.domain.tasks import new_task
from eisenhower_tui.model import Quadrant

Q = Quadrant


def test_a_pane_heading_says_the_count_the_limit_and_how_many_wait() -> None:
    assert pane_heading(Q.SCHEDULE, 12, None) == "2 Schedule (12)"
    assert pane_heading(Q.SCHEDULE, 12, None, 3) == "2 Schedule (12 +3 waiting)"
    assert pane_heading(Q.DO, 7, 8) == "1 Do first (7/8)"
    assert pane_heading(Q.DO, 8, 8) == "1 Do first (8/8)"
    assert pane_heading(Q.DO, 9, 8, 1) == "1 Do first (9/8 ⚠ +1 waiting)"


def test_row_notes_mark_recurrence_waits_delegates_and_abandon() -> None:
    plain = new_task("plain", now=NOW)
    assert row_notes(plain, NOW) == type(row_notes(plain, NOW))()
    recurring = replace(plain, recur="FREQ=WEEKLY")
    assert row_notes(recurring, NOW).recurring
    waiting = replace(plain, wait="2026-12-05")
    assert row_notes(waiting, NOW).waiting_until == "until Sat 5 Dec"
    assert row_notes(replace(plain, wait="2026-11-20"), NOW).waiting_until == ""
    handed = replace(
        plain, delegate="Bob", delegated="2026-11-17T09:00:00+00:00", follow_up="2026-11-30"
    )
    assert row_notes(handed, NOW).delegate_wait == "waiting 9d"
    assert not row_notes(handed, NOW).follow_up_late
    late = replace(handed, follow_up="2026-11-25")
    assert row_notes(late, NOW).follow_up_late
    today = replace(handed, delegated="2026-11-26T08:00:00+00:00")
    assert row_notes(today, NOW).delegate_wait == ""  # "waiting 0d" is noise
    gone = replace(plain, abandoned="2026-11-20T09:00:00+00:00")
    assert row_notes(gone, NOW).abandoned == "abandoned"


def test_the_filter_word_abandoned_matches_only_abandoned_tasks() -> None:
    live = new_task("write the report", now=NOW)
    gone = replace(live, id="x", abandoned="2026-11-20T09:00:00+00:00")
    words = Filter("abandoned report")
    assert words.shows_abandoned and not Filter("report").shows_abandoned
    assert words.matches(gone, NOW) and not words.matches(live, NOW)
    assert Filter("abandonné").matches(gone, NOW)


def test_the_board_counts_waiting_tasks_and_shows_them_only_when_asked() -> None:
    shown = new_task("shown", Q.SCHEDULE, now=NOW)
    later = replace(new_task("later", Q.SCHEDULE, now=NOW), wait="2026-12-05")
    gone = replace(new_task("gone", Q.SCHEDULE, now=NOW), abandoned="2026-11-20T09:00:00+00:00")
    board = Board()
    board.load([shown, later, gone], NOW)
    assert [t.title for t in board.rows[Q.SCHEDULE]] == ["shown"]
    assert (board.open_counts[Q.SCHEDULE], board.waiting_counts[Q.SCHEDULE]) == (1, 1)
    board.show_waiting = True
    board.rebuild(NOW)
    assert sorted(t.title for t in board.rows[Q.SCHEDULE]) == ["later", "shown"]
    assert board.open_counts[Q.SCHEDULE] == 1  # a waiting task shown is still not counted
    board.filter = Filter("abandoned")
    board.rebuild(NOW)
    assert [t.title for t in board.rows[Q.SCHEDULE]] == ["gone"]


def test_the_details_tell_the_story_and_the_practice_fields() -> None:
    task = replace(
        new_task("slides", Q.DO, now=NOW, delegate="Ann"),
        moves=[
            {"at": "2026-11-19T09:00:00+00:00", "from": None, "to": 2, "cause": "add"},
            {
                "at": "2026-11-25T09:00:00+00:00",
                "from": 2,
                "to": 1,
                "cause": "escalation",
                "due_in_h": 40,
            },
        ],
        slips=2,
        recur="FREQ=MONTHLY",
        recur_mode="after",
        follow_up="2026-11-25",
        delegated="2026-11-20T09:00:00+00:00",
    )
    rows = dict(task_details(task, NOW))
    assert rows["Why here"] == (
        "added to Schedule on 19 Nov; Schedule -> Do first on 25 Nov by escalation, due in 40 h;"
        " the deadline slipped 2 times"
    )
    assert rows["Recurs"] == "↻ FREQ=MONTHLY (after done)"
    assert rows["Follow-up"] == "Wed 25 Nov (passed) · waiting 6d"
    gone = replace(task, abandoned="2026-11-26T08:00:00+00:00", abandon_reason="not needed")
    assert dict(task_details(gone, NOW))["Abandoned"] == "Thu 26 Nov 09:00: not needed"
    assert "Why here" not in dict(task_details(new_task("new", now=NOW), NOW))


def test_summary_lines_are_the_week_in_numbers() -> None:
    done = []
    for days, quadrant in ((0, Q.SCHEDULE), (1, Q.DO), (9, Q.SCHEDULE)):
        task = new_task("t", quadrant, now=NOW - timedelta(days=days))
        task.done = (NOW - timedelta(days=days)).isoformat()
        done.append(task)
    lines = summary_lines(week_summary(done, NOW))
    assert lines[0] == "Done this week (since 2026-11-23): 2"
    assert lines[1].split() == ["1", "Do", "first", "1"]
    assert lines[5] == "From Schedule (planned work): 50%"
    assert lines[6] == "Last 12 weeks: ··········█▅"


def test_the_reviews_steps_come_in_the_order_the_screen_walks_them() -> None:
    found = review([], NOW)
    assert found.steps == [
        found.overdue,
        found.follow_ups,
        found.unscheduled,
        found.stale,
        found.back,
    ]
