"""The store's edges, where a file written by someone else used to cost data: broken text,
symlinks, sync tools swapping the file, backups, odd files and odd records.

Every test here uses real files, and real processes where another program is involved.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
import pytest

from eisenhower_tui.domain.tasks import new_task
from eisenhower_tui.model import Quadrant
from eisenhower_tui.store import Store, StoreError
from tests.conftest import run_cli

REPO = Path(__file__).resolve().parents[1]
BROKEN_ID = "aaaa1111-0000-4000-8000-000000000001"


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    return env


def records_on_disk(path: Path) -> dict[str, dict[str, Any]]:
    """The task records by id, read the strict way (orjson refuses broken UTF-8 and surrogates)."""
    data = orjson.loads(path.read_bytes())
    return {r["id"]: r for r in data["tasks"].values()}


def backups_of(db: Path, reason: str) -> list[Path]:
    folder = db.parent / "backups"
    return sorted(p for p in folder.iterdir() if reason in p.name) if folder.exists() else []


# --- 1. a broken emoji does not stop saving ---------------------------------------------------


def write_file_with_a_cut_emoji(db: Path) -> bytes:
    """A task file as a JavaScript tool writes it when it cuts an emoji in two."""
    Store(db).add(new_task("alpha", Quadrant.DO), new_task("beta", Quadrant.SCHEDULE))
    data = json.loads(db.read_bytes())
    broken = new_task("placeholder", Quadrant.SCHEDULE).to_record()
    broken.update(id=BROKEN_ID, title="gamma \ud83d cut", notes="ok \udc00", x_by_js={"\ud83d": 1})
    data["tasks"]["3"] = broken
    raw = json.dumps(data).encode()  # ensure_ascii: the lone surrogates become \ud83d escapes
    assert b"\\ud83d" in raw
    with pytest.raises(orjson.JSONDecodeError):
        orjson.loads(raw)
    db.write_bytes(raw)  # one write so far: no backup yet
    return raw


def conflict_copy_of(db: Path) -> Path:
    data = json.loads(db.read_bytes())
    extra = new_task("from the laptop", Quadrant.DO).to_record()
    data["tasks"]["9"] = extra
    copy = db.with_name("tasks.sync-conflict-20261126-101010-ABCDEF7.json")
    copy.write_text(json.dumps(data))
    return copy


WRITING_COMMANDS: dict[str, list[str]] = {
    "add": ["add", "delta"],
    "done": ["done", BROKEN_ID[:8]],
    "move": ["move", BROKEN_ID[:8], "do"],
    "import": ["import", "{todo}", "--format", "todotxt"],
    "merge": ["merge", "{copy}"],
}


@pytest.mark.parametrize("command", list(WRITING_COMMANDS))
def test_a_cut_emoji_is_mended_on_the_next_save_after_a_backup_of_the_original(
    db: Path, tmp_path: Path, command: str
) -> None:
    original = write_file_with_a_cut_emoji(db)
    todo = tmp_path / "todo.txt"
    todo.write_text("(A) imported task\n")
    copy = conflict_copy_of(db)
    args = [a.format(todo=todo, copy=copy) for a in WRITING_COMMANDS[command]]

    result = run_cli(*args, db=db)

    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "broken characters" in result.stderr and "backed up" in result.stderr
    records = records_on_disk(db)  # strict UTF-8 JSON now
    assert records[BROKEN_ID]["title"] == "gamma \ufffd cut"
    assert records[BROKEN_ID]["notes"] == "ok \ufffd"
    assert records[BROKEN_ID]["x_by_js"] == {"\ufffd": 1}
    assert {"alpha", "beta"} <= {r["title"] for r in records.values()}
    [backup] = backups_of(db, "pre-repair")
    assert backup.read_bytes() == original
    assert str(backup) in result.stderr


def test_a_cut_emoji_does_not_stop_list_json_or_export_and_they_write_nothing(
    db: Path, tmp_path: Path
) -> None:
    original = write_file_with_a_cut_emoji(db)

    listed = run_cli("list", "--json", "--all", db=db)
    assert listed.returncode == 0, listed.stderr
    assert "gamma \ufffd cut" in {r["title"] for r in orjson.loads(listed.stdout.encode())}
    assert "broken characters" in listed.stderr and "Traceback" not in listed.stderr

    target = tmp_path / "out.json"
    exported = run_cli("export", "--format", "json", "-o", str(target), db=db)
    assert exported.returncode == 0, exported.stderr
    assert "gamma \ufffd cut" in target.read_text(encoding="utf-8")
    assert "broken characters" in exported.stderr

    for fmt in ("csv", "markdown", "ics"):
        shown = run_cli("export", "--format", fmt, db=db)
        assert shown.returncode == 0 and "Traceback" not in shown.stderr, shown.stderr

    assert db.read_bytes() == original  # reading never writes
    assert backups_of(db, "pre-repair") == []


def test_a_snapshot_carries_the_notice_and_a_second_save_needs_no_backup(db: Path) -> None:
    write_file_with_a_cut_emoji(db)
    store = Store(db)
    snapshot = store.read()
    [notice] = snapshot.notices
    assert "3 texts" in notice and "on the next save" in notice
    assert store.last_notices == snapshot.notices
    assert store.read_records() and store.last_notices == snapshot.notices

    store.add(new_task("first save"))
    store.add(new_task("second save"))
    assert len(backups_of(db, "pre-repair")) == 1
    assert Store(db).read().notices == []


# --- 2. a symlinked task file stays a symlink -------------------------------------------------


def test_writing_through_a_symlinked_task_file_keeps_the_link_and_changes_its_target(
    tmp_path: Path,
) -> None:
    dropbox = tmp_path / "Dropbox"
    dropbox.mkdir()
    target = dropbox / "tasks.json"
    Store(target).add(new_task("made in Dropbox", Quadrant.DO))
    (tmp_path / "data").mkdir()
    link = tmp_path / "data" / "tasks.json"
    link.symlink_to(os.path.relpath(target, link.parent))

    for title in ("first through the link", "second through the link"):
        result = run_cli("add", title, db=link)
        assert result.returncode == 0, result.stderr

    assert link.is_symlink()
    assert {r["title"] for r in records_on_disk(target).values()} == {
        "made in Dropbox",
        "first through the link",
        "second through the link",
    }
    # Lock and backups sit beside the real file, none beside the link.
    assert sorted(p.name for p in link.parent.iterdir()) == ["tasks.json"]
    assert (dropbox / "tasks.json.lock").exists() and backups_of(target, "daily")


def test_a_dangling_symlink_creates_its_target_and_stays_a_link(tmp_path: Path) -> None:
    dropbox = tmp_path / "Dropbox"
    dropbox.mkdir()
    link = tmp_path / "tasks.json"
    link.symlink_to(dropbox / "tasks.json")

    result = run_cli("add", "the very first task", db=link)

    assert result.returncode == 0, result.stderr
    assert link.is_symlink()
    assert [r["title"] for r in records_on_disk(dropbox / "tasks.json").values()] == [
        "the very first task"
    ]


# --- 3. a sync tool's swap is not overwritten -------------------------------------------------

# A sync tool (Syncthing, Dropbox) takes no lock: it writes a whole new version beside the file
# and renames it over. This one brings 120 versions, each adding one record to the file as it
# finds it, so a version our rename overwrote shows as a missing "swap k" record.
SWAPPER = """
import json, os, sys, time
from pathlib import Path
db, versions = Path(sys.argv[1]), int(sys.argv[2])
for k in range(versions):
    data = json.loads(db.read_bytes())
    tasks = data["tasks"]
    doc = str(max(map(int, tasks), default=0) + 1)
    tasks[doc] = {"id": f"swap-{k:05d}", "title": f"swap {k}", "urgent": False,
                  "important": True, "tags": [], "created": "2026-11-26T10:00:00+00:00",
                  "updated": "2026-11-26T10:00:00+00:00"}
    tmp = db.with_name(f".syncthing.{db.name}.tmp")
    tmp.write_bytes(json.dumps(data).encode())
    os.replace(tmp, db)
    time.sleep(0.005)  # the tool's own pace between two versions
