"""A crash shows no data: one translated line and the path of a private log, exit code 1.

Textual's own report prints every frame's locals, which put the task list on screen. Each app is
run for real in a pseudo-terminal, with a key bound to an action that reads the tasks into a
local and raises; the test reads what the terminal shows after the app has left the screen.
"""

from __future__ import annotations

import os
import re
import stat
import sys
from pathlib import Path

import pytest
from test_paste_pty import Terminal

from eisenhower_tui.domain.tasks import new_task
from eisenhower_tui.model import Quadrant
from eisenhower_tui.store import Store

SECRET = "Zanzibar ferry for Mireille"
LEAVE_ALT_SCREEN = b"\x1b[?1049l"

# The real CLI, with the app class swapped for one whose F9 crashes while holding the tasks.
CRASHING_CLI = r"""
import sys
from pathlib import Path

from textual.binding import Binding
from eisenhower_tui import cli
from eisenhower_tui.store import Store

db, kind = sys.argv[1], sys.argv[2]
if kind == "capture":
    from eisenhower_tui.screens import capture as module
    base = module.CaptureApp
else:
    from eisenhower_tui import app as module
    base = module.EisenhowerApp


class Crashing(base):
    BINDINGS = [Binding("f9", "crash")]
    if base.CSS_PATH:  # Textual finds a relative stylesheet beside the class's own file
        CSS_PATH = Path(module.__file__).parent / base.CSS_PATH

    def action_crash(self) -> None:
        titles = [task.title for task in Store(db).read().tasks]  # user data in a local
        raise RuntimeError(f"crashed holding {len(titles)} tasks")


setattr(module, base.__name__, Crashing)
sys.exit(cli.main(["--db", db, *(["capture"] if kind == "capture" else [])]))
"""

# kind: (LANG, text showing the app is drawn, the one line, the words before the path, size)
CASES = {
    "matrix": (
        "C.UTF-8",
        SECRET,
        "eisenhower stopped on an unexpected error (RuntimeError).",
        "The details are in ",
        (100, 30),
    ),
    "capture": (
        "fr_FR.UTF-8",
        "!1-!4",
        "eisenhower s'est arrêté sur une erreur inattendue (RuntimeError).",
        "Les détails sont dans ",
        (60, 5),  # the popup's size: the path must still come out whole
    ),
}


@pytest.mark.parametrize("kind", list(CASES))
def test_a_crash_prints_one_line_and_a_private_log_path_never_the_tasks(
    kind: str, db: Path, tmp_path: Path
) -> None:
    lang, drawn, what_happened, where, (cols, rows) = CASES[kind]
    Store(db).add(new_task(SECRET, Quadrant.DO))
    script = tmp_path / "crashing_cli.py"
    script.write_text(CRASHING_CLI)
    terminal = Terminal(
        [sys.executable, str(script), str(db), kind], cols=cols, rows=rows, env={"LANG": lang}
    )
    try:
        terminal.wait_for_text(drawn)
        terminal.write(b"\x1b[20~")  # F9
        assert terminal.wait_for_exit() == 1
    finally:
        terminal.close()

    printed = terminal.output.rpartition(LEAVE_ALT_SCREEN)[2].decode("utf-8", "replace")
    assert SECRET not in printed
    assert "titles" not in printed  # no locals, not even their names
    assert what_happened in printed
    match = re.search(re.escape(where) + r"(\S+)", printed)
    assert match, printed
    log = Path(match.group(1))
    state_dir = Path(os.environ["XDG_STATE_HOME"]) / "eisenhower-tui"
    assert log.parent == state_dir
    assert re.fullmatch(r"crash-\d{8}-\d{6}\.log", log.name)
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    assert stat.S_IMODE(state_dir.stat().st_mode) == 0o700
    logged = log.read_text()
    assert "RuntimeError: crashed holding 1 tasks" in logged
    assert "action_crash" in logged
    assert SECRET not in logged


async def test_an_error_under_pilot_is_still_raised_to_the_test_and_logged(db: Path) -> None:
    from textual.binding import Binding

    from eisenhower_tui.config import Config
    from eisenhower_tui.screens.capture import CaptureApp

    class Crashing(CaptureApp):
        BINDINGS = [Binding("f9", "crash")]

        def action_crash(self) -> None:
            raise RuntimeError("crashed under pilot")

    app = Crashing(Store(db), config=Config(path=db.parent / "c.toml"))
    with pytest.raises(RuntimeError, match="crashed under pilot"):
        async with app.run_test() as pilot:
            await pilot.press("f9")
            await pilot.pause()
    assert app.return_code == 1
    assert app.crash_log is not None
    assert stat.S_IMODE(app.crash_log.stat().st_mode) == 0o600
    assert "RuntimeError: crashed under pilot" in app.crash_log.read_text()
