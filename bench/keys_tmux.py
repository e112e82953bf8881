"""Key latency through two tmux harnesses, on the matrix and on a one-line control app.

    python bench/keys_tmux.py [--reps 20] [--sizes 1000,10000] [--key j]

Why two: bench/run.py drives tmux through one control-mode client (bench/tmuxctl.py), where a
``send-keys`` or a ``capture-pane`` is a line on an open connection (well under a millisecond).
A user's script, or a first look, runs ``tmux send-keys`` and ``tmux capture-pane`` as separate
processes, where each costs a fork, an exec and a connection to the server. Both are run here on
the same programs in the same run, so their difference is the harness's own:

* **process**: a private tmux server with no client attached; ``tmux send-keys`` is run as a
  process, then ``tmux capture-pane -p -e`` (colours: the cursor is only a colour) as a process
  after another until the screen differs from the one before the key. Figures: from just before
  ``send-keys`` is started until the capture that saw the change *returned*; beside it, how
  long ``send-keys`` alone took (the key cannot reach the program sooner) and the median
  duration of one capture process (the figure is late by up to one of them).
* **control**: bench/tmuxctl.py's control-mode client, polling every 2 ms, as bench/run.py does.

Programs: ``eisenhower`` on bench/run.py's settled files (cursor down with ``j``, the key the
issue measured) and bench/key_echo_app.py, a one-line Textual app that repaints on every key
(the floor Textual and tmux set). Prints a markdown table of medians.
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from run import MATRIX_SIZE, eisenhower_exe, matrix_ready, prepare_db  # noqa: E402
from tmuxctl import Tmux, process_alive, program_pid  # noqa: E402

SETTLE = 1.0  # s after the first screen before the first key, as bench/run.py


class ProcessTmux:
    """Every tmux command a process of its own, as a shell script would do it."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.base = ["tmux", "-u", "-L", f"eisenhower-keys-{os.getpid()}", "-f", "/dev/null"]
        self.capture_times: list[float] = []

    def run(self, *args: str) -> str:
        out = subprocess.run(
            [*self.base, *args], env=self.env, capture_output=True, check=True,
            stdin=subprocess.DEVNULL,
        )  # fmt: skip
        return out.stdout.decode("utf-8", "replace")

    def start(self, name: str, argv: list[str]) -> None:
        width, height = MATRIX_SIZE
        self.run("new-session", "-d", "-s", name, "-x", str(width), "-y", str(height),
                 "exec " + shlex.join(argv))  # fmt: skip
        self.run("set-option", "-g", "status", "off")

    def capture(self, name: str) -> str:
        start = time.perf_counter()
        text = self.run("capture-pane", "-p", "-e", "-t", name)
        self.capture_times.append(time.perf_counter() - start)
        return text

    def send(self, name: str, key: str) -> None:
        self.run("send-keys", "-t", name, key)

    def pane_pid(self, name: str) -> int:
        return int(self.run("display-message", "-p", "-t", name, "#{pane_pid}").strip())

    def close(self) -> None:
        subprocess.run([*self.base, "kill-server"], env=self.env, check=False,
                       capture_output=True)  # fmt: skip


def wait_until(get: Callable[[], str], ready: Callable[[str], bool], timeout: float) -> str:
    deadline = time.perf_counter() + timeout
    while True:
        text = get()
        if ready(text):
            return text
        if time.perf_counter() > deadline:
            raise SystemExit(f"timed out; the screen:\n{text}")
        time.sleep(0.01)


def wait_still(get: Callable[[], str], quiet: float = 0.3) -> str:
    text, since = get(), time.perf_counter()
    while time.perf_counter() - since < quiet:
        time.sleep(0.01)
        now = get()
        if now != text:
            text, since = now, time.perf_counter()
    return text


