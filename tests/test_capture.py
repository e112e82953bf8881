"""`eisenhower capture`: the popup (Pilot) and the hotkey flow in real tmux panes."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from clock import NOW
from textual.widgets import Static
from tmux_driver import Terminal, eisenhower, needs_tmux

from eisenhower_tui.config import Config
from eisenhower_tui.model import Quadrant
from eisenhower_tui.screens.capture import CaptureApp
from eisenhower_tui.store import Store


def _app(db: Path, quadrant: Quadrant = Quadrant.SCHEDULE) -> CaptureApp:
    app = CaptureApp(
        Store(db),
        config=Config(path=db.parent / "config.toml"),
        default_quadrant=quadrant,
        clock=lambda: NOW,
    )
    app.animation_level = "none"
    return app


async def _type(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    for ch in text:
        await pilot.press("space" if ch == " " else ch)
    await pilot.pause()


def _preview(app: CaptureApp) -> str:
    return str(app.query_one("#capture-preview", Static).render())


async def test_preview_says_schedule_is_the_default_then_follows_tokens(db: Path) -> None:
    app = _app(db)
    async with app.run_test(size=(60, 3)) as pilot:
        assert "2 Schedule" in _preview(app) and "default" in _preview(app)
        await _type(pilot, "Call Bob !u due:fri #x @Bob")
        shown = _preview(app)
        assert "3 Delegate" in shown and "default" not in shown
        assert "Fri 27 Nov" in shown and "#x" in shown and "@Bob" in shown


async def test_enter_saves_and_exits_0(db: Path) -> None:
    app = _app(db)
    async with app.run_test(size=(60, 3)) as pilot:
        await _type(pilot, "Call Bob !u due:fri")
        await pilot.press("enter")
        await pilot.pause()
    assert app.return_code == 0
    [task] = Store(db).read().tasks
    assert (task.title, task.quadrant, task.due) == ("Call Bob", Quadrant.DELEGATE, "2026-11-27")


async def test_escape_exits_1_and_saves_nothing(db: Path) -> None:
    app = _app(db)
    async with app.run_test(size=(60, 3)) as pilot:
        await _type(pilot, "Not wanted")
        await pilot.press("escape")
        await pilot.pause()
    assert app.return_code == 1
    assert not db.exists()


async def test_bad_deadline_keeps_the_box_open_with_the_error(db: Path) -> None:
    app = _app(db)
    async with app.run_test(size=(60, 3)) as pilot:
        await _type(pilot, "Pay rent due:someday")
        assert "someday" in _preview(app) and "not a date" in _preview(app)
        await pilot.press("enter")
        await pilot.pause()
        assert app.is_running and app.return_code is None
        assert not db.exists()
        # fixing the line then saves
        for _ in "someday":
            await pilot.press("backspace")
        await _type(pilot, "eom")
        await pilot.press("enter")
        await pilot.pause()
    assert app.return_code == 0
    assert Store(db).read().tasks[0].due == "2026-11-30"


async def test_quadrant_option_changes_the_default(db: Path) -> None:
    app = _app(db, Quadrant.DO)
    async with app.run_test(size=(60, 3)) as pilot:
        assert "1 Do first" in _preview(app)
        await _type(pilot, "Urgent thing")
        await pilot.press("enter")
        await pilot.pause()
    assert Store(db).read().tasks[0].quadrant == Quadrant.DO


async def test_hostile_title_shows_literally_and_is_cleaned(db: Path) -> None:
    app = _app(db)
    async with app.run_test(size=(60, 3)) as pilot:
        await _type(pilot, "[@click=app.quit]x [/]")
        assert app.is_running
        await pilot.press("enter")
        await pilot.pause()
    assert Store(db).read().tasks[0].title == "[@click=app.quit]x [/]"


# --- the real thing: a matrix pane and a 60x5 capture pane in tmux -----------------------------


def _next_friday(today: date) -> date:
    return today + timedelta(days=(4 - today.weekday()) % 7 or 7)


@needs_tmux
def test_capture_in_a_popup_sized_pane_lands_in_the_open_matrix(
    tmp_path: Path, terminal: Terminal
) -> None:
    db = tmp_path / "tasks.json"
    terminal.start([*eisenhower(), "--db", str(db)], size=(120, 45))
    terminal.wait_for("1 Do first", timeout=15)
    # The capture in its own 60x5 window, as the README's `display-popup -w 60 -h 5` gives.
    terminal.start([*eisenhower(), "--db", str(db), "capture"], session="popup", size=(60, 5))
    assert terminal.size("popup") == "60x5"
    terminal.wait_for("Schedule", timeout=15, session="popup")
    terminal.type("Call Bob !u due:fri", session="popup")
    terminal.wait_for("3 Delegate", timeout=5, session="popup")
    terminal.send("Enter", session="popup")
    assert terminal.wait_for_exit("popup") == 0
    [task] = Store(db).read().tasks
    assert task.title == "Call Bob" and task.quadrant == Quadrant.DELEGATE
    assert task.due == _next_friday(date.today()).isoformat()
    # The open matrix shows it within 1.5 s of the file changing.
    screen = terminal.wait_for("Call Bob", timeout=1.5)
    assert "3 Delegate (1)" in screen


async def test_a_corrupt_file_is_named_in_the_box_and_nothing_is_written(db: Path) -> None:
    db.write_text('{"tasks": {"1": ')
    before = db.read_bytes()
    app = _app(db)
    async with app.run_test(size=(60, 3)) as pilot:
        # The file is checked in the background a moment after the box is drawn.
        for _ in range(100):
            if "Cannot read the task file" in _preview(app):
                break
            await pilot.pause(0.02)
        assert "Cannot read the task file" in _preview(app)
        await _type(pilot, "Lost thought")
        await pilot.press("enter")
        await pilot.pause()
        assert app.is_running  # Enter does nothing on a file that cannot be read
        await pilot.press("escape")
        await pilot.pause()
    assert app.return_code == 1
    assert db.read_bytes() == before


async def test_a_pasted_escape_sequence_never_reaches_the_box(db: Path) -> None:
    from textual import events
    from textual.widgets import Input

    app = _app(db)
    async with app.run_test(size=(60, 3)) as pilot:
        app.post_message(events.Paste("\x1b]52;c;SElKQUNLRUQ=\x07Pay rent"))  # as a terminal does
        await pilot.pause()
        assert app.query_one(Input).value == "Pay rent"
        await pilot.press("enter")
        await pilot.pause()
    assert Store(db).read().tasks[0].title == "Pay rent"


async def test_at_58x3_the_preview_keeps_the_tags_and_delegate_and_cuts_the_date(db: Path) -> None:
    app = _app(db)
    async with app.run_test(size=(58, 3)) as pilot:
        await _type(pilot, "Call Bob about the lease !u due:fri #work #legal @Bob")
        line = str(app.query_one("#capture-preview", Static).render())
        assert line.startswith("→ 3 Delegate · #work #legal · @Bob · ")
        assert line.endswith("…") and len(line) <= 56


async def test_at_58x3_an_error_starts_at_the_first_column(db: Path) -> None:
    app = _app(db)
    async with app.run_test(size=(58, 3)) as pilot:
        await _type(pilot, "Call due:someday")
        preview = app.query_one("#capture-preview", Static)
        assert preview.content_region.x == 0
        assert str(preview.render()).startswith("✗ in 'due:someday'")
