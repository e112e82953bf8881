"""The ``eisenhower`` command. Short commands stay light: Textual is imported only for the TUI."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

from . import __version__
from .i18n import _, ngettext
from .model import InvalidTask, Quadrant, Task, display_safe, iso_now, pane_order
from .store import StoreError

if TYPE_CHECKING:
    from .domain.changes import Edit
    from .store import Txn

EXIT_OK, EXIT_STORAGE, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Bad command-line input: exit 2 with the message."""


# argparse's own error messages, which scripts/i18n.py extracts from this table; its --help text
# stays English. A Python that words one differently shows that one in English.
_ARGPARSE_ERRORS = (
    "the following arguments are required: %s",
    "unrecognized arguments: %s",
    "argument %(argument_name)s: %(message)s",
    "invalid choice: %(value)r (choose from %(choices)s)",
    "expected one argument",
    "expected at least one argument",
    "ambiguous option: %(option)s could match %(matches)s",
    "ignored explicit argument %r",
)


@contextlib.contextmanager
def _argparse_errors_translated() -> Iterator[None]:
    """While parsing, argparse looks its error messages up in our catalogue (read at call time)."""
    from . import i18n

    original = getattr(argparse, "_", None)
    if not callable(original):
        yield
        return

    def translate(message: str) -> str:
        return i18n._(message) if message in _ARGPARSE_ERRORS else original(message)

    setattr(argparse, "_", translate)  # noqa: B010 - argparse has no public hook for this
    try:
        yield
    finally:
        setattr(argparse, "_", original)  # noqa: B010


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(
            _("{message} (see `{prog} --help`)").format(message=message, prog=self.prog)
        )


