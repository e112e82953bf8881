"""Never lose a task, never run a stranger's bytes: real processes, real files, real terminals."""

from __future__ import annotations

import json
import os
import random
import select
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

from tmux_driver import Terminal, eisenhower, needs_tmux

from eisenhower_tui.domain.tasks import new_task
from eisenhower_tui.model import Quadrant
from eisenhower_tui.store import Store

ROOT = Path(__file__).resolve().parent.parent


# --- SIGKILL during writes --------------------------------------------------------------------

_WRITER = r"""
import os, sys
from eisenhower_tui.store import Store
from eisenhower_tui.model import Quadrant
from eisenhower_tui.domain.tasks import new_task
from eisenhower_tui.cli import main

path, mode, out_fd = sys.argv[1], sys.argv[2], int(sys.argv[3])
store = Store(path)
n = 0
while True:
    n += 1
    title = f"{os.getpid()}-{n}"
    if mode == "cli":
        # the command-line path: parse, lock, re-read, write
        main(["--db", path, "add", title, "#k"])
    else:
        # the app's path: a patch addressed by uuid, applied under the lock to the re-read task
        with store.transaction() as txn:
            txn.put(new_task(title, Quadrant.DO))
            first = next(iter(txn.all()), None)
            if first is not None:
                first.notes = title
                txn.put(first)
    os.write(out_fd, (title + "\n").encode())
"""


def test_two_hundred_sigkills_never_tear_the_file_nor_lose_a_finished_write(tmp_path: Path) -> None:
    """Each kill lands at a random moment; every write the writer finished must be in the file."""
    db = tmp_path / "tasks.json"
    Store(db).add(*[new_task(f"seed {i}", Quadrant(i % 4 + 1)) for i in range(800)])
    rng = random.Random(20261126)
    finished: set[str] = set()
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    # One interpreter start per kill is slow; fork a warm parent instead: a zygote that has
    # imported everything forks one writer per round.
    zygote_code = (
        "import os, sys, signal\n"
        "import eisenhower_tui.cli, eisenhower_tui.store\n"
        "import eisenhower_tui.dates, eisenhower_tui.quickadd\n"
        "signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # killed writers are reaped at once\n"
        f"WRITER = {_WRITER!r}\n"
        "for line in sys.stdin:\n"
        "    mode, fd = line.split()\n"
        "    pid = os.fork()\n"
        "    if pid == 0:\n"
        "        null = os.open(os.devnull, os.O_WRONLY)\n"
        "        os.dup2(null, 1)\n"  # the CLI's "Added ..." must not reach the zygote's pipe
        "        sys.stdout = open(1, 'w')\n"
        "        sys.argv = ['w', sys.argv[1], mode, fd]\n"
        "        exec(compile(WRITER, 'writer', 'exec'), {'__name__': '__main__'})\n"
        "    print(pid, flush=True)\n"
    )
    read_fd, write_fd = os.pipe()
    zygote = subprocess.Popen(
        [sys.executable, "-c", zygote_code, str(db)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
        pass_fds=(write_fd,),
    )
    assert zygote.stdin is not None and zygote.stdout is not None
    buffer = b""
    try:
        for round_ in range(200):
            mode = "cli" if round_ % 2 else "app"
            zygote.stdin.write(f"{mode} {write_fd}\n")
            zygote.stdin.flush()
            pid = int(zygote.stdout.readline())
            time.sleep(rng.uniform(0.002, 0.060))
            os.kill(pid, signal.SIGKILL)
            _wait_gone(pid)
            while select.select([read_fd], [], [], 0)[0]:
                buffer += os.read(read_fd, 65536)
            *lines, rest = buffer.split(b"\n")
            buffer = rest
            finished.update(line.decode() for line in lines)
            # The file is whole after every kill, and nothing the writer finished is missing.
            titles = {t.title for t in Store(db).read().tasks}
            missing = finished - titles
            assert not missing, f"round {round_}: finished writes missing: {sorted(missing)[:5]}"
    finally:
        zygote.kill()
        zygote.wait()
        os.close(read_fd)
        os.close(write_fd)
    raw = db.read_bytes()
    json.loads(raw)  # valid JSON after all the kills
    assert len(finished) > 200, "the writers should have finished many writes between kills"
    # The stale temp files a killed writer leaves behind are swept by the next writer.
    Store(db).add(new_task("after the storm"))
    assert not list(tmp_path.glob(".tasks.json.*.tmp"))


def _wait_gone(pid: int) -> None:
    """SIGKILL is asynchronous: wait until the writer really is gone before reading the file."""
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.001)
    raise AssertionError(f"writer {pid} did not die")


# --- hostile bytes never reach the terminal ---------------------------------------------------

HOSTILE = {
    "osc52": "\x1b]52;c;SElKQUNLRUQ=\x07",  # clipboard write of "HIJACKED"
    "clear": "\x1b[2J\x1b[31;1HPWNED",
    "c1csi": "\x9b31mC1RED",
    "bidi": "\u202eevil\u202c",
    "nul": "nul\x00byte",
}


def _write_foreign_file(db: Path) -> None:
    """A file written by another tool, bypassing our cleaning on the way in."""
    records = {}
    for index, (name, payload) in enumerate(HOSTILE.items(), 1):
        records[str(index)] = {
            "id": str(uuid.uuid4()),
            "title": f"{name} {payload} [@click=app.quit]x [/]",
            "notes": payload,
            "urgent": index % 2 == 0,
            "important": True,
            "due": None,
            "tags": [f"t{payload}"],
            "delegate": f"d{payload}",
            "done": None,
            "created": "2026-11-26T09:00:00+00:00",
            "updated": "2026-11-26T09:00:00+00:00",
        }
    db.write_text(json.dumps({"tasks": records, "meta": {"1": {"schema_version": 1}}}))


