"""What an import would change: matching incoming records to the tasks already there.

Records with an id (ours, csv with ids, Taskwarrior, iCalendar) match by id; the local task is
replaced only when the incoming ``updated`` is strictly newer (keeping the local manual order
and escalation bookkeeping), and a local deletion stands unless the incoming edit is newer than
it. Records without an id (todo.txt, csv without ids) get a deterministic id derived from their
normalised title and deadline, and also match an existing task with the same title and
deadline; a match is left alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from ..domain.moves import merge_moves
from ..i18n import _, ngettext
from ..model import Task
from .common import Incoming, content_key, is_newer

__all__ = ["ImportPlan", "import_summary", "plan_import"]


@dataclass(slots=True)
class ImportPlan:
    new: list[Task] = field(default_factory=list)
    updated: list[Task] = field(default_factory=list)
    present: int = 0

    @property
    def writes(self) -> list[Task]:
        return [*self.new, *self.updated]


def _apply_update(current: Task, incoming: Task) -> Task:
    """The incoming edit wins, but local bookkeeping (order, escalation, extra fields) stays."""
    return replace(
        incoming,
        order=current.order,
        escalated=incoming.escalated or current.escalated,
        escalated_for=incoming.escalated_for or current.escalated_for,
        extra={**current.extra, **incoming.extra},
        deleted=None,
        moves=merge_moves(current.moves, incoming.moves),
    )


def _last_change(task: Task) -> str | None:
    """A tombstone counts from its deletion, whichever of the two stamps is later."""
    if task.deleted and is_newer(task.deleted, task.updated):
        return task.deleted
    return task.updated


def plan_import(items: Sequence[Incoming], existing: Sequence[Task]) -> ImportPlan:
    """What an import would change; ``existing`` includes tombstones so deletions stand."""
    plan = ImportPlan()
    by_id = {t.id: t for t in existing}
    by_key: dict[str, list[str]] = {}
    for task in existing:
        if task.deleted is None:
            by_key.setdefault(content_key(task.title, task.due), []).append(task.id)
    claimed: set[str] = set()
    for item in items:
        task = item.task
        current = by_id.get(task.id)
        if item.has_id:
            if current is None:
                plan.new.append(task)
            elif item.dated and is_newer(task.updated, _last_change(current)):
                plan.updated.append(_apply_update(current, task))
            else:
                plan.present += 1
            continue
        if current is not None:
            claimed.add(task.id)
            plan.present += 1
            continue
        key = content_key(task.title, task.due)
        match = next((i for i in by_key.get(key, []) if i not in claimed), None)
        if match is not None:
            claimed.add(match)
            plan.present += 1
        else:
            plan.new.append(task)
    return plan


_SUMMARY_DETAILS = 3


def import_summary(plan: ImportPlan, skipped: Sequence[str], *, dry_run: bool = False) -> str:
    """The one line an import prints: counts, and the first reasons a record was skipped."""
    new = len(plan.new)
    if dry_run:
        head = ngettext("Would import {n} new", "Would import {n} new", new)
    else:
        head = ngettext("Imported {n} new", "Imported {n} new", new)
    present = ngettext("{n} already present", "{n} already present", plan.present)
    parts = [head.format(n=new), present.format(n=plan.present)]
    if plan.updated:
        updated = ngettext(
            "{n} updated (newer in the file)", "{n} updated (newer in the file)", len(plan.updated)
        )
        parts.append(updated.format(n=len(plan.updated)))
    if skipped:
        # The first clause of each reason: the full ones are on stderr, and "; " separates here
        # (French puts a no-break space before the semicolon: rstrip drops it, and the
        # translated separator puts it back).
        firsts = (reason.split("; ")[0].rstrip() for reason in skipped[:_SUMMARY_DETAILS])
        reasons = _("; ").join(firsts)
        more = len(skipped) - _SUMMARY_DETAILS
        if more > 0:
            reasons += ngettext("; and {n} more", "; and {n} more", more).format(n=more)
        count = ngettext("{n} skipped ({reasons})", "{n} skipped ({reasons})", len(skipped))
        parts.append(count.format(n=len(skipped), reasons=reasons))
    return ", ".join(parts)
