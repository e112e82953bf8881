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
from .model import InvalidTask, Quadrant, Task, cut, display_safe, iso_now, pane_order
from .store import StoreError

if TYPE_CHECKING:
    from .domain.changes import Edit
    from .store import Txn

EXIT_OK, EXIT_STORAGE, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Bad command-line input: exit 2 with the message."""


# argparse's own texts (errors and the --help headings), which scripts/i18n.py extracts from this
# table. A Python that words one differently shows that one in English.
_ARGPARSE_ERRORS = (
    "usage: ",
    "positional arguments",
    "options",
    "show this help message and exit",
    "not allowed with argument %s",
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
    """The command line; every help text through _(), so build it once the language is set."""
    common = _Parser(add_help=False)
    common.add_argument(
        "--db",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help=_("task file (default: $EISENHOWER_DB, then the platform data folder)"),
    )
    parser = _Parser(
        prog="eisenhower",
        description=_("A keyboard-driven Eisenhower matrix for the terminal."),
        parents=[common],
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"%(prog)s {__version__}",
        help=_("show the version and exit"),
    )
    parser.add_argument(
        "--demo", action="store_true", help=_("open the matrix on a temporary copy of demo data")
    )
    sub = parser.add_subparsers(
        dest="command", metavar="COMMAND", parser_class=_Parser, title=_("commands")
    )

    add = sub.add_parser("add", parents=[common], help=_("add a task (quick-add grammar)"))
    add.add_argument("text", nargs="+", help=_("title with tokens; '-' reads one task per line"))
    add.add_argument("--due", metavar="WHEN", help=_("deadline, several words allowed"))
    add.add_argument(
        "--quadrant", "-q", metavar="Q", help=_("1-4 or do/schedule/delegate/eliminate")
    )
    add.add_argument("--tag", "-t", action="append", default=[], metavar="T", help=_("add a tag"))
    add.add_argument("--note", "-n", default="", metavar="N", help=_("notes"))

    cap = sub.add_parser("capture", parents=[common], help=_("one-line capture popup for a hotkey"))
    cap.add_argument("--quadrant", "-q", metavar="Q", help=_("default quadrant (Schedule)"))

    lst = sub.add_parser("list", aliases=["ls"], parents=[common], help=_("print the matrix"))
    lst.add_argument(
        "words",
        nargs="*",
        metavar="WORD",
        help=_("filter as the matrix's / does: #tag @who overdue due:today due:week text"),
    )
    lst.add_argument("--quadrant", "-q", metavar="Q", help=_("only this quadrant"))
    lst.add_argument("--all", "-a", action="store_true", help=_("include done tasks"))
    lst.add_argument("--json", action="store_true", help=_("a JSON array for scripts"))

    for name, help_text in (
        ("done", _("mark tasks done")),
        ("undo-done", _("mark tasks not done")),
        ("rm", _("delete tasks")),
    ):
        cmd = sub.add_parser(name, parents=[common], help=help_text)
        cmd.add_argument("ids", nargs="+", metavar="ID")

    move = sub.add_parser("move", parents=[common], help=_("move a task to a quadrant"))
    move.add_argument("id", metavar="ID")
    move.add_argument("quadrant", metavar="Q")

    due = sub.add_parser("due", parents=[common], help=_("set or clear a deadline"))
    due.add_argument("id", metavar="ID")
    due.add_argument("when", nargs="+", metavar="WHEN|none")

    _add_task_commands(sub, common)

    exp = sub.add_parser("export", parents=[common], help=_("export tasks"))
    exp.add_argument(
        "--format",
        "-f",
        choices=["json", "csv", "markdown", "ics"],
        default="json",
        help=_("json and csv carry every task, done ones included (default: json)"),
    )
    exp.add_argument("-o", "--output", metavar="FILE", help=_("write to FILE instead of stdout"))
    exp.add_argument(
        "--all", "-a", action="store_true", help=_("markdown and ics: include done tasks too")
    )

    imp = sub.add_parser("import", parents=[common], help=_("import tasks from a file"))
    imp.add_argument("file", metavar="FILE", help=_("the file to import; '-' reads stdin"))
    imp.add_argument(
        "--format",
        "-f",
        choices=["json", "taskwarrior", "todotxt", "csv", "ics"],
        help=_("default: from the file's extension, then its content"),
    )
    imp.add_argument(
        "--dry-run", action="store_true", help=_("list what would be added; write nothing")
    )
    imp.add_argument("--skip-invalid", action="store_true", help=_("import the valid lines only"))

    merge = sub.add_parser("merge", parents=[common], help=_("merge a sync-conflict copy by id"))
    merge.add_argument("file", metavar="FILE")

    restore = sub.add_parser("restore", parents=[common], help=_("list backups or restore one"))
    restore.add_argument("backup", nargs="?", metavar="BACKUP")

    sub.add_parser("config", parents=[common], help=_("config path and effective values"))
    sub.add_parser("sync", parents=[common], help=_("two-way sync with a CalDAV task list"))
    sub.add_parser("notify", parents=[common], help=_("one-shot reminders of near deadlines"))
    _practice_parsers(sub, common, add, lst)
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
    for warning in config.warnings:  # they quote the file, which may hold anything
        print(
            "eisenhower: " + _safe(_("config: {warning}").format(warning=warning)), file=sys.stderr
        )
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
) -> tuple[Task, bool, list[str]]:
    from .dates import parse_deadline
    from .domain.changes import add_task
    from .quickadd import parse_quick_add

    given = _quadrant(args.quadrant)
    draft = parse_quick_add(text, given or Quadrant.SCHEDULE, now, week_start=config.week_start)
    deadline = draft.deadline
    if args.due:
        deadline = parse_deadline(args.due, now, several_words=True, week_start=config.week_start)
    practice = _practice_options(draft, args, now, config)
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
        cause="add",
        **practice,
    )
    return task, bool(deadline and deadline.in_past), draft.warnings


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
            task, past, warnings = _draft_to_task(text, args, now, config, order)
        except InvalidTask as exc:
            if number:
                failed = _("line {n}: {error}; nothing was saved").format(n=number, error=exc)
            else:
                failed = _("{error}; nothing was saved").format(error=exc)
            raise InvalidTask(failed) from None
        for warning in warnings:  # `due:fri 9am`: say the 9am went to the title
            print("eisenhower: " + _("warning: {warning}").format(warning=warning), file=sys.stderr)
        if past:
            warning = _("warning: the deadline of '{title}' is in the past")
            print(
                "eisenhower: " + warning.format(title=display_safe(task).title),
                file=sys.stderr,
            )
        tasks.append(task)
    from .domain.steps import added

    store = _store(args, config)
    store.add(*tasks)
    _remember(store, added(tasks), now)
    for task in tasks:
        print(_summary(_("Added"), task, now))
    _warn_limits(store, config, now, {t.quadrant for t in tasks})
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
    parts += _practice_extras(task, now)
    return " ".join(parts)


# --- list ---------------------------------------------------------------------------------------


def cmd_list(args: argparse.Namespace) -> int:
    from .domain.filters import Filter

    config = _config()
    now = _now()
    only = _quadrant(args.quadrant)
    # The same words as the matrix's `/`: `#work @bob overdue report`.
    wanted = Filter(" ".join(args.words))
    if args.json:
        import orjson

        from .domain.views import public_records

        records = _store(args, config).read_records()
        if args.waiting is not None:
            return _list_waiting_json(records, args, now, config)
        if wanted.active:
            records = [r for r in records if _record_matches(r, wanted, now)]
        shown = public_records(
            records, now, include_done=args.all, quadrant=only, horizon=config.horizon
        )
        sys.stdout.buffer.write(orjson.dumps(shown, option=orjson.OPT_INDENT_2) + b"\n")
        sys.stdout.flush()
        return EXIT_OK
    from .domain.escalation import as_seen
    from .domain.hidden import in_panes

    snapshot = _store(args, config).read()
    if args.waiting is not None:
        return _list_waiting(snapshot.tasks, args, now, config)
    # As every view shows them: a task due for escalation is urgent here too; waiting and
    # abandoned tasks are out of the panes, so out of the list too unless --all.
    tasks = [
        t
        for t in as_seen(snapshot.tasks, now, config.horizon)
        if args.all or (not t.done and in_panes(t, now))
    ]
    if wanted.active:
        tasks = [t for t in tasks if wanted.matches(t, now)]
    if only is not None:
        tasks = [t for t in tasks if t.quadrant == only]
    tasks = sorted(tasks, key=pane_order(now))  # as in the panes: completed ones last
    _print_matrix(tasks, now, [only] if only else list(Quadrant), sys.stdout)
    return EXIT_OK


def _record_matches(record: dict[str, Any], wanted: Any, now: datetime) -> bool:
    try:
        return bool(wanted.matches(Task.from_record(record), now))
    except ValueError:  # a record the store keeps but cannot read as a task: not a match
        return False


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
        out.write(f"{int(quadrant)} {name} ({sum(1 for t in rows if t.is_open)})\n")
        if not rows:
            out.write("  " + _("(empty)") + "\n")
        for task in map(display_safe, rows):
            extras = []
            if task.due:
                extras.append(humanize_due(task.due, now))
            extras += ["#" + t for t in task.tags]
            if task.delegate:
                extras.append("@" + task.delegate)
            extras += _practice_extras(task, now)
            mark = "x" if task.done else "-" if task.abandoned else " "
            tail = ("  " + " ".join(extras)) if extras else ""
            room = max(10, width - 14 - len(tail))
            title = cut(task.title, room)
            out.write(f"  [{mark}] {task.id[:8]}  {title}{tail}\n")


# --- changes by id ------------------------------------------------------------------------------


def _change_each(
    args: argparse.Namespace,
    ids: list[str],
    verb: str,
    operation: Callable[[Task, datetime], Edit | None],
) -> int:
    """Resolve every id first, then apply the domain's edit to them all in one write, or none
    on any bad id. Edits land through ``apply_fields``, as the matrix's writer lands them, and
    are remembered as one step for ``eisenhower undo``."""
    from .domain.changes import apply_fields
    from .domain.changes import created as ops_created
    from .domain.history import Step

    now = _now()
    made: list[Edit] = []

    def change(txn: Txn) -> list[Task]:  # may run again if a sync tool swaps the file
        made.clear()
        created.clear()
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
                made.append(edit)
                for follow in _insert_follow_ons(txn, edit):
                    created.append(follow)
                    made.append(ops_created(follow))
            changed.append(task)
        return changed

    created: list[Task] = []
    store = _store(args)
    changed = store.apply(change)
    _remember(store, Step(list(made), args.command), now)
    for task in changed:
        print(_summary(verb, task, now))
    for task in created:
        print(_summary(_("Next"), task, now))
    return EXIT_OK


def _insert_follow_ons(txn: Txn, edit: Edit) -> list[Task]:
    """The tasks an edit creates with it (a recurring task's next instance), unless alive
    already: its id is derived, so a second `done` or another device finds it there."""
    added = []
    for follow in edit.then:
        if follow.insert is None:
            continue
        existing = txn.get(follow.insert.id)
        if existing is None or existing.deleted is not None:
            txn.put(follow.insert)
            added.append(follow.insert)
    return added


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
    config = _config()
    horizon = config.horizon
    code = _change_each(
        args, [args.id], _("Moved"), lambda t, now: move(t, quadrant, now, horizon, "cli")
    )
    _warn_limits(_store(args), config, _now(), {quadrant})
    return code


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


# --- show, edit, undo ---------------------------------------------------------------------------
# One block, so merges with other commands stay easy. The rules live in domain.changes and
# domain.steps; this is the file side: resolve, write under the lock, remember, print.


def _add_task_commands(sub: Any, common: argparse.ArgumentParser) -> None:
    show = sub.add_parser("show", parents=[common], help=_("everything about one task"))
    show.add_argument("id", metavar="ID")

    edit = sub.add_parser("edit", parents=[common], help=_("change a task's fields"))
    edit.add_argument("id", metavar="ID")
    edit.add_argument("--title", metavar="T", help=_("new title"))
    edit.add_argument("--notes", metavar="N", help=_("new notes ('' clears them)"))
    edit.add_argument(
        "--tag",
        "-t",
        action="append",
        metavar="T",
        help=_("the task's tags become these (repeat for several)"),
    )
    edit.add_argument("--no-tags", action="store_true", help=_("remove every tag"))
    who = edit.add_mutually_exclusive_group()
    who.add_argument("--delegate", metavar="W", help=_("delegate to W"))
    who.add_argument("--no-delegate", action="store_true", help=_("delegated to nobody"))
    edit.add_argument(
        "--quadrant", "-q", metavar="Q", help=_("1-4 or do/schedule/delegate/eliminate")
    )
    edit.add_argument(
        "--due", metavar="WHEN|none", help=_("deadline, several words allowed; none clears it")
    )

    sub.add_parser("undo", parents=[common], help=_("take back the last change made here"))


def cmd_show(args: argparse.Namespace) -> int:
    from .dates import describe_due
    from .domain.escalation import as_seen
    from .model import sanitize_line, sanitize_notes
    from .quickadd import quadrant_name
    from .store import resolve_prefix

    config = _config()
    now = _now()
    [task] = as_seen([resolve_prefix(_store(args).read().tasks, args.id)], now, config.horizon)
    task = display_safe(task)
    rows: list[tuple[str, str]] = [
        (_("Title"), task.title),
        (_("Id"), task.id),
        (_("Quadrant"), f"{int(task.quadrant)} {quadrant_name(task.quadrant)}"),
        (_("Deadline"), f"{task.due} ({describe_due(task.due, now)})" if task.due else "-"),
        (_("Tags"), " ".join("#" + t for t in task.tags) or "-"),
        (_("Delegated to"), "@" + task.delegate if task.delegate else "-"),
        (_("Created"), _stamp(task.created, now)),
        (_("Updated"), _stamp(task.updated, now)),
        (_("Done"), _stamp(task.done, now) if task.done else _("no")),
        (_("Escalation"), _escalation_line(task, now)),
    ]
    width = max(len(label) for label, _value in rows) + 2
    for label, value in rows:
        print(f"{label + ':':<{width}}{sanitize_line(value)}")
    print(_("Notes") + ":" + ("" if task.notes else " -"))
    for line in sanitize_notes(task.notes).splitlines():
        print("  " + sanitize_line(line))
    return EXIT_OK


def _stamp(value: str | None, now: datetime) -> str:
    """A stored stamp in local time, to the minute; as stored if it is not one."""
    from .model import parse_stamp

    moment = parse_stamp(value)
    if moment is None:
        return _safe(value or "-")
    return f"{moment.astimezone(now.tzinfo):%Y-%m-%d %H:%M}"


def _escalation_line(task: Task, now: datetime) -> str:
    """When the task was made urgent and for which deadline, or why it stays where it is."""
    if task.escalated and task.escalated_for:
        line = _("made urgent {when}, for the deadline {due}")
        return line.format(when=_stamp(task.escalated, now), due=task.escalated_for)
    if task.escalated_for:
        line = _("placed by you; not escalated again for the deadline {due}")
        return line.format(due=task.escalated_for)
    return _("never")


def cmd_edit(args: argparse.Namespace) -> int:
    from .dates import parse_deadline
    from .domain.changes import apply_fields
    from .domain.history import Step
    from .domain.steps import UNSET, edit_task

    config = _config()
    now = _now()
    fields: dict[str, Any] = {}
    if args.title is not None:
        fields["title"] = args.title
    if args.notes is not None:
        fields["notes"] = args.notes
    if args.no_tags or args.tag:
        fields["tags"] = [] if args.no_tags else list(args.tag)
    if args.delegate is not None or args.no_delegate:
        fields["delegate"] = None if args.no_delegate else args.delegate
    due: str | None = UNSET
    if args.due is not None:
        due = None
        if args.due.strip().lower() not in ("none", "clear", "-", "aucune"):
            deadline = parse_deadline(args.due, now, week_start=config.week_start)
            if deadline.in_past:
                print("eisenhower: " + _("warning: that deadline is in the past"), file=sys.stderr)
            due = deadline.due
    quadrant = _quadrant(args.quadrant)
    if not fields and due is UNSET and quadrant is None:
        raise UsageError(
            _("nothing to change; give --title, --notes, --tag, --delegate, --quadrant or --due")
        )
    made: list[Edit] = []

    def change(txn: Txn) -> Task:  # may run again if a sync tool swaps the file
        made.clear()
        task = txn.resolve(args.id)
        one = edit_task(
            task, fields=fields, due=due, quadrant=quadrant, now=now, horizon=config.horizon
        )
        if one is None:
            return task
        made.append(one)
        task = apply_fields(task, one.after, iso_now(txn.now))
        txn.put(task)
        return task

    store = _store(args)
    task = store.apply(change)
    _remember(store, Step(list(made), "edit"), now)
    print(_summary(_("Edited") if made else _("Unchanged"), task, now))
    return EXIT_OK


def cmd_undo(args: argparse.Namespace) -> int:
    from .domain.changes import apply_fields
    from .domain.steps import changed_fields, describe_label, undo_changes

    _config()
    now = _now()
    store = _store(args)
    step = _last_step(store)
    stamp = iso_now(now)

    def change(txn: Txn) -> list[Task]:  # may run again if a sync tool swaps the file
        changes, conflicts = undo_changes(step, txn.get, stamp)
        if conflicts:
            task = txn.get(conflicts[0])
            if task is None:
                raise UsageError(
                    _(
                        "cannot undo {label}: the task {id} no longer exists; nothing was undone"
                    ).format(label=describe_label(step.label), id=conflicts[0][:8])
                )
            guard = next(c for c in changes if c.task_id == task.id)
            raise UsageError(
                _(
                    "cannot undo {label}: '{title}' was changed since ({fields}); "
                    "nothing was undone"
                ).format(
                    label=describe_label(step.label),
                    title=display_safe(task).title,
                    fields=", ".join(changed_fields(task, guard)),
                )
            )
        restored = []
        for one in changes:
            task = txn.get(one.task_id)
            assert task is not None  # no conflict: every task is there
            task = apply_fields(task, one.fields, iso_now(txn.now))
            txn.put(task)
            restored.append(task)
        return restored

    restored = store.apply(change)
    _forget(store)
    print(_("Undone: {what}").format(what=describe_label(step.label)))
    for task in restored:
        verb = _("Deleted") if task.deleted else _("Restored")
        print("  " + _summary(verb, task, now))
    return EXIT_OK


def _last_change_path(store: Any) -> Path:
    """Beside the task file, named after it, so each task file has its own last change."""
    path: Path = store.path
    return path.with_name(path.name + ".last-change.json")


def _remember(store: Any, step: Any, now: datetime) -> None:
    """Keep the step for `eisenhower undo` (atomic, 0600). The change itself is already saved,
    so a failure here is a warning, not an error."""
    import orjson

    from .domain.steps import step_record
    from .store import write_atomic

    if not step.edits:
        return  # nothing changed: the previous change stays the one to undo
    path = _last_change_path(store)
    payload = orjson.dumps(step_record(step, iso_now(now)))
    try:
        write_atomic(path, payload, temp_prefix=f".~last-change.{store.path.name}.")
    except StoreError as exc:
        warning = _("warning: the change was saved but cannot be undone: {error}")
        print("eisenhower: " + _safe(warning.format(error=exc)), file=sys.stderr)


def _forget(store: Any) -> None:
    """An undone change is gone: a second undo has nothing to take back."""
    with contextlib.suppress(FileNotFoundError):
        _last_change_path(store).unlink()


def _last_step(store: Any) -> Any:
    import orjson

    from .domain.steps import read_step

    path = _last_change_path(store)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise UsageError(_("nothing to undo")) from None
    except OSError as exc:
        raise StoreError(
            _("Cannot read {path}: {error}.").format(path=_safe(path), error=exc.strerror)
        ) from None
    try:
        return read_step(orjson.loads(raw))
    except (ValueError, orjson.JSONDecodeError):
        raise UsageError(
            _("nothing to undo: {path} is not a record of a change").format(path=_safe(path))
        ) from None


# --- the rest -----------------------------------------------------------------------------------


def cmd_config(args: argparse.Namespace) -> int:
    """The effective settings as valid TOML (a config file to start from); the paths and the
    action ids `[keys]` accepts are comments."""
    from .paths import resolve_db_path

    config = _config()
    if config.path.exists():
        where = _("config file: {path}").format(path=config.path)
    else:
        where = _("config file: {path} (not created; defaults in use)").format(path=config.path)
    print("# " + _safe(where))
    db_path = resolve_db_path(getattr(args, "db", None))
    print("# " + _safe(_("task file:   {path}").format(path=db_path)))
    sys.stdout.write(config.to_toml())
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
        # In the matrix a feed failure goes to store.warnings: stderr would tear the screen.
        feed_warnings: list[str] = []
        hook = _feed_hook(config, feed_warnings)
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


def _feed_hook(config: Any, warnings: list[str]) -> Any:
    """The store's calendar-feed callback, or None; the feed code (icalendar, ~30 ms of
    imports) loads only when `[feed]` is set, never for everyone's start."""
    if config.feed_path is None:
        return None
    from .feed import feed_writer

    return feed_writer(config, warn=warnings.append)


