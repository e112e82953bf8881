"""The installed ``eisenhower`` command in a real terminal (tmux): keys in, screen and file out."""

from __future__ import annotations

import shutil
import subprocess
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from dateutil import tz
from tmux_driver import Terminal, eisenhower

from eisenhower_tui.model import Quadrant
from eisenhower_tui.store import Store

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

WIDTH, HEIGHT = 120, 40


def start_matrix(terminal: Terminal, db: Path) -> None:
    terminal.start([*eisenhower(), "--db", str(db)], size=(WIDTH, HEIGHT))
    # The first frame may be captured half drawn: wait for the last pane too.
    terminal.wait_for(lambda s: "1 Do first" in s and "4 Eliminate" in s, timeout=15)
    assert terminal.size() == f"{WIDTH}x{HEIGHT}"


def test_add_set_deadline_move_and_quit(terminal, tmp_path):
    db = tmp_path / "tasks.json"
    start_matrix(terminal, db)
    terminal.wait_for(lambda s: "1 Do first (0)" in s and "2 Schedule (0)" in s)

    terminal.send("a")
    terminal.wait_for("New task")
    terminal.type("Water the plants e2e")
    terminal.wait_for("→ 1 Do first (this pane)")
    terminal.send("Enter")
    terminal.wait_for(lambda s: "1 Do first (1)" in s and "Water the plants e2e" in s)

    terminal.send("d")
    terminal.wait_for("Deadline")
    terminal.type("tomorrow")
    terminal.wait_for("- tomorrow")
    terminal.send("Enter")
    terminal.wait_for(lambda s: "Deadline" not in s and "tomorrow" in s)

    terminal.send("L")
    terminal.wait_for(lambda s: "2 Schedule (1)" in s and "1 Do first (0)" in s)
    terminal.send("q")
    assert terminal.wait_for_exit() == 0

    (task,) = Store(db).read().tasks
    assert task.title == "Water the plants e2e"
    assert task.quadrant == Quadrant.SCHEDULE
    now = datetime.now(tz.gettz("Europe/Paris"))
    # Tolerate the test running across midnight.
    assert task.due in {(now + timedelta(days=d)).date().isoformat() for d in (0, 1)}


def test_a_task_added_from_another_terminal_shows_up(terminal, tmp_path):
    db = tmp_path / "tasks.json"
    start_matrix(terminal, db)
    result = subprocess.run(
        [*eisenhower(), "--db", str(db), "add", "From outside !3"],
        env=terminal.env,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    added = time.monotonic()
    screen = terminal.wait_for("From outside", timeout=1.5)
    assert time.monotonic() - added < 1.5
    assert "3 Delegate (1)" in screen
    terminal.send("q")
    assert terminal.wait_for_exit() == 0
