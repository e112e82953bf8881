"""The ``eisenhower`` command. Short commands stay light: Textual is imported only for the TUI."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, NoReturn, TextIO

from . import __version__
from .i18n import _
from .model import InvalidTask, Quadrant, Task, display_safe, iso_now, pane_order
from .store import StoreError

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
    common = argparse.ArgumentParser(add_help=False)
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
    exp.add_argument("--format", "-f", choices=["json", "csv", "markdown", "ics"], default="json")
    exp.add_argument("-o", "--output", metavar="FILE")
    exp.add_argument("--all", "-a", action="store_true", help="include done tasks")

    imp = sub.add_parser("import", parents=[common], help="import tasks from a file")
    imp.add_argument("file", metavar="FILE")
    imp.add_argument("--format", "-f", choices=["json", "taskwarrior", "todotxt", "csv"])
    imp.add_argument("--dry-run", action="store_true", help="show what would change")
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


def _choose_language() -> None:
    """The language of every message, those raised before a command reads its config included
    (a corrupt task file, a bad id). The config's warnings are printed later, by ``_config``."""
    from .config import load_config
    from .i18n import set_language

    set_language(load_config().language)


def _fail(code: int, message: str) -> int:
    print(f"eisenhower: {message}", file=sys.stderr)
    return code


def _store(args: argparse.Namespace, config: Any = None) -> Any:
    from .config import load_config
    from .paths import resolve_db_path
    from .store import Store

    config = config or load_config()
    hook = None
    if config.feed_path is not None:  # the feed module is loaded only by those who use it
        from .feed import feed_writer

        hook = feed_writer(config)
    return Store(resolve_db_path(getattr(args, "db", None)), after_write=hook)


def _config() -> Any:
    from .config import load_config
    from .i18n import set_language

    config = load_config()
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
    week_start: int,
) -> tuple[Task, bool]:
    from .dates import parse_deadline
    from .domain.tasks import new_task
    from .quickadd import parse_quick_add

    default = _quadrant(args.quadrant) or Quadrant.SCHEDULE
    draft = parse_quick_add(text, default, now, week_start=week_start)
    quadrant = _quadrant(args.quadrant) or draft.quadrant
    deadline = draft.deadline
    if args.due:
        deadline = parse_deadline(args.due, now, several_words=True, week_start=week_start)
    task = new_task(
        draft.title,
        quadrant,
        due=deadline.due if deadline else None,
        tags=[*draft.tags, *args.tag],
        delegate=draft.delegate,
        notes=args.note,
        now=now,
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
    for number, text in texts:
        try:
            task, past = _draft_to_task(text, args, now, config.week_start)
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
    _store(args).add(*tasks)
    for task in tasks:
        print(_summary(_("Added"), task, now, config.language))
    return EXIT_OK


def _summary(verb: str, task: Task, now: datetime, lang: str = "en") -> str:
    from .dates import humanize_due
    from .quickadd import quadrant_name

    task = display_safe(task)
    name = quadrant_name(task.quadrant, lang)
    parts = [verb, task.id[:8], f"[{int(task.quadrant)} {name}]", task.title]
    if task.due:
        when = humanize_due(task.due, now, lang)
        parts.append(_("(due {date}, {when})").format(date=task.due, when=when))
    if task.tags:
        parts.append(" ".join("#" + t for t in task.tags))
    if task.delegate:
        parts.append("@" + task.delegate)
    return " ".join(parts)


# --- list ---------------------------------------------------------------------------------------


def cmd_list(args: argparse.Namespace) -> int:
    now = _now()
    only = _quadrant(args.quadrant)
    if args.json:
        import orjson

        from .model import public_records

        records = _store(args).read_records()
        shown = public_records(records, now, include_done=args.all, quadrant=only)
        sys.stdout.buffer.write(orjson.dumps(shown, option=orjson.OPT_INDENT_2) + b"\n")
        sys.stdout.flush()
        return EXIT_OK
    snapshot = _store(args).read()
    tasks = [t for t in snapshot.tasks if (args.all or t.done is None)]
    if only is not None:
        tasks = [t for t in tasks if t.quadrant == only]
    tasks = sorted(tasks, key=pane_order(now))  # as in the panes: completed ones last
    lang = _config().language
    _print_matrix(tasks, now, [only] if only else list(Quadrant), sys.stdout, lang)
    return EXIT_OK


def _print_matrix(
    tasks: list[Task], now: datetime, quadrants: list[Quadrant], out: TextIO, lang: str = "en"
) -> None:
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
        name = quadrant_name(quadrant, lang)
        out.write(f"{int(quadrant)} {name} ({sum(1 for t in rows if not t.done)})\n")
        if not rows:
            out.write("  " + _("(empty)") + "\n")
        for task in map(display_safe, rows):
            extras = []
            if task.due:
                extras.append(humanize_due(task.due, now, lang))
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
    change: Callable[[Task, Any], bool],
) -> int:
    """Resolve every id first, then change them all in one write, or none on any bad id."""
    from .i18n import current_language

    now = _now()
    changed: list[Task] = []
    with _store(args).transaction() as txn:
        targets = []
        for prefix in ids:
            task = txn.resolve(prefix)
            if task.id not in {t.id for t in targets}:
                targets.append(task)
        for task in targets:
            if change(task, txn):
                task.updated = iso_now(txn.now)
                txn.put(task)
            changed.append(task)
    for task in changed:
        print(_summary(verb, task, now, current_language()))
    return EXIT_OK


