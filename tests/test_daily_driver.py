"""The matrix as a daily driver at 80x24: dialogs that fit, rows that keep the title, readable
colours in every theme, the detail view, marks and bulk actions, manual order, filter counts.

Each test drives the real app with Pilot and checks what a user checks: the screen and the file.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from textual.widgets import DataTable, Input, Select, TextArea
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
from eisenhower_tui.model import Quadrant
from eisenhower_tui.screens.dialogs import EditTaskScreen
from eisenhower_tui.screens.matrix import MatrixScreen

Q = Quadrant
TOMORROW = "2026-11-27"


def triage_tasks():
    return [
        task("one", Q.DO, order=1),
        task("two", Q.DO, order=2),
        task("three", Q.DO, order=3),
        task("later", Q.SCHEDULE, order=1),
    ]


def notices(app) -> str:
    return "\n".join(str(n.message) for n in app._notifications)


# --- 80x24 first-class ----------------------------------------------------------------------------


DIALOGS = {
    # key: what must be on screen once it is open (its hint, its buttons)
    "e": ["Save", "Cancel", "escape: cancel"],
    "a": ["New task", "escape: cancel"],
    "d": ["Deadline", "escape: cancel"],
    "m": ["Move to which quadrant?", "1-4: move"],
    "i": ["Notes", "escape: close"],
    "delete": ["Delete this task?", "n / escape: no"],
    "question_mark": ["Keys", "ctrl+p: every action"],
}


@pytest.mark.parametrize("size", [(80, 24), (60, 16)])
@pytest.mark.parametrize("key", list(DIALOGS))
async def test_every_dialog_fits_with_its_buttons_and_hint_on_screen(db, key, size):
    notes = "first line\nsecond line\nthird line"
    config = Config(path=db.parent / "c.toml", theme="textual-dark", confirm_delete=True)
    tasks = [task("Write the quarterly report", Q.DO, notes=notes, tags=["ops"], due=TOMORROW)]
    app = make_app(db, tasks, config=config)
    async with app.run_test(size=size) as pilot:
        await pilot.press(key)
        await pilot.pause()
        text = screen_text(app)
        for words in DIALOGS[key]:
            assert words in text, (words, text)
        dialog = app.screen.query_one(".dialog")
        assert dialog.region.bottom <= size[1] and dialog.region.right <= size[0]


async def test_edit_shows_every_line_of_the_notes_at_80x24(db):
    notes = "first line\nsecond line\nthird line"
    app = make_app(db, [task("Report", Q.DO, notes=notes)])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("e")
        text = screen_text(app)
        for line in notes.splitlines():
            assert line in text
        assert app.screen.query_one("#edit-notes", TextArea).region.height >= 4


async def test_a_modal_footer_shows_the_modal_keys_not_the_matrix_keys(db):
    app = make_app(db, triage_tasks())
    async with app.run_test(size=(80, 24)) as pilot:
        assert "a Add" in screen_text(app).splitlines()[-1]
        await pilot.press("e")
        footer = screen_text(app).splitlines()[-1]
        assert "esc Cancel" in footer and "^s Save" in footer
        assert "a Add" not in footer


async def test_narrow_rows_drop_the_delegate_then_the_tags_before_cutting_the_title(db):
    title = "Write the VAT report"
    tasks = [task(title, Q.DO, due="2026-11-16", tags=["ops", "finance"], delegate="Alice")]
    app = make_app(db, tasks)
    async with app.run_test(size=(80, 24)):
        row = row_text(app, Q.DO, 0)
        assert title in row and "overdue 10d" in row  # the deadline label always stays
        assert "@Alice" not in row and "#" not in row and "…" not in row
    app = make_app(db)
    async with app.run_test(size=(100, 30)):
        row = row_text(app, Q.DO, 0)
        assert title in row and "#ops" in row  # the delegate goes before the tags
        assert "@Alice" not in row and "…" not in row
    app = make_app(db)
    async with app.run_test(size=(120, 30)):
        row = row_text(app, Q.DO, 0)
        assert title in row and "#ops #finance @Alice" in row


async def test_a_full_pane_never_shows_a_horizontal_scrollbar_over_its_last_row(db):
    app = make_app(
        db, [task(f"task number {n} with a long title", Q.DO, order=n) for n in range(40)]
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        task_list = pane_list(app, Q.DO)
        assert task_list.show_vertical_scrollbar
        assert not task_list.show_horizontal_scrollbar
        visible = task_list.scrollable_content_region.height
        assert visible == task_list.region.height
        assert f"task number {visible - 1} " in screen_text(app)


async def test_at_60x15_zoom_shows_one_pane_instead_of_too_small(db):
    app = make_app(db, None)
    async with app.run_test(size=(60, 15)) as pilot:
        await pilot.pause()
        assert "Press z to show one pane." in screen_text(app)
        await pilot.press("2", "z")
        await pilot.pause()
        text = screen_text(app)
        assert "too small" not in text
        assert "2 Schedule (4 +1 waiting)" in text and "Renew passport" in text
        await pilot.resize_terminal(30, 8)
        await pilot.pause()
        assert "too small" in screen_text(app)


def _wcag(style) -> float:
    """WCAG 2 contrast ratio of a resolved Rich style's text on its background."""

    def luminance(rgb) -> float:
        def channel(v: int) -> float:
            v /= 255
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

        r, g, b = rgb
        return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)

    high, low = sorted(
        (luminance(style.color.get_truecolor()), luminance(style.bgcolor.get_truecolor())),
        reverse=True,
    )
    return (high + 0.05) / (low + 0.05)


