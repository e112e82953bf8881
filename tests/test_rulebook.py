"""One rulebook, every front end: the CLI and the matrix reach the same file for the same changes,
agree on escalation, and undo walks the whole history."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

from conftest import run_cli
from tui_helpers import THEME, make_app, matrix, seed, settle, stored, task, titles

from eisenhower_tui.app import EisenhowerApp
from eisenhower_tui.config import Config
from eisenhower_tui.dates import local_now
from eisenhower_tui.model import Quadrant as Q
from eisenhower_tui.model import Task
from eisenhower_tui.store import Store

SIZE = (100, 30)
STAMPS = ("created", "updated", "done", "deleted", "escalated", "delegated")


def live_app(db: Path) -> EisenhowerApp:
    """The app on the real clock, as the CLI runs, so both see the same "tomorrow"."""
    app = EisenhowerApp(
        Store(db),
        config=Config(path=db.parent / "c.toml", theme=THEME),
        clock=local_now,
        poll_interval=None,
        remember_theme=False,
    )
    app.animation_level = "none"
    return app


def ok(*args: str, db: Path) -> str:
    result = run_cli(*args, db=db)
    assert result.returncode == 0, result.stderr
    return result.stdout


def on_disk(db: Path, title: str) -> Q:
    return stored(db)[title].quadrant


async def test_undo_and_redo_walk_back_and_forth_on_one_task(db):
    app = make_app(db, [task("Alpha", Q.SCHEDULE)])
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("2", "H")  # Schedule -> Do
        await settle(pilot)
        await pilot.press("J")  # Do -> Delegate
        await settle(pilot)
        assert on_disk(db, "Alpha") == Q.DELEGATE
        seen = []
        for key in ("u", "u", "ctrl+y", "ctrl+y"):
            await pilot.press(key)
            await settle(pilot)
            seen.append(on_disk(db, "Alpha"))
        assert seen == [Q.DO, Q.SCHEDULE, Q.DO, Q.DELEGATE]
        assert "changed elsewhere" not in "\n".join(n.message for n in app._notifications)


async def test_set_deadline_clear_it_then_undo_twice_walks_back(db):
    app = make_app(db, [task("Alpha", Q.DO)])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("d")
        await pilot.press(*"2026-12-24")
        await pilot.press("enter")
        await settle(pilot)
        assert stored(db)["Alpha"].due == "2026-12-24"
        await pilot.press("D")
        await settle(pilot)
        assert stored(db)["Alpha"].due is None
        await pilot.press("u")
        await settle(pilot)
        assert stored(db)["Alpha"].due == "2026-12-24"
        await pilot.press("u")
        await settle(pilot)
        assert stored(db)["Alpha"].due is None


async def test_a_cli_move_out_of_do_with_a_close_deadline_sticks_in_an_open_matrix(db):
    out = ok("add", "Close one !1 due:tomorrow", db=db)
    task_id = out.split()[1]
    ok("move", task_id, "2", db=db)
    app = live_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        matrix(app).run_escalation()  # what the minute tick runs
        await settle(pilot)
        assert titles(app, Q.SCHEDULE) == ["Close one"]
        assert titles(app, Q.DO) == []
    assert on_disk(db, "Close one") == Q.SCHEDULE


async def test_add_with_a_close_deadline_prints_the_quadrant_the_matrix_shows(db):
    out = ok("add", "Report due:tomorrow", db=db)
    assert "[1 Do first]" in out
    (listed,) = json.loads(ok("list", "--json", db=db))
    assert listed["quadrant"] == 1
    explicit = ok("add", "Someday !4 due:tomorrow", db=db)
    assert "[4 Eliminate]" in explicit  # a chosen quadrant sticks
    app = live_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        matrix(app).run_escalation()
        await settle(pilot)
        assert titles(app, Q.DO) == ["Report"]
        assert titles(app, Q.ELIMINATE) == ["Someday"]


async def test_list_exports_and_the_matrix_agree_before_the_escalation_is_written(db):
    tomorrow = (local_now() + timedelta(days=1)).date().isoformat()
    seed(db, [task("Waiting to escalate", Q.SCHEDULE, due=tomorrow)])  # no escalation on disk
    (listed,) = json.loads(ok("list", "--json", db=db))
    assert listed["quadrant"] == 1 and listed["urgent"] is True
    assert "Waiting to escalate" in ok("list", "--quadrant", "1", db=db)
    (exported,) = json.loads(ok("export", "--format", "json", db=db))
    assert exported["quadrant"] == 1
    assert "## 1" in ok("export", "--format", "markdown", db=db).split("Waiting to escalate")[0]
    assert on_disk(db, "Waiting to escalate") == Q.SCHEDULE  # list wrote nothing
    app = live_app(db)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert titles(app, Q.DO) == ["Waiting to escalate"]
        assert on_disk(db, "Waiting to escalate") == Q.DO
        note = "\n".join(n.title + " " + n.message for n in app._notifications)
        assert "moved 1 task to urgent" in note and "Waiting to escalate" in note
        await pilot.press("u")  # the escalation at open is one undoable step
        await settle(pilot)
        assert on_disk(db, "Waiting to escalate") == Q.SCHEDULE
        matrix(app).run_escalation()  # and undoing it sticks
        await settle(pilot)
        assert on_disk(db, "Waiting to escalate") == Q.SCHEDULE


async def test_escalations_at_open_are_one_step_naming_how_many_and_which(db):
    tomorrow = (local_now() + timedelta(days=1)).date().isoformat()
    seed(db, [task(f"Close {n} " + "x" * 60, Q.SCHEDULE, due=tomorrow) for n in range(5)])
    app = live_app(db)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert len(titles(app, Q.DO)) == 5
        (note,) = [n for n in app._notifications if "urgent" in n.title]
        assert "moved 5 tasks to urgent" in note.title
        assert "Close 0" in note.message and "…" in note.message
        await pilot.press("u")
        await settle(pilot)
        assert all(t.quadrant == Q.SCHEDULE for t in stored(db).values())


# --- the same changes through the CLI and through the matrix ------------------------------------


def _fields(db: Path) -> dict[str, dict[str, Any]]:
    """Every record by title; stamps compared as set / not set (the two runs differ in time)."""
    records = json.loads(db.read_text())["tasks"].values()
    out = {}
    for record in records:
        record = dict(record)
        record.pop("id")
        record.pop("order", None)
        for name in STAMPS:
            record[name] = record.get(name) is not None
        # The cause of a move names the front end (cli / key) on purpose: compare the moves.
        record["moves"] = [(m["from"], m["to"]) for m in record.get("moves", [])]
        out[record["title"]] = record
    return out


def _start(db: Path) -> list[Task]:
    tomorrow = (local_now() + timedelta(days=1)).date().isoformat()
    return seed(
        db,
        [
            task("Mover", Q.DO, order=1),
            task("Dated", Q.SCHEDULE, order=2),
            task("Finished", Q.DELEGATE, order=3),
            task("Doomed", Q.ELIMINATE, order=4),
            task("Undated", Q.SCHEDULE, due="2026-12-30", order=5),
            task("Close call", Q.DO, due=tomorrow, order=6),
        ],
    )


async def test_the_cli_and_the_matrix_write_the_same_file_for_the_same_changes(tmp_path):
    cli_db, tui_db = tmp_path / "cli.json", tmp_path / "tui.json"
    by_title = {t.title: t.id for t in _start(cli_db)}
    tui_ids = {t.title: t.id for t in _start(tui_db)}

    ok("move", by_title["Mover"], "4", db=cli_db)
    ok("due", by_title["Dated"], "2026-12-24", db=cli_db)
    ok("done", by_title["Finished"], db=cli_db)
    ok("rm", by_title["Doomed"], db=cli_db)
    ok("due", by_title["Undated"], "none", db=cli_db)
    ok("move", by_title["Close call"], "schedule", db=cli_db)
    ok("add", "New one !2 due:2026-12-24 #Work #work @bob", db=cli_db)

    app = live_app(tui_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = matrix(app)

        async def select(title: str) -> None:
            task_id = tui_ids[title]
            quadrant = screen.tasks[task_id].quadrant
            screen.lists[quadrant].focus()
            screen.lists[quadrant].select_id(task_id)
            await pilot.pause()

        await select("Mover")
        await pilot.press("m", "4")
        await select("Dated")
        await pilot.press("d", *"2026-12-24", "enter")
        await select("Finished")
        await pilot.press("x")
        await select("Doomed")
        await pilot.press("delete")
        await select("Undated")
        await pilot.press("D")
        await select("Close call")
        await pilot.press("L")
        await pilot.press("a")
        await pilot.press(*"New one !2 due:2026-12-24 #Work #work @bob", "enter")
        await settle(pilot)

    assert _fields(tui_db) == _fields(cli_db)
    assert _fields(cli_db)["Close call"]["escalated_for"] is not None  # the placement stuck
