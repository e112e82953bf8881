"""The installed ``eisenhower`` command in a real terminal (tmux): keys in, screen and file out."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from dateutil import tz

from eisenhower_tui.model import Quadrant
from eisenhower_tui.store import Store

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

WIDTH, HEIGHT = 120, 40


def eisenhower() -> list[str]:
    """The installed console script, else the module with this interpreter."""
    found = shutil.which("eisenhower")
    return [found] if found else [sys.executable, "-m", "eisenhower_tui"]


def private_env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        HOME=str(home),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_STATE_HOME=str(home / "state"),
        XDG_CACHE_HOME=str(home / "cache"),
        TZ="Europe/Paris",
        LANG="C.UTF-8",
        LC_ALL="C.UTF-8",
    )
    for name in ("EISENHOWER_DB", "EISENHOWER_CONFIG", "TMUX", "TMUX_PANE", "NO_COLOR"):
        env.pop(name, None)
    return env


class Terminal:
    """One tmux server on a private socket, one 120x40 window running one command."""

    def __init__(self, env: dict[str, str], rc_file: Path) -> None:
        self.socket = f"eisenhower-test-{uuid.uuid4().hex[:12]}"
        self.env = env
        self.rc_file = rc_file
        self.socket_path: str | None = None

    def tmux(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["tmux", "-L", self.socket, *args],
            env=self.env,
            capture_output=True,
            text=True,
            check=check,
            timeout=15,
        )

    def start(self, argv: list[str]) -> None:
        # The exit code goes to a file: the window closes when the command ends.
        script = f"{shlex.join(argv)}; echo $? > {shlex.quote(str(self.rc_file))}"
        size = ["-x", str(WIDTH), "-y", str(HEIGHT)]
        self.tmux("-f", "/dev/null", "new-session", "-d", "-s", "main", *size, "sh", "-c", script)
        found = self.tmux("display-message", "-p", "#{socket_path}", check=False)
        self.socket_path = found.stdout.strip() or None

    def screen(self) -> str:
        result = self.tmux("capture-pane", "-p", "-t", "main", check=False)
        return result.stdout

    def send(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", "main", *keys)

    def type(self, text: str) -> None:
        self.tmux("send-keys", "-t", "main", "-l", text)

    def wait_for(self, check: Callable[[str], bool] | str, timeout: float = 10.0) -> str:
        """Poll the screen until ``check`` holds (a string: appears); fail with the screen."""
        test = (lambda text: check in text) if isinstance(check, str) else check
        deadline = time.monotonic() + timeout
        while True:
            text = self.screen()
            if test(text):
                return text
            if time.monotonic() > deadline:
                pytest.fail(f"timed out waiting for {check!r}; the screen shows:\n{text}")
            time.sleep(0.05)

    def wait_for_exit(self, timeout: float = 10.0) -> int:
        deadline = time.monotonic() + timeout
        while not self.rc_file.exists() or not self.rc_file.read_text().strip():
            if time.monotonic() > deadline:
                pytest.fail(f"the app did not exit; the screen shows:\n{self.screen()}")
            time.sleep(0.05)
        return int(self.rc_file.read_text())

    def kill(self) -> None:
        self.tmux("kill-server", check=False)
        if self.socket_path:  # tmux leaves the socket file behind
            Path(self.socket_path).unlink(missing_ok=True)


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    home = tmp_path / "e2e-home"
    home.mkdir()
    term = Terminal(private_env(home), tmp_path / "rc")
    try:
        yield term
    finally:
        term.kill()


def start_matrix(terminal: Terminal, db: Path) -> None:
    terminal.start([*eisenhower(), "--db", str(db)])
    # The first frame may be captured half drawn: wait for the last pane too.
    terminal.wait_for(lambda s: "1 Do first" in s and "4 Eliminate" in s, timeout=15)
    size = terminal.tmux("display-message", "-p", "-t", "main", "#{window_width}x#{window_height}")
    assert size.stdout.strip() == f"{WIDTH}x{HEIGHT}"


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
