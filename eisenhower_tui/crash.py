"""Crash logs: the traceback goes to a private file, never the locals, never the screen.

Textual's own crash report prints every frame's local variables, which showed the user's whole
task list on screen (and in any screen share or terminal scrollback). The apps print one short
line instead and write the traceback, without locals, to a file only the user can read.
"""

from __future__ import annotations

import os
import sys
import traceback
from datetime import datetime
from pathlib import Path

from . import __version__
from .i18n import _
from .model import sanitize_line

APP_NAME = "eisenhower-tui"


def crash_dir() -> Path:
    from platformdirs import user_state_dir

    return Path(user_state_dir(APP_NAME, appauthor=False))


def write_crash_log(error: BaseException, *, now: datetime | None = None) -> Path:
    """Write ``error``'s traceback to a new 0600 file in a 0700 folder; returns its path.

    Raises ``OSError`` when the folder or the file cannot be written.
    """
    folder = crash_dir()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(folder, 0o700)  # mkdir's mode does not apply to a folder that already existed
    now = now or datetime.now()
    stamp = now.strftime("%Y%m%d-%H%M%S")
    python = sys.version.split()[0]
    text = "".join(
        [
            f"{APP_NAME} {__version__} on Python {python}, {sys.platform}\n",
            f"{now.astimezone().isoformat(timespec='seconds')}\n\n",
            *traceback.format_exception(error),  # names, lines and messages only: no locals
        ]
    )
    for attempt in range(100):  # two crashes in the same second get their own files
        path = folder / (f"crash-{stamp}.log" if attempt == 0 else f"crash-{stamp}-{attempt}.log")
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            continue
        with os.fdopen(fd, "w", encoding="utf-8", errors="replace") as handle:
            handle.write(text)
        return path
    raise FileExistsError(folder / f"crash-{stamp}.log")


def crash_message(error: BaseException, log: Path | None) -> str:
    """What the user sees: what happened in one line, then where the details are.

    Only the exception's type is named: its message may quote a task.
    """
    kind = type(error).__name__
    first = _("eisenhower stopped on an unexpected error ({kind}).").format(kind=kind)
    if log is None:
        return first + "\n" + _("The crash log could not be written.")
    where = _("The details are in {path}").format(path=sanitize_line(str(log)))
    return first + "\n" + where
