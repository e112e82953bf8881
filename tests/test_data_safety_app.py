"""The matrix and its file: conflict copies, bad writes, a file replaced underneath."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest

from eisenhower_tui import files as files_module
from eisenhower_tui.model import Quadrant
from eisenhower_tui.store import Store
from tests.tui_helpers import make_app, matrix, screen_text, settle, stored, task, titles, wait_for


def _conflict_copy(db: Path, extra_title: str) -> Path:
    """What Syncthing leaves: the same file with one more task written on another machine."""
    data = json.loads(db.read_text())
    other = task(extra_title, Quadrant.DELEGATE).to_record()
    data["tasks"][str(len(data["tasks"]) + 1)] = other
    copy = db.with_name("tasks.sync-conflict-20261126-101010-ABCDEFG.json")
    copy.write_text(json.dumps(data))
    return copy


async def test_the_matrix_offers_to_merge_a_conflict_copy(db: Path) -> None:
    app = make_app(db, [task("Mine", Quadrant.DO)])
    copy = _conflict_copy(db, "Written on the laptop")
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.pause()
        assert "Sync conflict copies found" in screen_text(app)
        offered = " ".join(n.message for n in app._notifications)  # the toast wraps long names
        assert copy.name in offered
        await pilot.press("M")
        await pilot.pause()
        await pilot.press("y")
        assert await wait_for(
            pilot, lambda: "Written on the laptop" in titles(app, Quadrant.DELEGATE)
        )
        await settle(pilot)
    assert set(stored(db)) == {"Mine", "Written on the laptop"}
    assert copy.exists(), "the copy is the user's to delete"


async def test_a_merge_in_the_matrix_is_one_undoable_step(db: Path) -> None:
    app = make_app(db, [task("Mine", Quadrant.DO)])
    copy = _conflict_copy(db, "Written on the laptop")
    data = json.loads(copy.read_text())
    for record in data["tasks"].values():  # and a newer edit of ours made on the laptop
        if record["title"] == "Mine":
            record.update(title="Mine, edited on the laptop", updated="2026-11-27T09:00:00+00:00")
    copy.write_text(json.dumps(data))
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.press("M")
        await pilot.pause()
        await pilot.press("y")
        assert await wait_for(
            pilot, lambda: "Written on the laptop" in titles(app, Quadrant.DELEGATE)
        )
        await settle(pilot)
        assert set(stored(db)) == {"Mine, edited on the laptop", "Written on the laptop"}
        await pilot.press("u")
        await settle(pilot)
        assert set(stored(db)) == {"Mine"}
        assert titles(app, Quadrant.DELEGATE) == []


@pytest.mark.parametrize("failure", ["read-only", "disk full"])
async def test_a_failed_write_is_shown_and_the_view_returns_to_the_file(
    db: Path, monkeypatch: pytest.MonkeyPatch, failure: str
) -> None:
    app = make_app(db, [task("Keep me", Quadrant.DO)])
    before = db.read_bytes()
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.pause()
        code = errno.EROFS if failure == "read-only" else errno.ENOSPC

        def refuse(*args: object, **kwargs: object) -> None:
            raise OSError(code, os.strerror(code))

        monkeypatch.setattr(files_module.tempfile, "mkstemp", refuse)
        await pilot.press("x")  # mark done: the screen changes at once...
        await settle(pilot)
        # ...but the write failed: the user is told, and the view shows the file again.
        text = screen_text(app)
        assert "Not saved" in text
        assert ("disk is full" in text) if failure == "disk full" else ("read-only" in text.lower())
        assert titles(app, Quadrant.DO) == ["Keep me"]
    assert db.read_bytes() == before


async def test_a_file_replaced_underneath_shows_within_a_second_and_is_kept(db: Path) -> None:
    app = make_app(db, [task("Original", Quadrant.DO)], poll_interval=0.2)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.pause()
        # Another tool writes a whole new version elsewhere and renames it over ours.
        other = Store(db.with_name("elsewhere.json"))
        other.add(*Store(db).read().tasks, task("From the sync tool", Quadrant.SCHEDULE))
        os.replace(other.path, db)
        assert await wait_for(
            pilot, lambda: "From the sync tool" in titles(app, Quadrant.SCHEDULE), timeout=1.0
        )
        # Our next write keeps their change.
        await pilot.press("x")
        await settle(pilot)
    on_disk = stored(db)
    assert on_disk["Original"].done is not None
    assert "From the sync tool" in on_disk


async def test_a_corrupted_file_is_reported_and_not_overwritten(db: Path) -> None:
    app = make_app(db, [task("Safe", Quadrant.DO)], poll_interval=0.2)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.pause()
        db.write_text('{"tasks": {"1": ')  # truncated by some other program
        corrupt = db.read_bytes()
        assert await wait_for(pilot, lambda: "Cannot read" in screen_text(app), timeout=1.5)
        await pilot.press("x")
        await settle(pilot)
        assert "Safe" in titles(app, Quadrant.DO)  # still showing the last good state
        assert matrix(app).tasks
    assert db.read_bytes() == corrupt


async def test_a_deleted_task_file_is_said_and_the_matrix_keeps_showing_its_tasks(db: Path) -> None:
    app = make_app(db, [task("Still here", Quadrant.DO)], poll_interval=0.05)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.pause()
        moved = db.with_name("elsewhere.json")
        db.rename(moved)
        assert await wait_for(pilot, lambda: "gone" in screen_text(app), timeout=3)
        assert titles(app, Quadrant.DO) == ["Still here"]
        notes = [n for n in app._notifications if "gone" in n.message]
        await pilot.pause(0.3)
        assert len([n for n in app._notifications if "gone" in n.message]) == len(notes) == 1
        moved.rename(db)  # back again: read as usual
        Store(db).add(task("Added while away", Quadrant.DO))
        assert await wait_for(pilot, lambda: "Added while away" in titles(app, Quadrant.DO))