def run_capture(args: argparse.Namespace) -> int:
    from .paths import resolve_db_path
    from .store import Store

    config = _config()
    quadrant = _quadrant(args.quadrant) or Quadrant.SCHEDULE
    feed_warnings: list[str] = []
    hook = _feed_hook(config, feed_warnings)
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
    payload = render_export(
        args.format, tasks, now, lead=config.notify_lead, all_day_at=config.notify_all_day_at
    )
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
    line = cut(line, 60)
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
    "show": cmd_show,
    "edit": cmd_edit,
    "undo": cmd_undo,
}


# --- the practice over weeks: recurrence, wait, follow-up, abandon, limits, review -------------
# The rules live in domain/ (recurrence, hidden, followup, moves, review); these are the
# commands and options that reach them.


def _practice_parsers(
    sub: Any, common: argparse.ArgumentParser, add: Any, lst: argparse.ArgumentParser
) -> None:
    add.add_argument("--every", metavar="RULE", help="repeat: fri, month, 2w, weekday or an RRULE")
    add.add_argument(
        "--after-done",
        action="store_true",
        help="with --every: count the next deadline from the day it is done",
    )
    add.add_argument("--wait", metavar="WHEN", help="hide the task until then")
    add.add_argument("--follow", metavar="WHEN", help="delegated: when to follow up")
    lst.add_argument(
        "--waiting",
        nargs="?",
        const="",
        metavar="@WHO",
        help="tasks hidden until later, and what each person owes (or only @WHO)",
    )

    abandon = sub.add_parser("abandon", parents=[common], help="give up on tasks (not done)")
    abandon.add_argument("ids", nargs="+", metavar="ID")
    abandon.add_argument("--reason", "-r", metavar="R", help="why, kept with the task")
    unabandon = sub.add_parser("unabandon", parents=[common], help="bring an abandoned task back")
    unabandon.add_argument("id", metavar="ID")
    sweep = sub.add_parser("sweep", parents=[common], help="abandon old Eliminate tasks at once")
    sweep.add_argument("--days", type=int, metavar="N", help="older than N days (config)")
    sweep.add_argument("--yes", "-y", action="store_true", help="abandon them without asking")
    checkin = sub.add_parser(
        "checkin", parents=[common], help="note a check-in with the delegate; follow up later"
    )
    checkin.add_argument("id", metavar="ID")
    checkin.add_argument("text", nargs="*", metavar="TEXT", help="what was said")
    wait = sub.add_parser("wait", parents=[common], help="hide a task until a date")
    wait.add_argument("id", metavar="ID")
    wait.add_argument("when", nargs="+", metavar="WHEN|none")
    follow = sub.add_parser("follow", parents=[common], help="set a delegated task's follow-up")
    follow.add_argument("id", metavar="ID")
    follow.add_argument("when", nargs="+", metavar="WHEN|none")
    why = sub.add_parser("why", parents=[common], help="why a task is in its quadrant")
    why.add_argument("id", metavar="ID")
    stats = sub.add_parser("stats", parents=[common], help="the week's summary")
    stats.add_argument("--json", action="store_true", help="a JSON object for scripts")


