"""`eisenhower merge FILE`: fold a sync tool's conflict copy back into the task file.

Syncthing (``tasks.sync-conflict-20261126-101010-ABCDEF7.json``), Dropbox
(``tasks (conflicted copy 2026-11-26).json``) and Nextcloud/ownCloud leave such copies beside the
file when two devices wrote it between syncs. Every task has a stable uuid and an ``updated``
stamp, and a deletion leaves a tombstone (``deleted`` set, ``updated`` = the deletion), so the
two versions merge task by task without asking:

- the newer ``updated`` wins (a tombstone counts from its deletion); on a tie ours is kept;
- so a tombstone beats an older live version, and a newer live version beats an older tombstone;
- a task only in the copy is added; unknown fields of the losing version are kept when the winner
  lacks them.

The copy's texts are sanitised like any input (it may come from another version or device).
A copy that cannot be read, or is not a task file, exits 2 and nothing is written. Merging is
idempotent: a second merge of the same copy changes nothing (an older edit in the copy is
reported again as "kept", not written). The copy is never deleted here; the user is told
they may delete it. No Textual, no Rich.
"""

from __future__ import annotations

import argparse
import glob
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from .i18n import _
from .model import (
    KNOWN_FIELDS,
    MAX_TITLE,
    InvalidTask,
    Task,
    clean_delegate,
    clean_tag,
    sanitize_line,
    sanitize_notes,
)
from .store import (
    TOMBSTONE_DAYS,
    CorruptFileError,
    Store,
    StoreError,
    parse_task_file,
    read_given_file,
)

__all__ = ["MergeReport", "cmd_merge", "find_conflict_copies", "merge_records"]

_EPOCH = datetime.min.replace(tzinfo=UTC)


@dataclass(slots=True)
class MergeReport:
    """What a merge changes, as task ids per outcome (the CLI prints counts and titles)."""

    added: list[str] = field(default_factory=list)  # live tasks only in the copy
    updated: list[str] = field(default_factory=list)  # a newer edit in the copy
    deleted: list[str] = field(default_factory=list)  # deleted in the copy after our last edit
    restored: list[str] = field(default_factory=list)  # edited in the copy after our deletion
    kept: list[str] = field(default_factory=list)  # differs, but ours is newer (or a tie)
    unchanged: list[str] = field(default_factory=list)  # live tasks the merge leaves as they are

    @property
    def changed(self) -> int:
        return len(self.added) + len(self.updated) + len(self.deleted) + len(self.restored)

    def summary(self) -> str:
        parts = [
            _("added {n}").format(n=len(self.added)),
            _("updated {n} (newer in the copy)").format(n=len(self.updated)),
            _("deleted {n}").format(n=len(self.deleted)),
        ]
        if self.restored:
            restored = _("restored {n} (edited in the copy after deletion)")
            parts.append(restored.format(n=len(self.restored)))
        if self.kept:
            parts.append(_("kept {n} (newer here)").format(n=len(self.kept)))
        parts.append(_("unchanged {n}").format(n=len(self.unchanged)))
        return ", ".join(parts)


def _instant(value: Any) -> datetime:
    if not isinstance(value, str) or not value:
        return _EPOCH
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return _EPOCH
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _last_change(record: dict[str, Any]) -> datetime:
    """When a version was last changed: a tombstone counts from its deletion if that is later."""
    updated = _instant(record.get("updated"))
    if record.get("deleted"):
        return max(updated, _instant(record.get("deleted")))
    return updated


def _with_loser_extras(winner: dict[str, Any], loser: dict[str, Any]) -> dict[str, Any]:
    """The winner, plus unknown fields only the loser has (another version's data survives)."""
    extras = {k: v for k, v in loser.items() if k not in KNOWN_FIELDS and k not in winner}
    return {**extras, **winner} if extras else dict(winner)


def _normal(record: dict[str, Any], *, sanitise: bool = False) -> dict[str, Any]:
    """The record as the store writes it, so a field an older version omitted is no change.

    ``sanitise`` cleans the copy's texts as the model does on input: a copy comes from another
    device, perhaps another version, and must not bring escape sequences into our file.
    """
    try:
        task = Task.from_record(record)
    except ValueError:
        return dict(record)
    if sanitise:
        task.title = sanitize_line(task.title)[:MAX_TITLE] or "(untitled)"
        task.notes = sanitize_notes(task.notes)
        task.tags = [tag for tag in map(clean_tag, task.tags) if tag]
        task.delegate = clean_delegate(task.delegate)
    return task.to_record()


def _known(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if k in KNOWN_FIELDS}


