"""The practice over weeks in the matrix (issue 13, the screen half), at 80x24.

Each test drives the real app with Pilot and checks what a user checks: the screen and the file.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from clock import NOW
from textual.widgets import Input, OptionList
from tui_helpers import (
    make_app,
    matrix,
    pane_list,
    row_text,
    screen_text,
    settle,
    stored,
    task,
    titles,
)

from eisenhower_tui.config import Config
from eisenhower_tui.domain.changes import add_task
from eisenhower_tui.domain.recurrence import parse_every
from eisenhower_tui.model import Quadrant
from eisenhower_tui.screens.capture import CaptureApp
from eisenhower_tui.screens.dialogs import ConfirmScreen, LineScreen, PeopleScreen
from eisenhower_tui.screens.matrix import MatrixScreen
from eisenhower_tui.store import Store

Q = Quadrant
SIZE = (80, 24)


def dialog_text(app) -> str:
    """The words of the screen on top, each label whole (a dialog wraps long lines)."""
    from textual.widgets import Static

    return "\n".join(str(widget.render()) for widget in app.screen.query(Static))


def notices(app) -> str:
    return "\n".join(str(n.message) for n in app._notifications)


def pane_title(app, quadrant: Quadrant) -> str:
    return str(matrix(app).panes[quadrant].border_title)


def recurring(title: str = "Pay the rent", rule: str = "monthly") -> object:
    return add_task(
        title=title,
        quadrant=Q.DO,
        explicit=True,
        now=NOW - timedelta(days=3),
        horizon=None,
        due="2026-11-25",
        recur=parse_every(rule),
    )


async def type_text(pilot, text: str) -> None:
    for char in text:
        await pilot.press("space" if char == " " else char)
    await pilot.pause()


def alive(db: Path) -> list:
    return Store(db).read().tasks


# --- recurrence ---------------------------------------------------------------------------------


async def test_x_on_a_recurring_task_makes_the_next_one_and_one_u_takes_both_back(db):
    rent = recurring()
    app = make_app(db, [rent])
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        assert row_text(app, Q.DO, 0).startswith("↻ Pay the rent")
        await pilot.press("x")
        await settle(pilot)
        on_disk = alive(db)
        assert len(on_disk) == 2
        done = next(t for t in on_disk if t.id == rent.id)
        following = next(t for t in on_disk if t.id != rent.id)
        assert done.done is not None
        assert (following.title, following.done, following.due) == (
            "Pay the rent",
            None,
            "2026-12-25",
        )
        assert titles(app, Q.DO) == ["Pay the rent"]  # the next one, open
        assert "Next: Fri 25 Dec" in notices(app)
        await pilot.press("u")
        await settle(pilot)
        [back] = alive(db)
        assert (back.id, back.done) == (rent.id, None)
        assert titles(app, Q.DO) == ["Pay the rent"]


async def test_the_add_box_keeps_every_wait_and_follow(db):
    app = make_app(db, [task("anchor", Q.SCHEDULE)])
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        for line in (
            "Water the plants every:week",
            "Chase the quote @Bob follow:tue",
            "Renew the visa wait:+3d",
        ):
            await pilot.press("2", "a")
            await type_text(pilot, line)
            await pilot.press("enter")
            await settle(pilot)
        assert "W shows waiting tasks" in notices(app)
        on_disk = stored(db)
        assert on_disk["Water the plants"].recur == "FREQ=WEEKLY"
        assert on_disk["Water the plants"].due  # the rule's first day
        assert on_disk["Renew the visa"].wait == "2026-11-29"
        assert on_disk["Chase the quote"].follow_up == "2026-12-01"
        assert on_disk["Chase the quote"].moves[0]["cause"] == "add"
        assert "Renew the visa" not in titles(app, Q.SCHEDULE)
        # The plants are due within the horizon (the rule's first day), so they escalated.
        plants = on_disk["Water the plants"].quadrant
        assert plants is Q.DO
        assert pane_title(app, Q.SCHEDULE) == "2 Schedule (2 +1 waiting)"
        assert any(row.startswith("↻ Water the plants") for row in _rows(app, plants))


def _rows(app, quadrant: Quadrant) -> list[str]:
    return [row_text(app, quadrant, n) for n in range(len(pane_list(app, quadrant).tasks))]


async def test_capture_keeps_every_wait_and_follow_too(db):
    app = CaptureApp(Store(db), config=Config(path=db.parent / "c.toml"), clock=lambda: NOW)
    async with app.run_test(size=(60, 3)) as pilot:
        await type_text(pilot, "Backups every:fri wait:+1d follow:+2d @Ann")
        await pilot.press("enter")
        await pilot.pause()
    [saved] = alive(db)
    assert (saved.recur, saved.wait, saved.follow_up) == (
        "FREQ=WEEKLY;BYDAY=FR",
        "2026-11-27",
        "2026-11-28",
    )


async def test_a_move_by_key_is_recorded_as_the_users(db):
    app = make_app(db, [task("to place", Q.SCHEDULE)])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "H")
        await settle(pilot)
        [move] = stored(db)["to place"].moves
        assert (move["from"], move["to"], move["cause"]) == (2, 1, "key")


# --- hidden until -------------------------------------------------------------------------------


async def test_W_shows_waiting_tasks_dimmed_with_their_day_and_hides_them_again(db):
    app = make_app(db, None)  # the demo hides "Renew the car insurance" until 5 Dec
    async with app.run_test(size=(100, 30)) as pilot:
        assert pane_title(app, Q.SCHEDULE) == "2 Schedule (4 +1 waiting)"
        assert "Renew the car insurance" not in titles(app, Q.SCHEDULE)
        await pilot.press("W")
        await pilot.pause()
        rows = _rows(app, Q.SCHEDULE)
        [row] = [r for r in rows if "Renew the car insurance" in r]
        assert "until Sat 5 Dec" in row
        assert "showing waiting" in screen_text(app)
        await pilot.press("W")
        await pilot.pause()
        assert "Renew the car insurance" not in titles(app, Q.SCHEDULE)


# --- delegated work ---------------------------------------------------------------------------


async def test_delegated_rows_say_how_long_and_warn_once_the_follow_up_passed(db):
    app = make_app(db, None)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        task_list = pane_list(app, Q.DELEGATE)
        rows = {t.title: n for n, t in enumerate(task_list.tasks)}
        late = rows["Reply to the conference organisers"]
        fine = rows["Order new office chairs"]
        warning = task_list.get_component_rich_style("task-list--follow-up-late", partial=True)
        calm = task_list.get_component_rich_style("task-list--follow-up", partial=True)
        assert warning.color != calm.color
        for row, text, style in ((late, "waiting 6d", warning), (fine, "waiting 1d", calm)):
            assert row != task_list.cursor  # the cursor row draws in its own colours
            [segment] = [s for s in task_list.render_line(row) if s.text == text]
            assert segment.style is not None and segment.style.color == style.color


async def test_f_logs_a_dated_check_in_in_the_notes_and_moves_the_follow_up_on(db):
    app = make_app(db, None)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("3")
        pane_list(app, Q.DELEGATE).select_id(stored(db)["Reply to the conference organisers"].id)
        await pilot.press("f")
        assert isinstance(app.screen, LineScreen)
        assert "Check in with Alice" in screen_text(app)
        await type_text(pilot, "said by Friday")
        await pilot.press("enter")
        await settle(pilot)
        saved = stored(db)["Reply to the conference organisers"]
        assert saved.notes.endswith("2026-11-26: checked in with Alice: said by Friday")
        assert saved.follow_up == "2026-12-01"  # three working days after Thursday
        assert "waiting 6d" in row_text(app, Q.DELEGATE, 1)
        assert "next follow-up Tue 1 Dec" in notices(app)
        await pilot.press("u")
        await settle(pilot)
        assert stored(db)["Reply to the conference organisers"].follow_up == "2026-11-24"


async def test_f_on_a_task_nobody_has_says_so_and_writes_nothing(db):
    app = make_app(db, [task("mine", Q.DO)])
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        before = db.read_bytes()
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, MatrixScreen)
        assert "Only an open delegated task has a follow-up." in notices(app)
        assert db.read_bytes() == before


async def test_P_lists_what_each_person_owes_and_enter_goes_to_the_task(db):
    app = make_app(db, None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1", "P")
        await pilot.pause()
        assert isinstance(app.screen, PeopleScreen)
        text = (
            dialog_text(app)
            + "\n"
            + "\n".join(str(option.prompt) for option in app.screen.query_one(OptionList).options)
        )
        assert "Who owes what" in text
        assert "@Alice · 1" in text and "@Bob · 1" in text
        assert text.index("@Alice") < text.index("@Bob")
        assert "waiting 6d · follow-up passed" in text
        options = app.screen.query_one(OptionList)
        options.highlighted = 3  # Bob's task (0: Alice, 1: her task, 2: Bob)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MatrixScreen)
        assert matrix(app).current_task is not None
        assert matrix(app).current_task.title == "Order new office chairs"


# --- abandon --------------------------------------------------------------------------------------


async def test_A_abandons_with_a_reason_the_filter_finds_it_and_A_brings_it_back(db):
    app = make_app(db, [task("old idea", Q.SCHEDULE, order=1), task("keep", Q.SCHEDULE, order=2)])
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("2", "A")
        assert isinstance(app.screen, LineScreen)
        assert "Abandon this task?" in screen_text(app)
        await type_text(pilot, "no longer needed")
        await pilot.press("enter")
        await settle(pilot)
        saved = stored(db)["old idea"]
        assert saved.abandoned is not None and saved.abandon_reason == "no longer needed"
        assert titles(app, Q.SCHEDULE) == ["keep"]
        assert pane_title(app, Q.SCHEDULE) == "2 Schedule (1)"
        await pilot.press("slash")
        await type_text(pilot, "abandoned")
        await pilot.press("enter")
        await pilot.pause()
        assert titles(app, Q.SCHEDULE) == ["old idea"]
        assert "abandoned" in row_text(app, Q.SCHEDULE, 0)
        await pilot.press("A")  # on an abandoned task: brings it back, no box
        await settle(pilot)
        assert isinstance(app.screen, MatrixScreen)
        assert stored(db)["old idea"].abandoned is None
        await pilot.press("escape")
        await pilot.pause()
        assert sorted(titles(app, Q.SCHEDULE)) == ["keep", "old idea"]


async def test_the_palette_sweep_abandons_old_eliminate_tasks_in_one_step(db):
    app = make_app(db, None)  # the demo: two Eliminate tasks are 45 and 62 days old
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("ctrl+p")
        await type_text(pilot, "Sweep old")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "Abandon 2 Eliminate tasks older than 30 days?" in dialog_text(app)
        await pilot.press("y")
        await settle(pilot)
        on_disk = stored(db)
        assert on_disk["Sort the old photo backups"].abandoned is not None
        assert on_disk["Reorganise the bookmarks bar"].abandoned is not None
        assert on_disk["Watch the new sci-fi series"].abandoned is None
        assert titles(app, Q.ELIMINATE) == ["Watch the new sci-fi series"]
        await pilot.press("u")
        await settle(pilot)
        assert all(t.abandoned is None for t in alive(db))
        assert len(titles(app, Q.ELIMINATE)) == 3


# --- why it is here ---------------------------------------------------------------------------


async def test_details_tell_why_the_task_is_here_and_how_often_it_slipped(db):
    app = make_app(db, None)
    async with app.run_test(size=SIZE) as pilot:
        pane_list(app, Q.DO).select_id(stored(db)["Prepare slides for Monday's board meeting"].id)
        await pilot.press("i")
        await pilot.pause()
        text = dialog_text(app)
        assert "Why here" in text
        assert "Schedule -> Do first on 25 Nov by escalation, due in 48 h" in text
        assert "the deadline slipped 1 time" in text


# --- limits -------------------------------------------------------------------------------------


def limited(db: Path) -> Config:
    return Config(path=db.parent / "c.toml", theme="textual-dark", limits={Q.DO: 3})


async def test_titles_show_the_limit_and_a_move_into_a_full_quadrant_warns_but_happens(db):
    app = make_app(db, None, config=limited(db))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        assert pane_title(app, Q.DO) == "1 Do first (3/3)"
        assert not matrix(app).panes[Q.DO].has_class("-over-limit")
        await pilot.press("2", "m", "1")
        await settle(pilot)
        assert pane_title(app, Q.DO) == "1 Do first (4/3 ⚠)"
        assert matrix(app).panes[Q.DO].has_class("-over-limit")
        assert "Do first now holds 4 open tasks; your limit is 3" in notices(app)
        assert sum(t.quadrant is Q.DO and t.is_open for t in alive(db)) == 4  # still done


async def test_adding_into_a_full_quadrant_warns_but_adds(db):
    app = make_app(db, None, config=limited(db))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("1", "a")
        await type_text(pilot, "one more fire")
        await pilot.press("enter")
        await settle(pilot)
        assert stored(db)["one more fire"].quadrant is Q.DO
        assert "your limit is 3" in notices(app)


# --- bindings -------------------------------------------------------------------------------------


async def test_the_new_keys_are_in_help_and_the_palette(db):
    app = make_app(db, None)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        help_text = screen_text(app)
        await pilot.press("escape")
        commands = [c.title for c in app.get_system_commands(matrix(app))]
    for key, words in (
        ("R", "Weekly review"),
        ("A", "Abandon or bring back"),
        ("f", "Check in with the delegate"),
        ("P", "Who owes what"),
        ("W", "Show waiting tasks"),
    ):
        assert words in commands
        assert any(key in line and words in line for line in help_text.splitlines()), words
    assert "Sweep old Eliminate tasks" in commands


async def test_an_abandoned_task_from_the_palette_shows_through_the_filter(db):
    gone = replace(task("given up", Q.DO), abandoned="2026-11-20T10:00:00+01:00")
    app = make_app(db, [gone, task("live", Q.DO, order=2)])
    async with app.run_test(size=SIZE) as pilot:
        assert titles(app, Q.DO) == ["live"]
        matrix(app).go_to_task(gone.id)
        await pilot.pause()
        assert titles(app, Q.DO) == ["given up"]
        assert app.screen.query_one("#filter", Input).value == "abandoned"
