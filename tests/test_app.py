"""Pilot tests of the full-screen matrix: every key of SPEC section 6, live reload, escalation,
hostile titles and small terminals. Each test checks the file on disk and what the screen shows."""

from __future__ import annotations

import asyncio
import json
import sys
import time
from typing import Any

import pytest
from textual import events
from textual.command import CommandPalette
from textual.widgets import DataTable, Input, Static, TextArea
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
    wait_for,
)

from eisenhower_tui.model import Quadrant
from eisenhower_tui.screens.dialogs import (
    DeadlineScreen,
    EditTaskScreen,
    MoveScreen,
    QuickAddScreen,
)
from eisenhower_tui.screens.help import HelpScreen
from eisenhower_tui.screens.matrix import MatrixScreen
from eisenhower_tui.store import Store

Q = Quadrant
SIZE = (100, 30)


def nav_tasks():
    """Two rows in Do, three in Schedule, two in Delegate, one in Eliminate; fixed order."""
    return [
        task("do-a", Q.DO, order=1),
        task("do-b", Q.DO, order=2),
        task("sch-a", Q.SCHEDULE, order=1),
        task("sch-b", Q.SCHEDULE, order=2),
        task("sch-c", Q.SCHEDULE, order=3),
        task("del-a", Q.DELEGATE, order=1),
        task("del-b", Q.DELEGATE, order=2),
        task("eli-a", Q.ELIMINATE, order=1),
    ]


def where(app) -> tuple[Quadrant, str | None]:
    """The focused quadrant and the title under its cursor."""
    screen = matrix(app)
    current = screen.current_task
    assert app.focused is pane_list(app, screen.focused_quadrant)
    return screen.focused_quadrant, current.title if current else None


def quadrant_on_disk(db, title: str) -> Quadrant:
    return stored(db)[title].quadrant


def pane_title(app, quadrant: Quadrant) -> str:
    return str(matrix(app).query_one(f"#pane-{int(quadrant)}").border_title)


async def paste(pilot, text: str) -> None:
    """Paste ``text`` into the focused widget, as a terminal does (faster than typing it)."""
    pilot.app.post_message(events.Paste(text))
    await pilot.pause()


# --- focus and cursor keys ---------------------------------------------------------------------


async def test_number_keys_focus_their_quadrant(db):
    app = make_app(db, nav_tasks())
    async with app.run_test(size=SIZE) as pilot:
        assert where(app) == (Q.DO, "do-a")
        for key, expected in [("2", Q.SCHEDULE), ("4", Q.ELIMINATE), ("3", Q.DELEGATE)]:
            await pilot.press(key)
            assert where(app)[0] == expected
            assert matrix(app).query_one(f"#pane-{key}").has_focus_within
        await pilot.press("1")
        assert where(app) == (Q.DO, "do-a")


async def test_tab_and_shift_tab_cycle_the_panes(db):
    app = make_app(db, nav_tasks())
    async with app.run_test(size=SIZE) as pilot:
        seen = []
        for _ in range(4):
            await pilot.press("tab")
            seen.append(where(app)[0])
        assert seen == [Q.SCHEDULE, Q.DELEGATE, Q.ELIMINATE, Q.DO]
        await pilot.press("shift+tab")
        assert where(app)[0] == Q.ELIMINATE
        await pilot.press("shift+tab")
        assert where(app)[0] == Q.DELEGATE


@pytest.mark.parametrize(
    "keys",
    [
        {"up": "up", "down": "down", "left": "left", "right": "right"},
        {"up": "k", "down": "j", "left": "h", "right": "l"},
    ],
    ids=["arrows", "hjkl"],
)
async def test_cursor_keys_move_rows_and_cross_panes(db, keys):
    app = make_app(db, nav_tasks())
    async with app.run_test(size=SIZE) as pilot:
        steps = [
            ("down", (Q.DO, "do-b")),
            ("down", (Q.DELEGATE, "del-a")),  # past the end: the pane below, first row
            ("down", (Q.DELEGATE, "del-b")),
            ("up", (Q.DELEGATE, "del-a")),
            ("up", (Q.DO, "do-b")),  # past the top: the pane above, last row
            ("right", (Q.SCHEDULE, "sch-a")),
            ("down", (Q.SCHEDULE, "sch-b")),
            ("down", (Q.SCHEDULE, "sch-c")),
            ("down", (Q.ELIMINATE, "eli-a")),
            ("left", (Q.DELEGATE, "del-a")),
            ("up", (Q.DO, "do-b")),
            ("left", (Q.DO, "do-b")),  # no pane on the left: nothing happens
            ("up", (Q.DO, "do-a")),
            ("up", (Q.DO, "do-a")),  # no pane above
            ("right", (Q.SCHEDULE, "sch-c")),  # each pane keeps its own cursor
        ]
        for direction, expected in steps:
            await pilot.press(keys[direction])
            assert where(app) == expected, direction
        # The cursor row is drawn with the cursor style in the focused pane.
        task_list = pane_list(app, Q.SCHEDULE)
        cursor_row, other_row = task_list.render_line(2), task_list.render_line(0)
        cursor_seg, other_seg = list(cursor_row)[1], list(other_row)[1]
        assert "sch-c" in cursor_row.text and "sch-a" in other_row.text
        assert cursor_seg.style.bgcolor != other_seg.style.bgcolor
        assert cursor_seg.style.bold and not other_seg.style.bold


