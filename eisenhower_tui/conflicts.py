"""Sync-conflict copies on disk: find them, read one, merge it into the store.

Syncthing (``tasks.sync-conflict-20261126-101010-ABCDEF7.json``), Dropbox
(``tasks (conflicted copy 2026-11-26).json``) and Nextcloud/ownCloud leave such copies beside the
file when two devices wrote it between syncs. The rule that merges two versions is pure and lives
in :mod:`.domain.merge`; this module is its file side, used by ``eisenhower merge`` and the
matrix. A copy that cannot be read, or is not a task file, is an InvalidTask (exit 2) and nothing
is written. The copy is never deleted here. No Textual, no Rich.
"""

from __future__ import annotations

import glob
import stat
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from .domain.merge import MergeReport, last_change, merge_records
from .i18n import _
from .model import InvalidTask, Task, sanitize_line
from .store import (
    TOMBSTONE_DAYS,
    CorruptFileError,
    Store,
    StoreError,
    Txn,
    parse_task_file,
    read_given_file,
)

__all__ = ["find_conflict_copies", "merge_copy", "read_copy"]


def find_conflict_copies(db_path: Path | str) -> list[Path]:
    """Conflict copies of this task file left by Syncthing, Dropbox or Nextcloud, oldest first.

    A copy can vanish at any moment (the sync tool renames or deletes it): one gone between the
    listing and the look at it is skipped, never an error (the matrix calls this on a timer).
    """
    path = Path(db_path)
    stem, suffix = glob.escape(path.stem), glob.escape(path.suffix)
    patterns = (
        f"{stem}.sync-conflict-*{suffix}",  # Syncthing
        f"{stem} (*conflicted copy*){suffix}",  # Dropbox, Nextcloud >= 3.x
        f"{stem} (*conflicted copy*) (*){suffix}",  # Dropbox's second copy of the same day
        f"{stem}_conflict-*{suffix}",  # ownCloud, older Nextcloud
    )
    found: dict[Path, float] = {}
    for pattern in patterns:
        for candidate in path.parent.glob(pattern):
            if candidate == path or candidate in found:
                continue
            try:
                status = candidate.stat()  # one look: its kind and its age together
            except OSError:
                continue
            if stat.S_ISREG(status.st_mode):
                found[candidate] = status.st_mtime
    return sorted(found, key=lambda p: (found[p], p.name))


def read_copy(path: Path) -> list[dict[str, Any]]:
    """The copy's task records, tombstones included, with the store's checks (else exit 2)."""
    shown = sanitize_line(str(path))
    raw = read_given_file(
        path, lambda reason: _("cannot merge {path}: {reason}").format(path=shown, reason=reason)
    )
    try:
        data = parse_task_file(raw, path)
    except CorruptFileError as exc:
        raise InvalidTask(
            _("cannot merge {path}; nothing was written. {error}").format(path=shown, error=exc)
        ) from None
    records = list(data.get("tasks", {}).values())
    for record in records:
        try:
            Task.from_record(record)
        except ValueError as exc:
            raise InvalidTask(
                _("cannot merge {path}: {error}; nothing was written").format(
                    path=shown, error=sanitize_line(str(exc))
                )
            ) from None
    return records


def merge_copy(
    store: Store, copy: Path
) -> tuple[MergeReport, dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
    """Merge ``copy`` into the store under its lock, in one transaction.

    Returns the report and the records before and after, by id. The matrix calls this too.
    """
    if copy.exists() and store.path.exists() and copy.resolve() == store.path.resolve():
        raise InvalidTask(
            _("{copy} is the task file itself; give the conflict copy to merge").format(
                copy=sanitize_line(str(copy))
            )
        )
    theirs = read_copy(copy)

    def write(txn: Txn) -> tuple[MergeReport, dict[str, Any], list[dict[str, Any]]]:
        # May run again if a sync tool swaps the file meanwhile: acts on txn only.
        try:
            ours = [task.to_record() for task in txn.all(include_deleted=True)]
        except ValueError as exc:
            raise StoreError(
                _("Cannot read the task file {path}: {error}.").format(path=store.path, error=exc)
            ) from None
        merged, report = merge_records(ours, theirs)
        before = {record["id"]: record for record in ours}
        cutoff = txn.now - timedelta(days=TOMBSTONE_DAYS)
        writes = [
            Task.from_record(record)
            for record in merged
            if record != before.get(record["id"]) and not _expired(record, before, cutoff)
        ]
        if writes:
            txn.put_many(writes)
        return report, before, merged

    report, before, merged = store.apply(write)
    return report, before, {record["id"]: record for record in merged}


def _expired(record: dict[str, Any], before: dict[str, Any], cutoff: datetime) -> bool:
    """A tombstone we do not have and would purge at once anyway: adding it would only churn."""
    if record["id"] in before or not record.get("deleted"):
        return False
    return last_change(record) < cutoff
