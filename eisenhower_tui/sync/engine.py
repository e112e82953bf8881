"""What a sync does, decided without the network or the file: the three-way merge and the plan.

Per field, against the BASE (the values both sides agreed on at the last sync):

- changed only here -> ours; changed only on the server -> theirs; the same change -> kept;
- changed on both -> the side with the newer change time wins (our ``updated`` against the
  VTODO's LAST-MODIFIED, else DTSTAMP; a tie keeps ours), and the loser's value is appended to
  the notes as ``[sync] other value of <field>: <value>``, so nothing typed is ever dropped.

Without a base (a task found on both sides the first time) every differing field is a conflict.
Deletions travel as tombstones; a deletion against an edit made after it keeps the task.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from ..domain.escalation import escalated
from ..i18n import _
from ..model import Task, iso_now, parse_stamp
from .mapping import PRACTICE_FIELDS, SYNCED_FIELDS, RemoteTodo, describe, due_equal, synced_fields
from .state import Item

# Phone-created tasks get ids derived from their UID, so two task files syncing with the same
# list give the same task the same id.
_UID_NAMESPACE = uuid.UUID("0b1e6f3c-56d5-4b43-9f0c-2c1f8e6f5a10")


def field_equal(name: str, left: Any, right: Any) -> bool:
    if name == "due":
        return due_equal(left, right)
    if name == "tags":
        return {str(t).casefold() for t in left or []} == {str(t).casefold() for t in right or []}
    if name == "done":  # done at slightly different moments is still done
        return (left is None) == (right is None)
    if name in ("notes", "title", "delegate"):
        return (left or "") == (right or "")
    return bool(left == right)


def fields_equal(left: dict[str, Any], right: dict[str, Any]) -> bool:
    return all(field_equal(name, left.get(name), right.get(name)) for name in SYNCED_FIELDS)


@dataclass(slots=True)
class Merge:
    fields: dict[str, Any]
    conflicts: list[str] = field(default_factory=list)


def conflict_line(name: str, value: Any) -> str:
    return _("[sync] other value of {field}: {value}").format(
        field=name, value=describe(name, value)
    )


def merge_fields(
    base: dict[str, Any] | None,
    ours: dict[str, Any],
    theirs: dict[str, Any],
    ours_time: datetime | None,
    theirs_time: datetime | None,
) -> Merge:
    """The three-way merge of one task's synced fields (pure)."""
    theirs_newer = (
        theirs_time is not None and ours_time is not None and theirs_time > ours_time
    ) or (theirs_time is not None and ours_time is None)
    merged: dict[str, Any] = {}
    losers: list[tuple[str, Any]] = []
    for name in SYNCED_FIELDS:
        mine, other = ours.get(name), theirs.get(name)
        if field_equal(name, mine, other):
            merged[name] = mine
        elif base is not None and field_equal(name, base.get(name), mine):
            merged[name] = other
        elif base is not None and field_equal(name, base.get(name), other):
            merged[name] = mine
        else:
            winner, loser = (other, mine) if theirs_newer else (mine, other)
            merged[name] = winner
            losers.append((name, loser))
    notes = merged.get("notes") or ""
    for name, value in losers:
        line = conflict_line(name, value)
        if line not in notes:
            notes = f"{notes}\n{line}" if notes else line
    merged["notes"] = notes
    return Merge(merged, [name for name, _value in losers])


# --- the plan ---------------------------------------------------------------------------------


@dataclass(slots=True)
class Push:
    task: Task
    href: str
    etag: str | None  # None: create (If-None-Match: *)
    previous: str | None  # the server copy we rewrite, to keep what we do not manage


@dataclass(slots=True)
class Fetched:
    href: str
    etag: str | None
    ics: str
    todo: RemoteTodo


@dataclass(slots=True)
class Plan:
    local_puts: list[Task] = field(default_factory=list)
    local_deletes: list[str] = field(default_factory=list)
    pushes: list[Push] = field(default_factory=list)
    remote_deletes: list[tuple[str, str, str | None]] = field(default_factory=list)  # id, href
    items: dict[str, Item] = field(default_factory=dict)  # state entries true after local write
    forget: set[str] = field(default_factory=set)  # state entries to drop after local write
    pulled_new: int = 0
    pulled_changed: int = 0
    pulled_deleted: int = 0
    conflicts: int = 0


def task_id_for(uid: str) -> str:
    """Our id for a server object: its UID when that is one of ours (a uuid), else a uuid
    derived from the UID."""
    try:
        return str(uuid.UUID(uid)) if uid else str(uuid.uuid4())
    except ValueError:
        return str(uuid.uuid5(_UID_NAMESPACE, uid))