def _run_in_pty(args: list[str], keys: list[tuple[float, bytes]], env: dict[str, str]) -> bytes:
    import pty

    pid, fd = pty.fork()
    if pid == 0:  # child
        os.execvpe(args[0], args, env)
    out = b""
    deadline = time.monotonic() + 20
    pending = list(keys)
    start = time.monotonic()
    try:
        while time.monotonic() < deadline:
            if pending and time.monotonic() - start >= pending[0][0]:
                os.write(fd, pending.pop(0)[1])
            ready, _, _ = select.select([fd], [], [], 0.05)
            if ready:
                try:
                    chunk = os.read(fd, 65536)
                except OSError:
                    break
                if not chunk:
                    break
                out += chunk
            finished, _status = os.waitpid(pid, os.WNOHANG)
            if finished:
                break
    finally:
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        os.close(fd)
    return out


def test_injected_sequences_never_reach_the_terminal(tmp_path: Path) -> None:
    db = tmp_path / "tasks.json"
    _write_foreign_file(db)
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "120", "LINES": "40"}
    # The CLI paths first: add (cleaned on the way in) and list (cleaned on the way out).
    added = subprocess.run(
        [*eisenhower(), "--db", str(db), "add", "added " + HOSTILE["osc52"] + HOSTILE["clear"]],
        capture_output=True,
        env=env,
        check=False,
    )
    assert added.returncode == 0, added.stderr
    todo = db.parent / "todo.txt"
    todo.write_text("(A) imported " + HOSTILE["osc52"] + HOSTILE["c1csi"] + " +proj\n")
    imported = subprocess.run(
        [*eisenhower(), "--db", str(db), "import", str(todo)], capture_output=True, env=env
    )
    assert imported.returncode == 0, imported.stderr
    listed = subprocess.run(
        [*eisenhower(), "--db", str(db), "list"], capture_output=True, env=env, check=False
    )
    assert b"imported" in listed.stdout
    for result in (added, imported, listed):
        _assert_clean(result.stdout)
        _assert_clean(result.stderr)
    # Then the matrix in a real pseudo-terminal: the list, the edit form, the deadline box,
    # the palette search and help, and the completed view.
    keys = [
        (3.0, b"e"),
        (4.0, b"\x1b"),
        (4.5, b"d"),
        (5.2, b"\x1b"),
        (5.6, b"\x10"),  # ctrl+p
        (6.2, b"PWNED"),
        (7.0, b"\x1b"),
        (7.5, b"2"),
        (7.8, b"e"),
        (8.5, b"\x1b"),
        (9.0, b"q"),
    ]
    out = _run_in_pty([*eisenhower(), "--db", str(db)], keys, env)
    assert b"Do first" in out, "the matrix never drew"
    _assert_clean(out)
    assert b"[@click=app.quit]x" in out or b"click=app.quit" in out


def _assert_clean(output: bytes) -> None:
    assert b"\x1b]52;c;SElKQUNLRUQ=" not in output
    assert b"SElKQUNLRUQ=\x07" not in output
    assert b"\x1b[31;1HPWNED" not in output
    assert b"\x1b[2J\x1b[31;1H" not in output
    assert "\x9b".encode() not in output
    assert "\u202e".encode() not in output
    assert b"nul\x00byte" not in output


# --- the matrix, many writers and a user typing at once ---------------------------------------

_ADDER = r"""
import sys
from eisenhower_tui.cli import main
db, worker = sys.argv[1], sys.argv[2]
for n in range(50):
    assert main(["--db", db, "add", f"w{worker}-{n} !{n % 4 + 1}"]) == 0
"""


@needs_tmux
def test_matrix_with_eight_parallel_adders_and_keys_loses_nothing(
    tmp_path: Path, terminal: Terminal
) -> None:
    db = tmp_path / "tasks.json"
    Store(db).add(*[new_task(f"base {i}", Quadrant(i % 4 + 1)) for i in range(8)])
    terminal.start([*eisenhower(), "--db", str(db)], size=(120, 40))
    terminal.wait_for("1 Do first", timeout=15)
    adders = [
        subprocess.Popen([sys.executable, "-c", _ADDER, str(db), str(w)], env=terminal.env)
        for w in range(8)
    ]
    # Meanwhile the user works: move between panes, mark done and undo, move a task.
    rng = random.Random(7)
    while any(p.poll() is None for p in adders):
        terminal.send(rng.choice(["j", "k", "l", "h", "x", "u", "J", "K", "2", "1"]))
        time.sleep(0.05)
    assert all(p.wait() == 0 for p in adders)
    # Settle: undo nothing more, let the matrix catch up with the file.
    time.sleep(1.5)
    tasks = Store(db).read().tasks
    titles = {t.title for t in tasks}
    expected = {f"w{w}-{n}" for w in range(8) for n in range(50)}
    assert expected <= titles, f"{len(expected - titles)} added tasks were lost"
    assert {f"base {i}" for i in range(8)} <= titles
    # The screen agrees with the file: each pane title shows the file's open count.
    counts = {q: 0 for q in Quadrant}
    for t in tasks:
        if t.done is None:
            counts[t.quadrant] += 1
    screen = terminal.screen()
    for quadrant, count in counts.items():
        assert f"{int(quadrant)} {quadrant.label} ({count})" in screen, screen
