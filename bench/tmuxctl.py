"""A private tmux server driven through one control-mode client (stdlib only).

Every ``tmux capture-pane`` run as its own process costs a fork+exec (~2.5 ms here, more on a
loaded machine), which would blur a key latency of a few milliseconds. A control-mode client
(``tmux -C``) keeps one connection open: a command is a line on its stdin and its answer is a
``%begin``/``%end`` block on its stdout, so a plain ``capture-pane -p`` of a 120x40 pane costs
well under a millisecond and ``send-keys`` reaches the pane without a process start either.

The server runs on its own socket with no config file (``-f /dev/null``), so neither the user's
tmux nor their ``~/.tmux.conf`` is involved. The control client is attached to a small idle
``host`` session; the measured programs run in their own detached sessions of a fixed size.
"""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path


class TmuxError(RuntimeError):
    pass


def tmux_quote(text: str) -> str:
    """One argument for tmux's command parser (double quotes: escape backslash, quote, dollar)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("$", "\\$")
    return f'"{escaped}"'


class Tmux:
    """``with Tmux(env) as tmux:`` starts a private server and a control client; exit kills it."""

    def __init__(self, env: Mapping[str, str] | None = None, socket: str | None = None) -> None:
        self.env = dict(env if env is not None else os.environ)
        self.socket = socket or f"eisenhower-bench-{os.getpid()}"
        self.base = ["tmux", "-u", "-L", self.socket, "-f", "/dev/null"]
        self.proc: subprocess.Popen[bytes] | None = None
        self.socket_path: str | None = None

    # --- lifetime -----------------------------------------------------------------------------

    def __enter__(self) -> Tmux:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self) -> None:
        subprocess.run(
            [*self.base, "new-session", "-d", "-s", "host", "-x", "80", "-y", "24"],
            env=self.env, check=True, stdin=subprocess.DEVNULL,
        )  # fmt: skip
        self.proc = subprocess.Popen(
            [*self.base, "-C", "attach-session", "-t", "host"],
            env=self.env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        # Answers arrive in order, but the attach itself may answer first: synchronise on a marker.
        self._send("display-message -p SYNC-eisenhower-bench")
        while self._block()[1].strip() != "SYNC-eisenhower-bench":
            pass
        self.socket_path = self.command("display-message -p '#{socket_path}'").strip() or None
        for line in (
            "refresh-client -f no-output",  # no %output notifications for our host session
            "set-option -g default-shell /bin/sh",
            "set-option -g remain-on-exit on",  # keep a crashed program's last words readable
            "set-option -g status off",
            "set-option -g history-limit 0",
        ):
            self.command(line, check=False)

    def close(self) -> None:
        if self.proc is None:
            return
        try:
            self.command("kill-server", check=False)
        except (OSError, TmuxError, EOFError):
            pass
        try:
            self.proc.stdin.close()  # type: ignore[union-attr]
            self.proc.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            self.proc.kill()
        self.proc = None
        if self.socket_path:  # tmux leaves its socket file behind after kill-server
            Path(self.socket_path).unlink(missing_ok=True)

    # --- protocol -----------------------------------------------------------------------------

    def _send(self, line: str) -> None:
        assert self.proc is not None and self.proc.stdin is not None
        self.proc.stdin.write(line.encode() + b"\n")
        self.proc.stdin.flush()

    def _block(self) -> tuple[bool, str]:
        """The next answer block: (ok, text); notification lines in between are skipped."""
        assert self.proc is not None and self.proc.stdout is not None
        read = self.proc.stdout.readline
        while True:
            header = read()
            if not header:
                raise TmuxError("the tmux control client exited")
            if not header.startswith(b"%begin"):
                continue
            out: list[bytes] = []
            while True:
                line = read()
                if not line:
                    raise TmuxError("the tmux control client exited")
                if line.startswith((b"%end", b"%error")):
                    break
                out.append(line)
            # "%begin TIME NUMBER FLAGS": flags 1 = a command from this client; tmux also
            # reports commands it ran on its own (e.g. when a pane's program starts).
            if header.split()[-1:] == [b"1"]:
                return line.startswith(b"%end"), b"".join(out).decode("utf-8", "replace")

    def command(self, line: str, *, check: bool = True) -> str:
        self._send(line)
        ok, text = self._block()
        if check and not ok:
            raise TmuxError(f"tmux {line!r}: {text.strip()}")
        return text

    # --- sessions -----------------------------------------------------------------------------

    def new_session(
        self, name: str, argv: Sequence[str], width: int, height: int, cwd: Path | None = None
    ) -> None:
        """Start ``argv`` (exec'd by /bin/sh, so the pane's pid is the program) in a new session."""
        shell = "exec " + shlex.join(argv)
        cwd_opt = f"-c {tmux_quote(str(cwd))} " if cwd else ""
        self.command(
            f"new-session -d -s {name} -x {width} -y {height} {cwd_opt}{tmux_quote(shell)}"
        )

    def kill_session(self, name: str, pid: int | None = None, timeout: float = 10.0) -> None:
        """Close the session (the program gets SIGHUP) and wait until its process is gone."""
        self.command(f"kill-session -t {name}", check=False)
        if pid is not None:
            wait_gone(pid, timeout)

    def capture(self, name: str, *, escapes: bool = False) -> str:
        """The pane's text; with ``escapes`` also colours and attributes (``-e``)."""
        return self.command(f"capture-pane -p {'-e ' if escapes else ''}-t {name}")

    def send_keys(self, name: str, *keys: str, literal: bool = False) -> None:
        flag = "-l " if literal else ""
        self.command(f"send-keys -t {name} {flag}" + " ".join(tmux_quote(k) for k in keys))

    def pane_pid(self, name: str) -> int:
        return int(self.command(f"display-message -p -t {name} '#{{pane_pid}}'").strip())

    def pane_dead(self, name: str) -> bool:
        text = self.command(f"display-message -p -t {name} '#{{pane_dead}}'", check=False)
        return text.strip() == "1"

    # --- waiting for the screen ---------------------------------------------------------------

    def wait_for(
        self,
        name: str,
        ready: Callable[[str], bool],
        *,
        period: float,
        timeout: float,
        start: float | None = None,
        escapes: bool = False,
    ) -> tuple[float, str]:
        """Poll the pane every ``period`` s until ``ready(text)``; seconds since ``start``."""
        start = time.perf_counter() if start is None else start
        next_poll = time.perf_counter()
        while True:
            text = self.capture(name, escapes=escapes)
            now = time.perf_counter()
            if ready(text):
                return now - start, text
            if now - start > timeout:
                dead = " (the program exited)" if self.pane_dead(name) else ""
                raise TmuxError(f"timed out after {timeout:.0f} s{dead}; the screen:\n{text}")
            next_poll += period
            pause = next_poll - time.perf_counter()
            if pause > 0:
                time.sleep(pause)
            else:
                next_poll = time.perf_counter()

    def wait_stable(
        self,
        name: str,
        *,
        quiet: float = 0.15,
        period: float = 0.005,
        timeout: float = 10.0,
        escapes: bool = False,
    ) -> str:
        """Poll until the screen has not changed for ``quiet`` seconds; the final text."""
        start = last_change = time.perf_counter()
        text = self.capture(name, escapes=escapes)
        while True:
            time.sleep(period)
            now_text = self.capture(name, escapes=escapes)
            now = time.perf_counter()
            if now_text != text:
                text, last_change = now_text, now
            elif now - last_change >= quiet:
                return text
            if now - start > timeout:
                raise TmuxError(f"the screen kept changing for {timeout:.0f} s:\n{text}")


def process_alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as handle:
            state = handle.read().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def wait_gone(pid: int, timeout: float) -> None:
    deadline = time.perf_counter() + timeout
    while process_alive(pid):
        if time.perf_counter() > deadline:
            try:
                os.kill(pid, signal.SIGKILL)  # the program we started in that pane, by pid
            except OSError:
                pass
            deadline = time.perf_counter() + timeout
        time.sleep(0.01)


def program_pid(pane_pid: int) -> int:
    """The pane runs ``exec program``; should a shell stay in between, take its only child."""
    try:
        name = Path(f"/proc/{pane_pid}/comm").read_text().strip()
        if name in ("sh", "dash", "bash"):
            children = Path(f"/proc/{pane_pid}/task/{pane_pid}/children").read_text().split()
            if children:
                return int(children[0])
    except OSError:
        pass
    return pane_pid


def peak_rss_mb(pid: int) -> float | None:
    """VmHWM (peak resident set size) of a live process, in MiB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None
