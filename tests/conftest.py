"""Shared fixtures: every test runs in its own HOME / XDG folders, in Europe/Paris time."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest
from radicale_server import server  # noqa: F401 - a real CalDAV server, for the sync tests
from tmux_driver import terminal  # noqa: F401 - the tmux fixture, shared by the e2e tests

TEST_TZ = "Europe/Paris"
XDG_VARS = ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME")


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A private HOME and XDG folders, no EISENHOWER_DB / EISENHOWER_CONFIG, TZ=Europe/Paris."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    for var in XDG_VARS:
        folder = home / var.lower()
        folder.mkdir()
        monkeypatch.setenv(var, str(folder))
    monkeypatch.delenv("EISENHOWER_DB", raising=False)
    monkeypatch.delenv("EISENHOWER_CONFIG", raising=False)
    # TZ is restored by hand: monkeypatch undoes its changes only after this fixture ends, too
    # late for the tzset() that must follow.
    old_tz = os.environ.get("TZ")
    os.environ["TZ"] = TEST_TZ
    time.tzset()
    try:
        yield home
    finally:
        if old_tz is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = old_tz
        time.tzset()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """Where a test's task file lives (not created)."""
    return tmp_path / "tasks.json"


def run_cli(
    *args: str,
    db: Path | str | None,
    input: str | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float = 30,
) -> subprocess.CompletedProcess[str]:
    """``python -m eisenhower_tui --db DB ARGS...`` in the (isolated) environment of the test.

    ``db=None`` leaves ``--db`` out, to test ``$EISENHOWER_DB`` and the default path.
    """
    db_option = [] if db is None else ["--db", str(db)]
    full_env = {**os.environ, **(env or {})}
    stdin = {"input": input} if input is not None else {"stdin": subprocess.DEVNULL}
    return subprocess.run(
        [sys.executable, "-m", "eisenhower_tui", *db_option, *args],
        **stdin,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
