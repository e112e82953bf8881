"""The task file on a real disk: atomic writes, locking, backups, corrupt files, real processes."""

from __future__ import annotations

import errno
import itertools
import json
import os
import random
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from eisenhower_tui.domain.tasks import new_task
from eisenhower_tui.model import Quadrant
from eisenhower_tui.store import (
    BACKUPS_KEPT,
    SCHEMA_VERSION,
    ConflictError,
    CorruptFileError,
    Store,
    StoreError,
    UnknownId,
)

REPO = Path(__file__).resolve().parents[1]
T0 = datetime(2026, 11, 26, 11, 0, tzinfo=UTC)  # noon in Paris, a Thursday


class Clock:
    """A settable clock for Store(clock=...)."""

    def __init__(self, start: datetime = T0) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def raw_file(path: Path) -> dict[str, Any]:
    return json.loads(path.read_bytes())


def temp_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.name.endswith(".tmp"))


def record(task_id: str, title: str, **fields: Any) -> dict[str, Any]:
    base = new_task(title, now=T0).to_record()
    base.update(id=task_id, **fields)
    return base


def write_json(path: Path, data: Any) -> bytes:
    payload = json.dumps(data, indent=2).encode()
    path.write_bytes(payload)
    return payload


def titles(path: Path) -> set[str]:
    return {t.title for t in Store(path).read().tasks}


# --- basics -----------------------------------------------------------------------------------


def test_absent_file_reads_as_empty_and_is_not_created(db: Path) -> None:
    snapshot = Store(db).read()
    assert snapshot.tasks == [] and snapshot.signature is None
    assert not db.exists()


def test_add_read_update_round_trip(db: Path) -> None:
    clock = Clock()
    store = Store(db, clock=clock)
    task = new_task("Call Bob", Quadrant.DO, due="2026-12-01", tags=["work"], delegate="@bob")
    store.add(task)

    [read] = Store(db).read().tasks  # a fresh Store, as another process would
    assert read == task
    assert read.quadrant is Quadrant.DO and read.due == "2026-12-01" and read.delegate == "bob"

    clock.advance(minutes=5)
    changed = store.update(task.id, lambda t: setattr(t, "title", "Call Bob back"))
    assert changed.updated == "2026-11-26T11:05:00+00:00"
    [read] = Store(db).read().tasks
    assert read.title == "Call Bob back"
    assert read.updated == "2026-11-26T11:05:00+00:00"
    assert read.created == task.created

    data = raw_file(db)
    assert set(data) == {"tasks", "meta"}
    assert [r["title"] for r in data["tasks"].values()] == ["Call Bob back"]
    assert next(iter(data["meta"].values()))["schema_version"] == SCHEMA_VERSION


def test_add_many_in_one_transaction(db: Path) -> None:
    tasks = [new_task(f"task {i}") for i in range(25)]
    Store(db).add(*tasks)
    assert [t.id for t in Store(db).read().tasks] == [t.id for t in tasks]
    with pytest.raises(UnknownId):
        Store(db).update("no-such-id", lambda t: None)