# --- add ---------------------------------------------------------------------------------------


async def test_quick_add_saves_parsed_task_and_cursor_follows(db):
    app = make_app(db, nav_tasks())
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("4", "a")
        assert isinstance(app.screen, QuickAddScreen)
        assert "→ 4 Eliminate (this pane)" in screen_text(app)
        await pilot.press(*"Call Bob !u due:fri #x @Bob")
        await pilot.pause()
        preview = screen_text(app)
        assert "→ 3 Delegate · due Fri 27 Nov - tomorrow · #x · @Bob" in preview
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MatrixScreen)
        saved = stored(db)["Call Bob"]
        assert (saved.urgent, saved.important) == (True, False)
        assert saved.quadrant == Q.DELEGATE
        assert saved.due == "2026-11-27"
        assert saved.tags == ["x"]
        assert saved.delegate == "Bob"
        assert where(app) == (Q.DELEGATE, "Call Bob")
        assert "Call Bob" in titles(app, Q.DELEGATE)
        assert pane_title(app, Q.DELEGATE) == "3 Delegate (3)"
        text = screen_text(app)
        assert "tomorrow #x @Bob" in text
        assert "Added to Delegate" in text


async def test_quick_add_without_tokens_goes_to_the_focused_pane(db):
    app = make_app(db, nav_tasks())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "a")
        await paste(pilot, "Plain thing")
        await pilot.press("enter")
        await settle(pilot)
        assert quadrant_on_disk(db, "Plain thing") == Q.SCHEDULE
        assert where(app) == (Q.SCHEDULE, "Plain thing")


async def test_escape_in_the_add_box_saves_nothing(db):
    app = make_app(db, nav_tasks())
    async with app.run_test(size=SIZE) as pilot:
        before = json.loads(db.read_text())
        await pilot.press("a")
        await paste(pilot, "Never saved")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MatrixScreen)
        assert json.loads(db.read_text()) == before
        assert "Never saved" not in screen_text(app)
        assert where(app) == (Q.DO, "do-a")


async def test_empty_add_box_does_not_save(db):
    app = make_app(db, nav_tasks())
    async with app.run_test(size=SIZE) as pilot:
        bells = []
        app.bell = lambda: bells.append(1)
        await pilot.press("a", "enter")
        assert isinstance(app.screen, QuickAddScreen)
        assert bells == [1]
        await pilot.press("escape")
        await settle(pilot)
        assert len(stored(db)) == len(nav_tasks())


# --- edit --------------------------------------------------------------------------------------


async def _fill_edit_form(app, pilot) -> None:
    form = app.screen
    assert isinstance(form, EditTaskScreen)
    title = form.query_one("#edit-title", Input)
    assert title.has_focus and title.value == "do-a"
    await pilot.press("backspace", "backspace", "backspace", "backspace")
    await paste(pilot, "Renamed [b]task")
    await pilot.press(*"[/b]", "tab")
    assert form.query_one("#edit-tags", Input).has_focus
    await paste(pilot, "alpha #beta alpha")
    await pilot.press("tab", *"@Carol", "tab")
    assert form.query_one("#edit-due", Input).has_focus  # then the quadrant, then the notes
    await pilot.press("tab", "tab")
    assert form.query_one("#edit-notes", TextArea).has_focus
    await pilot.press(*"line", "enter")
    await paste(pilot, "two")