def merge_records(
    ours: list[dict[str, Any]], theirs: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], MergeReport]:
    """Merge two lists of stored task records by id; ours' order first, then new ones."""
    report = MergeReport()
    theirs_by_id: dict[str, dict[str, Any]] = {}
    for record in theirs:
        theirs_by_id.setdefault(
            record["id"], _normal(record, sanitise=True)
        )  # a duplicated id: the first
    merged: list[dict[str, Any]] = []
    seen: set[str] = set()
    for mine in map(_normal, ours):
        task_id = mine["id"]
        seen.add(task_id)
        other = theirs_by_id.get(task_id)
        live = not mine.get("deleted")
        if other is None:
            merged.append(mine)
            if live:
                report.unchanged.append(task_id)
            continue
        outcome: list[str] | None
        if _last_change(other) > _last_change(mine):
            result = _with_loser_extras(other, mine)
            if result == mine:
                outcome = report.unchanged if live else None
            elif other.get("deleted"):
                outcome = report.deleted if live else None  # tombstone over tombstone: unseen
            else:
                outcome = report.updated if live else report.restored
        else:
            result = _with_loser_extras(mine, other)
            if _known(other) == _known(mine) or (not live and other.get("deleted")):
                outcome = report.unchanged if live else None
            else:
                outcome = report.kept  # their older edit, or their older version of a deletion
        if outcome is not None:
            outcome.append(task_id)
        merged.append(result)
    for task_id, other in theirs_by_id.items():
        if task_id in seen:
            continue
        merged.append(other)  # a tombstone only there is kept too, so nobody resurrects it
        if not other.get("deleted"):
            report.added.append(task_id)
    return merged, report


# --- conflict copies ----------------------------------------------------------------------------


def find_conflict_copies(db_path: Path | str) -> list[Path]:
    """Conflict copies of this task file left by Syncthing, Dropbox or Nextcloud, oldest first."""
    path = Path(db_path)
    stem, suffix = glob.escape(path.stem), glob.escape(path.suffix)
    patterns = (
        f"{stem}.sync-conflict-*{suffix}",  # Syncthing
        f"{stem} (*conflicted copy*){suffix}",  # Dropbox, Nextcloud >= 3.x
        f"{stem} (*conflicted copy*) (*){suffix}",  # Dropbox's second copy of the same day
        f"{stem}_conflict-*{suffix}",  # ownCloud, older Nextcloud
    )
    found: set[Path] = set()
    for pattern in patterns:
        for candidate in path.parent.glob(pattern):
            if candidate.is_file() and candidate != path:
                found.add(candidate)
    return sorted(found, key=lambda p: (p.stat().st_mtime, p.name))


# --- the command --------------------------------------------------------------------------------


def read_copy(path: Path) -> list[dict[str, Any]]:
    """The copy's task records, tombstones included, with the store's checks (else exit 2)."""
    raw = read_given_file(
        path, lambda reason: _("cannot merge {path}: {reason}").format(path=path, reason=reason)
    )
    try:
        data = parse_task_file(raw, path)
    except CorruptFileError as exc:
        raise InvalidTask(
            _("cannot merge {path}; nothing was written. {error}").format(path=path, error=exc)
        ) from None
    records = list(data.get("tasks", {}).values())
    for record in records:
        try:
            Task.from_record(record)
        except ValueError as exc:
            raise InvalidTask(
                _("cannot merge {path}: {error}; nothing was written").format(path=path, error=exc)
            ) from None
    return records


def _title(record: dict[str, Any]) -> str:
    title = sanitize_line(str(record.get("title", "")))
    return title if len(title) <= 60 else title[:59] + "…"


def _print_changes(
    report: MergeReport, before: dict[str, dict[str, Any]], after: dict[str, dict[str, Any]]
) -> None:
    for mark, ids in (
        ("+", report.added),
        ("~", report.updated),
        ("-", report.deleted),
        ("^", report.restored),
    ):
        for task_id in ids:
            record = after.get(task_id) or before.get(task_id) or {}
            print(f"  {mark} {task_id[:8]}  {_title(record)}")


def merge_copy(
    store: Store, copy: Path
) -> tuple[MergeReport, dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
    """Merge ``copy`` into the store under its lock, in one transaction.

    Returns the report and the records before and after, by id. The matrix calls this too.
    """
    if copy.exists() and store.path.exists() and copy.resolve() == store.path.resolve():
        raise InvalidTask(
            _("{copy} is the task file itself; give the conflict copy to merge").format(copy=copy)
        )
    theirs = read_copy(copy)
    with store.transaction() as txn:
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
    return report, before, {record["id"]: record for record in merged}


def cmd_merge(args: argparse.Namespace, store: Store) -> int:
    """Merge and tell the user what changed and that the copy may now go."""
    copy = Path(args.file).expanduser()
    report, before, after = merge_copy(store, copy)
    merged = _("Merged {copy} into {path}: {summary}.")
    print(merged.format(copy=copy, path=store.path, summary=report.summary()))
    _print_changes(report, before, after)
    done = _(
        "Everything in the copy is now in the task file; you may delete {copy} "
        "(it was left in place)."
    )
    print(done.format(copy=copy))
    return 0


def _expired(record: dict[str, Any], before: dict[str, Any], cutoff: datetime) -> bool:
    """A tombstone we do not have and would purge at once anyway: adding it would only churn."""
    if record["id"] in before or not record.get("deleted"):
        return False
    return _last_change(record) < cutoff