def cmd_done(args: argparse.Namespace) -> int:
    def mark(task: Task, txn: Any) -> bool:
        if task.done:
            return False
        task.done = iso_now(txn.now)
        return True

    return _change_each(args, args.ids, _("Done"), mark)


def cmd_undo_done(args: argparse.Namespace) -> int:
    def unmark(task: Task, txn: Any) -> bool:
        if not task.done:
            return False
        task.done = None
        return True

    return _change_each(args, args.ids, _("Reopened"), unmark)


def cmd_rm(args: argparse.Namespace) -> int:
    def remove(task: Task, txn: Any) -> bool:
        txn.delete(task.id)
        return False

    return _change_each(args, args.ids, _("Deleted"), remove)


def cmd_move(args: argparse.Namespace) -> int:
    quadrant = Quadrant.parse(args.quadrant)

    def move(task: Task, txn: Any) -> bool:
        if task.quadrant == quadrant:
            return False
        task.urgent, task.important = quadrant.urgent, quadrant.important
        return True

    return _change_each(args, [args.id], _("Moved"), move)


def cmd_due(args: argparse.Namespace) -> int:
    from .dates import parse_deadline

    text = " ".join(args.when).strip()
    due: str | None = None
    if text.lower() not in ("none", "clear", "-", "aucune"):
        config = _config()
        deadline = parse_deadline(text, _now(), several_words=True, week_start=config.week_start)
        if deadline.in_past:
            print("eisenhower: " + _("warning: that deadline is in the past"), file=sys.stderr)
        due = deadline.due

    def set_due(task: Task, txn: Any) -> bool:
        if task.due == due:
            return False
        task.due = due
        return True

    return _change_each(args, [args.id], _("Due set"), set_due)


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
        for path in backups:
            print(path)
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


def cmd_export(args: argparse.Namespace) -> int:
    from .interop import cmd_export as run

    return run(args, _store(args))


def cmd_import(args: argparse.Namespace) -> int:
    from .interop import cmd_import as run

    return run(args, _store(args))


def cmd_merge(args: argparse.Namespace) -> int:
    from .merge import cmd_merge as run

    return run(args, _store(args))


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
        store = Store(resolve_db_path(getattr(args, "db", None)), after_write=hook)
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

    app = CaptureApp(store, config=config, default_quadrant=quadrant)
    app.run()
    return app.return_code if app.return_code is not None else 1


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