@pytest.mark.parametrize("open_key", ["e", "enter"])
async def test_edit_form_changes_title_tags_delegate_notes(db, open_key):
    app = make_app(db, nav_tasks())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(open_key)
        await _fill_edit_form(app, pilot)
        if open_key == "e":
            await pilot.press("ctrl+s")
        else:  # enter in a one-line field saves too
            app.screen.query_one("#edit-delegate", Input).focus()
            await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MatrixScreen)
        saved = stored(db)["Renamed [b]task[/b]"]
        assert saved.tags == ["alpha", "beta"]
        assert saved.delegate == "Carol"
        assert saved.notes == "line\ntwo"
        assert saved.quadrant == Q.DO
        assert "do-a" not in stored(db)
        assert where(app) == (Q.DO, "Renamed [b]task[/b]")
        assert "Renamed [b]task[/b]" in row_text(app, Q.DO, 0)
        assert "#alpha #beta @Carol" in screen_text(app)


async def test_escape_cancels_the_edit_form(db):
    app = make_app(db, nav_tasks())
    async with app.run_test(size=SIZE) as pilot:
        before = json.loads(db.read_text())
        await pilot.press("e")
        await _fill_edit_form(app, pilot)
        app.screen.query_one("#edit-title", Input).focus()
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MatrixScreen)
        assert json.loads(db.read_text()) == before
        assert titles(app, Q.DO) == ["do-a", "do-b"]


async def test_edit_form_refuses_an_empty_title(db):
    app = make_app(db, nav_tasks())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        app.screen.query_one("#edit-title", Input).value = "   "
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, EditTaskScreen)
        assert "✗" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert "do-a" in stored(db)


# --- deadlines ---------------------------------------------------------------------------------


async def test_deadline_box_shows_an_inline_error_and_enter_does_not_save(db):
    app = make_app(db, nav_tasks())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("d")
        assert isinstance(app.screen, DeadlineScreen)
        assert "No deadline yet." in screen_text(app)
        await pilot.press(*"someday")
        await pilot.pause()
        preview = app.screen.query_one("#deadline-preview", Static)
        assert preview.has_class("error")
        assert "✗" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DeadlineScreen)  # still open
        assert stored(db)["do-a"].due is None


async def test_deadline_box_saves_a_timed_deadline(db):
    app = make_app(db, nav_tasks())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("d")
        await paste(pilot, "tomorrow 17:00")
        await pilot.pause()
        assert "Fri 27 Nov" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MatrixScreen)
        due = stored(db)["do-a"].due
        assert due is not None and due.startswith("2026-11-27T17:00")
        assert where(app) == (Q.DO, "do-a")
        assert "tomorrow 17:00" in row_text(app, Q.DO, 0)


async def test_past_deadline_needs_a_second_enter(db):
    app = make_app(db, nav_tasks())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("d")
        await paste(pilot, "2026-11-25")
        await pilot.pause()
        assert "in the past" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DeadlineScreen)
        assert "Press enter again" in screen_text(app)
        assert stored(db)["do-a"].due is None
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MatrixScreen)
        assert stored(db)["do-a"].due == "2026-11-25"
        assert "overdue" in row_text(app, Q.DO, 0)


async def test_ctrl_d_in_the_deadline_box_clears_the_deadline(db):
    app = make_app(db, [task("Has a date", Q.SCHEDULE, due="2026-12-20")])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "d")
        assert "Now: " in screen_text(app)
        await pilot.press(*"fri", "ctrl+d")  # even with text typed in the box
        await settle(pilot)
        assert isinstance(app.screen, MatrixScreen)
        assert stored(db)["Has a date"].due is None
        assert "in 3w" not in row_text(app, Q.SCHEDULE, 0)


async def test_shift_d_clears_the_deadline(db):
    app = make_app(db, [task("Has a date", Q.SCHEDULE, due="2026-12-20")])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        assert "in 3w" in row_text(app, Q.SCHEDULE, 0)
        await pilot.press("D")
        await settle(pilot)
        assert stored(db)["Has a date"].due is None
        assert row_text(app, Q.SCHEDULE, 0).strip() == "Has a date"


# --- moving ------------------------------------------------------------------------------------