def _practice_options(draft: Any, args: argparse.Namespace, now: datetime, config: Any) -> Any:
    """What `add` passes to the domain for recurrence, wait and follow-up: options over tokens."""
    from .dates import parse_deadline
    from .domain.recurrence import parse_every

    rule = draft.every
    if args.every:
        rule = parse_every(args.every, "after" if args.after_done else "fixed")
    elif rule is not None and args.after_done:
        rule = parse_every(rule.rrule, "after")
    elif args.after_done:
        raise UsageError(_("--after-done needs a rule: --every RULE or an every: token"))
    found: dict[str, Any] = {}
    for name, text, token in (
        ("wait", args.wait, draft.wait),
        ("follow_up", args.follow, draft.follow),
    ):
        deadline = token
        if text:
            deadline = parse_deadline(text, now, several_words=True, week_start=config.week_start)
        found[name] = deadline.due if deadline else None
    return {"recur": rule, "follow_up_days": config.follow_up_days, **found}


def _practice_extras(task: Task, now: datetime) -> list[str]:
    """What a list row or a summary adds for the 0.2 fields (the task is already cleaned)."""
    from .dates import describe_due
    from .domain.followup import follow_up_overdue, waiting_text
    from .domain.hidden import is_waiting

    extras = []
    if task.recur:
        extras.append(
            "↻ "
            + _safe(task.recur)
            + (" " + _("(after done)") if task.recur_mode == "after" else "")
        )
    if task.wait and is_waiting(task, now):
        extras.append(
            _("hidden until {when}").format(when=describe_due(task.wait, now, mark_all_day=False))
        )
    if task.delegate and task.is_open:
        waiting = waiting_text(task, now)
        if waiting:
            extras.append(waiting)
        if follow_up_overdue(task, now):
            extras.append(_("follow-up overdue"))
    if task.abandoned:
        reason = _safe(task.abandon_reason or "")
        extras.append(_("abandoned: {reason}").format(reason=reason) if reason else _("abandoned"))
    return extras


