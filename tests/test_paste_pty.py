"""A paste is text, never keys: the real apps in a real pseudo-terminal, fed raw bytes.

Pilot cannot show this bug: it posts ``Paste`` events, while the bug lived in Textual's parser of
the bytes a terminal sends. So these tests start ``python -m eisenhower_tui`` on a pty of a set
size, write what a terminal writes for a paste, and read what the app draws and saves.
"""

from __future__ import annotations

import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual import events

from eisenhower_tui.domain.tasks import new_task
from eisenhower_tui.model import Quadrant, Task
from eisenhower_tui.paste_guard import PASTE_IDLE_TIMEOUT, PASTE_MAX_CHARS, CleanPasteParser
from eisenhower_tui.store import Store

PASTE_START = b"\x1b[200~"
PASTE_END = b"\x1b[201~"
# What Textual 8.2's parser read as keys inside a paste: ESC + CR (Enter), SS3 and CSI arrows,
# a CSI function key, and the letters after them (x: mark done, q: quit).
HOSTILE_LINE = b"Buy \x1b[Bmilk\x1b[13~ fast\x1b\rx\x1bOBx\x1b[A\x1b\rq"
HOSTILE_PASTE = PASTE_START + HOSTILE_LINE + PASTE_END
CLEAN_LINE = "Buy milk fast"  # the first line of the cleaned paste; a one-line box keeps that
TIMEOUT = 30.0  # generous: the machine is shared; every wait ends as soon as its condition holds
_SEQUENCE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()=>][0-9A-Za-z]?"
)


