"""Merging sync-conflict copies: newest edit wins per task, tombstones hold, twice is once."""

from __future__ import annotations

import json
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from conftest import run_cli

from eisenhower_tui.conflicts import find_conflict_copies
from eisenhower_tui.domain.merge import merge_records
from eisenhower_tui.domain.tasks import new_task
from eisenhower_tui.model import Quadrant
from eisenhower_tui.store import Store

T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
EARLY = "2026-11-21T10:00:00+00:00"
MIDDLE = "2026-11-22T10:00:00+00:00"
LATE = "2026-11-23T10:00:00+00:00"


def ok(*args: str, db: Path) -> subprocess.CompletedProcess[str]:
    result = run_cli(*args, db=db)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result


def records_of(path: Path) -> dict[str, dict[str, Any]]:
    data = json.loads(path.read_text())
    return {r["id"]: r for r in data["tasks"].values()}


def make_conflict(db: Path) -> tuple[Path, dict[str, str]]:
    """Our file and a Syncthing copy of it where another device did four different things."""
    names = ["newer there", "older there", "deleted there", "untouched 1", "untouched 2"]
    tasks = [new_task(name, Quadrant.SCHEDULE, now=T0) for name in names]
    for task in tasks:
        task.updated = MIDDLE
    Store(db).add(*tasks)
    ids = {name: task.id for name, task in zip(names, tasks, strict=True)}

    data = json.loads(db.read_text())
    theirs = {r["id"]: r for r in data["tasks"].values()}
    newer = theirs[ids["newer there"]]
    newer.update(title="newer there, edited on the laptop", urgent=True, updated=LATE)
    newer["x_laptop_field"] = "kept"
    older = theirs[ids["older there"]]
    older.update(title="an older edit that must lose", updated=EARLY)
    gone = theirs[ids["deleted there"]]
    gone.update(deleted=LATE, updated=LATE)
    only = new_task("only on the laptop", Quadrant.DO, now=T0).to_record()
    only["updated"] = LATE
    ids["only there"] = only["id"]
    data["tasks"][str(len(data["tasks"]) + 1)] = only
    copy = db.with_name("tasks.sync-conflict-20261126-101010-ABCDEF7.json")
    copy.write_text(json.dumps(data, indent=2))

    # Meanwhile, here, "older there" was edited after the laptop's edit.
    ok("move", ids["older there"][:8], "4", db=db)
    return copy, ids


def test_merge_a_conflict_copy_then_again_changes_nothing(db: Path) -> None:
    copy, ids = make_conflict(db)
    result = ok("merge", str(copy), db=db)
    first_line = result.stdout.splitlines()[0]
    assert first_line.endswith(
        "added 1, updated 1 (newer in the copy), deleted 1, kept 1 (newer here), unchanged 2."
    )
    assert "+ " in result.stdout and "only on the laptop" in result.stdout
    assert "you may delete" in result.stdout
    assert copy.exists()

    merged = records_of(db)
    assert merged[ids["newer there"]]["title"] == "newer there, edited on the laptop"
    assert merged[ids["newer there"]]["urgent"] is True
    assert merged[ids["newer there"]]["x_laptop_field"] == "kept"
    assert merged[ids["older there"]]["title"] == "older there"
    assert merged[ids["older there"]]["urgent"] is False
    assert merged[ids["older there"]]["important"] is False  # our move to 4 stands
    assert merged[ids["deleted there"]]["deleted"] == LATE
    assert merged[ids["only there"]]["title"] == "only on the laptop"
    titles = {t["title"] for t in json.loads(ok("list", "--json", db=db).stdout)}
    assert "deleted there" not in titles
    assert "only on the laptop" in titles

    before = db.read_bytes()
    again = ok("merge", str(copy), db=db)
    assert again.stdout.splitlines()[0].endswith(
        "added 0, updated 0 (newer in the copy), deleted 0, kept 1 (newer here), unchanged 4."
    )
    assert db.read_bytes() == before


def test_newer_live_version_beats_an_older_tombstone() -> None:
    base = new_task("x", now=T0).to_record()
    ours = [{**base, "deleted": EARLY, "updated": EARLY}]
    theirs = [{**base, "title": "edited later", "updated": LATE}]
    merged, report = merge_records(ours, theirs)
    assert merged == theirs
    assert report.restored == [base["id"]]
    merged, report = merge_records(theirs, ours)  # and from the other side: ours is newer
    assert merged == theirs
    assert report.kept == [base["id"]]


def test_tombstone_beats_an_older_live_version_from_either_side() -> None:
    base = new_task("x", now=T0).to_record()
    live = {**base, "updated": EARLY}
    tomb = {**base, "deleted": LATE, "updated": LATE}
    merged, report = merge_records([live], [tomb])
    assert merged == [tomb]
    assert report.deleted == [base["id"]]
    merged, report = merge_records([tomb], [live])
    assert merged == [tomb]
    assert report.changed == 0


