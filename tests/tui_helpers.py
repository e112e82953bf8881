"""Shared helpers for the Textual tests: a deterministic app, waiting for writes, the screen."""

from __future__ import annotations

import io
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from clock import NOW
from rich.console import Console
from textual.pilot import Pilot

from eisenhower_tui.app import EisenhowerApp
from eisenhower_tui.config import Config
from eisenhower_tui.demo import demo_tasks
from eisenhower_tui.domain.tasks import new_task
from eisenhower_tui.model import Quadrant, Task
from eisenhower_tui.screens.matrix import MatrixScreen
from eisenhower_tui.store import Store
from eisenhower_tui.widgets.task_list import TaskList

THEME = "textual-dark"

__all__ = [
    "NOW",
    "THEME",
    "make_app",
    "matrix",
    "pane_list",
    "row_text",
    "screen_text",
    "seed",
    "settle",
    "stored",
    "task",
    "titles",
    "wait_for",
]


def task(title: str, quadrant: Quadrant = Quadrant.DO, **kwargs: object) -> Task:
    """A new task stamped at ``NOW`` (``order`` set from ``order=`` to fix the row order)."""
    order = kwargs.pop("order", None)
    made = new_task(title, quadrant, now=NOW, **kwargs)  # type: ignore[arg-type]
    if order is not None:
        made.order = float(order)  # type: ignore[arg-type]
    return made


def seed(db: Path, tasks: Iterable[Task] | None = None) -> list[Task]:
    """Write ``tasks`` (the demo set by default) to ``db``; returns them."""
    tasks = list(demo_tasks(NOW) if tasks is None else tasks)
    if tasks:
        Store(db).add(*tasks)
    return tasks


def make_app(
    db: Path,
    tasks: Iterable[Task] | None = (),
    *,
    poll_interval: float | None = None,
    config: Config | None = None,
) -> EisenhowerApp:
    """A deterministic app over ``db``: fixed clock, fixed theme, no animation, no polling.

    ``tasks=None`` seeds the demo set; the default seeds nothing (the file may already exist).
    """
    if tasks is None or tasks:
        seed(db, tasks)
    app = EisenhowerApp(
        Store(db),
        config=config or Config(path=db.parent / "c.toml", theme=THEME),
        clock=lambda: NOW,
        poll_interval=poll_interval,
        remember_theme=False,
    )
    app.animation_level = "none"
    return app


def matrix(app: EisenhowerApp) -> MatrixScreen:
    screen = app.get_screen("matrix")
    assert isinstance(screen, MatrixScreen)
    return screen


def pane_list(app: EisenhowerApp, quadrant: Quadrant) -> TaskList:
    return matrix(app).query_one(f"#list-{int(quadrant)}", TaskList)


async def settle(pilot: Pilot) -> None:
    """Wait until queued writes reached the file and their callbacks (and reloads) ran."""
    screen = matrix(pilot.app)  # type: ignore[arg-type]
    screen.flush_writes()
    await pilot.pause()  # runs the writer's callback, which may start a reload
    if len(pilot.app.workers):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def stored(db: Path) -> dict[str, Task]:
    """The tasks on disk (tombstones excluded) by title."""
    return {t.title: t for t in Store(db).read().tasks}


def screen_text(app: EisenhowerApp) -> str:
    """The plain text on screen now, modal backgrounds and notifications included."""
    width, height = app.size
    console = Console(
        width=width,
        height=height,
        file=io.StringIO(),
        force_terminal=True,
        color_system="truecolor",
        record=True,
        legacy_windows=False,
        safe_box=False,
    )
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    console.print(update)
    return console.export_text()


async def wait_for(
    pilot: Pilot, predicate: Callable[[], object], timeout: float = 2.0, step: float = 0.02
) -> bool:
    """Let the app run until ``predicate()`` is true; False if ``timeout`` seconds passed."""
    deadline = time.monotonic() + timeout
    while True:
        if predicate():
            return True
        if time.monotonic() > deadline:
            return False
        await pilot.pause(step)


def titles(app: EisenhowerApp, quadrant: Quadrant) -> list[str]:
    """The titles the pane of ``quadrant`` lists, in order."""
    return [t.title for t in pane_list(app, quadrant).tasks]


def row_text(app: EisenhowerApp, quadrant: Quadrant, row: int) -> str:
    """What the pane draws on its ``row``-th visible line."""
    return pane_list(app, quadrant).render_line(row).text