async def test_m_then_number_moves_the_task_and_the_cursor_stays_on_the_next_in_the_pane(db):
    app = make_app(db, nav_tasks())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("m")
        assert isinstance(app.screen, MoveScreen)
        assert "Move to which quadrant?" in screen_text(app)
        await pilot.press("3")
        await settle(pilot)
        assert quadrant_on_disk(db, "do-a") == Q.DELEGATE
        assert where(app) == (Q.DO, "do-b")  # triage goes on in the source pane
        assert "do-a" in titles(app, Q.DELEGATE)
        assert titles(app, Q.DO) == ["do-b"]
        assert pane_title(app, Q.DO) == "1 Do first (1)"
        assert pane_title(app, Q.DELEGATE) == "3 Delegate (3)"


async def test_escape_cancels_the_move_picker(db):
    app = make_app(db, nav_tasks())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("m", "escape")
        await settle(pilot)
        assert quadrant_on_disk(db, "do-a") == Q.DO
        assert where(app) == (Q.DO, "do-a")


@pytest.mark.parametrize(
    "keys",
    [
        {"right": "shift+right", "down": "shift+down", "left": "shift+left", "up": "shift+up"},
        {"right": "L", "down": "J", "left": "H", "up": "K"},
    ],
    ids=["shift+arrows", "HJKL"],
)
async def test_shift_moves_to_the_neighbour_and_the_cursor_follows(db, keys):
    app = make_app(db, nav_tasks())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down")
        assert where(app) == (Q.DO, "do-b")
        # Around the grid and back: 1 -> 2 -> 4 -> 3 -> 1, then 1 -> 3 -> 4 -> 2 -> 1.
        path = [
            ("right", Q.SCHEDULE),
            ("down", Q.ELIMINATE),
            ("left", Q.DELEGATE),
            ("up", Q.DO),
            ("down", Q.DELEGATE),
            ("right", Q.ELIMINATE),
            ("up", Q.SCHEDULE),
            ("left", Q.DO),
        ]
        before = Q.DO
        for direction, target in path:
            await pilot.press(keys[direction])
            await settle(pilot)
            assert quadrant_on_disk(db, "do-b") == target, direction
            assert where(app) == (target, "do-b"), direction  # focus and cursor follow
            assert "do-b" in titles(app, target)
            assert "do-b" not in titles(app, before)
            before = target
        assert {t.title: t.quadrant for t in Store(db).read().tasks if t.title != "do-b"} == {
            t.title: t.quadrant for t in nav_tasks() if t.title != "do-b"
        }


async def test_moving_past_the_edge_rings_the_bell_and_changes_nothing(db):
    app = make_app(db, nav_tasks())
    async with app.run_test(size=SIZE) as pilot:
        bells = []
        app.bell = lambda: bells.append(1)
        before = json.loads(db.read_text())
        cases = [
            ("1", "H"),
            ("1", "shift+up"),
            ("2", "L"),
            ("2", "K"),
            ("3", "J"),
            ("4", "shift+right"),
        ]
        for focus, key in cases:
            await pilot.press(focus)
            start = where(app)
            await pilot.press(key)
            await settle(pilot)
            assert len(bells) == cases.index((focus, key)) + 1, key
            assert where(app) == start
        assert json.loads(db.read_text()) == before


# --- done, completed, delete, undo -------------------------------------------------------------


@pytest.mark.parametrize("key", ["x", "space"])
async def test_done_hides_the_task_and_c_shows_it_dimmed_at_the_bottom(db, key):
    app = make_app(db, nav_tasks())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(key)
        await settle(pilot)
        assert stored(db)["do-a"].done == "2026-11-26T09:00:00+00:00"
        assert titles(app, Q.DO) == ["do-b"]
        assert pane_title(app, Q.DO) == "1 Do first (1)"
        assert "do-a" not in screen_text(app)

        await pilot.press("c")
        assert titles(app, Q.DO) == ["do-b", "do-a"]
        assert pane_title(app, Q.DO) == "1 Do first (1)"  # the count is of open tasks
        strip = pane_list(app, Q.DO).render_line(1)
        assert "✓ do-a" in strip.text
        assert any(seg.text == "do-a" and seg.style and seg.style.strike for seg in strip)
        assert "showing completed" in screen_text(app)

        await pilot.press("down", key)  # and back to open
        await settle(pilot)
        assert stored(db)["do-a"].done is None
        await pilot.press("c")
        assert titles(app, Q.DO) == ["do-a", "do-b"]
        assert "✓" not in screen_text(app)


