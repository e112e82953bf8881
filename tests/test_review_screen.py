"""``R``: the weekly review at 80x24, step by step on the demo data, then the summary.

The keys act through the matrix's own actions: the tests check the file after each one and that
one ``u`` takes it back.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from textual.widgets import Static
from tui_helpers import make_app, settle, stored

from eisenhower_tui.config import Config
from eisenhower_tui.dates import local_now
from eisenhower_tui.domain.tasks import new_task
from eisenhower_tui.model import Quadrant
from eisenhower_tui.screens.dialogs import ConfirmScreen, DeadlineScreen, LineScreen
from eisenhower_tui.screens.matrix import MatrixScreen
from eisenhower_tui.screens.review import ReviewScreen
from eisenhower_tui.store import Store
from eisenhower_tui.widgets.task_list import TaskList

Q = Quadrant
SIZE = (80, 24)
STEP_TITLES = [
    "Overdue and escalated",
    "Delegated, past the follow-up",
    "Schedule without a deadline",
    "Eliminate older than 30 days",
    "Back from waiting",
]


def text_of(app) -> str:
    return "\n".join(str(widget.render()) for widget in app.screen.query(Static))


def listed(app) -> list[str]:
    return [t.title for t in app.screen.query_one("#review-list", TaskList).tasks]


async def type_text(pilot, text: str) -> None:
    for char in text:
        await pilot.press("space" if char == " " else char)
    await pilot.pause()


async def test_R_walks_five_steps_on_the_demo_each_with_a_task_then_the_summary(db):
    app = make_app(db, None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("R")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        for number, title in enumerate(STEP_TITLES, start=1):
            text = text_of(app)
            assert f"step {number} of 5: {title}" in text
            assert listed(app), title  # the demo has a task for every step
            await pilot.press("n")
            await pilot.pause()
        text = text_of(app)
        assert "Weekly review: Summary" in text
        assert "Done this week (since 2026-11-23): 2" in text
        assert "From Schedule (planned work): 50%" in text
        assert "Last 12 weeks: ·█··▅·█▁▅█▅▅" in text
        await pilot.press("p")
        await pilot.pause()
        assert "step 5 of 5" in text_of(app)
        # The whole screen fits 80x24: the footer's way out is on it.
        keys = app.screen.query_one("#review-keys")
        assert keys.region.bottom <= SIZE[1]
        assert "Leave" in str(keys.render())


async def test_x_in_the_review_completes_the_task_there_and_u_takes_it_back(db):
    app = make_app(db, None)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("R")
        await pilot.pause()
        assert listed(app)[0] == "Submit the quarterly VAT return"
        await pilot.press("x")
        await settle(pilot)
        vat = [t for t in Store(db).read().tasks if t.title == "Submit the quarterly VAT return"]
        assert sorted(t.done is not None for t in vat) == [False, True]  # the next one made
        assert "Submit the quarterly VAT return" not in listed(app)
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("u")
        await settle(pilot)
        [back] = [t for t in Store(db).read().tasks if t.title.startswith("Submit the quarterly")]
        assert back.done is None
        assert listed(app)[0] == "Submit the quarterly VAT return"


async def test_d_in_step_three_gives_a_deadline_and_the_task_leaves_the_step(db):
    app = make_app(db, None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("R", "n", "n")
        await pilot.pause()
        first = listed(app)[0]
        await pilot.press("d")
        assert isinstance(app.screen, DeadlineScreen)
        await type_text(pilot, "fri")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert stored(db)[first].due == "2026-11-27"
        assert first not in listed(app)


async def test_f_in_step_two_checks_in_and_A_abandons_with_a_reason(db):
    app = make_app(db, None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("R", "n")
        await pilot.pause()
        assert listed(app) == ["Reply to the conference organisers"]
        await pilot.press("f")
        assert isinstance(app.screen, LineScreen)
        await type_text(pilot, "on it")
        await pilot.press("enter")
        await settle(pilot)
        saved = stored(db)["Reply to the conference organisers"]
        assert saved.notes.endswith("checked in with Alice: on it")
        assert listed(app) == []  # the follow-up moved on: no longer past it
        assert "Nothing here this week" in text_of(app)
        await pilot.press("n", "n")  # step 4: the stale Eliminate tasks
        await pilot.pause()
        stale = listed(app)[0]
        await pilot.press("A")
        await type_text(pilot, "never mind")
        await pilot.press("enter")
        await settle(pilot)
        assert stored(db)[stale].abandon_reason == "never mind"
        assert stale not in listed(app)


async def test_s_in_step_four_sweeps_after_a_confirm_that_says_how_many(db):
    app = make_app(db, None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("R", "s")  # not on step 1: s does nothing there
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("n", "n", "n", "s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "Abandon 2 Eliminate tasks older than 30 days?" in text_of(app)
        await pilot.press("y")
        await settle(pilot)
        assert listed(app) == []
        abandoned = [t.title for t in Store(db).read().tasks if t.abandoned]
        assert sorted(abandoned) == ["Reorganise the bookmarks bar", "Sort the old photo backups"]
        await pilot.press("u")  # one step
        await settle(pilot)
        assert not [t for t in Store(db).read().tasks if t.abandoned]
        assert len(listed(app)) == 2


async def test_leaving_and_pressing_R_again_resumes_at_the_same_step_and_task(db):
    app = make_app(db, None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("R", "n", "n", "j")
        await pilot.pause()
        chosen = listed(app)[1]
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MatrixScreen)
        await pilot.press("R")
        await pilot.pause()
        assert "step 3 of 5" in text_of(app)
        task_list = app.screen.query_one("#review-list", TaskList)
        assert task_list.highlighted is not None and task_list.highlighted.title == chosen


def _done_this_week_and_before(now) -> list:
    tasks = []
    for title, quadrant, days in (
        ("planned", Q.SCHEDULE, 0),
        ("fire", Q.DO, 0),
        ("fire two", Q.DO, 0),
        ("older plan", Q.SCHEDULE, 14),
        ("old fire", Q.DO, 35),
    ):
        moment = now - timedelta(days=days)
        task = new_task(title, quadrant, now=moment)
        task.done = moment.isoformat(timespec="seconds")
        tasks.append(task)
    return tasks


async def test_the_summary_shows_the_figures_eisenhower_stats_prints(db):
    """Both read the real clock here (the CLI has no other), on the same file."""
    now = local_now()
    Store(db).add(*_done_this_week_and_before(now))
    app = make_app(db)
    app.clock = local_now
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("R", "n", "n", "n", "n", "n")
        await pilot.pause()
        summary = str(app.screen.query_one("#review-summary", Static).render())
    env = {**os.environ, "LANG": "C.UTF-8", "LANGUAGE": ""}
    result = subprocess.run(
        [sys.executable, "-m", "eisenhower_tui", "--db", str(db), "stats"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert summary.splitlines() == result.stdout.splitlines()
    assert "From Schedule (planned work): 33%" in summary  # 1 of the 3 done this week


FRENCH_REVIEW = r"""
import sys
from eisenhower_tui.i18n import set_language