async def test_cursor_row_and_overdue_text_read_at_4_5_to_1_in_every_theme(db):
    app = make_app(db, [task("late", Q.DO, due="2026-11-20")])
    async with app.run_test(size=(80, 24)):
        themes = sorted(app.available_themes)
    assert len(themes) > 10
    failures = []
    for theme in themes:
        config = Config(path=db.parent / "c.toml", theme=theme)
        app = make_app(db, config=config)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert app.theme == theme
            task_list = pane_list(app, Q.DO)
            cursor = _wcag(task_list.get_component_rich_style("task-list--cursor"))
            overdue = _wcag(task_list.get_component_rich_style("task-list--overdue"))
            if cursor < 4.5 or overdue < 4.5:
                failures.append((theme, round(cursor, 2), round(overdue, 2)))
    assert failures == []


# --- a task in full -------------------------------------------------------------------------------


async def test_i_shows_the_task_in_full_with_when_and_why_it_was_escalated(db):
    escalated = replace(
        task("Pay the quarterly VAT", Q.DO, due=TOMORROW, tags=["admin"], delegate="Ann"),
        notes="Account 42\nAsk for the receipt",
        escalated="2026-11-26T09:00:00+00:00",
        escalated_for=TOMORROW,
    )
    app = make_app(db, [escalated])
    async with app.run_test(size=(80, 24)) as pilot:
        assert "≡" in row_text(app, Q.DO, 0)  # the row says there are notes
        await pilot.press("i")
        assert type(app.screen).__name__ == "DetailScreen"
        # Long values wrap inside their column: read the screen with lines joined.
        text = " ".join(line.strip(" │█") for line in screen_text(app).splitlines())
        text = " ".join(text.split())
        for words in (
            "Pay the quarterly VAT",
            "1 Do first",
            "Fri 27 Nov (all day) - tomorrow",
            "escalated on Thu 26 Nov 10:00 for the deadline Fri 27 Nov",
            "#admin",
            "@Ann",
            "Account 42",
            "Ask for the receipt",
            "not yet",
        ):
            assert words in text, words
        await pilot.press("e")  # edit straight from the details
        assert isinstance(app.screen, EditTaskScreen)


async def test_edit_changes_deadline_and_quadrant_and_one_undo_restores_all(db):
    app = make_app(db, [task("Report", Q.DO, tags=["ops"])])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("e")
        form = app.screen
        form.query_one("#edit-title", Input).value = "Quarterly report"
        form.query_one("#edit-due", Input).value = "2026-12-20"
        await pilot.pause()
        assert "Sun 20 Dec (all day)" in screen_text(app)
        form.query_one("#edit-quadrant", Select).value = Q.ELIMINATE
        await pilot.press("ctrl+s")
        await settle(pilot)
        saved = stored(db)["Quarterly report"]
        assert (saved.due, saved.quadrant) == ("2026-12-20", Q.ELIMINATE)
        assert titles(app, Q.ELIMINATE) == ["Quarterly report"]
        await pilot.press("u")
        await settle(pilot)
        back = stored(db)["Report"]
        assert (back.due, back.quadrant, back.tags) == (None, Q.DO, ["ops"])


async def test_edit_refuses_a_deadline_that_is_not_a_date(db):
    app = make_app(db, [task("Report", Q.DO)])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("e")
        app.screen.query_one("#edit-due", Input).value = "someday"
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, EditTaskScreen)
        assert "not a date" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert stored(db)["Report"].due is None


async def test_the_deadline_box_opens_with_the_current_deadline_and_enter_keeps_it(db):
    app = make_app(db, [task("Report", Q.DO, due="2026-11-28T17:00:00+01:00")])
    async with app.run_test(size=(80, 24)) as pilot:
        before = db.read_bytes()
        await pilot.press("d")
        box = app.screen.query_one("#deadline-input", Input)
        assert box.value == "2026-11-28T17:00"
        assert "Sat 28 Nov 17:00" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MatrixScreen)
        assert db.read_bytes() == before  # nothing changed, nothing written


# --- triage ---------------------------------------------------------------------------------------


