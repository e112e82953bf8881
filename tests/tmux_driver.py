"""The one tmux driver of the tests: a private tmux server, windows of a given size running a
command, keys in, the screen out, and the command's exit code.

Used by the end-to-end tests (test_e2e_tmux, test_capture, test_safety); the benchmarks have their
own control-mode client (bench/tmuxctl.py), which times screen changes rather than waiting for them.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

needs_tmux = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is installed by CI")


def eisenhower() -> list[str]:
    """The installed console script, else the module with this interpreter."""
    found = shutil.which("eisenhower")
    return [found] if found else [sys.executable, "-m", "eisenhower_tui"]


def private_env(home: Path) -> dict[str, str]:
    """An environment whose data, config and state folders are inside ``home``."""
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
        TERM="xterm-256color",
    )
    for name in ("EISENHOWER_DB", "EISENHOWER_CONFIG", "TMUX", "TMUX_PANE", "NO_COLOR"):
        env.pop(name, None)
    return env


class Terminal:
    """One tmux server on a private socket; each session is one window running one command."""

    def __init__(self, env: dict[str, str], folder: Path) -> None:
        self.socket = f"eisenhower-test-{uuid.uuid4().hex[:12]}"
        self.env = env
        self.folder = folder
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

    def rc_file(self, session: str) -> Path:
        return self.folder / f"{session}.rc"

    def start(self, argv: list[str], *, session: str = "main", size: tuple[int, int]) -> None:
        """Run ``argv`` in a new ``size`` window; its exit code goes to :meth:`rc_file`."""
        script = f"{shlex.join(argv)}; echo $? > {shlex.quote(str(self.rc_file(session)))}"
        width, height = size
        self.tmux(
            "-f", "/dev/null", "new-session", "-d", "-s", session,
            "-x", str(width), "-y", str(height), "sh", "-c", script,
        )  # fmt: skip
        if self.socket_path is None:
            found = self.tmux("display-message", "-p", "#{socket_path}", check=False)
            self.socket_path = found.stdout.strip() or None

    def size(self, session: str = "main") -> str:
        shown = self.tmux(
            "display-message", "-p", "-t", session, "#{window_width}x#{window_height}"
        )
        return shown.stdout.strip()

    def screen(self, session: str = "main") -> str:
        return self.tmux("capture-pane", "-p", "-t", session, check=False).stdout

    def send(self, *keys: str, session: str = "main") -> None:
        self.tmux("send-keys", "-t", session, *keys)

    def type(self, text: str, session: str = "main") -> None:
        self.tmux("send-keys", "-t", session, "-l", text)

    def wait_for(
        self, check: Callable[[str], bool] | str, timeout: float = 10.0, session: str = "main"
    ) -> str:
        """Poll the screen until ``check`` holds (a string: appears); fail with the screen."""
        test = (lambda text: check in text) if isinstance(check, str) else check
        deadline = time.monotonic() + timeout
        while True:
            text = self.screen(session)
            if test(text):
                return text
            if time.monotonic() > deadline:
                pytest.fail(f"timed out waiting for {check!r}; the screen shows:\n{text}")
            time.sleep(0.05)

    def wait_for_exit(self, session: str = "main", timeout: float = 10.0) -> int:
        rc = self.rc_file(session)
        deadline = time.monotonic() + timeout
        while not rc.exists() or not rc.read_text().strip():
            if time.monotonic() > deadline:
                pytest.fail(f"the command did not exit; the screen shows:\n{self.screen(session)}")
            time.sleep(0.05)
        return int(rc.read_text())

    def kill(self) -> None:
        self.tmux("kill-server", check=False)
        if self.socket_path:  # tmux leaves the socket file behind
            Path(self.socket_path).unlink(missing_ok=True)


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    home = tmp_path / "e2e-home"
    home.mkdir()
    term = Terminal(private_env(home), tmp_path)
    try:
        yield term
    finally:
        term.kill()