class Terminal:
    """A child process on a pseudo-terminal of ``cols`` x ``rows``, and everything it wrote."""

    def __init__(
        self, args: list[str], *, cols: int, rows: int, env: dict[str, str] | None = None
    ) -> None:
        master, slave = os.openpty()
        # The size is set before the child starts, so its first frame already has it.
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        full_env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
        for var in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
            full_env.pop(var, None)
        full_env |= {"TERM": "xterm-256color", "TEXTUAL_ANIMATIONS": "none", "LANG": "C.UTF-8"}
        full_env |= env or {}
        self.proc = subprocess.Popen(
            args, stdin=slave, stdout=slave, stderr=slave, env=full_env, start_new_session=True
        )
        os.close(slave)
        self.fd = master
        self.output = b""

    def _read(self, wait: float) -> None:
        ready, _, _ = select.select([self.fd], [], [], wait)
        if ready:
            try:
                self.output += os.read(self.fd, 65536)
            except OSError:  # EIO: the child closed the terminal
                pass

    def text(self, since: int = 0) -> str:
        """What was drawn after byte ``since``, escape sequences removed (rows run together)."""
        return _SEQUENCE.sub("", self.output[since:].decode("utf-8", "replace"))

    def wait_for_text(self, text: str, since: int = 0) -> None:
        deadline = time.monotonic() + TIMEOUT
        while text not in self.text(since):
            if self.proc.poll() is not None:
                self._read(0)
                if text in self.text(since):
                    return
                pytest.fail(
                    f"exited {self.proc.returncode} before showing {text!r}: {self._tail()}"
                )
            if time.monotonic() > deadline:
                pytest.fail(f"{text!r} never shown: {self._tail()}")
            self._read(0.05)

    def wait_for_exit(self) -> int:
        deadline = time.monotonic() + TIMEOUT
        while self.proc.poll() is None:
            if time.monotonic() > deadline:
                pytest.fail(f"still running: {self._tail()}")
            self._read(0.05)
        self._read(0)
        return self.proc.returncode

    def write(self, data: bytes) -> int:
        """Send ``data`` as typed or pasted; returns the output position before it, for waits."""
        mark = len(self.output)
        os.write(self.fd, data)
        return mark

    def assert_running(self) -> None:
        assert self.proc.poll() is None, f"exited {self.proc.returncode}: {self._tail()}"

    def _tail(self) -> str:
        return repr(self.text()[-800:])

    def close(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()
        os.close(self.fd)


@pytest.fixture
def terminals() -> Iterator[list[Terminal]]:
    started: list[Terminal] = []
    yield started
    for terminal in started:
        terminal.close()


def start(terminals: list[Terminal], *args: str, cols: int, rows: int) -> Terminal:
    terminal = Terminal([sys.executable, "-m", "eisenhower_tui", *args], cols=cols, rows=rows)
    terminals.append(terminal)
    return terminal


def tasks_on_disk(db: Path) -> list[Task]:
    return list(Store(db).read().tasks)


def test_a_paste_full_of_key_sequences_into_capture_is_typed_text_and_saves_only_on_enter(
    db: Path, terminals: list[Terminal]
) -> None:
    capture = start(terminals, "--db", str(db), "capture", cols=60, rows=5)
    capture.wait_for_text("enter: save")
    mark = capture.write(HOSTILE_PASTE)
    # Z typed after the paste shows its text has all arrived; had the paste held an Enter or an
    # Escape, the popup would have closed before drawing Z.
    capture.write(b"Z")
    capture.wait_for_text(CLEAN_LINE + "Z", since=mark)
    capture.assert_running()
    assert not db.exists() or tasks_on_disk(db) == []

    capture.write(b"\r")
    assert capture.wait_for_exit() == 0
    assert [t.title for t in tasks_on_disk(db)] == [CLEAN_LINE + "Z"]


def test_a_paste_full_of_key_sequences_into_the_add_box_adds_marks_and_quits_nothing(
    db: Path, terminals: list[Terminal]
) -> None:
    Store(db).add(new_task("Seeded errand", Quadrant.DO))
    app = start(terminals, "--db", str(db), cols=100, rows=30)
    app.wait_for_text("Seeded errand")
    mark = app.write(b"a")
    app.wait_for_text("Title  !1-!4", since=mark)  # the add box's placeholder
    mark = app.write(HOSTILE_PASTE)
    app.write(b"Z")
    app.wait_for_text(CLEAN_LINE + "Z", since=mark)
    app.assert_running()
    [seeded] = tasks_on_disk(db)
    assert (seeded.title, seeded.done) == ("Seeded errand", None)

    # Escape closes the box and nothing is saved; q (typed once the matrix is back) quits.
    mark = app.write(b"\x1b")
    app.wait_for_text("3 Delegate (0)", since=mark)  # the pane title the box covered
    app.write(b"q")
    assert app.wait_for_exit() == 0
    [seeded] = tasks_on_disk(db)
    assert (seeded.title, seeded.done) == ("Seeded errand", None)


def test_a_paste_that_never_ends_gives_the_keyboard_back(
    db: Path, terminals: list[Terminal]
) -> None:
    capture = start(terminals, "--db", str(db), "capture", cols=60, rows=5)
    capture.wait_for_text("enter: save")
    mark = capture.write(PASTE_START + b"Call \x1b\rBob")  # the closing marker is lost
    capture.wait_for_text("Call", since=mark)  # delivered as a paste once the input goes quiet
    mark = capture.write(b"today")  # typed: the box holds "Call " from the paste's first line
    capture.wait_for_text("Call today", since=mark)
    capture.write(b"\r")
    assert capture.wait_for_exit() == 0
    assert [t.title for t in tasks_on_disk(db)] == ["Call today"]


# --- the parser alone: what a terminal may split or lose -----------------------------------------


def _parse(chunks: list[str], parser: CleanPasteParser | None = None) -> list[tuple[str, str]]:
    parser = parser or CleanPasteParser()
    found: list[tuple[str, str]] = []
    for chunk in chunks:
        for message in parser.feed(chunk):
            if isinstance(message, events.Paste):
                found.append(("paste", message.text))
            elif isinstance(message, events.Key):
                found.append(("key", message.key))
    return found


def test_a_paste_split_anywhere_across_reads_is_still_one_clean_paste() -> None:
    stream = "a" + HOSTILE_PASTE.decode() + "b"
    whole = _parse([stream])
    assert whole == [("key", "a"), ("paste", "Buy milk fast\nxBx\nq"), ("key", "b")]
    for cut in range(1, len(stream)):
        assert _parse([stream[:cut], stream[cut:]]) == whole, f"split at {cut}"


def test_a_huge_paste_keeps_its_first_characters_and_the_keys_after_it_work() -> None:
    huge = "x" * (PASTE_MAX_CHARS + 5000)
    found = _parse(["\x1b[200~", huge[:70_000], huge[70_000:] + "\x1b[201~q"])
    assert found == [("paste", "x" * PASTE_MAX_CHARS), ("key", "q")]


def test_a_paste_without_its_closing_marker_ends_after_a_quiet_spell() -> None:
    now = [100.0]
    parser = CleanPasteParser(clock=lambda: now[0])
    assert _parse(["\x1b[200~Call \x1b\rBob"], parser) == []
    now[0] += PASTE_IDLE_TIMEOUT / 2
    assert list(parser.tick()) == []  # still inside the paste
    now[0] += PASTE_IDLE_TIMEOUT
    [paste] = list(parser.tick())
    assert isinstance(paste, events.Paste) and paste.text == "Call \nBob"
    assert _parse(["q"], parser) == [("key", "q")]
