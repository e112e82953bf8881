"""The merge rule: fold a sync tool's conflict copy of the task file into ours, task by task.

Every task has a stable uuid and an ``updated`` stamp, and a deletion leaves a tombstone
(``deleted`` set, ``updated`` = the deletion), so the two versions merge without asking:

- the newer ``updated`` wins (a tombstone counts from its deletion); on a tie ours is kept;
- so a tombstone beats an older live version, and a newer live version beats an older tombstone;
- a task only in the copy is added; unknown fields of the losing version are kept when the winner
  lacks them;
- the history of quadrant changes (``moves``) is the union of both, by (at, from, to), so no
  version's story is lost. Instances of a recurring task have derived ids, so two copies that
  each completed the same instance hold the same next instance: the merge keeps one.

The copy's texts are cleaned like any input (it may come from another version or device).
Merging is idempotent: a second merge of the same copy changes nothing (an older edit in the copy
is reported again as "kept", not written). Pure: no store, no file, no Textual; the file side is
:mod:`eisenhower_tui.conflicts`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from ..i18n import _
from ..model import (
    KNOWN_FIELDS,
    MAX_TITLE,
    Task,
    clean_delegate,
    clean_tags,
    parse_stamp,
    sanitize_line,
    sanitize_notes,
)
from .changes import Edit
from .moves import merge_moves

__all__ = ["MergeReport", "last_change", "merge_edits", "merge_records"]

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
    return parse_stamp(value) or _EPOCH


def last_change(record: dict[str, Any]) -> datetime:
    """When a version was last changed: a tombstone counts from its deletion if that is later."""
    updated = _instant(record.get("updated"))
    if record.get("deleted"):
        return max(updated, _instant(record.get("deleted")))
    return updated


def _with_loser_extras(winner: dict[str, Any], loser: dict[str, Any]) -> dict[str, Any]:
    """The winner, plus unknown fields only the loser has (another version's data survives)."""
    extras = {k: v for k, v in loser.items() if k not in KNOWN_FIELDS and k not in winner}
    return {**extras, **winner} if extras else dict(winner)


def _with_moves(winner: dict[str, Any], loser: dict[str, Any]) -> dict[str, Any]:
    """The winner with the loser's quadrant changes joined in (a move is a fact, never stale)."""
    theirs = loser.get("moves") or []
    if not theirs:
        return winner
    joined = merge_moves(winner.get("moves") or [], theirs)
    return winner if joined == winner.get("moves") else {**winner, "moves": joined}


def _clean_copy(task: Task) -> None:
    """The copy's texts cleaned with the model's rules, as build_task cleans any input.

    Not build_task itself: a stored record may hold what build_task refuses (an empty or
    over-long title from another version), and a merge must not lose a task over it.
    """
    task.title = sanitize_line(task.title)[:MAX_TITLE] or "(untitled)"
    task.notes = sanitize_notes(task.notes)
    task.tags = clean_tags(task.tags)
    task.delegate = clean_delegate(task.delegate)


def _normal(record: dict[str, Any], *, clean: bool = False) -> dict[str, Any]:
    """The record as the store writes it, so a field an older version omitted is no change.

    ``clean`` is for the copy's records: a copy comes from another device, perhaps another
    version, and must not bring escape sequences into our file.
    """
    try:
        task = Task.from_record(record)
    except ValueError:
        return dict(record)
    if clean:
        _clean_copy(task)
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
        # A duplicated id in the copy: the first one counts.
        theirs_by_id.setdefault(record["id"], _normal(record, clean=True))
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
        if last_change(other) > last_change(mine):
            result = _with_moves(_with_loser_extras(other, mine), mine)
            if result == mine:
                outcome = report.unchanged if live else None
            elif other.get("deleted"):
                outcome = report.deleted if live else None  # tombstone over tombstone: unseen
            else:
                outcome = report.updated if live else report.restored
        else:
            result = _with_moves(_with_loser_extras(mine, other), other)
            if result == mine and (
                _known(other) == _known(mine) or (not live and other.get("deleted"))
            ):
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


# Fields a merge may change that undo puts back (the order and the stamps of the write are not).
_UNDOABLE = (
    "title",
    "notes",
    "urgent",
    "important",
    "due",
    "tags",
    "delegate",
    "done",
    "escalated",
    "escalated_for",
    "deleted",
)


def merge_edits(
    before: Mapping[str, Mapping[str, Any]], after: Mapping[str, Mapping[str, Any]], stamp: str
) -> list[Edit]:
    """What a merge changed, as edits: the matrix makes a merge one undoable step.

    A task the copy added undoes to a tombstone stamped ``stamp``; a tombstone the copy brought
    for a task we never had is left alone (there is nothing to undo).
    """
    edits: list[Edit] = []
    for task_id, new in after.items():
        old = before.get(task_id)
        if old is None:
            if not new.get("deleted"):
                edits.append(Edit(task_id, {"deleted": stamp}, {"deleted": None}))
            continue
        changed = [name for name in _UNDOABLE if old.get(name) != new.get(name)]
        if changed:
            edits.append(
                Edit(
                    task_id,
                    {name: old.get(name) for name in changed},
                    {name: new.get(name) for name in changed},
                )
            )
    return edits