def plan_sync(
    *,
    local: dict[str, Task],
    items: dict[str, Item],
    fetched: dict[str, Fetched],
    removed: set[str],
    href_for: Any,
    now: datetime,
    horizon: timedelta | None,
) -> Plan:
    """Decide every change on both sides (pure). ``fetched``: server objects new or changed
    since the state's ETag; ``removed``: hrefs gone from the server; ``href_for(uid)``: where a
    new object goes."""
    plan = Plan()
    by_href = {item.href: task_id for task_id, item in items.items()}
    handled: set[str] = set()

    for href, remote in fetched.items():
        task_id = by_href.get(href) or task_id_for(remote.todo.uid)
        if task_id in handled:
            continue  # two objects with one UID: the first one wins, the other is left alone
        handled.add(task_id)
        item = items.get(task_id)
        _take_remote(plan, task_id, item, local.get(task_id), remote, now, horizon)

    for href in removed:
        gone_id = by_href.get(href)
        if gone_id is None or gone_id in handled:
            continue
        handled.add(gone_id)
        item = items[gone_id]
        task = local.get(gone_id)
        if task is None or task.deleted is not None:
            plan.forget.add(gone_id)
        elif item.base is not None and fields_equal(synced_fields(task), item.base):
            plan.local_deletes.append(gone_id)
            plan.forget.add(gone_id)
            plan.pulled_deleted += 1
        else:  # changed here since: the change outlives the deletion, the task goes back up
            plan.forget.add(gone_id)
            plan.pushes.append(Push(task, href, None, None))

    for task_id, task in local.items():
        if task_id in handled:
            continue
        item = items.get(task_id)
        if item is None:
            if task.deleted is None:
                plan.pushes.append(Push(task, href_for(task_id), None, None))
        elif task.deleted is not None:
            plan.remote_deletes.append((task_id, item.href, item.etag))
        elif item.base is None or not fields_equal(synced_fields(task), item.base):
            plan.pushes.append(Push(task, item.href, item.etag, item.ics))

    for task_id, item in items.items():  # purged here (an old tombstone) and not seen above
        if task_id not in local and task_id not in handled:
            plan.remote_deletes.append((task_id, item.href, item.etag))
    return plan


def _take_remote(
    plan: Plan,
    task_id: str,
    item: Item | None,
    task: Task | None,
    remote: Fetched,
    now: datetime,
    horizon: timedelta | None,
) -> None:
    todo = remote.todo
    theirs = todo.fields
    resurrected = False
    base = item.base if item is not None else None
    agreed = Item(remote.href, remote.etag, None, remote.ics, todo.uid)

    if task is not None and task.deleted is not None:
        deleted_at = parse_stamp(task.deleted)
        edited_after = todo.modified is not None and (
            deleted_at is None or todo.modified > deleted_at
        )
        if (base is None or not fields_equal(theirs, base)) and edited_after:
            task = replace(task, deleted=None)  # edited there after we deleted: it comes back
            resurrected = True
        else:
            plan.remote_deletes.append((task_id, remote.href, remote.etag))
            return

    if task is None:
        if item is not None and base is not None and fields_equal(theirs, base):
            # Purged here long ago and unchanged there: finish the deletion.
            plan.remote_deletes.append((task_id, remote.href, remote.etag))
            return
        created = _new_local(task_id, todo, now, horizon)
        plan.local_puts.append(created)
        plan.pulled_new += 1
        mine = synced_fields(created)
        if fields_equal(mine, theirs):
            agreed.base = mine
            plan.items[task_id] = agreed
        else:  # placed by its deadline: the server copy gets the new quadrant
            plan.items[task_id] = agreed
            plan.pushes.append(Push(created, remote.href, remote.etag, remote.ics))
        return

    ours = synced_fields(task)
    merge = merge_fields(base, ours, theirs, parse_stamp(task.updated), todo.modified)
    plan.conflicts += len(merge.conflicts)
    merged = merge.fields
    result = task
    if not fields_equal(merged, ours) or merged["notes"] != ours["notes"]:
        stamps = [s for s in (parse_stamp(task.updated), todo.modified) if s is not None]
        newest = max(stamps) if stamps else now
        if merge.conflicts:
            newest = max(newest, now)  # the merged text is new on both sides
        result = replace(
            task,
            **{name: merged[name] for name in SYNCED_FIELDS},
            deleted=None,
            updated=iso_now(newest),
        )
        plan.local_puts.append(result)
        plan.pulled_changed += 1
    elif resurrected:
        plan.local_puts.append(result)
        plan.pulled_changed += 1
    plan.items[task_id] = agreed
    if fields_equal(merged, theirs) and merged["notes"] == theirs["notes"]:
        agreed.base = synced_fields(result)
    else:
        # Base stays as it was until the push lands (a failed push must not look agreed).
        agreed.base = base
        plan.pushes.append(Push(result, remote.href, remote.etag, remote.ics))


def _new_local(task_id: str, todo: RemoteTodo, now: datetime, horizon: timedelta | None) -> Task:
    from ..domain.tasks import build_task

    fields = todo.fields
    modified = iso_now(todo.modified) if todo.modified else None
    practice: dict[str, Any] = {name: fields.get(name) for name in PRACTICE_FIELDS}
    task = build_task(
        now=now,
        title=fields["title"],
        urgent=fields["urgent"],
        important=fields["important"],
        task_id=task_id,
        notes=fields["notes"],
        due=fields["due"],
        tags=fields["tags"],
        delegate=fields["delegate"],
        done=fields["done"],
        created=todo.created or modified,
        updated=modified,
        **practice,
    )
    if todo.placed_by_priority:  # the rule as everywhere: a close deadline is urgent
        task = escalated(task, now, horizon)
    return task
