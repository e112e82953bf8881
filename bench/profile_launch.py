"""Where the time goes: phases and cProfile of a launch, a key, or ``add`` (stdlib only).

    python bench/profile_launch.py [matrix|capture|empty|add|keys|memory] [--size 10000] [--top 25]

* ``matrix`` / ``capture``: a fresh interpreter's path to the first screen, the way the
  ``eisenhower`` command walks it (cli imports, config, the validation ``Store.read()``, the
  UI imports, then the app headless in ``App.run_test`` at 120x40 / 60x5 until it is idle), as
  wall-clock phases, then cProfile's top functions by cumulative and by own time.
* ``empty``: the same for bench/empty_app.py, the floor Textual sets.
* ``add``: ``eisenhower --db F add TEXT`` in-process (imports included).
* ``keys``: the matrix headless, then ``L``/``H``, ``x`` and a deadline through the Pilot: wall
  time per key until the app is idle and until the write is done, the same with the file write
  stubbed out (what the writer thread costs the UI thread), then a profile of each thread.
* ``memory``: tracemalloc after launch, and what one key's write adds at its peak.

The task file is bench/run.py's (generated, settled, with markers) in a temporary folder, and
config/data/state folders point there. Headless means no terminal output is written: the real
launch (bench/run.py) is slower by the drawing to the terminal.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import os
import pstats
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from run import ADD_TEXT, prepare_db  # noqa: E402

PHASES: list[tuple[str, float]] = []
SITE = str(Path(asyncio.__file__).parent.parent) + "/"


@contextmanager
def phase(name: str) -> Iterator[None]:
    start = time.perf_counter()
    try:
        yield
    finally:
        PHASES.append((name, time.perf_counter() - start))


def print_phases() -> None:
    total = sum(seconds for name, seconds in PHASES if not name.startswith("  "))
    print("phase | ms | share")
    print("--- | ---: | ---:")
    for name, seconds in PHASES:
        print(f"{name} | {seconds * 1000:.1f} | {seconds / total:.0%}")
    print(f"total | {total * 1000:.1f} |")


def print_profile(profile: cProfile.Profile, top: int, title: str) -> None:
    listings = (
        ("tottime", (), "own time"),
        ("cumulative", ("eisenhower_tui",), "cumulative time, eisenhower_tui functions only"),
        ("cumulative", (r"textual/(?!_callback|message_pump)",), "cumulative time, Textual"),
    )
    for key, restrict, label in listings:
        out = io.StringIO()
        stats = pstats.Stats(profile, stream=out)
        stats.sort_stats(key).print_stats(*restrict, top)
        print(f"\n--- {title}: top {top} by {label} ---")
        lines = out.getvalue().splitlines()
        start = next((i for i, line in enumerate(lines) if "ncalls" in line), 0)
        shown = [line for line in lines[start:] if line.strip()]
        root = str(HERE.parent) + "/"
        print("\n".join(line.replace(SITE, "").replace(root, "") for line in shown))


def isolate(folder: Path) -> None:
    """Private config/data/state folders; compiled modules cached in a folder of our own.

    PYTHONDONTWRITEBYTECODE (set in some sandboxes) would make every run compile the package
    from source, which a normal install does not do; a pycache prefix keeps the cache out of
    the source tree (bench/run.py does the same).
    """
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ["PYTHONPYCACHEPREFIX"] = str(folder / "pycache")
    sys.dont_write_bytecode = False
    sys.pycache_prefix = str(folder / "pycache")
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        os.environ[var] = str(folder / var.lower())
    for var in ("EISENHOWER_DB", "EISENHOWER_CONFIG", "LANGUAGE", "LC_MESSAGES"):
        os.environ.pop(var, None)
    os.environ["LC_ALL"] = "C.UTF-8"


# --- launches -------------------------------------------------------------------------------------


def launch_matrix(db: Path, size: tuple[int, int]) -> None:
    with phase("import eisenhower_tui.cli (model, store, dates)"):
        from eisenhower_tui import cli
    with phase("config + i18n"):
        config = cli._config()
    with phase("Store.read() before the UI (run_tui; the matrix starts from it)"):
        from eisenhower_tui.store import Store

        store = Store(db, keep_last_version=True)
        snapshot = store.read()
    with phase("import eisenhower_tui.app (Textual, screens, widgets)"):
        from eisenhower_tui.app import EisenhowerApp
    app = EisenhowerApp(store, config=config, remember_theme=False, initial=snapshot)
    run_headless(app, size)


def launch_capture(db: Path, size: tuple[int, int]) -> None:
    with phase("import eisenhower_tui.cli (model, store, dates)"):
        from eisenhower_tui import cli
    with phase("config + i18n"):
        config = cli._config()
    with phase("Store.read() before the UI (validation read in run_capture)"):
        from eisenhower_tui.store import Store

        store = Store(db)
        store.read()
    with phase("import eisenhower_tui.screens.capture (Textual, Input)"):
        from eisenhower_tui.screens.capture import CaptureApp
    run_headless(CaptureApp(store, config=config), size)


def launch_empty(_db: Path, size: tuple[int, int]) -> None:
    with phase("import textual.app + Static"):
        from empty_app import EmptyApp
    run_headless(EmptyApp(), size)


def run_headless(app: Any, size: tuple[int, int]) -> None:
    async def go() -> None:
        start = time.perf_counter()
        async with app.run_test(size=size) as pilot:
            ready = time.perf_counter() - start
            PHASES.append(("App.run_test: start until mounted and ready", ready))
            with phase("until idle (pilot.pause: call_after_refresh work, timers due)"):
                await pilot.pause()

    asyncio.run(go())


# --- add ------------------------------------------------------------------------------------------


def profile_add(db: Path) -> None:
    with phase("import eisenhower_tui.cli"):
        from eisenhower_tui import cli
    steps = store_steps() if os.environ.get("PROFILE_STEPS") else {}
    with phase("cli.main(['--db', F, 'add', TEXT])"):
        code = cli.main(["--db", str(db), "add", ADD_TEXT])
    if code:
        raise SystemExit(f"add failed with {code}")
    for name, seconds in steps.items():
        PHASES.append((f"  of which: {name}", seconds))


def store_steps() -> dict[str, float]:
    """Time the steps of a store transaction by wrapping the functions that do them (the
    profiler would distort these C-heavy steps, and the listing would not group them)."""
    import functools

    from eisenhower_tui import files, store

    spent: dict[str, float] = {}

    def timed(owner: Any, attribute: str, label: str) -> None:
        original = getattr(owner, attribute)

        @functools.wraps(original)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                spent[label] = spent.get(label, 0.0) + time.perf_counter() - start

        setattr(owner, attribute, wrapper)

    timed(store.Store, "_read_file", "read the file (under the lock)")
    timed(store, "_parse_in_slices", "parse (orjson)")
    timed(store, "_scan_records", "check + find what to mend (one scan)")
    timed(store.Txn, "insert", "insert the record")
    timed(store.Store, "_daily_backup", "daily backup check")
    timed(store.Store, "_remove_stale_temp_files", "stale temp files")
    timed(files, "_write_temp", "encode + write + fsync the temp file")
    timed(files, "fsync_folder", "fsync the folder")
    timed(os, "fsync", "(the fsync calls of the two above)")
    return spent


# --- keys -----------------------------------------------------------------------------------------


def profile_keys(db: Path, size: tuple[int, int], top: int) -> None:
    """Three passes over the same keys: timed, timed with a stub writer, profiled."""
    import statistics

    from eisenhower_tui import cli

    config = cli._config()
    from eisenhower_tui.app import EisenhowerApp
    from eisenhower_tui.screens import matrix
    from eisenhower_tui.store import Store

    mode = ["timed"]  # "timed", "stub" (no file I/O at all), "profiled"
    writer_profile = cProfile.Profile()
    ui_profile = cProfile.Profile()
    write_times: list[float] = []
    refresh_times: list[float] = []
    from eisenhower_tui.domain.board import Board
    from eisenhower_tui.writer import Outcome, TaskWriter, WriteReport

    original_apply = Board.apply

    class TimedWriter(TaskWriter):
        """The writer seam: the same thread, its write timed, stubbed or profiled."""

        def _write(self, batches: list[Any]) -> WriteReport:
            start = time.perf_counter()
            try:
                if mode[0] == "stub":  # acknowledge as if written, without touching the file
                    signature = self.store.signature()
                    return WriteReport([Outcome(b) for b in batches], signature, signature)
                if mode[0] == "profiled":
                    writer_profile.enable()
                    try:
                        return super()._write(batches)
                    finally:
                        writer_profile.disable()
                return super()._write(batches)
            finally:
                write_times.append(time.perf_counter() - start)

    def timed_apply(self: Any, *args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return original_apply(self, *args, **kwargs)
        finally:
            refresh_times.append(time.perf_counter() - start)

    matrix.MatrixScreen.writer_class = TimedWriter
    Board.apply = timed_apply  # type: ignore[method-assign]
    app = EisenhowerApp(Store(db), config=config, remember_theme=False, poll_interval=None)
    # (pass, kind) -> [(press to UI idle, refresh_panes, write batch, press to written)]
    results: dict[tuple[str, str], list[tuple[float, float, float, float]]] = {}

    async def go() -> None:
        async with app.run_test(size=size) as pilot:
            await pilot.pause(0.5)
            screen = app.screen

            async def idle_and_written() -> None:
                await pilot.pause()
                while screen.pending_writes:
                    await asyncio.sleep(0.001)
                await pilot.pause()

            # Warm up once: the first write of the day also writes a backup.
            for key in ("x", "u"):
                await pilot.press(key)
                await idle_and_written()
            plan: list[tuple[str, list[str], str]] = []
            plan += [("move", [], "L" if i % 2 == 0 else "H") for i in range(6)]
            plan += [("done", [], "x") for _ in range(6)]
            plan += [("deadline", ["D", "d", *"tomorrow"], "enter") for _ in range(6)]
            for name in ("timed", "stub", "profiled"):
                for kind, before, key in plan:
                    mode[0] = "timed" if name == "profiled" else name
                    for prep in before:
                        await pilot.press(prep)
                        await idle_and_written()
                    mode[0] = name
                    refresh_times.clear()
                    write_times.clear()
                    start = time.perf_counter()
                    if name == "profiled":
                        ui_profile.enable()
                    await pilot.press(key)
                    await pilot.pause()
                    ui_done = time.perf_counter() - start
                    while screen.pending_writes:
                        await asyncio.sleep(0.001)
                    written = time.perf_counter() - start
                    if name == "profiled":
                        ui_profile.disable()
                    results.setdefault((name, kind), []).append(
                        (ui_done, sum(refresh_times), sum(write_times), written)
                    )
                    await idle_and_written()

    asyncio.run(go())
    print("Headless (no terminal output): medians of 6 keys each. 'UI idle' = the key handled,")
    print("the panes recomputed and rendered, no message pending. 'stub writer' = the same keys")
    print("with the file write replaced by an immediate acknowledgement: the difference is what")
    print("the writer thread (holding the GIL while it parses and serialises the whole file)")
    print("costs the UI thread.\n")
    print(
        "key | press to UI idle, ms | with stub writer, ms | board update, ms "
        "| write batch, ms | press to written, ms"
    )
    print("--- | ---: | ---: | ---: | ---: | ---:")

    def med(name: str, kind: str, column: int) -> str:
        values = [row[column] for row in results.get((name, kind), [])]
        return f"{statistics.median(values) * 1000:.1f}" if values else "—"

    for kind in ("move", "done", "deadline"):
        print(
            f"{kind} | {med('timed', kind, 0)} | {med('stub', kind, 0)} "
            f"| {med('timed', kind, 1)} | {med('timed', kind, 2)} | {med('timed', kind, 3)}"
        )
    print_profile(ui_profile, top, "UI thread, key handling (press to write done)")
    print_profile(writer_profile, top, "writer thread, TaskWriter._write")


def profile_memory(db: Path, size: tuple[int, int], top: int) -> None:
    """Resident memory by phase (no tracer), then tracemalloc over single writes."""
    import tracemalloc

    def status() -> str:
        fields = {}
        for line in Path("/proc/self/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                fields[key] = int(value.split()[0]) / 1024
        return f"{fields.get('VmRSS', 0):6.1f} | {fields.get('VmHWM', 0):6.1f}"

    print("phase (one process, as `eisenhower --db F` walks it) | VmRSS MB | VmHWM MB")
    print("--- | ---: | ---:")
    print(f"interpreter + this script | {status()}")
    from eisenhower_tui import cli, store

    config = cli._config()
    # As run_tui: the file is read before the UI is imported, and the app starts from it.
    the_store = store.Store(db, keep_last_version=True)
    snapshot = the_store.read()
    print(f"Store.read() (the matrix starts from it) | {status()}")
    from eisenhower_tui.app import EisenhowerApp

    print(f"imports (eisenhower_tui.app, Textual) | {status()}")
    app = EisenhowerApp(
        the_store, config=config, remember_theme=False, poll_interval=None, initial=snapshot
    )
    del snapshot
    snapshots: dict[str, Any] = {}
    original_encode = store._encode

    def encode(data: dict[str, Any]) -> bytes:
        payload = original_encode(data)
        if snapshots.get("want"):  # the decoded file, TinyDB's copies and the output are alive
            snapshots["want"] = False
            snapshots["write"] = tracemalloc.take_snapshot()
        return payload

    store._encode = encode  # type: ignore[assignment]
    mb = 1024 * 1024

    async def go() -> None:
        async with app.run_test(size=size) as pilot:
            await pilot.pause(0.5)
            print(f"first screen, idle | {status()}")

            async def key_written(key: str) -> None:
                await pilot.press(key)
                await pilot.pause()
                while app.screen.pending_writes:
                    await asyncio.sleep(0.001)
                await pilot.pause()

            await key_written("x")
            print(f"after 1 key + write (x; today's backup is written too) | {status()}")
            for _ in range(5):
                await key_written("x")
            print(f"after 5 more keys + writes | {status()}")
            tracemalloc.start(1)
            snapshots["before"] = tracemalloc.take_snapshot()
            snapshots["want"] = True
            await key_written("x")

    asyncio.run(go())
    if "write" in snapshots:
        filters = [tracemalloc.Filter(False, tracemalloc.__file__)]
        diff = (
            snapshots["write"]
            .filter_traces(filters)
            .compare_to(snapshots["before"].filter_traces(filters), "lineno")
        )
        print(
            f"\n--- tracemalloc: alive during a write (at its encode step) beyond the idle app: "
            f"top {top} lines ---"
        )
        for stat in diff[:top]:
            print(
                f"{stat.size_diff / mb:+7.2f} MB {stat.count_diff:+8d} blocks  "
                f"{short(stat.traceback[0])}"
            )


def short(frame: Any) -> str:
    name = str(frame.filename).replace(SITE, "").replace(str(HERE.parent) + "/", "")
    return f"{name}:{frame.lineno}"


# --- main -----------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "what",
        nargs="?",
        default="matrix",
        choices=["matrix", "capture", "empty", "add", "keys", "memory"],
    )
    parser.add_argument("--size", type=int, default=10_000, help="open tasks (default 10000)")
    parser.add_argument("--top", type=int, default=25, help="functions shown per listing")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--phases-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.phases_only:  # the child: phases without the profiler, on the parent's file
        isolate(args.db.parent.parent)
        if args.what == "memory":
            profile_memory(args.db, (120, 40), args.top)
            return 0
        launch(args.what, args.db)
        print_phases()
        return 0
    with tempfile.TemporaryDirectory(prefix="eisenhower-profile-") as tmp:
        folder = Path(tmp)
        isolate(folder)
        db = prepare_db(folder / "data" / "tasks.json", args.size, args.seed)
        print(f"# {args.what}, {args.size} tasks ({db.stat().st_size / 1e6:.1f} MB file)\n")
        if args.what == "keys":
            warm_up(db)
            profile_keys(db, (120, 40), args.top)
            return 0
        if args.what == "memory":  # a fresh process, so that its VmHWM is the app's alone
            warm_up(db)
            subprocess.run(
                [sys.executable, __file__, "memory", "--phases-only", "--db", str(db),
                 "--top", str(args.top)],
                check=True,
            )  # fmt: skip
            return 0
        warm_up(db)
        # Phases first without the profiler (it slows Python code about twofold), in a fresh
        # interpreter so that imports count; then the same under cProfile, in this one.
        backup = db.with_name("pristine.json")
        backup.write_bytes(db.read_bytes())
        subprocess.run(
            [sys.executable, __file__, args.what, "--phases-only", "--db", str(db)],
            check=True, env=dict(os.environ, PROFILE_STEPS="1"),
        )  # fmt: skip
        db.write_bytes(backup.read_bytes())
        profile = cProfile.Profile()
        profile.enable()
        launch(args.what, db)
        profile.disable()
        print("\nthe same under cProfile (times inflated by the profiler):\n")
        print_phases()
        print_profile(profile, args.top, args.what)
    return 0


def warm_up(db: Path) -> None:
    """Fill the compiled-module cache (see isolate) and make today's backup of the file.

    Neither is part of a steady-state start: a normal install has its modules compiled, and
    only the first write of a day copies the file to a backup.
    """
    modules = "eisenhower_tui.cli, eisenhower_tui.app, eisenhower_tui.screens.capture, empty_app"
    subprocess.run([sys.executable, "-c", f"import {modules}"], cwd=HERE, check=True)
    pristine = db.read_bytes()
    code = f"from eisenhower_tui.cli import main; main(['--db', {str(db)!r}, 'add', 'warm-up'])"
    subprocess.run([sys.executable, "-c", code], check=True, stdout=subprocess.DEVNULL)
    db.write_bytes(pristine)


def launch(what: str, db: Path) -> None:
    runners: dict[str, Callable[[], None]] = {
        "matrix": lambda: launch_matrix(db, (120, 40)),
        "capture": lambda: launch_capture(db, (60, 5)),
        "empty": lambda: launch_empty(db, (120, 40)),
        "add": lambda: profile_add(db),
    }
    runners[what]()


if __name__ == "__main__":
    raise SystemExit(main())
