"""Backups and `eisenhower restore`: daily copies, the last 7 kept, nothing lost by a restore."""

from __future__ import annotations

import json
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

from eisenhower_tui.domain.tasks import new_task
from eisenhower_tui.model import Quadrant
from eisenhower_tui.store import Store
from tests.conftest import run_cli


def _titles(db: Path) -> list[str]:
    return sorted(t.title for t in Store(db).read().tasks)


def _store_on(db: Path, day: int) -> Store:
    when = datetime(2026, 11, day, 12, 0, tzinfo=UTC)
    return Store(db, clock=lambda: when)


def test_restore_lists_backups_and_brings_one_back_keeping_the_current_file(db: Path) -> None:
    _store_on(db, 20).add(new_task("Monday's task", Quadrant.DO))
    _store_on(db, 21).add(new_task("Tuesday's task", Quadrant.DO))  # backs up Monday's file
    _store_on(db, 22).add(new_task("Wednesday's task", Quadrant.DO))  # backs up Tuesday's
    listed = run_cli("restore", db=db)
    assert listed.returncode == 0, listed.stderr
    names = [line.split("  ")[0] for line in listed.stdout.splitlines()]
    assert len(names) == 2 and all("daily" in n for n in names)
    monday = next(n for n in names if ".20261121-" in n)  # taken before Tuesday's write
    before = db.read_bytes()

    restored = run_cli("restore", "20261121", db=db)
    assert restored.returncode == 0, restored.stderr
    assert _titles(db) == ["Monday's task"]
    assert Path(monday).read_bytes() == db.read_bytes()
    # What was replaced is itself a backup, so the restore can be undone.
    saved = [p for p in (db.parent / "backups").iterdir() if "before-restore" in p.name]
    assert len(saved) == 1 and saved[0].read_bytes() == before
    assert stat.S_IMODE(saved[0].stat().st_mode) == 0o600


def test_only_the_last_seven_backups_are_kept(db: Path) -> None:
    for day in range(1, 12):
        _store_on(db, day).add(new_task(f"day {day}", Quadrant.SCHEDULE))
    backups = Store(db).backups()
    assert len(backups) == 7
    assert ".20261111-" in backups[0].name  # newest first
    assert len(_titles(db)) == 11


def test_restore_refuses_a_backup_it_cannot_read_and_changes_nothing(db: Path) -> None:
    _store_on(db, 20).add(new_task("Keep", Quadrant.DO))
    broken = db.parent / "backups" / "tasks.20261119-120000-daily.json"
    broken.parent.mkdir(exist_ok=True)
    broken.write_text("{not json")
    before = db.read_bytes()
    result = run_cli("restore", str(broken), db=db)
    assert result.returncode == 1
    assert str(broken) in result.stderr
    assert db.read_bytes() == before


def test_restore_of_an_unknown_backup_is_a_usage_error(db: Path) -> None:
    _store_on(db, 20).add(new_task("Keep", Quadrant.DO))
    result = run_cli("restore", "19990101", db=db)
    assert result.returncode == 2
    assert "restore" in result.stderr


def test_a_migration_backs_up_the_old_file_first(db: Path) -> None:
    old = {"tasks": {"1": new_task("From version 0", Quadrant.DO).to_record()}}
    db.write_text(json.dumps(old))
    original = db.read_bytes()
    Store(db).add(new_task("After the upgrade", Quadrant.DO))
    [backup] = [p for p in (db.parent / "backups").iterdir() if "pre-v1" in p.name]
    assert backup.read_bytes() == original
    assert _titles(db) == ["After the upgrade", "From version 0"]


def test_tombstones_are_purged_after_thirty_days(db: Path) -> None:
    start = datetime(2026, 10, 1, 12, 0, tzinfo=UTC)
    store = Store(db, clock=lambda: start)
    task = new_task("Gone", Quadrant.DO)
    store.add(task)
    with store.transaction() as txn:
        txn.delete(task.id)
    assert "Gone" in db.read_text()  # the tombstone is kept so a sync cannot resurrect it
    later = start + timedelta(days=31)
    Store(db, clock=lambda: later).add(new_task("Later", Quadrant.DO))
    assert "Gone" not in db.read_text()


def test_the_daily_backup_is_taken_once_a_day_and_a_file_only_named_like_one_does_not_count(
    db: Path,
) -> None:
    """The daily check reads names only (a one-shot `add` must not parse every backup's stamp);
    a name with an impossible time or another reason must not pass for today's backup."""
    _store_on(db, 20).add(new_task("Monday's task", Quadrant.DO))
    folder = db.parent / "backups"
    folder.mkdir(exist_ok=True)
    local = datetime(2026, 11, 21, 12, 0, tzinfo=UTC).astimezone().strftime("%Y%m%d")
    for name in (f"tasks.{local}-996199-daily.json", f"tasks.{local}-101010-pre-daily.json"):
        (folder / name).write_text("{}")
    _store_on(db, 21).add(new_task("Tuesday's task", Quadrant.DO))
    _store_on(db, 21).add(new_task("Tuesday's second task", Quadrant.DO))
    dailies = [b for b in Store(db).backup_infos() if b.reason == "daily"]
    assert len(dailies) == 1
    assert b"Monday's task" in dailies[0].path.read_bytes()
    assert b"Tuesday's task" not in dailies[0].path.read_bytes()