async def test_v_marks_rows_and_x_completes_all_marked_in_one_undo_step(db):
    app = make_app(db, triage_tasks())
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("v", "v")  # marks one, then two (v moves down)
        assert row_text(app, Q.DO, 0).startswith("▶ one")
        assert row_text(app, Q.DO, 1).startswith("▶ two")
        assert "2 marked" in screen_text(app)
        await pilot.press("x")
        await settle(pilot)
        on_disk = stored(db)
        assert on_disk["one"].done and on_disk["two"].done and not on_disk["three"].done
        assert "2 done · u to undo" in notices(app)
        assert "marked" not in screen_text(app)
        await pilot.press("u")
        await settle(pilot)
        assert not any(t.done for t in stored(db).values())
        assert titles(app, Q.DO) == ["one", "two", "three"]


async def test_x_on_one_task_says_done_and_how_to_undo(db):
    app = make_app(db, triage_tasks())
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("x")
        await settle(pilot)
        assert stored(db)["one"].done
        assert "Done · u to undo" in notices(app)


async def test_escape_clears_the_marks_and_nothing_changes(db):
    app = make_app(db, triage_tasks())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("v", "escape")
        assert not row_text(app, Q.DO, 0).startswith("▶")
        await pilot.press("x")
        await settle(pilot)
        assert [t for t in stored(db).values() if t.done] == [stored(db)["two"]]


async def test_m_digit_moves_every_marked_task_and_the_cursor_stays_in_the_pane(db):
    app = make_app(db, triage_tasks())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("v", "down", "v", "m", "4")
        await settle(pilot)
        on_disk = stored(db)
        assert on_disk["one"].quadrant == on_disk["three"].quadrant == Q.ELIMINATE
        assert on_disk["two"].quadrant == Q.DO
        assert matrix(app).focused_quadrant == Q.DO
        assert titles(app, Q.DO) == ["two"]
        await pilot.press("u")
        await settle(pilot)
        assert {t.quadrant for n, t in stored(db).items() if n != "later"} == {Q.DO}


async def test_delete_clear_deadline_and_tag_act_on_every_marked_task(db):
    tasks = [
        task("one", Q.DO, order=1, due=TOMORROW),
        task("two", Q.DO, order=2, due=TOMORROW),
        task("three", Q.DO, order=3),
    ]
    app = make_app(db, tasks)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("v", "v", "t")
        await pilot.press(*"urgent", "enter")
        await settle(pilot)
        assert [stored(db)[n].tags for n in ("one", "two", "three")] == [["urgent"], ["urgent"], []]
        await pilot.press("g", "v", "v", "D")
        await settle(pilot)
        assert stored(db)["one"].due is None and stored(db)["two"].due is None
        await pilot.press("g", "v", "v", "delete")
        await settle(pilot)
        assert set(stored(db)) == {"three"}
        await pilot.press("u")  # one step brings both back
        await settle(pilot)
        assert set(stored(db)) == {"one", "two", "three"}


async def test_reorder_moves_a_task_among_those_without_a_deadline_and_undo_puts_it_back(db):
    tasks = [task("dated", Q.DO, due=TOMORROW), *triage_tasks()]
    app = make_app(db, tasks)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("down", "greater_than_sign")  # "one" goes below "two"
        await settle(pilot)
        assert titles(app, Q.DO) == ["dated", "two", "one", "three"]
        assert matrix(app).current_task.title == "one"
        on_disk = stored(db)
        assert on_disk["two"].order < on_disk["one"].order < on_disk["three"].order
        await pilot.press("ctrl+up", "ctrl+up")  # back up, and the top is the top
        await settle(pilot)
        assert titles(app, Q.DO) == ["dated", "one", "two", "three"]
        await pilot.press("u")
        await settle(pilot)
        assert titles(app, Q.DO) == ["dated", "two", "one", "three"]


async def test_a_filter_shows_shown_of_open_and_empty_panes_say_no_match(db):
    app = make_app(db, None)  # the demo set: 13 open tasks
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("slash", *"passport", "enter")
        text = screen_text(app)
        assert "(1/13)" in text
        assert "No match for the filter." in text
        assert "Press a to add" not in text
        await pilot.press("1", "a", *"Call the bank", "enter")
        await settle(pilot)
        assert "Call the bank" in stored(db)
        assert "hidden by the filter" in notices(app)


async def test_help_scrolls_with_j_k_g_and_G(db):
    app = make_app(db, triage_tasks())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        table = app.screen.query_one(DataTable)
        await pilot.press("G")
        assert table.cursor_row == table.row_count - 1
        assert "Commands" in screen_text(app)
        await pilot.press("k")
        assert table.cursor_row == table.row_count - 2
        await pilot.press("g", "j")
        assert table.cursor_row == 1
        assert "Focus Do first" in screen_text(app)