async def test_delete_tombstones_and_u_brings_it_back(db):
    app = make_app(db, nav_tasks())
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("delete")
        await settle(pilot)
        assert "do-a" not in stored(db)
        raw = json.loads(db.read_text())["tasks"].values()
        assert [r["title"] for r in raw if r.get("deleted")] == ["do-a"]
        assert titles(app, Q.DO) == ["do-b"]
        text = screen_text(app)
        assert "Deleted. Press u to undo." in text
        assert "do-a" not in text

        await pilot.press("u")
        await settle(pilot)
        assert stored(db)["do-a"].deleted is None
        assert titles(app, Q.DO) == ["do-a", "do-b"]
        assert where(app) == (Q.DO, "do-a")


async def test_ctrl_z_and_ctrl_y_undo_and_redo_a_move(db):
    app = make_app(db, nav_tasks())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("L")
        await settle(pilot)
        assert quadrant_on_disk(db, "do-a") == Q.SCHEDULE
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert quadrant_on_disk(db, "do-a") == Q.DO
        assert where(app) == (Q.DO, "do-a")
        assert "do-a" not in titles(app, Q.SCHEDULE)
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert quadrant_on_disk(db, "do-a") == Q.SCHEDULE
        assert where(app) == (Q.SCHEDULE, "do-a")
        assert "do-a" not in titles(app, Q.DO)


async def test_undo_of_an_add_removes_the_task(db):
    app = make_app(db, nav_tasks())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        await paste(pilot, "Oops")
        await pilot.press("enter")
        await settle(pilot)
        assert "Oops" in stored(db)
        await pilot.press("u")
        await settle(pilot)
        assert "Oops" not in stored(db)
        assert "Oops" not in titles(app, Q.DO)


async def test_nothing_to_undo_says_so(db):
    app = make_app(db, nav_tasks())
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("u")
        await pilot.press("ctrl+y")
        await pilot.pause()
        text = screen_text(app)
        assert "Nothing to undo" in text
        assert "Nothing to redo" in text


async def test_undo_keeps_a_change_another_process_made_to_other_fields(db):
    app = make_app(db, nav_tasks())
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("L")
        await settle(pilot)
        moved = stored(db)["do-a"]
        assert moved.quadrant == Q.SCHEDULE
        Store(db).update(moved.id, lambda t: setattr(t, "title", "renamed elsewhere"))

        await pilot.press("ctrl+z")
        await settle(pilot)
        after = {t.id: t for t in Store(db).read().tasks}[moved.id]
        assert after.title == "renamed elsewhere"  # their field is theirs
        assert after.quadrant == Q.DO  # ours is undone


async def test_undo_refuses_when_another_process_changed_the_same_field_and_keeps_the_step(db):
    app = make_app(db, nav_tasks())
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("L")
        await settle(pilot)
        moved = stored(db)["do-a"]
        assert moved.quadrant == Q.SCHEDULE

        def eliminate(t: Any) -> None:
            t.urgent, t.important = False, False

        Store(db).update(moved.id, eliminate)

        await pilot.press("ctrl+z")
        await settle(pilot)
        after = {t.id: t for t in Store(db).read().tasks}[moved.id]
        assert after.quadrant == Q.ELIMINATE  # the undo was refused, not half-applied
        assert await wait_for(pilot, lambda: "do-a" in titles(app, Q.ELIMINATE))
        assert "do-a" not in titles(app, Q.DO)
        text = screen_text(app)
        assert "changed elsewhere" in text
        # The step stays: undo again says the same, not "Nothing to undo".
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert "Nothing to undo" not in screen_text(app)
        assert stored(db)["do-a"].quadrant == Q.ELIMINATE


# --- filter, zoom, help, palette ---------------------------------------------------------------


async def test_filter_by_text_and_tag_across_panes_and_escape_clears(db):
    app = make_app(db, None)  # the demo set
    async with app.run_test(size=SIZE) as pilot:
        every = {q: titles(app, q) for q in Q}
        await pilot.press("slash")
        box = app.screen.query_one("#filter", Input)
        assert box.has_focus and box.display
        await pilot.press(*"passport")
        assert {q: titles(app, q) for q in Q} == {
            Q.DO: [],
            Q.SCHEDULE: ["Renew passport"],
            Q.DELEGATE: [],
            Q.ELIMINATE: [],
        }
        assert "filter: passport (1/13)" in screen_text(app)  # shown / open
        await pilot.press("escape")
        assert {q: titles(app, q) for q in Q} == every
        assert not box.display
        assert where(app)[0] == Q.DO

        await pilot.press("slash", *"#work", "enter")  # enter keeps the filter, back to the list
        assert titles(app, Q.DO) == [
            "Fix the login outage on prod",
            "Prepare slides for Monday's board meeting",
        ]
        assert titles(app, Q.SCHEDULE) == ["Plan the team offsite"]
        assert titles(app, Q.DELEGATE) == titles(app, Q.ELIMINATE) == []
        assert where(app)[0] == Q.DO
        assert "Submit the quarterly VAT" not in screen_text(app)
        await pilot.press("escape")  # from the list, escape clears the filter too
        assert {q: titles(app, q) for q in Q} == every