"""

# Adds tasks until told to stop; a save the store gives up on (the file swapped three times
# in a row) is reported as a user would see it, and counted.
ADDER = """
import sys
from pathlib import Path
from eisenhower_tui.domain.tasks import new_task
from eisenhower_tui.store import Store, StoreError
store, stop = Store(sys.argv[1]), Path(sys.argv[2])
added = gave_up = 0
print("ready", flush=True)
while not stop.exists():
    try:
        store.add(new_task(f"ours {added}"))
        added += 1
    except StoreError as exc:
        assert "replaced by another program" in str(exc), exc
        gave_up += 1
print(added, gave_up, flush=True)
"""


def test_a_sync_tool_swapping_the_file_by_rename_loses_no_version_to_our_writes(
    db: Path, tmp_path: Path
) -> None:
    Store(db).add(*(new_task(f"seed {i} " + "x" * 80) for i in range(300)))
    stop, versions = tmp_path / "stop", 120
    adder = subprocess.Popen(
        [sys.executable, "-c", ADDER, str(db), str(stop)],
        env=child_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert adder.stdout is not None and adder.stdout.readline() == "ready\n"
        swapper = subprocess.run(
            [sys.executable, "-c", SWAPPER, str(db), str(versions)],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    finally:
        stop.touch()
        out, err = adder.communicate(timeout=60)
    assert swapper.returncode == 0, swapper.stderr
    assert adder.returncode == 0, err
    added, gave_up = map(int, out.split())
    ids = set(records_on_disk(db))
    lost = [k for k in range(versions) if f"swap-{k:05d}" not in ids]
    print(f"{len(lost)} of {versions} swapped-in versions lost; {added} adds, {gave_up} gave up")
    # Our writes must have overlapped the swaps for this to prove anything.
    assert added >= 50, f"only {added} adds during the swaps: the test proves nothing"
    # Without the check 80 to 98 of the 120 were lost here; with it 0 to 3: what is left is
    # the window between the last stat and the rename (see README, "Your data").
    assert len(lost) <= versions // 10, f"{len(lost)} of {versions} versions lost: {lost[:10]}"


SWAP_ONCE = SWAPPER.replace("range(versions)", "[versions]").replace("time.sleep(0.005)", "")


def swap_in_a_version(db: Path, k: int) -> None:
    """Another program (no lock) renames a new version of the file over it, once."""
    subprocess.run([sys.executable, "-c", SWAP_ONCE, str(db), str(k)], check=True, timeout=60)


def test_a_swap_during_a_save_is_kept_and_the_change_made_again_on_it(db: Path) -> None:
    store = Store(db)
    store.add(new_task("ours before"))
    runs: list[int] = []

    def add_while_a_sync_tool_swaps(txn: Any) -> str:
        runs.append(len(runs))
        if len(runs) == 1:
            swap_in_a_version(db, 1)  # after our read, before our write
        task = new_task("ours during the swap")
        txn.insert([task])
        return task.title

    assert store.apply(add_while_a_sync_tool_swaps) == "ours during the swap"
    assert len(runs) == 2
    titles = {r["title"] for r in records_on_disk(db).values()}
    assert titles == {"ours before", "swap 1", "ours during the swap"}


def test_a_swap_during_a_one_shot_transaction_is_refused_and_theirs_kept(db: Path) -> None:
    store = Store(db)
    store.add(new_task("ours before"))
    with pytest.raises(StoreError, match="replaced by another program") as caught:
        with store.transaction() as txn:
            swap_in_a_version(db, 1)
            txn.insert([new_task("ours, not saved")])
    assert str(db) in str(caught.value)
    assert {r["title"] for r in records_on_disk(db).values()} == {"ours before", "swap 1"}


# --- 4. backups never overwrite backups -------------------------------------------------------


def fixed_clock(when: datetime) -> Callable[[], datetime]:
    return lambda: when


def test_two_restores_in_one_second_keep_both_previous_files(db: Path) -> None:
    noon = datetime(2026, 11, 26, 11, 0, tzinfo=UTC)
    Store(db, clock=fixed_clock(noon - timedelta(days=2))).add(new_task("version A"))
    Store(db, clock=fixed_clock(noon - timedelta(days=1))).add(new_task("version B"))
    [monday] = Store(db).backups()  # the file as it was before B: version A only
    store = Store(db, clock=fixed_clock(noon))
    before_first = db.read_bytes()

    first = store.restore(monday)
    store.add(new_task("version C"))  # same second, same clock
    before_second = db.read_bytes()
    second = store.restore(monday)

    assert first != second
    assert first.read_bytes() == before_first
    assert second.read_bytes() == before_second
    assert all("before-restore" in p.name for p in (first, second))


def test_restores_do_not_push_out_the_daily_backups(db: Path) -> None:
    start = datetime(2026, 11, 1, 11, 0, tzinfo=UTC)
    for day in range(9):
        Store(db, clock=fixed_clock(start + timedelta(days=day))).add(new_task(f"day {day}"))
    dailies = Store(db).backups()
    assert len(dailies) == 7
    later = Store(db, clock=fixed_clock(start + timedelta(days=9)))
    for _ in range(10):
        later.restore(dailies[0])

    infos = Store(db).backup_infos()
    assert [b.path for b in infos if b.reason == "daily"] == dailies
    assert len([b for b in infos if b.reason == "before-restore"]) == 7
    assert len({b.path.name for b in infos}) == len(infos) == 14


def test_a_backup_is_created_exclusively_never_over_a_file_of_the_same_name(db: Path) -> None:
    noon = datetime(2026, 11, 26, 11, 0, tzinfo=UTC)
    store = Store(db, clock=fixed_clock(noon))
    store.add(new_task("one"))
    store.add(new_task("two"))  # backs up "one"
    [daily] = store.backups()
    local = noon.astimezone().strftime("%Y%m%d-%H%M%S")
    squatter = db.parent / "backups" / f"tasks.{local}-before-restore.json"
    squatter.write_text('{"tasks": {}, "meta": {}}')
    before = db.read_bytes()

    saved = store.restore(daily)

    assert squatter.read_text() == '{"tasks": {}, "meta": {}}'
    assert saved.name == f"tasks.{local}-1-before-restore.json"
    assert saved.read_bytes() == before


def test_temp_files_of_killed_backup_writes_are_removed_on_the_next_write(
    db: Path, tmp_path: Path
) -> None:
    Store(db).add(new_task("one"))
    folder = db.parent / "backups"
    folder.mkdir()
    ours = folder / ".tasks.20261126-120000-k1ll3d.tmp"
    theirs = folder / ".tasks.work.20261126-120000-k1ll3d.tmp"  # another file's backup
    for path in (ours, theirs):
        path.write_bytes(b'{"tasks": {"1": {"id": "torn')

    Store(db).add(new_task("two"))

    assert not ours.exists() and theirs.exists()


def test_restore_lists_each_backup_with_its_age_and_task_count(db: Path) -> None:
    now = datetime.now(UTC)
    Store(db, clock=fixed_clock(now - timedelta(days=3))).add(new_task("a"), new_task("b"))
    Store(db, clock=fixed_clock(now - timedelta(hours=2, minutes=5))).add(new_task("c"))
    broken = db.parent / "backups" / "tasks.20200101-000000-daily.json"
    broken.write_text("{not json")

    listed = run_cli("restore", db=db)

    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    assert len(lines) == 2
    assert lines[0].endswith("  2 h ago  2 tasks"), lines
    assert lines[1].startswith(str(broken)) and lines[1].endswith("  unreadable"), lines


# --- 5. the rest ------------------------------------------------------------------------------

HOLDER = """
import sys
from eisenhower_tui.domain.tasks import new_task
from eisenhower_tui.store import Store, StoreError
store = Store(sys.argv[1], lock_timeout=float(sys.argv[3]))
def change(txn):
    print("in", flush=True)
    sys.stdin.readline()  # hold the lock until told to go on
    txn.insert([new_task(sys.argv[2])])