set_language("fr")
sys.path.insert(0, sys.argv[2])
import asyncio  # noqa: E402
from pathlib import Path  # noqa: E402

from textual.widgets import Static  # noqa: E402
from tui_helpers import make_app  # noqa: E402


async def main() -> None:
    app = make_app(Path(sys.argv[1]), None)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("R")
        for _step in range(6):
            await pilot.pause()
            keys = app.screen.query_one("#review-keys")
            assert keys.region.bottom <= 24
            print(str(keys.render()))
            print("\n".join(str(w.render()) for w in app.screen.query(Static)))
            await pilot.press("n")


asyncio.run(main())
"""


def test_the_review_walks_in_french_at_80x24(db: Path) -> None:
    tests = Path(__file__).parent
    result = subprocess.run(
        [sys.executable, "-c", FRENCH_REVIEW, str(db), str(tests)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Revue de la semaine · étape 1 sur 5" in out
    assert "Étapes" in out and "f faire le point" in out
    assert "Fait cette semaine" in out
    assert "Sortir" in out
    assert "Weekly review" not in out and "Leave" not in out


def test_config_keeps_review_keys_out_of_the_matrix_key_table() -> None:
    """The review's acting keys reuse the matrix's ids (a remap moves both); its own keys
    (next, back, leave, sweep) are not matrix actions."""
    from eisenhower_tui.config import KEY_ACTIONS

    for binding in ReviewScreen.BINDINGS:
        assert binding.id is not None
        if binding.id.startswith("review-"):
            assert binding.id not in KEY_ACTIONS
        else:
            assert KEY_ACTIONS[binding.id].split(",")[0] == binding.key.split(",")[0]


async def test_a_config_without_sweep_candidates_says_step_four_is_clear(db):
    config = Config(path=db.parent / "c.toml", theme="textual-dark", sweep_days=365)
    app = make_app(db, None, config=config)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("R", "n", "n", "n")
        await pilot.pause()
        assert "Eliminate older than 365 days" in text_of(app)
        assert listed(app) == []
        assert "Nothing here this week" in text_of(app)