async def test_z_zooms_the_focused_pane_and_back(db):
    app = make_app(db, None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "z")
        shown = [q for q in Q if matrix(app).query_one(f"#pane-{int(q)}").display]
        assert shown == [Q.SCHEDULE]
        text = screen_text(app)
        assert "2 Schedule (4 +1 waiting)" in text  # the demo hides one until next week
        assert "1 Do first" not in text and "4 Eliminate" not in text
        assert "zoomed (z to return)" in text
        assert matrix(app).query_one("#pane-2").region.width > 90
        await pilot.press("z")
        text = screen_text(app)
        assert all(matrix(app).query_one(f"#pane-{int(q)}").display for q in Q)
        assert all(name in text for name in ("1 Do first", "2 Schedule", "3 Delegate"))
        assert where(app)[0] == Q.SCHEDULE


async def test_help_lists_every_binding_and_escape_closes(db):
    app = make_app(db, nav_tasks())
    async with app.run_test(size=(100, 60)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one(DataTable)
        rows = {
            str(table.get_row_at(i)[1]): str(table.get_row_at(i)[0]) for i in range(table.row_count)
        }
        expected = {
            "Focus Do first": "1",
            "Focus Schedule": "2",
            "Focus Delegate": "3",
            "Focus Eliminate": "4",
            "Details": "i",
            "Mark": "v",
            "Add a tag": "t",
            "Earlier in the pane": "^↑ <",
            "Later in the pane": "^↓ >",
            "Add": "a",
            "Edit": "e ⏎",
            "Due": "d",
            "Clear due": "D",
            "Move": "m",
            "Move left": "shift+← H",
            "Move right": "shift+→ L",
            "Move up": "shift+↑ K",
            "Move down": "shift+↓ J",
            "Done": "x space",
            "Delete": "del",
            "Undo": "u ^z",
            "Redo": "^y",
            "Filter": "/",
            "Zoom": "z",
            "Completed": "c",
            "Help": "?",
            "Quit": "^q q",
            "Commands": "^p",
            "Up": "↑ k",
            "Down": "↓ j",
            "Pane left": "← h",
            "Pane right": "→ l",
            "Focus Next": "tab",
        }
        assert {name: rows.get(name) for name in expected} == expected
        lines = screen_text(app).splitlines()
        assert any(" m " in line and "Move" in line for line in lines)
        assert any("u ^z" in line and "Undo" in line for line in lines)
        await pilot.press("escape")
        assert isinstance(app.screen, MatrixScreen)


async def test_command_palette_goes_to_a_task(db):
    app = make_app(db, None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"passport")
        assert await wait_for(pilot, lambda: "Go to: Renew passport" in screen_text(app))
        await pilot.press("enter")
        assert await wait_for(pilot, lambda: isinstance(app.screen, MatrixScreen))
        await pilot.pause()
        assert where(app) == (Q.SCHEDULE, "Renew passport")


async def test_command_palette_runs_matrix_actions(db):
    app = make_app(db, nav_tasks())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p", *"zoom")
        assert await wait_for(pilot, lambda: "Key: z" in screen_text(app))
        await pilot.press("enter")
        assert await wait_for(pilot, lambda: matrix(app).zoomed)


async def test_q_quits_and_the_last_change_is_on_disk(db):
    app = make_app(db, nav_tasks())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("x", "L", "q")  # no pause between the change and q
        await pilot.pause()
    assert app.return_code == 0
    assert stored(db)["do-b"].quadrant == Q.SCHEDULE
    assert stored(db)["do-a"].done is not None


# --- live link to the file ---------------------------------------------------------------------


async def test_task_added_by_another_process_appears_without_moving_the_cursor(db):
    app = make_app(db, nav_tasks(), poll_interval=0.2)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down")
        assert where(app) == (Q.DO, "do-b")
        cursor_id = matrix(app).current_task.id
        Store(db).add(task("From another window", Q.DO, due="2026-11-20"))  # sorts first
        started = time.monotonic()
        assert await wait_for(pilot, lambda: "From another window" in titles(app, Q.DO), 1.0)
        assert time.monotonic() - started < 1.0
        assert titles(app, Q.DO)[0] == "From another window"
        assert matrix(app).current_task.id == cursor_id
        assert where(app) == (Q.DO, "do-b")
        await pilot.pause()
        assert "From another window" in screen_text(app)


async def test_task_added_by_the_cli_appears_within_a_second(db):
    app = make_app(db, nav_tasks(), poll_interval=0.2)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "down")
        cursor_id = matrix(app).current_task.id
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "eisenhower_tui", "--db", str(db), "add", "From the CLI !2"
        )
        assert await proc.wait() == 0
        started = time.monotonic()
        assert await wait_for(pilot, lambda: "From the CLI" in titles(app, Q.SCHEDULE), 1.0)
        assert time.monotonic() - started < 1.0
        assert matrix(app).current_task.id == cursor_id
        await pilot.pause()
        assert "From the CLI" in screen_text(app)