try:
    store.apply(change)
except StoreError as exc:
    print(exc, file=sys.stderr)
    sys.exit(1)
"""


def start_holder(db: Path, title: str, lock_timeout: float) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db), title, str(lock_timeout)],
        env=child_env(),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stdout.readline() == "in\n"
    return proc


def test_a_lock_file_deleted_while_held_does_not_let_two_writers_write_at_once(db: Path) -> None:
    Store(db).add(new_task("before"))
    first = start_holder(db, "from the first", lock_timeout=0.5)
    (db.parent / "tasks.json.lock").unlink()  # a clean-up tool, a user
    second = start_holder(db, "from the second", lock_timeout=10)  # takes a new lock file
    try:
        # The first must wait for the second's lock before writing: here it gives up.
        _, err = first.communicate("go\n", timeout=60)
        assert first.returncode == 1 and "lock" in err, err
        assert {r["title"] for r in records_on_disk(db).values()} == {"before"}
        _, err = second.communicate("go\n", timeout=60)
        assert second.returncode == 0, err
    finally:
        for proc in (first, second):
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    assert {r["title"] for r in records_on_disk(db).values()} == {"before", "from the second"}


def test_a_planted_lock_symlink_is_not_followed(db: Path, tmp_path: Path) -> None:
    Store(db).add(new_task("before"))
    before = db.read_bytes()
    victim = tmp_path / "elsewhere" / "victim"
    victim.parent.mkdir()
    lock = db.parent / "tasks.json.lock"
    lock.unlink()
    lock.symlink_to(victim)

    result = run_cli("add", "after", db=db)

    assert result.returncode == 1
    assert "symbolic link" in result.stderr and str(lock) in result.stderr
    assert not victim.exists()
    assert db.read_bytes() == before


def test_document_ids_one_and_zero_one_are_refused_not_merged(db: Path) -> None:
    a, b = new_task("first").to_record(), new_task("second").to_record()
    raw = json.dumps({"tasks": {"1": a, "01": b}, "meta": {"1": {"schema_version": 1}}}).encode()
    db.write_bytes(raw)
    for args in (["list"], ["add", "third"], ["done", a["id"][:8]]):
        result = run_cli(*args, db=db)
        assert result.returncode == 1, result.stderr
        assert "01" in result.stderr and str(db) in result.stderr
    assert db.read_bytes() == raw
    assert not (db.parent / "backups").exists()


def test_a_fifo_as_task_file_is_refused_at_once(db: Path) -> None:
    os.mkfifo(db)
    for args in (["list"], ["list", "--json"], ["add", "x"], ["export"]):
        result = run_cli(*args, db=db, timeout=30)
        assert result.returncode == 1, result.stderr
        assert "not a regular file" in result.stderr and str(db) in result.stderr
    assert not db.is_file()  # still the pipe: nothing replaced it


def test_a_read_only_task_file_is_not_replaced(db: Path) -> None:
    Store(db).add(new_task("one"))
    db.chmod(0o400)
    before = db.read_bytes()
    inode = db.stat().st_ino

    result = run_cli("add", "two", db=db)

    assert result.returncode == 1
    assert "read-only" in result.stderr and str(db) in result.stderr
    assert db.read_bytes() == before and db.stat().st_ino == inode
    assert oct(db.stat().st_mode & 0o777) == oct(0o400)
    assert not (db.parent / "backups").exists()
    assert run_cli("list", db=db).returncode == 0  # reading it is fine


UNDER_UMASK = """
import os, sys
os.umask(int(sys.argv[1], 8))
from eisenhower_tui.cli import main
sys.exit(main(sys.argv[2:]))
"""


@pytest.mark.parametrize("umask", ["022", "277"])
def test_every_folder_the_store_creates_is_private(tmp_path: Path, umask: str) -> None:
    db = tmp_path / "a" / "b" / "c" / "tasks.json"
    for title in ("one", "two"):  # the second write makes the backups folder
        result = subprocess.run(
            [sys.executable, "-c", UNDER_UMASK, umask, "--db", str(db), "add", title],
            env=child_env(),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert result.returncode == 0, result.stderr
    for folder in (tmp_path / "a", tmp_path / "a" / "b", db.parent, db.parent / "backups"):
        assert oct(folder.stat().st_mode & 0o777) == oct(0o700), folder


FOREIGN = {
    "another program's TinyDB": {"_default": {"1": {"name": "not a task"}}},
    "empty tables of another program": {"_default": {}, "users": {}},
    "meta without tasks": {"meta": {"1": {"schema_version": 1}}},
    "schema version as text": {"tasks": {}, "meta": {"1": {"schema_version": "2"}}},
    "schema version as a boolean": {"tasks": {}, "meta": {"1": {"schema_version": True}}},
}


@pytest.mark.parametrize("kind", list(FOREIGN))
def test_a_file_that_is_not_ours_is_refused_byte_identical(db: Path, kind: str) -> None:
    raw = json.dumps(FOREIGN[kind]).encode()
    db.write_bytes(raw)
    for args in (["add", "mine"], ["list"]):
        result = run_cli(*args, db=db)
        assert result.returncode == 1, result.stderr
        assert str(db) in result.stderr and "Traceback" not in result.stderr
    assert db.read_bytes() == raw
    assert not (db.parent / "backups").exists()


@pytest.mark.parametrize("content", [{}, {"tasks": {}}])
def test_an_empty_document_or_a_bare_tasks_table_is_still_accepted(
    db: Path, content: dict[str, Any]
) -> None:
    db.write_text(json.dumps(content))
    result = run_cli("add", "mine", db=db)
    assert result.returncode == 0, result.stderr
    assert [r["title"] for r in records_on_disk(db).values()] == ["mine"]


def test_huge_titles_and_notes_are_cut_on_load_and_saved_cut_after_a_backup(db: Path) -> None:
    Store(db).add(new_task("small"))
    data = json.loads(db.read_bytes())
    huge = new_task("placeholder").to_record()
    huge.update(title="T" * 10_000_000, notes="n" * 150_000)
    data["tasks"]["2"] = huge
    original = json.dumps(data).encode()
    db.write_bytes(original)

    listed = run_cli("list", "--json", db=db)
    assert listed.returncode == 0, listed.stderr
    [shown] = [r for r in json.loads(listed.stdout) if r["id"] == huge["id"]]
    assert len(shown["title"]) == 500 and shown["title"].endswith("\u2026")
    assert len(shown["notes"]) == 100_000
    assert "too long" in listed.stderr
    assert db.read_bytes() == original  # reading does not write

    added = run_cli("add", "another", db=db)
    assert added.returncode == 0, added.stderr
    stored = records_on_disk(db)[huge["id"]]
    assert len(stored["title"]) == 500 and len(stored["notes"]) == 100_000
    [backup] = backups_of(db, "pre-repair")
    assert backup.read_bytes() == original


def test_a_task_stored_twice_is_deleted_by_rm_and_stays_deleted(db: Path) -> None:
    Store(db).add(new_task("other"))
    data = json.loads(db.read_bytes())
    twin = new_task("old copy").to_record()
    twin.update(id=BROKEN_ID, updated="2026-11-01T10:00:00+00:00")
    newer = dict(twin, title="new copy", updated="2026-11-02T10:00:00+00:00")
    data["tasks"].update({"2": newer, "3": twin})
    db.write_text(json.dumps(data))

    listed = run_cli("list", db=db)
    assert listed.returncode == 0, listed.stderr
    assert "new copy" in listed.stdout and "old copy" not in listed.stdout
    assert "same id" in listed.stderr

    removed = run_cli("rm", BROKEN_ID[:8], db=db)
    assert removed.returncode == 0, removed.stderr
    after = run_cli("list", "--all", "--json", db=db)
    assert [r["title"] for r in json.loads(after.stdout)] == ["other"]
    same_id = [r for r in json.loads(db.read_bytes())["tasks"].values() if r["id"] == BROKEN_ID]
    assert len(same_id) == 1 and same_id[0]["deleted"]
    assert backups_of(db, "pre-repair")


def _file_with(entries: dict[str, Any]) -> bytes:
    tasks = {"1": new_task("first").to_record(), **entries}
    return json.dumps({"tasks": tasks, "meta": {"1": {"schema_version": 1}}}).encode()


def _with(**fields: Any) -> dict[str, Any]:
    return {**new_task("second").to_record(), **fields}


REFUSED = {
    "an entry that is not an object": ("7", ["not", "a", "task"]),
    "an id that is a number": ("7", _with(id=7)),
    "a missing title": ("7", _with(title=None)),
    "tags that are text": ("7", _with(tags="home")),
    "a document id in Arabic-Indic digits": ("\u0667", _with()),
    "an empty document id": ("", _with()),
}


@pytest.mark.parametrize("kind", list(REFUSED))
def test_a_wrong_entry_among_good_ones_is_refused_and_named(db: Path, kind: str) -> None:
    """The record check runs as one fast pass over the table; every wrong entry still stops a
    write, and the message names that entry."""
    doc_id, entry = REFUSED[kind]
    raw = _file_with({doc_id: entry})
    db.write_bytes(raw)
    result = run_cli("add", "third", db=db)
    assert result.returncode == 1, result.stderr
    assert f"task entry '{doc_id}'" in result.stderr and str(db) in result.stderr
    assert db.read_bytes() == raw


def test_odd_but_harmless_entries_are_kept_and_the_new_task_gets_the_next_id(db: Path) -> None:
    """Empty or null tags and notes, and document id 0, pass the check as they always did."""
    db.write_bytes(_file_with({"0": _with(tags=None, notes=None), "12": _with(tags="")}))
    result = run_cli("add", "third", db=db)
    assert result.returncode == 0, result.stderr
    records = records_on_disk(db)
    assert {r["title"] for r in records.values()} == {"first", "second", "third"}
    assert json.loads(db.read_bytes())["tasks"]["13"]["title"] == "third"  # TinyDB's rule