def test_ties_keep_ours_and_unknown_fields_survive() -> None:
    base = new_task("x", now=T0).to_record()
    ours = [{**base, "title": "ours", "updated": MIDDLE, "x_here": 1}]
    theirs = [{**base, "title": "theirs", "updated": MIDDLE, "x_there": 2}]
    merged, report = merge_records(ours, theirs)
    assert merged[0]["title"] == "ours"
    assert (merged[0]["x_here"], merged[0]["x_there"]) == (1, 2)
    assert report.kept == [base["id"]]
    merged_again, report = merge_records(merged, theirs)
    assert merged_again == merged
    assert report.kept == [base["id"]]  # still told, but nothing to write
    assert report.changed == 0


def test_tombstone_only_in_the_copy_is_kept_but_not_counted() -> None:
    tomb = {**new_task("x", now=T0).to_record(), "deleted": LATE, "updated": LATE}
    merged, report = merge_records([], [tomb])
    assert merged == [tomb]
    assert report.changed == 0
    assert report.summary() == ("added 0, updated 0 (newer in the copy), deleted 0, unchanged 0")


def test_find_conflict_copies(tmp_path: Path) -> None:
    db = tmp_path / "tasks.json"
    db.write_text("{}")
    wanted = [
        "tasks.sync-conflict-20261126-101010-ABCDEF7.json",
        "tasks (conflicted copy 2026-11-26).json",
        "tasks (Bob's conflicted copy 2026-11-26).json",
        "tasks (conflicted copy 2026-11-26) (1).json",
        "tasks_conflict-20261126-101010.json",
    ]
    unrelated = [
        "other.sync-conflict-20261126-101010-ABCDEF7.json",
        "tasks.json.lock",
        "tasks.sync-conflict-20261126-101010-ABCDEF7.txt",
        "tasks copy.json",
    ]
    for name in wanted + unrelated:
        (tmp_path / name).write_text("{}")
    (tmp_path / "tasks (conflicted copy folder).json").mkdir()
    found = find_conflict_copies(db)
    assert sorted(p.name for p in found) == sorted(wanted)


def test_a_conflict_copy_that_vanishes_while_being_listed_is_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sync tool renames or deletes copies at any moment; the matrix looks on a timer."""
    db = tmp_path / "tasks.json"
    db.write_text("{}")
    stays = tmp_path / "tasks.sync-conflict-20261126-101010-AAAAAAA.json"
    goes_after_a_look = tmp_path / "tasks.sync-conflict-20261126-111111-BBBBBBB.json"
    gone_before_a_look = tmp_path / "tasks (conflicted copy 2026-11-26).json"
    for path in (stays, goes_after_a_look, gone_before_a_look):
        path.write_text("{}")
    real_stat = Path.stat

    def stat_while_the_sync_tool_works(self: Path, *, follow_symlinks: bool = True) -> Any:
        if self == gone_before_a_look:
            self.unlink(missing_ok=True)
        result = real_stat(self, follow_symlinks=follow_symlinks)
        if self == goes_after_a_look:
            self.unlink()
        return result

    monkeypatch.setattr(Path, "stat", stat_while_the_sync_tool_works)
    found = find_conflict_copies(db)
    assert stays in found
    assert gone_before_a_look not in found


def test_find_conflict_copies_escapes_glob_characters(tmp_path: Path) -> None:
    db = tmp_path / "my [work] tasks.json"
    copy = tmp_path / "my [work] tasks.sync-conflict-20261126-101010-ABCDEF7.json"
    copy.write_text("{}")
    (tmp_path / "my w tasks.sync-conflict-20261126-101010-ABCDEF7.json").write_text("{}")
    assert find_conflict_copies(db) == [copy]


def test_bad_copies_exit_2_and_write_nothing(tmp_path: Path, db: Path) -> None:
    ok("add", "something", db=db)
    before = db.read_bytes()
    broken = tmp_path / "tasks (conflicted copy 2026-11-26).json"
    broken.write_text('{"tasks": {"1": {"title": "no id"}}}')
    for target in (broken, tmp_path / "missing.json"):
        result = run_cli("merge", str(target), db=db)
        assert result.returncode == 2, result.stderr
        assert "cannot merge" in result.stderr
        assert "Traceback" not in result.stderr
    itself = run_cli("merge", str(db), db=db)
    assert itself.returncode == 2
    assert "task file itself" in itself.stderr
    assert db.read_bytes() == before


def test_hostile_text_in_a_copy_is_sanitised() -> None:
    base = new_task("x", now=T0).to_record()
    theirs = [
        {
            **base,
            "title": "\x1b]52;c;ZXZpbA==\x07pay \x1b[31mrent\u202e",
            "tags": ["#ok", "\x1b[0m"],
            "notes": "a\x07b",
            "updated": LATE,
        }
    ]
    merged, report = merge_records([base], theirs)
    assert (merged[0]["title"], merged[0]["tags"], merged[0]["notes"]) == ("pay rent", ["ok"], "ab")
    assert report.updated == [base["id"]]
    again, report = merge_records(merged, theirs)
    assert again == merged
    assert report.changed == 0
