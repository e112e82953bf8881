"""`eisenhower export` and `eisenhower import`: the file side of :mod:`.formats`.

No Textual, no Rich: both commands are short CLI commands. ``-o FILE`` writes atomically through
:func:`store.write_atomic`: a new file is created 0600 (tasks are private, like the task file),
an existing file keeps its mode.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from .dates import local_now
from .formats import ImportPlan, parse_import, plan_import, render_export, select_for_export
from .i18n import _, ngettext
from .model import InvalidTask, Task
from .store import Store, StoreError, parse_task_file, read_given_file, write_atomic

__all__ = ["cmd_export", "cmd_import"]

_SUMMARY_DETAILS = 3


def _write_export(target: Path, payload: bytes, db_path: Path) -> None:
    if target.resolve() == db_path.resolve():
        raise InvalidTask(
            _(
                "{target} is the task file itself; choose another output file (nothing was written)"
            ).format(target=target)
        )
    if target.is_dir():
        raise InvalidTask(
            _("{target} is a folder; give a file name after -o").format(target=target)
        )
    if not target.parent.is_dir():
        raise StoreError(
            _("Cannot write the export to {target}: the folder {folder} does not exist.").format(
                target=target, folder=target.parent
            )
        )
    write_atomic(target, payload, temp_prefix=f".{target.name}.")


def cmd_export(args: argparse.Namespace, store: Store) -> int:
    """Print or write the export; reading the store never writes it."""
    now = local_now()
    tasks = select_for_export(store.read().tasks, include_done=bool(args.all), now=now)
    payload = render_export(args.format, tasks, now)
    output = getattr(args, "output", None)
    if output and output != "-":
        target = Path(output).expanduser()
        _write_export(target, payload, store.path)
        exported = ngettext(
            "Exported {n} task as {format} to {target}",
            "Exported {n} tasks as {format} to {target}",
            len(tasks),
        )
        print(exported.format(n=len(tasks), format=args.format, target=target))
    else:
        sys.stdout.buffer.write(payload)
        sys.stdout.flush()
    return 0


def _read_input(name: str) -> str:
    """The import file as text, or InvalidTask (exit 2) with what is wrong with it."""
    if name == "-":
        raw = sys.stdin.buffer.read()
    else:
        raw = read_given_file(
            Path(name).expanduser(),
            lambda reason: _("cannot import {name}: {reason}").format(name=name, reason=reason),
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidTask(
            _(
                "cannot import {name}: it is not UTF-8 text (byte {byte}); save it as UTF-8 "
                "and try again. Nothing was written."
            ).format(name=name, byte=exc.start)
        ) from None
    if "\x00" in text:
        raise InvalidTask(
            _("cannot import {name}: it is a binary file, not text").format(name=name)
        )
    return text


def _existing(store: Store) -> list[Task]:
    """Every record on disk including tombstones, without locking or writing (for --dry-run)."""
    raw = store._read_bytes()
    if raw is None:
        return []
    return _tasks_of(parse_task_file(raw, store.path).get("tasks", {}).values(), store.path)


def _tasks_of(records: Iterable[Any], path: Path) -> list[Task]:
    try:
        return [Task.from_record(record) for record in records]
    except ValueError as exc:
        raise StoreError(
            _("Cannot read the task file {path}: {error}. Nothing was written.").format(
                path=path, error=exc
            )
        ) from None


def _summary(plan: ImportPlan, skipped: Sequence[str], *, dry_run: bool = False) -> str:
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
        shown = _("; ").join(firsts)
        more = len(skipped) - _SUMMARY_DETAILS
        if more > 0:
            shown += ngettext("; and {n} more", "; and {n} more", more).format(n=more)
        count = ngettext("{n} skipped ({reasons})", "{n} skipped ({reasons})", len(skipped))
        parts.append(count.format(n=len(skipped), reasons=shown))
    return ", ".join(parts)


def cmd_import(args: argparse.Namespace, store: Store) -> int:
    """Validate everything first; then plan and write under one lock, or not at all."""
    now = local_now()
    text = _read_input(args.file)
    try:
        parsed = parse_import(text, args.format, now)
    except InvalidTask as exc:
        raise InvalidTask(
            _("cannot import {file}: {error}. Nothing was written.").format(
                file=args.file, error=exc
            )
        ) from None
    if parsed.problems and not args.skip_invalid:
        count = len(parsed.problems)
        listing = "\n".join(f"  {problem}" for problem in parsed.problems)
        invalid = ngettext(
            "{file} has {count} invalid record; nothing was imported:\n{listing}\n"
            "Fix it, or pass --skip-invalid to import the valid ones.",
            "{file} has {count} invalid records; nothing was imported:\n{listing}\n"
            "Fix them, or pass --skip-invalid to import the valid ones.",
            count,
        )
        raise InvalidTask(invalid.format(file=args.file, count=count, listing=listing))
    for problem in parsed.problems:
        print("eisenhower: " + _("skipped {problem}").format(problem=problem), file=sys.stderr)
    skipped = [*parsed.problems, *parsed.skipped]
    if args.dry_run:
        plan = plan_import(parsed.items, _existing(store))
        print(_summary(plan, skipped, dry_run=True))
        return 0
    plan = ImportPlan()
    if parsed.items:
        with store.transaction() as txn:
            try:
                existing = txn.all(include_deleted=True)
            except ValueError as exc:
                raise StoreError(
                    _("Cannot read the task file {path}: {error}.").format(
                        path=store.path, error=exc
                    )
                ) from None
            plan = plan_import(parsed.items, existing)
            if plan.writes:
                txn.put_many(plan.writes)
    print(_summary(plan, skipped))
    return 0
