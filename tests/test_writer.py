"""The matrix's writer: a burst of keys then `q` saves every change; an exception in a write
becomes a visible "Not saved" and a re-read, never a dead thread."""

from __future__ import annotations

from typing import Any

from tui_helpers import NOW, make_app, matrix, settle, stored, task, titles

from eisenhower_tui.domain.tasks import build_task
from eisenhower_tui.model import Quadrant as Q
from eisenhower_tui.screens.matrix import MatrixScreen
from eisenhower_tui.store import Store
from eisenhower_tui.writer import TaskWriter, WriteReport

SIZE = (100, 30)


def big_file(db: Any, count: int) -> None:
    tasks = [
        build_task(now=NOW, title=f"task {n:05d}", quadrant=Q.DO, order=float(n))
        for n in range(count)
    ]
    Store(db).add(*tasks)


async def test_a_burst_of_done_keys_then_q_saves_every_change(db):
    big_file(db, 10_000)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(300):
            await pilot.press("x")  # marks the row done; the cursor moves on to the next one
        await pilot.press("q")
    assert app.return_code == 0
    records = Store(db).read_records()
    done = [r["title"] for r in records if r.get("done")]
    assert len(done) == 300
    assert sorted(done) == [f"task {n:05d}" for n in range(300)]


class BrokenOnce(TaskWriter):
    """Fails its first write with an unexpected error, as a bug in a write would."""

    broken = True

    def _write(self, batches: list[Any]) -> WriteReport:
        if BrokenOnce.broken:
            BrokenOnce.broken = False
            raise RuntimeError("boom on purpose")
        return super()._write(batches)


async def test_an_exception_in_the_writer_is_shown_and_the_writer_keeps_working(db, monkeypatch):
    monkeypatch.setattr(MatrixScreen, "writer_class", BrokenOnce)
    BrokenOnce.broken = True
    app = make_app(db, [task("first", Q.DO, order=1), task("second", Q.DO, order=2)])
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("x")
        await settle(pilot)
        notes = "\n".join(f"{n.title} {n.message}" for n in app._notifications)
        assert "Not saved" in notes and "boom on purpose" in notes
        assert stored(db)["first"].done is None
        assert titles(app, Q.DO) == ["first", "second"]  # the view shows what the file holds
        assert matrix(app).writer._thread is not None and matrix(app).writer._thread.is_alive()
        chosen = matrix(app).lists[Q.DO].highlighted
        assert chosen is not None
        await pilot.press("x")  # the next change is saved
        await settle(pilot)
        assert stored(db)[chosen.title].done is not None


async def test_q_with_a_write_that_fails_says_so_and_exits_1(db, monkeypatch):
    class AlwaysBroken(TaskWriter):
        def _write(self, batches: list[Any]) -> WriteReport:
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(MatrixScreen, "writer_class", AlwaysBroken)
    app = make_app(db, [task("first", Q.DO)])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("x", "q")
    assert app.return_code == 1
    assert stored(db)["first"].done is None
