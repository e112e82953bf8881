"""Regenerate the README screenshots from the demo data: ``python screenshots/generate.py``.

A fixed clock keeps the relative deadlines ("overdue 1d", "today 13:00") the same on every run.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import tempfile
from datetime import datetime
from pathlib import Path

from dateutil import tz

from eisenhower_tui.app import EisenhowerApp
from eisenhower_tui.config import Config
from eisenhower_tui.demo import demo_tasks
from eisenhower_tui.model import Quadrant
from eisenhower_tui.screens.capture import CaptureApp
from eisenhower_tui.store import Store

HERE = Path(__file__).parent
NOW = datetime(2026, 11, 26, 10, 0, tzinfo=tz.gettz("Europe/Paris"))

# (file name, terminal size, keys to press before the shot)
SHOTS: list[tuple[str, tuple[int, int], list[str]]] = [
    ("matrix.svg", (120, 32), []),
    ("add.svg", (120, 32), ["a", *"Renew car insurance due:fri #admin !i"]),
    ("deadline.svg", (120, 32), ["right", "d", *"fri 17:00"]),
    ("help.svg", (120, 40), ["question_mark"]),
    ("zoom.svg", (100, 24), ["2", "z"]),
    ("matrix-80x24.svg", (80, 24), []),
    ("review.svg", (80, 24), ["R"]),  # the weekly review, step 1
]

MANY_TASKS = 300  # a realistic backlog: every pane scrolls


def _many_tasks() -> list:
    """The demo set plus a few hundred undated tasks spread over the four panes."""
    from eisenhower_tui.domain.tasks import new_task

    tasks = demo_tasks(NOW)
    topics = ["Review", "Answer", "File", "Plan", "Check", "Update", "Draft", "Call about"]
    things = ["the budget", "the roadmap", "a supplier", "the rota", "the invoice", "the lease"]
    for n in range(MANY_TASKS):
        title = f"{topics[n % len(topics)]} {things[n % len(things)]} ({n + 1})"
        task = new_task(title, list(Quadrant)[n % 4], tags=[["ops"], ["home"], []][n % 3], now=NOW)
        task.order = 100.0 + n
        tasks.append(task)
    return tasks


def _app(folder: Path, tasks: list | None = None) -> EisenhowerApp:
    store = Store(folder / "tasks.json")
    store.add(*(demo_tasks(NOW) if tasks is None else tasks))
    config = Config(path=folder / "config.toml", escalation_hours=None)
    app = EisenhowerApp(
        store, config=config, clock=lambda: NOW, poll_interval=None, remember_theme=False
    )
    app.animation_level = "none"
    return app


async def _shoot(
    name: str, size: tuple[int, int], keys: list[str], tasks: list | None = None
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        app = _app(Path(folder), tasks)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            for key in keys:
                await pilot.press("space" if key == " " else key)
            await pilot.pause(0.3)
            app.save_screenshot(filename=name, path=str(HERE))
        print(f"wrote screenshots/{name}")


async def _capture_shot() -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "tasks.json")
        config = Config(path=Path(folder) / "config.toml")
        app = CaptureApp(
            store, config=config, default_quadrant=Quadrant.SCHEDULE, clock=lambda: NOW
        )
        async with app.run_test(size=(60, 3)) as pilot:
            for key in "Call Bob about the lease !u due:fri @Bob":
                await pilot.press("space" if key == " " else key)
            await pilot.pause(0.2)
            app.save_screenshot(filename="capture.svg", path=str(HERE))
        print("wrote screenshots/capture.svg")


FRENCH = """
import asyncio, sys
from eisenhower_tui.i18n import set_language
set_language("fr")  # before the UI modules: bindings are translated at import
sys.path.insert(0, sys.argv[1])
import generate
asyncio.run(generate._shoot("matrix-fr.svg", (80, 24), []))
"""


def _french_shot() -> None:
    """The French matrix: a process of its own, since bindings are translated at import."""
    subprocess.run([sys.executable, "-c", FRENCH, str(HERE)], check=True)


async def main() -> None:
    for name, size, keys in SHOTS:
        await _shoot(name, size, keys)
    await _shoot("many-tasks.svg", (100, 30), ["2", "v", "v", "v"], _many_tasks())
    await _capture_shot()
    _french_shot()


if __name__ == "__main__":
    asyncio.run(main())
