"""Before/after medians of the rows this round changed, in one run, interleaved (stdlib + tmux).

    python bench/before_after.py BEFORE_DIR [--runs 7]

``BEFORE_DIR`` holds an older ``eisenhower_tui`` package (for example
``git archive <commit> eisenhower_tui | tar -x -C BEFORE_DIR``); it is put first on PYTHONPATH
for the "before" runs, so both versions run on the same interpreter, files and machine state,
alternating run by run. Rows: ``add`` at 10k and 50k, ``list --json`` at 10k, the matrix launch
at 10k and 50k with its peak memory, and a 50k session of 15 ``x`` keys (key → write complete,
and the peak memory after 5 keys).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from run import (  # noqa: E402
    ADD_TEXT,
    MATRIX_SIZE,
    Launch,
    eisenhower_exe,
    key_session,
    launch_once,
    matrix_ready,
    prepare_db,
)
from tmuxctl import Tmux  # noqa: E402


def timed(argv: list[str], env: dict[str, str], restore: tuple[Path, Path] | None) -> float:
    if restore is not None:
        shutil.copyfile(*restore)
    start = time.perf_counter()
    subprocess.run(argv, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, check=True)  # fmt: skip
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    exe = eisenhower_exe()
    results: dict[tuple[str, str], list[float]] = {}
    with tempfile.TemporaryDirectory(prefix="eisenhower-ba-") as tmp:
        folder = Path(tmp)
        env = dict(os.environ)
        for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
            env[var] = str(folder / var.lower())
        for var in ("EISENHOWER_DB", "EISENHOWER_CONFIG", "LANGUAGE", "LC_MESSAGES"):
            env.pop(var, None)
        env["LC_ALL"] = env["LANG"] = "C.UTF-8"
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["TERM"] = env.get("TERM") or "xterm-256color"
        versions = {
            "before": dict(env, PYTHONPATH=str(args.before.resolve()),
                           PYTHONPYCACHEPREFIX=str(folder / "pyc-before")),
            "after": dict(env, PYTHONPYCACHEPREFIX=str(folder / "pyc-after")),
        }  # fmt: skip
        dbs = {n: prepare_db(folder / f"p{n}.json", n) for n in (10_000, 50_000)}

        def add(key: str, value: float) -> None:
            results.setdefault(key, []).append(value)  # type: ignore[arg-type]

        print("short commands", file=sys.stderr, flush=True)
        for index in range(args.runs + 1):
            for version, venv in versions.items():
                for n in (10_000, 50_000):
                    work = folder / f"{version}-{n}" / "tasks.json"
                    work.parent.mkdir(exist_ok=True)
                    value = timed([exe, "--db", str(work), "add", ADD_TEXT], venv, (dbs[n], work))
                    if index:
                        add((f"`add` ({n // 1000}k)", version), value)
                work = folder / f"{version}-10000" / "tasks.json"
                value = timed([exe, "--db", str(work), "list", "--json"], venv, None)
                if index:
                    add(("`list --json` (10k)", version), value)
        with Tmux(versions["after"]) as tmux:
            print("launches", file=sys.stderr, flush=True)
            for index in range(args.runs + 1):
                for version, venv in versions.items():
                    tmux.env = venv
                    for n in (10_000, 50_000):
                        launch = Launch(f"{version}-{n}", [exe, "--db", "{db}"], MATRIX_SIZE,
                                        matrix_ready, dbs[n])  # fmt: skip
                        tmux.command(
                            "set-environment -g PYTHONPATH " + venv.get("PYTHONPATH", "''")
                        )
                        elapsed, memory = launch_once(tmux, launch, folder, timeout=120)
                        if index:
                            add((f"matrix launch ({n // 1000}k)", version), elapsed)
                            add((f"peak memory after launch ({n // 1000}k), MB", version), memory)
            print("keys at 50k", file=sys.stderr, flush=True)
            for version, venv in versions.items():
                tmux.command("set-environment -g PYTHONPATH " + venv.get("PYTHONPATH", "''"))
                (folder / f"keys-{version}").mkdir()
                _screens, writes, early, _peak = key_session(
                    tmux, exe, dbs[50_000], folder / f"keys-{version}", "done", 15
                )
                for value in writes:
                    add(("`x` key → write complete (50k)", version), value)
                add(("peak memory after launch + 5 keys (50k), MB", version), early or 0.0)
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"medians; {args.runs} runs (keys: 15); load average at the end {load}\n")
    print("| row | before | after | after / before |")
    print("| --- | ---: | ---: | ---: |")
    for name in dict.fromkeys(key for key, _version in results):
        before = statistics.median(results[(name, "before")])
        after = statistics.median(results[(name, "after")])
        unit = (lambda v: f"{v:.0f} MB") if "MB" in name else (lambda v: f"{v * 1000:.0f} ms")
        print(f"| {name} | {unit(before)} | {unit(after)} | {after / before:.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