def build_parser() -> argparse.ArgumentParser:
    common = _Parser(add_help=False)
    common.add_argument(
        "--db",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help="task file (default: $EISENHOWER_DB, then the platform data folder)",
    )
    parser = _Parser(
        prog="eisenhower",
        description="A keyboard-driven Eisenhower matrix for the terminal.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--demo", action="store_true", help="open the matrix on a temporary copy of demo data"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    add = sub.add_parser("add", parents=[common], help="add a task (quick-add grammar)")
    add.add_argument("text", nargs="+", help="title with tokens; '-' reads one task per line")
    add.add_argument("--due", metavar="WHEN", help="deadline, several words allowed")
    add.add_argument("--quadrant", "-q", metavar="Q", help="1-4 or do/schedule/delegate/eliminate")
    add.add_argument("--tag", "-t", action="append", default=[], metavar="T", help="add a tag")
    add.add_argument("--note", "-n", default="", metavar="N", help="notes")

    cap = sub.add_parser("capture", parents=[common], help="one-line capture popup for a hotkey")
    cap.add_argument("--quadrant", "-q", metavar="Q", help="default quadrant (Schedule)")

    lst = sub.add_parser("list", aliases=["ls"], parents=[common], help="print the matrix")
    lst.add_argument("--quadrant", "-q", metavar="Q")
    lst.add_argument("--all", "-a", action="store_true", help="include done tasks")
    lst.add_argument("--json", action="store_true", help="a JSON array for scripts")

    for name, help_text in (
        ("done", "mark tasks done"),
        ("undo-done", "mark tasks not done"),
        ("rm", "delete tasks"),
    ):
        cmd = sub.add_parser(name, parents=[common], help=help_text)
        cmd.add_argument("ids", nargs="+", metavar="ID")

    move = sub.add_parser("move", parents=[common], help="move a task to a quadrant")
    move.add_argument("id", metavar="ID")
    move.add_argument("quadrant", metavar="Q")

    due = sub.add_parser("due", parents=[common], help="set or clear a deadline")
    due.add_argument("id", metavar="ID")
    due.add_argument("when", nargs="+", metavar="WHEN|none")

    exp = sub.add_parser("export", parents=[common], help="export tasks")
    exp.add_argument(
        "--format",
        "-f",
        choices=["json", "csv", "markdown", "ics"],
        default="json",
        help="json and csv carry every task, done ones included (default: json)",
    )
    exp.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    exp.add_argument(
        "--all", "-a", action="store_true", help="markdown and ics: include done tasks too"
    )

    imp = sub.add_parser("import", parents=[common], help="import tasks from a file")
    imp.add_argument("file", metavar="FILE", help="the file to import; '-' reads stdin")
    imp.add_argument(
        "--format",
        "-f",
        choices=["json", "taskwarrior", "todotxt", "csv", "ics"],
        help="default: from the file's extension, then its content",
    )
    imp.add_argument(
        "--dry-run", action="store_true", help="list what would be added; write nothing"
    )
    imp.add_argument("--skip-invalid", action="store_true", help="import the valid lines only")

    merge = sub.add_parser("merge", parents=[common], help="merge a sync-conflict copy by id")
    merge.add_argument("file", metavar="FILE")

    restore = sub.add_parser("restore", parents=[common], help="list backups or restore one")
    restore.add_argument("backup", nargs="?", metavar="BACKUP")

    sub.add_parser("config", parents=[common], help="config path and effective values")
    sub.add_parser("sync", parents=[common], help="two-way sync with a CalDAV task list")
    sub.add_parser("notify", parents=[common], help="one-shot reminders of near deadlines")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    _choose_language()
    try:
        with _argparse_errors_translated():
            args = build_parser().parse_args(args_list)
    except UsageError as exc:
        return _fail(EXIT_USAGE, str(exc))
    except SystemExit as exc:  # --help / --version
        return int(exc.code or 0)
    handler = COMMANDS.get(args.command or "", run_tui)
    try:
        return handler(args)
    except (InvalidTask, UsageError) as exc:
        return _fail(EXIT_USAGE, str(exc))
    except StoreError as exc:
        return _fail(EXIT_STORAGE, str(exc))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK
    finally:
        _print_store_notices()
        _LOADED.clear()


_LOADED: list[Any] = []  # the config this run of main() read, so the file is read once


def _choose_language() -> None:
    """The language of every message, those raised before a command reads its config included
    (a corrupt task file, a bad id). The config's warnings are printed later, by ``_config``."""
    from .i18n import set_language

    _LOADED.clear()
    set_language(_loaded_config().language)


def _loaded_config() -> Any:
    if not _LOADED:
        from .config import load_config

        _LOADED.append(load_config())
    return _LOADED[0]


def _fail(code: int, message: str) -> int:
    print(f"eisenhower: {message}", file=sys.stderr)
    return code


_OPENED: list[Any] = []  # the stores this command opened, for their notices


def _store(args: argparse.Namespace, config: Any = None) -> Any:
    from .paths import resolve_db_path
    from .store import Store

    config = config or _loaded_config()
    hook = None
    if config.feed_path is not None:  # the feed module is loaded only by those who use it
        from .feed import feed_writer

        hook = feed_writer(config)
    store = Store(resolve_db_path(getattr(args, "db", None)), after_write=hook)
    _OPENED.append(store)
    return store


def _print_store_notices() -> None:
    """What the store mended while loading (a cut emoji...), once each, on stderr."""
    from .model import sanitize_line

    shown: set[str] = set()
    for store in _OPENED:
        for notice in [*store.last_notices, *store.warnings]:
            if notice not in shown:
                shown.add(notice)
                print("eisenhower: " + sanitize_line(notice), file=sys.stderr)
    _OPENED.clear()


def _config() -> Any:
    from .i18n import set_language

    config = _loaded_config()
    set_language(config.language)  # before any UI import: bindings are translated at import
    for warning in config.warnings:
        print("eisenhower: " + _("config: {warning}").format(warning=warning), file=sys.stderr)
    return config


def _now() -> datetime:
    from .dates import local_now

    return local_now()


def _quadrant(text: str | None) -> Quadrant | None:
    return None if text is None else Quadrant.parse(text)


# --- add ----------------------------------------------------------------------------------------


def _draft_to_task(
    text: str,
    args: argparse.Namespace,
    now: datetime,
    config: Any,
    order: float,
) -> tuple[Task, bool]:
    from .dates import parse_deadline
    from .domain.changes import add_task
    from .quickadd import parse_quick_add

    given = _quadrant(args.quadrant)
    draft = parse_quick_add(text, given or Quadrant.SCHEDULE, now, week_start=config.week_start)
    deadline = draft.deadline
    if args.due:
        deadline = parse_deadline(args.due, now, several_words=True, week_start=config.week_start)
    task = add_task(
        title=draft.title,
        quadrant=given or draft.quadrant,
        explicit=given is not None or draft.quadrant_from_tokens,
        now=now,
        horizon=config.horizon,
        due=deadline.due if deadline else None,
        tags=[*draft.tags, *args.tag],
        delegate=draft.delegate,
        notes=args.note,
        order=order,
    )
    return task, bool(deadline and deadline.in_past)


def cmd_add(args: argparse.Namespace) -> int:
    config = _config()
    now = _now()
    if args.text == ["-"]:
        texts = [(n, line) for n, line in enumerate(sys.stdin, 1) if line.strip()]
        if not texts:
            raise UsageError(_("no tasks on standard input"))
    else:
        texts = [(0, " ".join(args.text))]
    tasks: list[Task] = []
    for index, (number, text) in enumerate(texts):
        try:
            # A batch keeps its input order among tasks without a deadline.
            order = now.timestamp() + index * 1e-6
            task, past = _draft_to_task(text, args, now, config, order)
        except InvalidTask as exc:
            if number:
                failed = _("line {n}: {error}; nothing was saved").format(n=number, error=exc)
            else:
                failed = _("{error}; nothing was saved").format(error=exc)
            raise InvalidTask(failed) from None
        if past:
            warning = _("warning: the deadline of '{title}' is in the past")
            print(
                "eisenhower: " + warning.format(title=display_safe(task).title),
                file=sys.stderr,
            )
        tasks.append(task)
    _store(args, config).add(*tasks)
    for task in tasks:
        print(_summary(_("Added"), task, now))
    return EXIT_OK


def _summary(verb: str, task: Task, now: datetime) -> str:
    from .dates import humanize_due
    from .quickadd import quadrant_name

    task = display_safe(task)
    name = quadrant_name(task.quadrant)
    parts = [verb, task.id[:8], f"[{int(task.quadrant)} {name}]", task.title]
    if task.due:
        when = humanize_due(task.due, now)
        parts.append(_("(due {date}, {when})").format(date=task.due, when=when))
    if task.tags:
        parts.append(" ".join("#" + t for t in task.tags))
    if task.delegate:
        parts.append("@" + task.delegate)
    return " ".join(parts)


# --- list ---------------------------------------------------------------------------------------


def cmd_list(args: argparse.Namespace) -> int:
    config = _config()
    now = _now()
    only = _quadrant(args.quadrant)
    if args.json:
        import orjson

        from .domain.views import public_records

        records = _store(args, config).read_records()
        shown = public_records(
            records, now, include_done=args.all, quadrant=only, horizon=config.horizon
        )
        sys.stdout.buffer.write(orjson.dumps(shown, option=orjson.OPT_INDENT_2) + b"\n")
        sys.stdout.flush()
        return EXIT_OK
    from .domain.escalation import as_seen

    snapshot = _store(args, config).read()
    # As every view shows them: a task due for escalation is urgent here too.
    tasks = [t for t in as_seen(snapshot.tasks, now, config.horizon) if args.all or not t.done]
    if only is not None:
        tasks = [t for t in tasks if t.quadrant == only]
    tasks = sorted(tasks, key=pane_order(now))  # as in the panes: completed ones last
    _print_matrix(tasks, now, [only] if only else list(Quadrant), sys.stdout)
    return EXIT_OK


def _print_matrix(tasks: list[Task], now: datetime, quadrants: list[Quadrant], out: TextIO) -> None:
    import shutil

    from .dates import humanize_due
    from .quickadd import quadrant_name

    width = shutil.get_terminal_size((100, 24)).columns if out.isatty() else 10_000
    by_quadrant: dict[Quadrant, list[Task]] = {q: [] for q in quadrants}
    for task in tasks:
        if task.quadrant in by_quadrant:
            by_quadrant[task.quadrant].append(task)
    for index, quadrant in enumerate(quadrants):
        rows = by_quadrant[quadrant]
        if index:
            out.write("\n")
        name = quadrant_name(quadrant)
        out.write(f"{int(quadrant)} {name} ({sum(1 for t in rows if not t.done)})\n")
        if not rows:
            out.write("  " + _("(empty)") + "\n")
        for task in map(display_safe, rows):
            extras = []
            if task.due:
                extras.append(humanize_due(task.due, now))
            extras += ["#" + t for t in task.tags]
            if task.delegate:
                extras.append("@" + task.delegate)
            mark = "x" if task.done else " "
            tail = ("  " + " ".join(extras)) if extras else ""
            room = max(10, width - 14 - len(tail))
            title = task.title if len(task.title) <= room else task.title[: room - 1] + "…"
            out.write(f"  [{mark}] {task.id[:8]}  {title}{tail}\n")


# --- changes by id ------------------------------------------------------------------------------


def _change_each(
    args: argparse.Namespace,
    ids: list[str],
    verb: str,
    operation: Callable[[Task, datetime], Edit | None],
) -> int:
    """Resolve every id first, then apply the domain's edit to them all in one write, or none
    on any bad id. Edits land through ``apply_fields``, as the matrix's writer lands them."""
    from .domain.changes import apply_fields

    now = _now()

    def change(txn: Txn) -> list[Task]:  # may run again if a sync tool swaps the file
        targets: list[Task] = []
        for prefix in ids:
            task = txn.resolve(prefix)
            if task.id not in {t.id for t in targets}:
                targets.append(task)
        stamp = iso_now(txn.now)
        changed = []
        for task in targets:
            edit = operation(task, now)
            if edit is not None:
                task = apply_fields(task, edit.after, stamp)
                txn.put(task)
            changed.append(task)
        return changed

    changed = _store(args).apply(change)
    for task in changed:
        print(_summary(verb, task, now))
    return EXIT_OK


def cmd_done(args: argparse.Namespace) -> int:
    from .domain.changes import set_done

    return _change_each(args, args.ids, _("Done"), lambda t, now: set_done(t, True, now))


def cmd_undo_done(args: argparse.Namespace) -> int:
    from .domain.changes import set_done

    return _change_each(args, args.ids, _("Reopened"), lambda t, now: set_done(t, False, now))


def cmd_rm(args: argparse.Namespace) -> int:
    from .domain.changes import delete

    return _change_each(args, args.ids, _("Deleted"), delete)


def cmd_move(args: argparse.Namespace) -> int:
    from .domain.changes import move

    quadrant = Quadrant.parse(args.quadrant)
    horizon = _config().horizon
    return _change_each(args, [args.id], _("Moved"), lambda t, now: move(t, quadrant, now, horizon))


def cmd_due(args: argparse.Namespace) -> int:
    from .dates import parse_deadline
    from .domain.changes import set_due

    config = _config()
    text = " ".join(args.when).strip()
    due: str | None = None
    if text.lower() not in ("none", "clear", "-", "aucune"):
        deadline = parse_deadline(text, _now(), several_words=True, week_start=config.week_start)
        if deadline.in_past:
            print("eisenhower: " + _("warning: that deadline is in the past"), file=sys.stderr)
        due = deadline.due
    return _change_each(
        args, [args.id], _("Due set"), lambda t, now: set_due(t, due, now, config.horizon)
    )


# --- the rest -----------------------------------------------------------------------------------


def cmd_config(args: argparse.Namespace) -> int:
    from .paths import resolve_db_path

    config = _config()
    if config.path.exists():
        print(_("config file: {path}").format(path=config.path))
    else:
        print(_("config file: {path} (not created; defaults in use)").format(path=config.path))
    print(_("task file:   {path}").format(path=resolve_db_path(getattr(args, "db", None))))
    for key, value in config.effective().items():
        print(f"{key} = {value!r}")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    store = _store(args)
    backups = store.backups()
    if not args.backup:
        if not backups:
            print(_("No backups yet for {path}.").format(path=store.path))
        now = _now()
        for info in store.backup_infos():
            count = store.count_tasks_in(info.path)
            tasks = _("unreadable") if count is None else ngettext("{n} task", "{n} tasks", count)
            print(f"{info.path}  {_age(now - info.taken)}  {tasks.format(n=count)}")
        return EXIT_OK
    chosen = Path(args.backup)
    if not chosen.exists():
        matches = [p for p in backups if args.backup in p.name]
        if len(matches) != 1:
            raise UsageError(
                _("no single backup matches '{backup}'; run `eisenhower restore`").format(
                    backup=args.backup
                )
            )
        chosen = matches[0]
    saved = store.restore(chosen)
    restored = _("Restored {backup} over {path}; the previous file is saved as {saved}")
    print(restored.format(backup=chosen, path=store.path, saved=saved))
    return EXIT_OK


def _age(elapsed: timedelta) -> str:
    """How long ago a backup was taken, at a glance: "2 h ago"."""
    seconds = max(0, int(elapsed.total_seconds()))
    if seconds < 60:
        return _("just now")
    if seconds < 3600:
        return _("{n} min ago").format(n=seconds // 60)
    if seconds < 86400:
        return _("{n} h ago").format(n=seconds // 3600)
    days = seconds // 86400
    return ngettext("{n} day ago", "{n} days ago", days).format(n=days)


def cmd_sync(args: argparse.Namespace) -> int:
    from .sync_cli import cmd_sync as run

    config = _config()
    return run(_store(args, config), config)


def cmd_notify(args: argparse.Namespace) -> int:
    from .notify import cmd_notify as run

    config = _config()
    return run(_store(args, config), config)


def run_tui(args: argparse.Namespace) -> int:
    """Bare ``eisenhower``: open the store first so a bad file exits 1 before drawing anything."""
    from .paths import resolve_db_path
    from .store import Store

    config = _config()
    if args.demo:
        from .demo import demo_store

        store = demo_store(config)
    else:
        from .feed import feed_writer

        # In the matrix a feed failure goes to store.warnings: stderr would tear the screen.
        feed_warnings: list[str] = []
        hook = feed_writer(config, warn=feed_warnings.append)
        # keep_last_version: the writer's first save starts from this very read (see Store).
        path = resolve_db_path(getattr(args, "db", None))
        store = Store(path, after_write=hook, keep_last_version=True)
        store.warnings = feed_warnings
    snapshot = store.read()  # the matrix starts from this read: the file is parsed once
    from .app import EisenhowerApp

    app = EisenhowerApp(store, config=config, initial=snapshot)
    try:
        app.run()
    finally:
        if args.demo:
            import shutil

            shutil.rmtree(store.path.parent, ignore_errors=True)
    return app.return_code or EXIT_OK


def run_capture(args: argparse.Namespace) -> int:
    from .paths import resolve_db_path
    from .store import Store

    config = _config()
    quadrant = _quadrant(args.quadrant) or Quadrant.SCHEDULE
    from .feed import feed_writer

    feed_warnings: list[str] = []
    hook = feed_writer(config, warn=feed_warnings.append)
    store = Store(resolve_db_path(getattr(args, "db", None)), after_write=hook)
    store.warnings = feed_warnings
    # No read here: the box must be ready to type at once. It checks the file in the
    # background once drawn, and a save checks it again under the lock.
    from .screens.capture import CaptureApp

    app = CaptureApp(
        store, config=config, default_quadrant=quadrant, quadrant_given=args.quadrant is not None
    )
    app.run()
    return app.return_code if app.return_code is not None else 1


# --- import, export, merge ---------------------------------------------------------------------
# The formats themselves live in .formats and the merge rule in .domain.merge (both pure); these
# commands do the file side. Every module is imported inside the function so `add` stays light.


def cmd_export(args: argparse.Namespace) -> int:
    """Print or write the export; reading the store never writes it."""
    from .domain.escalation import as_seen
    from .formats import FULL_EXPORTS, render_export, select_for_export
    from .i18n import ngettext

    config = _config()
    store = _store(args)
    now = _now()
    include_done = bool(args.all) or args.format in FULL_EXPORTS
    # As every view shows them: a task due for escalation is exported urgent.
    seen = as_seen(store.read().tasks, now, config.horizon)
    tasks = select_for_export(seen, include_done=include_done, now=now)
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
        print(exported.format(n=len(tasks), format=args.format, target=_safe(target)))
    else:
        sys.stdout.buffer.write(payload)
        sys.stdout.flush()
    return EXIT_OK


def _write_export(target: Path, payload: bytes, db_path: Path) -> None:
    """Atomically, through the store's writer: a new file is 0600 (tasks are private)."""
    from .store import write_atomic

    if target.resolve() == db_path.resolve():
        raise InvalidTask(
            _(
                "{target} is the task file itself; choose another output file (nothing was written)"
            ).format(target=_safe(target))
        )
    if target.is_dir():
        raise InvalidTask(
            _("{target} is a folder; give a file name after -o").format(target=_safe(target))
        )
    if not target.parent.is_dir():
        raise StoreError(
            _("Cannot write the export to {target}: the folder {folder} does not exist.").format(
                target=_safe(target), folder=_safe(target.parent)
            )
        )
    write_atomic(target, payload, temp_prefix=f".{target.name}.")


def cmd_import(args: argparse.Namespace) -> int:
    """Validate everything first; then plan and write under one lock, or not at all."""
    from .formats import ImportPlan, import_summary, parse_import, plan_import
    from .i18n import ngettext

    store = _store(args)
    now = _now()
    text = _read_import(args.file)
    try:
        parsed = parse_import(text, args.format, now, name=args.file)
    except InvalidTask as exc:
        raise InvalidTask(
            _("cannot import {file}: {error}. Nothing was written.").format(
                file=_safe(args.file), error=_safe(exc)
            )
        ) from None
    if parsed.problems and not args.skip_invalid:
        count = len(parsed.problems)
        listing = "\n".join(f"  {_safe(problem)}" for problem in parsed.problems)
        invalid = ngettext(
            "{file} has {count} invalid record; nothing was imported:\n{listing}\n"
            "Fix it, or pass --skip-invalid to import the valid ones.",
            "{file} has {count} invalid records; nothing was imported:\n{listing}\n"
            "Fix them, or pass --skip-invalid to import the valid ones.",
            count,
        )
        raise InvalidTask(invalid.format(file=_safe(args.file), count=count, listing=listing))
    for problem in parsed.problems:
        skipped_one = _("skipped {problem}").format(problem=_safe(problem))
        print("eisenhower: " + skipped_one, file=sys.stderr)
    skipped = [*parsed.problems, *parsed.skipped]
    if args.dry_run:
        plan = plan_import(parsed.items, _tasks_on_disk(store))
        print(_safe(import_summary(plan, skipped, dry_run=True)))
        for mark, tasks in (("+", plan.new), ("~", plan.updated)):
            for task in tasks:
                print(_change_line(mark, task.id, task.title))
        return EXIT_OK
    plan = ImportPlan()
    if parsed.items:

        def write(txn: Txn) -> ImportPlan:  # may run again if a sync tool swaps the file
            try:
                existing = txn.all(include_deleted=True)
            except ValueError as exc:
                raise StoreError(
                    _("Cannot read the task file {path}: {error}.").format(
                        path=store.path, error=exc
                    )
                ) from None
            found = plan_import(parsed.items, existing)
            if found.writes:
                txn.put_many(found.writes)
            return found

        plan = store.apply(write)
    print(_safe(import_summary(plan, skipped)))
    return EXIT_OK


def _read_import(name: str) -> str:
    """The import file as text, or InvalidTask (exit 2) with what is wrong with it."""
    from .store import read_given_file

    shown = _safe(name)
    if name == "-":
        raw = sys.stdin.buffer.read()
    else:
        raw = read_given_file(
            Path(name).expanduser(),
            lambda reason: _("cannot import {name}: {reason}").format(name=shown, reason=reason),
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidTask(
            _(
                "cannot import {name}: it is not UTF-8 text (byte {byte}); save it as UTF-8 "
                "and try again. Nothing was written."
            ).format(name=shown, byte=exc.start)
        ) from None
    if "\x00" in text:
        raise InvalidTask(
            _("cannot import {name}: it is a binary file, not text").format(name=shown)
        )
    return text


def _tasks_on_disk(store: Any) -> list[Task]:
    """Every record on disk including tombstones, without locking or writing (for --dry-run)."""
    records = store.read_records()
    try:
        return [Task.from_record(record) for record in records]
    except ValueError as exc:
        raise StoreError(
            _("Cannot read the task file {path}: {error}. Nothing was written.").format(
                path=store.path, error=exc
            )
        ) from None


def cmd_merge(args: argparse.Namespace) -> int:
    """Merge a sync tool's conflict copy and say what changed and that the copy may now go."""
    from .conflicts import merge_copy

    store = _store(args)
    copy = Path(args.file).expanduser()
    report, before, after = merge_copy(store, copy)
    shown_copy = _safe(copy)
    merged = _("Merged {copy} into {path}: {summary}.")
    print(merged.format(copy=shown_copy, path=store.path, summary=report.summary()))
    for mark, ids in (
        ("+", report.added),
        ("~", report.updated),
        ("-", report.deleted),
        ("^", report.restored),
    ):
        for task_id in ids:
            record = after.get(task_id) or before.get(task_id) or {}
            print(_change_line(mark, task_id, record.get("title", "")))
    done = _(
        "Everything in the copy is now in the task file; you may delete {copy} "
        "(it was left in place)."
    )
    print(done.format(copy=shown_copy))
    return EXIT_OK


def _change_line(mark: str, task_id: str, title: object) -> str:
    """``  + 1a2b3c4d  Title``: one cleaned line, the title cut at 60 characters."""
    line = _safe(title)
    line = line if len(line) <= 60 else line[:59] + "…"
    return f"  {mark} {_safe(task_id)[:8]}  {line}"


def _safe(text: object) -> str:
    """A file name, value or message about to reach the terminal: one line, no escapes.

    File names and the values quoted in messages come from outside (a file name can hold an
    escape sequence too), so they are cleaned like titles before they are printed.
    """
    from .model import sanitize_line

    return sanitize_line(str(text))


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "add": cmd_add,
    "capture": run_capture,
    "list": cmd_list,
    "ls": cmd_list,
    "done": cmd_done,
    "undo-done": cmd_undo_done,
    "rm": cmd_rm,
    "move": cmd_move,
    "due": cmd_due,
    "export": cmd_export,
    "import": cmd_import,
    "merge": cmd_merge,
    "restore": cmd_restore,
    "config": cmd_config,
    "sync": cmd_sync,
    "notify": cmd_notify,
}