# --- escalation --------------------------------------------------------------------------------


async def test_escalation_moves_a_close_deadline_to_do_and_moving_back_sticks(db):
    tasks = [task("Due tomorrow", Q.SCHEDULE, due="2026-11-27"), task("Far away", Q.SCHEDULE)]
    app = make_app(db, tasks)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert titles(app, Q.DO) == ["Due tomorrow"]
        assert titles(app, Q.SCHEDULE) == ["Far away"]
        saved = stored(db)["Due tomorrow"]
        assert saved.quadrant == Q.DO and saved.escalated_for == "2026-11-27"
        text = screen_text(app)
        assert "Deadline close: moved 1 task to urgent" in text
        assert "Due tomorrow" in text

        assert where(app) == (Q.DO, "Due tomorrow")
        await pilot.press("m", "2")
        await settle(pilot)
        assert quadrant_on_disk(db, "Due tomorrow") == Q.SCHEDULE
        matrix(app).run_escalation()
        await settle(pilot)
        assert quadrant_on_disk(db, "Due tomorrow") == Q.SCHEDULE
        assert "Due tomorrow" in titles(app, Q.SCHEDULE)
        assert titles(app, Q.DO) == []


async def test_moving_a_task_out_of_do_with_a_close_deadline_sticks(db):
    app = make_app(db, [task("Due tomorrow", Q.DO, due="2026-11-27")])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("L")
        await settle(pilot)
        assert quadrant_on_disk(db, "Due tomorrow") == Q.SCHEDULE
        matrix(app).run_escalation()  # what the minute tick does
        await settle(pilot)
        assert quadrant_on_disk(db, "Due tomorrow") == Q.SCHEDULE
        assert titles(app, Q.SCHEDULE) == ["Due tomorrow"]
        await pilot.press("u")  # undo restores the escalation fields too
        await settle(pilot)
        saved = stored(db)["Due tomorrow"]
        assert saved.quadrant == Q.DO and saved.escalated_for is None


# --- hostile text ------------------------------------------------------------------------------

LONG = "L" + "o" * 497 + "ng"
HOSTILE = [
    # (title as given, title as stored, what to type in the palette)
    ("[/]", "[/]", "[/]"),
    ("[@click=app.quit]x", "[@click=app.quit]x", "click=app"),
    ("[bold]x[/bold]", "[bold]x[/bold]", "[bold]"),
    ("$title", "$title", "$title"),
    ("🎉 会议 準備", "🎉 会议 準備", "会议"),
    (LONG, LONG, "Looooo"),
    ("Clip\x1b]52;c;aGk=\x07board", "Clipboard", "Clipboard"),
    ("Cafe\u0301 cre\u0300me", "Café crème", "Café"),
]