def _warn_limits(store: Any, config: Any, now: datetime, quadrants: set[Quadrant]) -> None:
    """A soft limit: adding or moving into a full quadrant is done, with a warning."""
    from .domain.review import limit_warning, pane_counts

    watched = [q for q in sorted(quadrants) if q in config.limits]
    if not watched:
        return
    counts = pane_counts(store.read().tasks, now)
    for quadrant in watched:
        warning = limit_warning(quadrant, counts[quadrant], config.limits[quadrant])
        if warning:
            print("eisenhower: " + warning, file=sys.stderr)


def _waiting_ids(
    tasks: list[Task], who: str, now: datetime
) -> tuple[list[Task], dict[str, list[Task]]]:
    """Hidden-until tasks (none when asking about one person) and what each person owes."""
    from .domain.followup import owed_by
    from .domain.hidden import is_waiting

    person = who.strip()
    hidden = [] if person else [t for t in tasks if t.is_open and is_waiting(t, now)]
    return sorted(hidden, key=lambda t: (t.wait or "", t.id)), owed_by(tasks, person or None)


def _list_waiting(tasks: list[Task], args: argparse.Namespace, now: datetime, config: Any) -> int:
    from .dates import describe_due, humanize_due

    hidden, owed = _waiting_ids(tasks, args.waiting, now)
    out = sys.stdout
    if hidden:
        out.write(_("Hidden until later ({n})").format(n=len(hidden)) + "\n")
        for task in map(display_safe, hidden):
            when = describe_due(task.wait or "", now, mark_all_day=False)
            out.write(f"  {task.id[:8]}  {task.title}  {_('until {when}').format(when=when)}\n")
    for person, owed_tasks in owed.items():
        if hidden or person != next(iter(owed)):
            out.write("\n")
        out.write(f"@{_safe(person)} ({len(owed_tasks)})\n")
        for task in map(display_safe, sorted(owed_tasks, key=pane_order(now))):
            extras = [humanize_due(task.due, now)] if task.due else []
            extras += _practice_extras(task, now)
            if task.follow_up:
                extras.append(_("follow up {when}").format(when=humanize_due(task.follow_up, now)))
            out.write(f"  {task.id[:8]}  {task.title}  {' '.join(extras)}\n")
    if not hidden and not owed:
        out.write(_("Nothing is waiting.") + "\n")
    return EXIT_OK