def process_harness(
    env: dict[str, str], argv: list[str], ready: Callable[[str], bool], key: str, reps: int
) -> tuple[list[float], list[float], list[float]]:
    """(key to first change, send-keys alone, one capture) in seconds, ``reps`` keys."""
    tmux = ProcessTmux(env)
    name = "keys"
    changes: list[float] = []
    sends: list[float] = []
    try:
        tmux.start(name, argv)
        wait_until(lambda: tmux.capture(name), ready, 120)
        time.sleep(SETTLE)
        wait_still(lambda: tmux.capture(name))
        tmux.capture_times.clear()
        for _ in range(reps):
            before = tmux.capture(name)
            start = time.perf_counter()
            tmux.send(name, key)
            sends.append(time.perf_counter() - start)
            while tmux.capture(name) == before:
                pass
            changes.append(time.perf_counter() - start)
            wait_still(lambda: tmux.capture(name), quiet=0.15)
        pid = program_pid(tmux.pane_pid(name))
    finally:
        tmux.close()
    deadline = time.perf_counter() + 10
    while process_alive(pid) and time.perf_counter() < deadline:
        time.sleep(0.01)
    return changes, sends, list(tmux.capture_times)


def control_harness(
    env: dict[str, str], argv: list[str], ready: Callable[[str], bool], key: str, reps: int
) -> list[float]:
    """Key to first change through the control-mode client, polled every 2 ms."""
    changes: list[float] = []
    with Tmux(env) as tmux:
        name = "keys"
        tmux.new_session(name, argv, *MATRIX_SIZE)
        pid = None
        try:
            tmux.wait_for(name, ready, period=0.01, timeout=120)
            pid = program_pid(tmux.pane_pid(name))
            time.sleep(SETTLE)
            tmux.wait_stable(name, escapes=True, quiet=0.3)
            for _ in range(reps):
                before = tmux.capture(name, escapes=True)
                start = time.perf_counter()
                tmux.send_keys(name, key)
                next_poll = start
                while tmux.capture(name, escapes=True) == before:
                    next_poll += 0.002
                    pause = next_poll - time.perf_counter()
                    if pause > 0:
                        time.sleep(pause)
                changes.append(time.perf_counter() - start)
                tmux.wait_stable(name, escapes=True, quiet=0.15)
        finally:
            tmux.kill_session(name, pid)
    return changes


def ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:.1f}" if values else "—"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=20)
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--key", default="j")
    args = parser.parse_args(argv)
    if shutil.which("tmux") is None:
        raise SystemExit("tmux is needed")
    exe = eisenhower_exe()
    with tempfile.TemporaryDirectory(prefix="eisenhower-keys-") as tmp:
        folder = Path(tmp)
        env = dict(os.environ)
        for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
            env[var] = str(folder / var.lower())
        for var in ("EISENHOWER_DB", "EISENHOWER_CONFIG", "LANGUAGE", "LC_MESSAGES"):
            env.pop(var, None)
        env["LC_ALL"] = env["LANG"] = "C.UTF-8"
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(folder / "pycache")
        env["TERM"] = env.get("TERM") or "xterm-256color"
        programs: list[tuple[str, list[str], Callable[[str], bool]]] = [
            ("control app (key_echo_app.py)", [sys.executable, str(HERE / "key_echo_app.py")],
             lambda text: "KEYS 0" in text),
        ]  # fmt: skip
        for size in (int(s) for s in args.sizes.split(",")):
            db = prepare_db(folder / f"tasks-{size}.json", size)
            programs.append((f"matrix, cursor down ({size // 1000}k)", [exe, "--db", str(db)],
                             matrix_ready))  # fmt: skip
        rows = []
        for label, command, ready in programs:
            print(f"{label}...", file=sys.stderr, flush=True)
            changes, sends, captures = process_harness(env, command, ready, args.key, args.reps)
            control = control_harness(env, command, ready, args.key, args.reps)
            rows.append((label, changes, sends, captures, control))
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"key `{args.key}`, {args.reps} presses per row, medians in ms; load average {load}\n")
    print(
        "| program | process harness: key → first change | `send-keys` process alone "
        "| one `capture-pane` process | control-mode harness: key → first change |"
    )
    print("| --- | ---: | ---: | ---: | ---: |")
    for label, changes, sends, captures, control in rows:
        print(f"| {label} | {ms(changes)} | {ms(sends)} | {ms(captures)} | {ms(control)} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