def test_new_file_lock_and_folder_are_private(tmp_path: Path) -> None:
    path = tmp_path / "new" / "folder" / "tasks.json"
    Store(path).add(new_task("secret"))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE((path.parent / "tasks.json.lock").stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700

    Store(path).add(new_task("second write"))  # first write of a day with a file: a backup
    [backup] = Store(path).backups()
    assert stat.S_IMODE(backup.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_rewrite_keeps_a_mode_the_user_chose(db: Path) -> None:
    Store(db).add(new_task("one"))
    db.chmod(0o640)
    Store(db).add(new_task("two"))
    assert stat.S_IMODE(db.stat().st_mode) == 0o640


def test_unknown_fields_and_tables_survive_rewrites(db: Path) -> None:
    big = 2**70  # past 64 bits: orjson cannot write it, the stdlib fallback must
    first = record(
        "11111111-0000-4000-8000-000000000001",
        "Synced task",
        sync={"etag": 'W/"42"', "list": [1, 2.5, None, True], "nested": {"k": "v"}},
        priority=3,
        counter=big,
        remark="Fête 🎉 会议",
    )
    original = {
        "tasks": {"1": first},
        "meta": {"1": {"schema_version": 1, "writer": "sync-tool"}},
        "sync_state": {"1": {"cursor": "abc", "seen": [1, 2, 3]}, "7": {"x": None}},
        "_default": {},
    }
    write_json(db, original)

    store = Store(db)
    store.add(new_task("Local task"))
    store.update(first["id"], lambda t: setattr(t, "title", "Synced task, renamed"))

    data = raw_file(db)
    assert data["sync_state"] == original["sync_state"]
    assert data["_default"] == {}
    assert data["meta"]["1"] == {"schema_version": 1, "writer": "sync-tool"}
    kept = data["tasks"]["1"]
    assert kept["title"] == "Synced task, renamed"
    for key in ("sync", "priority", "counter", "remark"):
        assert kept[key] == first[key]
    assert kept["counter"] == big
    assert {r["title"] for r in data["tasks"].values()} == {"Synced task, renamed", "Local task"}


# --- atomic writes ----------------------------------------------------------------------------


def test_writes_leave_no_temporary_files(db: Path) -> None:
    store = Store(db)
    for i in range(5):
        store.add(new_task(f"task {i}"))
    store.update(store.read().tasks[0].id, lambda t: setattr(t, "done", "2026-11-26T10:00:00Z"))
    assert temp_files(db.parent) == []
    names = {p.name for p in db.parent.iterdir()} - {"home"}  # home: the isolated $HOME
    assert names == {"backups", "tasks.json", "tasks.json.lock"}


def test_stale_temp_files_are_removed_on_next_write(db: Path) -> None:
    Store(db).add(new_task("one"))
    stale = [db.parent / ".tasks.json.k1ll3d.tmp", db.parent / ".tasks.json.abc_def.tmp"]
    for path in stale:
        path.write_bytes(b'{"tasks": {"1": {"id": "torn')
    others = [
        db.parent / ".other.json.xyz.tmp",
        db.parent / "notes.tmp",
        db.parent / "tasks.json.tmp",
    ]
    for path in others:
        path.write_text("not mine")

    assert titles(db) == {"one"}  # a reader ignores them
    assert all(p.exists() for p in stale)  # and does not clean up

    Store(db).add(new_task("two"))
    assert not any(p.exists() for p in stale)
    assert all(p.read_text() == "not mine" for p in others)
    assert titles(db) == {"one", "two"}


# --- corrupt files ----------------------------------------------------------------------------

_VALID = {"tasks": {"1": record("22222222-0000-4000-8000-000000000002", "fine")}, "meta": {}}

CORRUPT: dict[str, bytes] = {
    "empty": b"",
    "blank": b"  \n\n",
    "truncated": json.dumps(_VALID, indent=2).encode()[:97],
    "not-json": b"this is my shopping list\n- milk\n",
    "binary": bytes(range(256)),
    "json-list": b"[]",
    "json-string": b'"tasks"',
    "tasks-is-a-list": b'{"tasks": []}',
    "task-without-id": b'{"tasks": {"1": {"title": "no id"}}}',
    "task-is-a-string": b'{"tasks": {"1": "hello"}}',
    "tags-not-a-list": b'{"tasks": {"1": {"id": "a", "title": "b", "tags": "admin"}}}',
    "non-numeric-doc-id": b'{"tasks": {"first": {"id": "a", "title": "b"}}}',
    "future-schema": b'{"tasks": {}, "meta": {"1": {"schema_version": 99}}}',
}


@pytest.mark.parametrize("kind", list(CORRUPT))
def test_corrupt_file_is_never_overwritten(db: Path, kind: str) -> None:
    content = CORRUPT[kind]
    db.write_bytes(content)
    store = Store(db)

    with pytest.raises(CorruptFileError) as caught:
        store.read()
    assert str(db) in str(caught.value)

    attempts: list[Callable[[], Any]] = [
        lambda: store.add(new_task("new")),
        lambda: store.update("22222222-0000-4000-8000-000000000002", lambda t: None),
    ]
    for attempt in attempts:
        with pytest.raises(StoreError) as caught:
            attempt()
        message = str(caught.value)
        assert str(db) in message
        assert "\n" not in message
        if kind == "future-schema":
            assert "99" in message and "newer" in message

    assert db.read_bytes() == content
    assert store.backups() == []
    assert temp_files(db.parent) == []


# --- schema migration and backups -------------------------------------------------------------


def test_file_without_meta_is_migrated_after_a_backup(db: Path) -> None:
    old = {"tasks": {"1": record("33333333-0000-4000-8000-000000000003", "from v0")}}
    original = write_json(db, old)
    assert titles(db) == {"from v0"}
    assert db.read_bytes() == original  # reading does not migrate

    Store(db, clock=Clock()).add(new_task("after"))

    data = raw_file(db)
    assert [m["schema_version"] for m in data["meta"].values()] == [SCHEMA_VERSION]
    assert {r["title"] for r in data["tasks"].values()} == {"from v0", "after"}
    backups = Store(db).backups()
    [pre] = [b for b in backups if "pre-v1" in b.name]
    assert pre.read_bytes() == original
    assert pre.parent == db.parent / "backups"


def test_migration_backup_is_written_before_the_file(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = write_json(db, {"tasks": {}})
    real_replace = os.replace

    def replace_fails_for_the_task_file(src: Any, dst: Any) -> None:
        if Path(dst) == db:
            raise OSError(errno.EIO, "Input/output error")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace_fails_for_the_task_file)
    with pytest.raises(StoreError):
        Store(db, clock=Clock()).add(new_task("x"))
    assert db.read_bytes() == original
    [pre] = [b for b in Store(db).backups() if "pre-v1" in b.name]
    assert pre.read_bytes() == original


def test_daily_backup_on_first_write_of_a_day_seven_kept(db: Path) -> None:
    clock = Clock()
    store = Store(db, clock=clock)
    for day in range(10):
        for hour in range(2):
            store.add(new_task(f"day {day} write {hour}"))
            clock.advance(hours=1)
        if day == 0:
            # Creating the file needs no backup; the second write of the day makes one.
            assert len(store.backups()) == 1
        clock.advance(hours=22)

    backups = store.backups()
    assert len(backups) == BACKUPS_KEPT == 7
    days = [b.name.split(".")[1][:8] for b in backups]
    assert days == [f"202612{d:02d}" for d in range(5, 0, -1)] + ["20261130", "20261129"]
    # Each day's backup is the file as it was before that day's first write.
    assert all(b.name.endswith("-daily.json") for b in backups)
    newest = json.loads(backups[0].read_bytes())
    assert len(newest["tasks"]) == 18
    oldest = json.loads(backups[-1].read_bytes())
    assert len(oldest["tasks"]) == 6


def test_backups_of_two_files_in_one_folder_are_kept_apart(tmp_path: Path) -> None:
    clock = Clock()
    home, work = (
        Store(tmp_path / "tasks.json", clock=clock),
        Store(tmp_path / "tasks.work.json", clock=clock),
    )
    for day in range(9):
        for store in (work, home, work, home):
            store.add(new_task(f"day {day}"))
        clock.advance(days=1)
    assert len(home.backups()) == len(work.backups()) == BACKUPS_KEPT
    assert all(".work." not in b.name for b in home.backups())
    assert all(".work." in b.name for b in work.backups())


# --- tombstones and conflicts -----------------------------------------------------------------


def test_delete_leaves_a_tombstone_purged_after_30_days(db: Path) -> None:
    clock = Clock()
    store = Store(db, clock=clock)
    gone, kept = new_task("to delete"), new_task("to keep")
    store.add(gone, kept)
    with store.transaction() as txn:
        txn.delete(gone.id)

    assert [t.title for t in store.read().tasks] == ["to keep"]
    [tomb] = [r for r in raw_file(db)["tasks"].values() if r["id"] == gone.id]
    assert tomb["deleted"] == "2026-11-26T11:00:00+00:00"
    with pytest.raises(UnknownId):
        store.update(gone.id, lambda t: None)
    with pytest.raises(UnknownId), store.transaction() as txn:
        txn.resolve(gone.id[:8])

    clock.advance(days=29)
    store.add(new_task("day 29"))
    assert gone.id in {r["id"] for r in raw_file(db)["tasks"].values()}

    clock.advance(days=2)
    store.add(new_task("day 31"))
    ids = {r["id"] for r in raw_file(db)["tasks"].values()}
    assert gone.id not in ids and kept.id in ids
    assert titles(db) == {"to keep", "day 29", "day 31"}


def test_update_with_a_stale_expectation_is_refused(db: Path) -> None:
    clock = Clock()
    store = Store(db, clock=clock)
    task = new_task("Original", now=clock())
    store.add(task)
    seen = store.read().tasks[0].updated

    clock.advance(minutes=1)
    store.update(task.id, lambda t: setattr(t, "title", "Changed elsewhere"), expect_updated=seen)
    before = db.read_bytes()

    clock.advance(minutes=1)
    with pytest.raises(ConflictError, match="Changed elsewhere"):
        store.update(task.id, lambda t: setattr(t, "title", "Undo"), expect_updated=seen)
    assert db.read_bytes() == before
    assert titles(db) == {"Changed elsewhere"}


def test_file_replaced_underneath_is_picked_up_not_overwritten(db: Path, tmp_path: Path) -> None:
    ours = Store(db)
    ours.add(new_task("ours 1"))
    seen = ours.read()

    # Another program (a sync tool) writes a whole new file and renames it over ours.
    other = tmp_path / "elsewhere" / "tasks.json"
    other.parent.mkdir()
    shutil.copy(db, other)
    Store(other).add(new_task("theirs"))
    os.replace(other, db)

    assert ours.signature() != seen.signature
    assert titles(db) == {"ours 1", "theirs"}
    ours.add(new_task("ours 2"))
    assert titles(db) == {"ours 1", "theirs", "ours 2"}


def test_signature_changes_on_every_write(db: Path) -> None:
    store = Store(db, clock=Clock())
    assert store.signature() is None
    task = new_task("aaaa")
    store.add(task)
    signatures = [store.signature()]
    for i in range(30):
        # Same length each time, so the size alone cannot tell the versions apart.
        store.update(task.id, lambda t, i=i: setattr(t, "title", f"t{i:03d}"))
        signatures.append(store.signature())
        assert store.read().signature == signatures[-1]
    assert len({s.size for s in signatures[1:] if s}) == 1
    assert all(a != b for a, b in itertools.pairwise(signatures))


# --- failing disks ----------------------------------------------------------------------------


def _two_writes(db: Path) -> bytes:
    """A file with today's backup already made, so the next write only touches the file."""
    Store(db).add(new_task("one"))
    Store(db).add(new_task("two"))
    assert len(Store(db).backups()) == 1
    return db.read_bytes()


@pytest.mark.parametrize("how", ["mkstemp", "replace"])
def test_read_only_folder(db: Path, monkeypatch: pytest.MonkeyPatch, how: str) -> None:
    before = _two_writes(db)
    folder = db.parent
    folder.chmod(0o500)
    try:
        if os.geteuid() == 0 or os.access(folder, os.W_OK):
            # root ignores the mode: fail where the kernel would have.
            def denied(*args: Any, **kwargs: Any) -> Any:
                raise PermissionError(errno.EACCES, "Permission denied")

            if how == "mkstemp":
                monkeypatch.setattr(tempfile, "mkstemp", denied)
            else:
                monkeypatch.setattr(os, "replace", denied)
        with pytest.raises(StoreError) as caught:
            Store(db).add(new_task("three"))
    finally:
        folder.chmod(0o700)
    message = str(caught.value)
    assert str(db) in message and "Permission denied" in message
    assert db.read_bytes() == before
    assert temp_files(folder) == []
    assert titles(db) == {"one", "two"}


class _FullDiskFile:
    """A file object whose writes fail the way a full disk does."""

    def __init__(self, handle: Any) -> None:
        self.handle = handle

    def __enter__(self) -> _FullDiskFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.handle.close()

    def write(self, data: bytes) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    def __getattr__(self, name: str) -> Any:
        return getattr(self.handle, name)


@pytest.mark.parametrize("how", ["fsync", "write", "fsync-during-daily-backup"])
def test_full_disk(db: Path, monkeypatch: pytest.MonkeyPatch, how: str) -> None:
    if how == "fsync-during-daily-backup":
        Store(db).add(new_task("one"))
        Store(db).add(new_task("two"))
        for backup in Store(db).backups():
            backup.unlink()  # so the next write starts with a backup
        before = db.read_bytes()
    else:
        before = _two_writes(db)

    def no_space(*args: Any, **kwargs: Any) -> Any:
        raise OSError(errno.ENOSPC, "No space left on device")

    if how == "write":
        real_fdopen = os.fdopen
        monkeypatch.setattr(os, "fdopen", lambda *a, **k: _FullDiskFile(real_fdopen(*a, **k)))
    else:
        monkeypatch.setattr(os, "fsync", no_space)

    with pytest.raises(StoreError) as caught:
        Store(db).add(new_task("three"))
    monkeypatch.undo()
    assert "disk is full" in str(caught.value)
    assert db.read_bytes() == before
    assert temp_files(db.parent) == []
    assert titles(db) == {"one", "two"}
    Store(db).add(new_task("three"))  # and all is well once there is room again
    assert titles(db) == {"one", "two", "three"}


def test_a_folder_that_cannot_be_fsynced_does_not_lose_or_misreport_a_change(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Some network and FUSE file systems refuse fsync on a folder (EINVAL)."""
    _two_writes(db)
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        if stat.S_ISDIR(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "Invalid argument")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    Store(db).add(new_task("three"))  # the file was replaced: this is a success
    assert titles(db) == {"one", "two", "three"}
    assert temp_files(db.parent) == []


# --- real processes ---------------------------------------------------------------------------


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    return env


ADDER = textwrap.dedent(
    """
    import sys
    from eisenhower_tui.domain.tasks import new_task
    from eisenhower_tui.store import Store
    store = Store(sys.argv[1])
    for i in range(int(sys.argv[3])):
        store.add(new_task(f"{sys.argv[2]}-{i}"))
    """
)


def test_parallel_processes_lose_no_update(db: Path) -> None:
    workers, each = 8, 50
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", ADDER, str(db), f"w{w}", str(each)],
            env=_child_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for w in range(workers)
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err.decode()
    snapshot = Store(db).read()
    expected = {f"w{w}-{i}" for w in range(workers) for i in range(each)}
    assert len(snapshot.tasks) == workers * each
    assert {t.title for t in snapshot.tasks} == expected
    assert len({t.id for t in snapshot.tasks}) == workers * each
    assert temp_files(db.parent) == []


LOOPING_WRITER = textwrap.dedent(
    """
    import sys
    from eisenhower_tui.domain.tasks import new_task
    from eisenhower_tui.store import Store
    store = Store(sys.argv[1])
    print("ready", flush=True)
    i = 0
    while True:
        task = new_task(f"{sys.argv[2]}-{i}")
        store.add(task)
        print(task.id, flush=True)
        i += 1
    """
)


def _ids_on_disk(db: Path) -> set[str]:
    data = json.loads(db.read_bytes())  # plain JSON, whole
    assert isinstance(data, dict) and isinstance(data["tasks"], dict)
    ids = {r["id"] for r in data["tasks"].values()}
    assert ids == {t.id for t in Store(db).read().tasks}  # and the store accepts it
    return ids


def test_sigkill_at_any_moment_leaves_a_whole_file(db: Path) -> None:
    Store(db).add(*(new_task(f"seed {i} " + "x" * 60, tags=["seed"]) for i in range(2000)))
    ids = _ids_on_disk(db)
    rng = random.Random(20261126)
    grew = torn = 0
    for round_ in range(50):
        proc = subprocess.Popen(
            [sys.executable, "-c", LOOPING_WRITER, str(db), f"r{round_}"],
            env=_child_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert proc.stdout is not None
        assert proc.stdout.readline() == "ready\n", proc.stderr.read() if proc.stderr else ""
        time.sleep(rng.uniform(0.005, 0.080))
        proc.send_signal(signal.SIGKILL)
        out, _ = proc.communicate(timeout=30)
        assert proc.returncode == -signal.SIGKILL
        acked = set(out.split())
        torn += bool(temp_files(db.parent))

        now_ids = _ids_on_disk(db)
        assert ids <= now_ids, "a task that was saved is gone"
        assert acked <= now_ids, "an add that returned is not on disk"
        new = now_ids - ids
        # At most one add was cut short between its rename and its print.
        assert len(acked) <= len(new) <= len(acked) + 1
        grew += len(new)
        ids = now_ids
    assert grew > 0, f"the writer never got to write ({torn} torn): the test proves nothing"
    Store(db).add(new_task("after the crashes"))
    assert temp_files(db.parent) == []
    assert len(Store(db).read().tasks) == 2000 + grew + 1


def test_lock_is_released_when_the_holder_dies(db: Path) -> None:
    holder = textwrap.dedent(
        """
        import sys, time
        from eisenhower_tui.store import Store
        with Store(sys.argv[1]).transaction():
            print("locked", flush=True)
            time.sleep(60)
        """
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", holder, str(db)],
        env=_child_env(),
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline() == "locked\n"
        with pytest.raises(StoreError, match="lock"):
            Store(db, lock_timeout=0.2).add(new_task("blocked"))
    finally:
        proc.kill()
        proc.wait(timeout=10)
    Store(db, lock_timeout=2).add(new_task("after"))
    assert titles(db) == {"after"}


def test_a_store_reusing_its_last_write_still_sees_a_same_size_change_by_another_writer(
    tmp_path: Path,
) -> None:
    """The writer skips re-parsing its own last write; a change of the same length must show."""
    path = tmp_path / "tasks.json"
    store = Store(path, keep_last_version=True)
    store.add(new_task("Alpha", Quadrant.DO))
    store.add(new_task("Bravo", Quadrant.DO))  # second write: the first one is cached
    assert store._cache is not None
    raw = path.read_bytes()
    changed = raw.replace(b'"Alpha"', b'"Alpho"')
    assert len(changed) == len(raw) and changed != raw
    other = tmp_path / "other.json"
    other.write_bytes(changed)
    os.replace(other, path)
    store.add(new_task("Charlie", Quadrant.DO))
    assert sorted(t.title for t in Store(path).read().tasks) == ["Alpho", "Bravo", "Charlie"]


def test_a_store_starting_from_its_read_still_sees_a_same_size_change_made_after_it(
    tmp_path: Path,
) -> None:
    """The matrix's store writes from its launch read; a change of the same length made by
    another writer after that read must not be overwritten."""
    path = tmp_path / "tasks.json"
    Store(path).add(new_task("Alpha", Quadrant.DO))
    store = Store(path, keep_last_version=True)
    assert [t.title for t in store.read().tasks] == ["Alpha"]
    raw = path.read_bytes()
    other = tmp_path / "other.json"
    other.write_bytes(raw.replace(b'"Alpha"', b'"Alpho"'))
    os.replace(other, path)
    store.add(new_task("Bravo", Quadrant.DO))
    assert sorted(t.title for t in Store(path).read().tasks) == ["Alpho", "Bravo"]


def test_a_store_starting_from_its_read_still_backs_up_a_file_it_had_to_mend(
    tmp_path: Path,
) -> None:
    """A read that mended the file (a title too long) is not what the first save starts from:
    the save backs the original up before it writes the mended version."""
    path = tmp_path / "tasks.json"
    Store(path).add(new_task("Short", Quadrant.DO))
    data = json.loads(path.read_bytes())
    next(iter(data["tasks"].values()))["title"] = "T" * 600
    original = json.dumps(data).encode()
    path.write_bytes(original)
    store = Store(path, keep_last_version=True)
    assert [len(t.title) for t in store.read().tasks] == [500]
    store.add(new_task("Bravo", Quadrant.DO))
    [backup] = [b.path for b in store.backup_infos() if b.reason == "pre-repair"]
    assert backup.read_bytes() == original
    assert sorted(len(t.title) for t in Store(path).read().tasks) == [5, 500]


def test_a_store_starting_from_its_read_of_an_old_file_backs_it_up_before_migrating(
    tmp_path: Path,
) -> None:
    """A read does not migrate; the first save from it still keeps the old file as it was."""
    path = tmp_path / "tasks.json"
    original = json.dumps({"tasks": {"1": new_task("Old", Quadrant.DO).to_record()}}).encode()
    path.write_bytes(original)
    store = Store(path, keep_last_version=True)
    assert [t.title for t in store.read().tasks] == ["Old"]
    store.add(new_task("New", Quadrant.DO))
    [backup] = [b.path for b in store.backup_infos() if b.reason == "pre-v1"]
    assert backup.read_bytes() == original
    assert json.loads(path.read_bytes())["meta"]["1"]["schema_version"] == 1


def test_a_long_lived_store_finds_every_task_it_wrote_in_its_next_writes(tmp_path: Path) -> None:
    """The matrix's store carries its id index from one write to the next; a task inserted,
    changed or deleted in one write is found (or not) by the following ones."""
    path = tmp_path / "tasks.json"
    store = Store(path, keep_last_version=True)
    first, second = new_task("First", Quadrant.DO), new_task("Second", Quadrant.DO)
    store.add(first)
    store.update(first.id, lambda t: setattr(t, "title", "First, changed"))
    store.apply(lambda txn: txn.put_many([second]))
    store.update(second.id, lambda t: setattr(t, "title", "Second, changed"))
    store.apply(lambda txn: txn.delete(first.id))
    with pytest.raises(UnknownId):
        store.update(first.id, lambda t: setattr(t, "title", "gone"))
    assert [t.title for t in Store(path).read().tasks] == ["Second, changed"]


def test_a_large_file_is_written_in_slices_that_make_the_same_bytes(tmp_path: Path) -> None:
    """Saves stream the tasks table in slices (memory at 50,000 tasks); the file is the
    compact document TinyDB and orjson would write in one go."""
    import orjson

    from eisenhower_tui import store as store_module

    path = tmp_path / "tasks.json"
    count = store_module.ENCODE_SLICE * 2 + 3
    Store(path).add(*(new_task(f"Task {n}", Quadrant.DO) for n in range(count)))
    data = orjson.loads(path.read_bytes())
    assert len(data["tasks"]) == count
    assert path.read_bytes() == orjson.dumps(data, option=orjson.OPT_APPEND_NEWLINE)


def test_tinydb_itself_reads_the_file() -> None:
    """The file stays a plain TinyDB document: TinyDB's own JSONStorage can open it."""
    import tempfile

    from tinydb import TinyDB

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "tasks.json"
        Store(path).add(new_task("Readable by TinyDB", Quadrant.SCHEDULE))
        with TinyDB(path, access_mode="r") as db:
            titles = [doc["title"] for doc in db.table("tasks").all()]
            versions = [doc["schema_version"] for doc in db.table("meta").all()]
        assert titles == ["Readable by TinyDB"]
        assert versions == [1]