def _list_waiting_json(
    records: list[dict[str, Any]], args: argparse.Namespace, now: datetime, config: Any
) -> int:
    import orjson

    from .domain.views import public_records

    tasks = []
    for record in records:
        try:
            tasks.append(Task.from_record(record))
        except ValueError:
            continue
    hidden, owed = _waiting_ids(tasks, args.waiting, now)
    wanted = {t.id for t in hidden} | {t.id for group in owed.values() for t in group}
    shown = [
        r
        for r in public_records(records, now, include_done=True, horizon=config.horizon)
        if r["id"] in wanted
    ]
    sys.stdout.buffer.write(orjson.dumps(shown, option=orjson.OPT_INDENT_2) + b"\n")
    sys.stdout.flush()
    return EXIT_OK


def cmd_abandon(args: argparse.Namespace) -> int:
    from .domain.hidden import abandon

    return _change_each(args, args.ids, _("Abandoned"), lambda t, now: abandon(t, now, args.reason))


def cmd_unabandon(args: argparse.Namespace) -> int:
    from .domain.hidden import unabandon

    return _change_each(args, [args.id], _("Back"), lambda t, now: unabandon(t))


def cmd_sweep(args: argparse.Namespace) -> int:
    """Eliminate tasks older than N days: listed, then abandoned in one write with --yes."""
    from .domain.changes import apply_fields
    from .domain.hidden import sweep, sweep_candidates

    config = _config()
    days = config.sweep_days if args.days is None else args.days
    if days < 0:
        raise UsageError(_("--days must be 0 or more"))
    now = _now()
    store = _store(args)
    found = sweep_candidates(store.read().tasks, now, days)
    if not found:
        print(_("No Eliminate task is older than {n} days.").format(n=days))
        return EXIT_OK
    for task in map(display_safe, found):
        print(f"  {task.id[:8]}  {task.title}")
    if not args.yes:
        asked = ngettext(
            "Abandon this {n} task? [y/N] ", "Abandon these {n} tasks? [y/N] ", len(found)
        ).format(n=len(found))
        if not sys.stdin.isatty():
            print(_("Nothing changed; run `eisenhower sweep --yes` to abandon them."))
            return EXIT_OK
        answer = input(asked).strip().lower()
        if answer not in ("y", "yes", "o", "oui"):
            print(_("Nothing changed."))
            return EXIT_OK
    reason = _("swept: in Eliminate for more than {n} days").format(n=days)

    def write(txn: Txn) -> int:  # under the lock, on the file as it is now
        stamp = iso_now(txn.now)
        edits = sweep(txn.all(), now, days, reason)
        for edit in edits:
            task = txn.get(edit.task_id)
            if task is not None:
                txn.put(apply_fields(task, edit.after, stamp))
        return len(edits)

    count = store.apply(write)
    print(ngettext("Abandoned {n} task.", "Abandoned {n} tasks.", count).format(n=count))
    return EXIT_OK