@pytest.mark.parametrize(("given", "title", "search"), HOSTILE, ids=range(len(HOSTILE)))
async def test_hostile_titles_show_literally_everywhere(db, given, title, search):
    # Due tomorrow in Schedule: the escalation notification names it too.
    app = make_app(db, [task(given, Q.SCHEDULE, due="2026-11-27")])
    shown = title[:30]
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert stored(db)[title].quadrant == Q.DO
        assert shown in screen_text(app)  # the row and the notification
        assert shown in row_text(app, Q.DO, 0)
        notes = [n.message for n in app._notifications]
        assert any(title[:39] in message for message in notes)  # cut with an ellipsis
        assert len(title) < 100 or "…" in row_text(app, Q.DO, 0)

        await pilot.press("e")
        assert app.screen.query_one("#edit-title", Input).value == title
        assert shown in screen_text(app)
        await pilot.press("escape", "d")
        assert isinstance(app.screen, DeadlineScreen)
        assert shown in screen_text(app)
        await pilot.press("escape")

        await pilot.press("ctrl+p")
        await paste(pilot, search)
        assert await wait_for(pilot, lambda: "Go to: " + shown in screen_text(app))
        await pilot.press("enter")
        assert await wait_for(pilot, lambda: isinstance(app.screen, MatrixScreen))
        assert where(app) == (Q.DO, title)
        assert app.is_running and app.return_code is None
        if "[@click=app.quit]x" in given:  # a link that would quit if it were markup
            assert "[@click=app.quit]x" in screen_text(app)
            assert "[@click=app.quit]x" in app.export_screenshot()
            await pilot.click(f"#list-{int(Q.DO)}", offset=(4, 0))
            assert app.is_running


async def test_hostile_text_pasted_into_the_add_box_is_cleaned(db):
    app = make_app(db, nav_tasks())
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("a")
        app.post_message(events.Paste("[@click=app.quit]x \x1b]52;c;aGk=\x07[bold]y #t"))
        await pilot.pause()
        box = app.screen.query_one("#quick-add-input", Input)
        assert box.value == "[@click=app.quit]x [bold]y #t"
        text = screen_text(app)
        assert "[@click=app.quit]x [bold]y #t" in text  # shown literally in the box
        assert "\x1b" not in text and "52;c" not in text
        assert "→ 1 Do first (this pane) · #t" in text
        await pilot.press("enter")
        await settle(pilot)
        saved = stored(db)["[@click=app.quit]x [bold]y"]
        assert saved.tags == ["t"]
        assert where(app) == (Q.DO, "[@click=app.quit]x [bold]y")
        assert "[@click=app.quit]x [bold]y" in screen_text(app)
        assert app.is_running


async def test_hostile_text_pasted_into_the_edit_form_is_cleaned(db):
    app = make_app(db, nav_tasks())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        app.screen.query_one("#edit-delegate", Input).focus()
        app.post_message(events.Paste("Bo\x1b[31mb"))
        app.screen.query_one("#edit-notes", TextArea).focus()
        app.post_message(events.Paste("one \x1b]52;c;aGk=\x07two\nthree\x1b[2J"))
        await pilot.pause()
        assert "\x1b" not in screen_text(app)
        await pilot.press("ctrl+s")
        await settle(pilot)
        saved = stored(db)["do-a"]
        assert saved.delegate == "Bob"
        assert saved.notes == "one two\nthree"
        assert "@Bob" in row_text(app, Q.DO, 0)


# --- terminal size -----------------------------------------------------------------------------


async def test_too_small_terminal_says_so_and_recovers(db):
    app = make_app(db, None)
    async with app.run_test(size=(50, 14)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "too small" in text
        assert "1 Do first" not in text
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        text = screen_text(app)
        assert "too small" not in text
        shown = ("1 Do first (3)", "2 Schedule (4 +1 waiting)", "3 Delegate (3)", "4 Eliminate (3)")
        for name in shown:
            assert name in text


async def test_80x24_shows_the_four_panes(db):
    app = make_app(db, None)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "too small" not in text
        shown = ("1 Do first (3)", "2 Schedule (4 +1 waiting)", "3 Delegate (3)", "4 Eliminate (3)")
        for name in shown:
            assert name in text
        assert "Renew passport" in text


async def test_adding_with_a_close_deadline_lands_in_do_at_once_and_undo_removes_it(db):
    app = make_app(db, [])
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("2", "a")
        await paste(pilot, "Renew passport due:tomorrow")
        await pilot.press("enter")
        await settle(pilot)
        assert titles(app, Q.DO) == ["Renew passport"]
        saved = stored(db)["Renew passport"]
        assert saved.quadrant == Q.DO and saved.escalated_for == "2026-11-27"
        assert "the deadline is close" in screen_text(app)
        await pilot.press("u")
        await settle(pilot)
        assert stored(db) == {}
        assert titles(app, Q.DO) == []
