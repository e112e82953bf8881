"""Wall time of the short commands against big files, beside a bare interpreter (stdlib only).

    python bench/cli.py [--runs 7]

Each command runs as a real process, the way a user or a hotkey starts it. Files of 1k and 10k
open tasks are generated with bench/gen.py in a temporary folder; the add runs restore the file
first so every run sees the same size. Config and data folders point into that temporary folder,
so the user's own files are never read or touched.
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

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gen import make_db

SIZES = (1_000, 10_000)


def eisenhower_command() -> tuple[list[str], str]:
    """The installed console script (what a user runs), else ``python -m eisenhower_tui``."""
    found = shutil.which("eisenhower")
    if found and f"{os.sep}shims{os.sep}" in found:
        # A pyenv/asdf shim re-resolves the interpreter on every call (tens of ms of shell);
        # time the console script that shim would end up running instead.
        beside = Path(sys.executable).parent / "eisenhower"
        found = str(beside) if beside.exists() else found
    if found:
        return [found], found
    return [sys.executable, "-m", "eisenhower_tui"], f"{sys.executable} -m eisenhower_tui"


def time_runs(
    argv: list[str], runs: int, env: dict[str, str], before: tuple[Path, Path] | None = None
) -> list[float]:
    """Seconds per run, after one untimed warm-up run; ``before`` = (pristine, work) copy."""
    times = []
    for index in range(runs + 1):
        if before is not None:
            shutil.copyfile(*before)
        start = time.perf_counter()
        result = subprocess.run(
            argv, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE, check=False,
        )  # fmt: skip
        elapsed = time.perf_counter() - start
        if result.returncode != 0:
            raise SystemExit(f"{' '.join(argv)} failed: {result.stderr.decode(errors='replace')}")
        if index:
            times.append(elapsed)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="timed runs per row (default 7)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    command, shown = eisenhower_command()

    with tempfile.TemporaryDirectory(prefix="eisenhower-bench-") as tmp:
        folder = Path(tmp)
        env = dict(os.environ)
        for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
            env[var] = str(folder / var.lower())
        env.pop("EISENHOWER_DB", None)
        env.pop("EISENHOWER_CONFIG", None)

        rows: list[tuple[str, list[float]]] = [
            (
                "baseline (`python -c pass`)",
                time_runs([sys.executable, "-c", "pass"], args.runs, env),
            )
        ]
        for size in SIZES:
            pristine = make_db(folder / f"pristine-{size}.json", size, args.seed)
            work = folder / f"tasks-{size}.json"
            shutil.copyfile(pristine, work)
            label = f"{size // 1000}k"
            add = [*command, "--db", str(work), "add", "Benchmark task #bench due:fri !1"]
            rows.append((f"add {label}", time_runs(add, args.runs, env, (pristine, work))))
            listing = [*command, "--db", str(work), "list", "--json"]
            rows.append((f"list {label}", time_runs(listing, args.runs, env)))

    base = statistics.median(rows[0][1])
    print(f"command: `{shown}`; python {sys.version.split()[0]}; {args.runs} runs per row\n")
    print("| row | median ms | min ms | ratio to baseline |")
    print("| --- | ---: | ---: | ---: |")
    for name, times in rows:
        median = statistics.median(times)
        print(f"| {name} | {median * 1000:.1f} | {min(times) * 1000:.1f} | {median / base:.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