def cmd_checkin(args: argparse.Namespace) -> int:
    from .domain.followup import check_in

    config = _config()
    text = " ".join(args.text)
    return _change_each(
        args,
        [args.id],
        _("Checked in"),
        lambda t, now: check_in(t, now, text, config.follow_up_days),
    )


def _when_or_none(words: list[str], config: Any) -> str | None:
    from .dates import parse_deadline

    text = " ".join(words).strip()
    if text.lower() in ("none", "clear", "-", "aucune", "aucun"):
        return None
    return parse_deadline(text, _now(), several_words=True, week_start=config.week_start).due


def cmd_wait(args: argparse.Namespace) -> int:
    from .domain.hidden import set_wait

    wait = _when_or_none(args.when, _config())
    return _change_each(args, [args.id], _("Hidden"), lambda t, now: set_wait(t, wait))


def cmd_follow(args: argparse.Namespace) -> int:
    from .domain.followup import set_follow_up

    follow_up = _when_or_none(args.when, _config())
    return _change_each(
        args, [args.id], _("Follow-up set"), lambda t, now: set_follow_up(t, follow_up)
    )


def cmd_why(args: argparse.Namespace) -> int:
    from .domain.moves import story
    from .store import resolve_prefix

    now = _now()
    task = resolve_prefix(_store(args).read().tasks, args.id)
    print(_summary(_("Task"), task, now))
    print(_safe(story(task, now)) or _("No quadrant change recorded yet."))
    return EXIT_OK


def cmd_stats(args: argparse.Namespace) -> int:
    from .domain.review import summary_lines, week_summary

    config = _config()
    now = _now()
    summary = week_summary(_store(args).read().tasks, now, config.week_start)
    if args.json:
        import orjson

        payload = orjson.dumps(summary.to_json(), option=orjson.OPT_INDENT_2)
        sys.stdout.buffer.write(payload + b"\n")
        sys.stdout.flush()
        return EXIT_OK
    # The same lines as the last screen of the matrix's weekly review.
    print("\n".join(summary_lines(summary)))
    return EXIT_OK


COMMANDS.update(
    {
        "abandon": cmd_abandon,
        "unabandon": cmd_unabandon,
        "sweep": cmd_sweep,
        "checkin": cmd_checkin,
        "wait": cmd_wait,
        "follow": cmd_follow,
        "why": cmd_why,
        "stats": cmd_stats,
    }
)
