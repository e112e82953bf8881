"""The only code that touches the task file.

The file is a TinyDB JSON document (a ``tasks`` and a ``meta`` table). TinyDB's own ``JSONStorage``
is neither atomic nor safe for two processes, and a long-lived ``TinyDB`` instance goes stale when
another process writes (query cache, next-id cache, open handle). So every read-modify-write here:

1. takes an exclusive ``flock`` on a sidecar ``<file>.lock``,
2. re-reads the file and refuses to go on if it is not what we expect (never overwrite what we
   could not read),
3. runs TinyDB table operations against an in-memory storage holding that data,
4. writes the result to a temporary file in the same folder, fsyncs it, ``os.replace``s it over
   the file and fsyncs the folder, so a crash leaves either the old or the new file.

Readers need no lock: ``os.replace`` is atomic, so a reader sees one whole file or the other.
"""

from __future__ import annotations

import contextlib
import gc
import os
import re
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from itertools import islice, repeat
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

import orjson

# TinyDB itself (about 6 ms of imports) and the stdlib json (a fallback for the few files orjson
# refuses) are imported where they are used: `eisenhower add` needs neither.
if TYPE_CHECKING:
    from tinydb import TinyDB

from .files import (
    HeldLock,
    NotRegularFileError,
    Payload,
    StoreError,
    exclusive_lock,
    make_private_folders,
    read_given_file,
    read_pieces,
    read_regular_file,
    remove_stale_temp_files,
    write_atomic,
    write_exclusive,
)
from .i18n import _, ngettext
from .model import MAX_TITLE, InvalidTask, Task, iso_now, parse_stamp, utc_now

# read_given_file and write_atomic live in files.py; they are imported from here too.
__all__ = [
    "ConflictError",
    "CorruptFileError",
    "Snapshot",
    "Store",
    "StoreError",
    "UnknownId",
    "parse_task_file",
    "read_given_file",
    "write_atomic",
]

T = TypeVar("T")

SCHEMA_VERSION = 1
TOMBSTONE_DAYS = 30
BACKUPS_KEPT = 7
LOCK_TIMEOUT = 10.0
MAX_NOTES = 100_000  # characters; longer notes found in a file are cut on load


class CorruptFileError(StoreError):
    """The file exists but is not a task file we can read; it is left untouched."""


class UnknownId(InvalidTask):
    """No task matches the id or prefix a user gave (exit code 2)."""


class ConflictError(StoreError):
    """A task changed elsewhere since it was read; nothing was written."""


class _FileSwapped(Exception):
    """The file on disk is no longer the one the transaction read (internal; see apply)."""


class Signature(NamedTuple):
    """Cheap identity of the file's current version, for the live view to poll."""

    inode: int
    size: int
    mtime_ns: int


@dataclass(slots=True)
class Snapshot:
    tasks: list[Task]
    signature: Signature | None
    meta: dict[str, Any] = field(default_factory=dict)
    # What the load had to mend (a cut emoji...), worded for the user; see Store.last_notices.
    notices: list[str] = field(default_factory=list)

    def by_id(self) -> dict[str, Task]:
        return {t.id: t for t in self.tasks}


def signature_of(path: Path) -> Signature | None:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return Signature(st.st_ino, st.st_size, st.st_mtime_ns)


# --- encoding ---------------------------------------------------------------------------------


@dataclass(slots=True)
class Repairs:
    """What loading a file had to mend; written back (after a backup) by the next save."""

    broken: int = 0  # texts that held lone UTF-16 surrogates, now U+FFFD
    cut: int = 0  # titles over 500 characters and notes over 100,000, now cut
    duplicates: int = 0  # records dropped because a newer one has the same task id

    def __bool__(self) -> bool:
        return bool(self.broken or self.cut or self.duplicates)

    def notices(self, path: Path, backup: Path | None = None) -> list[str]:
        """One message for the user; ``backup`` once the repaired file was saved."""
        found: list[str] = []
        if self.broken:
            found.append(
                ngettext(
                    "{n} text in {path} had broken characters (a cut emoji); it shows as �.",
                    "{n} texts in {path} had broken characters (a cut emoji); they show as �.",
                    self.broken,
                ).format(n=self.broken, path=path)
            )
        if self.cut:
            found.append(
                ngettext(
                    "{n} title or note in {path} was too long and was cut (titles to 500 "
                    "characters, notes to 100,000).",
                    "{n} titles or notes in {path} were too long and were cut (titles to 500 "
                    "characters, notes to 100,000).",
                    self.cut,
                ).format(n=self.cut, path=path)
            )
        if self.duplicates:
            found.append(
                ngettext(
                    "{n} older copy of a task in {path} had the same id as another; the "
                    "newest copy is kept.",
                    "{n} older copies of tasks in {path} had the same id as another; the "
                    "newest copy of each is kept.",
                    self.duplicates,
                ).format(n=self.duplicates, path=path)
            )
        if not found:
            return []
        if backup is None:
            tail = _("The original file will be backed up in {backups} on the next save.")
        else:
            tail = _("The original file was backed up as {backup}.")
        found.append(tail.format(backups=backup_dir(path), backup=backup))
        return [" ".join(found)]


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _replace_lone_surrogates(value: Any, repairs: Repairs) -> Any:
    """``value`` with every lone surrogate (keys too, at any depth) replaced by U+FFFD.

    The stdlib's json.loads keeps a lone ``\\ud83d`` (JavaScript tools write one when they cut
    an emoji in two); such a string cannot be encoded as UTF-8, so every later save would fail.
    A surrogate pair is already joined into one character by the decoder: any left is lone.
    """
    if isinstance(value, str):
        if value.isascii() or not _LONE_SURROGATE.search(value):
            return value
        repairs.broken += 1
        return _LONE_SURROGATE.sub("\ufffd", value)
    if isinstance(value, dict):
        return {
            _replace_lone_surrogates(k, repairs): _replace_lone_surrogates(v, repairs)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_replace_lone_surrogates(v, repairs) for v in value]
    return value


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """No cyclic garbage collection for the block: for building the tasks of a whole file.

    Parsing makes a few hundred thousand dicts and lists and no cycle, yet every 700 new
    containers start a collection that walks the young ones, and now and then all of them: a
    third of ``orjson.loads`` at 10k (25 ms against 17 ms here). Another thread may switch the
    collector back on meanwhile; that only costs time.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


PARSE_SLICE = 1 << 20  # bytes of the tasks table parsed at a time (see _parse_in_slices)
_TASK_BOUNDARY = re.compile(rb'\},"[0-9]+":\{')  # the end of one record, the key of the next
_TASKS_FIRST = b'{"tasks":{"'


def _parse_in_slices(raw: bytes) -> Any:
    """``orjson.loads(raw)`` a megabyte of the tasks table at a time.

    orjson builds its own tree of the whole document before the Python objects (about 40 MB
    beside the 64 MB of records for a 50,000-task file): the peak of a start and of every
    re-read. A file as this store writes it (``{"tasks":{"1":{...},...},"meta":...}``) is cut
    where one record ends and the next key starts; each piece is parsed alone and the pieces
    are joined. A cut that fell inside a string or a nested object leaves a piece that is not
    valid JSON (a string cannot hold an unescaped quote, braces must balance), so the
    whole document is then parsed in one go, as is any file laid out otherwise: this only
    changes how much memory the parse needs, never what it finds.
    """
    if not raw.startswith(_TASKS_FIRST):
        return orjson.loads(raw)
    view = memoryview(raw)
    pieces: list[dict[str, Any]] = []
    start = len(_TASKS_FIRST) - 1  # the quote of the first key
    try:
        while (cut := _TASK_BOUNDARY.search(raw, start + PARSE_SLICE)) is not None:
            pieces.append(orjson.loads(b"{" + view[start : cut.start() + 1] + b"}"))
            start = cut.start() + 2
        data = orjson.loads(_TASKS_FIRST[:-1] + view[start:])
    except orjson.JSONDecodeError:
        return orjson.loads(raw)
    finally:
        view.release()
    if pieces:
        tasks = pieces[0]
        for piece in pieces[1:]:
            tasks.update(piece)
        tasks.update(data["tasks"])
        data["tasks"] = tasks
    return data


def _decode(
    raw: bytes, path: Path, *, check_records: bool = True, repairs: Repairs | None = None
) -> dict[str, Any]:
    """The file's data, checked; what had to be mended is counted in ``repairs``."""
    return _decode_scanned(raw, path, check_records=check_records, repairs=repairs)[0]


def _decode_scanned(
    raw: bytes, path: Path, *, check_records: bool = True, repairs: Repairs | None = None
) -> tuple[dict[str, Any], _Scan | None]:
    """:func:`_decode`, and what the scan of the tasks table found (None: no such table)."""
    if not raw or raw.isspace():  # isspace stops at the first other byte; strip copies
        raise CorruptFileError(_unreadable(path, _("it is empty")))
    try:
        with _collector_paused():
            data = _parse_in_slices(raw) if len(raw) > 2 * PARSE_SLICE else orjson.loads(raw)
    except orjson.JSONDecodeError:
        import json

        try:  # orjson refuses a few things the stdlib takes (integers past 64 bits, surrogates)
            data = json.loads(raw)
            # orjson refuses every lone surrogate, so only this slower path needs the walk.
            data = _replace_lone_surrogates(data, repairs if repairs is not None else Repairs())
        except (ValueError, RecursionError) as exc:
            why = _("it is not valid JSON ({error})").format(error=exc)
            raise CorruptFileError(_unreadable(path, why)) from None
    tasks = data.get("tasks") if data.__class__ is dict else None
    scan = _scan_records(tasks) if tasks.__class__ is dict else None
    _check_shape(data, path, check_records=check_records, scan=scan)
    _mend_records(data, repairs if repairs is not None else Repairs(), scan)
    return data, scan


@dataclass(slots=True)
class _Scan:
    """What one C-speed pass over the tasks table found (see :func:`_scan_records`)."""

    records: list[dict[str, Any]]  # the entries that are objects
    shapes_ok: bool  # every entry passes the record check of _check_shape
    long_text: bool  # a title or a note over its cap: the mend loop must run
    duplicate_ids: bool  # two records share a task id: the mend loop must run


_NONE_TYPE = type(None)


def _scan_records(tasks: dict[str, Any]) -> _Scan:
    """The record check and the search for what needs mending, in one pass of C-level maps.

    This runs on every read and every write of the file (the 10k ``add`` spent about 15 ms in
    the Python loops it replaces). ``shapes_ok`` False does not mean an error: the exact,
    slower loop of :func:`_check_shape` then decides and words the message.
    """
    values = list(tasks.values())
    if set(map(type, values)) <= {dict}:
        records: list[dict[str, Any]] = values
        entries_ok = True
    else:
        records = [r for r in values if r.__class__ is dict]
        entries_ok = False
    get = dict.get
    ids: list[Any] = list(map(get, records, repeat("id")))
    titles: list[Any] = list(map(get, records, repeat("title")))
    notes: list[Any] = list(map(get, records, repeat("notes")))
    id_types = set(map(type, ids))
    title_types = set(map(type, titles))
    tag_types = set(map(type, map(get, records, repeat("tags"))))
    shapes_ok = (
        entries_ok
        and id_types <= {str}
        and title_types <= {str}
        and tag_types <= {list, _NONE_TYPE}
        and _all_doc_ids(tasks)
    )
    if not title_types <= {str}:
        titles = list(filter(_is_str, titles))
    if not set(map(type, notes)) <= {str}:
        notes = list(filter(_is_str, notes))
    long_text = (
        max(map(len, titles), default=0) > MAX_TITLE or max(map(len, notes), default=0) > MAX_NOTES
    )
    if not id_types <= {str}:
        ids = list(filter(_is_str, ids))  # the others are refused by the checks
    return _Scan(records, shapes_ok, long_text, len(set(ids)) != len(ids))


def _all_doc_ids(table: dict[str, Any]) -> bool:
    """``all(map(_is_doc_id, table))`` at C speed for the usual case (plain numbers)."""
    if not table:
        return True
    joined = "".join(table)
    if not (joined.isdigit() and joined.isascii()) or min(map(len, table)) == 0:
        return False
    if "0" in set(map(itemgetter(0), table)):  # "0" is a document id, "01" is not
        return all(map(_is_doc_id, table))
    return True


def _mend_records(data: dict[str, Any], repairs: Repairs, scan: _Scan | None = None) -> None:
    """Cap texts too long to handle and keep one record per task id, counting in ``repairs``.

    A 10 MB title made every key press take seconds: titles are cut to the SPEC's 500
    characters and notes to 100,000. Two records with one id (a hand edit, a bad sync) could
    not be deleted: removing one brought the other back. The newest (by ``updated``, then the
    later document) is kept. Entries of the wrong shape are left for the checks to refuse.
    """
    tasks = data.get("tasks")
    if tasks.__class__ is not dict:
        return
    # The scan first (this runs on every load of a 50,000-task file); the slow loops below run
    # only when it found something.
    scan = scan or _scan_records(tasks)
    if scan.long_text:
        for record in scan.records:
            title, note = record.get("title"), record.get("notes")
            if title.__class__ is str and len(title) > MAX_TITLE:
                record["title"] = title[: MAX_TITLE - 1] + "\u2026"
                repairs.cut += 1
            if note.__class__ is str and len(note) > MAX_NOTES:
                record["notes"] = note[: MAX_NOTES - 1] + "\u2026"
                repairs.cut += 1
    if not scan.duplicate_ids:
        return
    seen: dict[str, str] = {}
    duplicates: list[str] = []
    for doc_id, record in tasks.items():
        if record.__class__ is not dict:
            continue
        task_id = record.get("id")
        if task_id.__class__ is not str:
            continue
        other = seen.get(task_id)
        if other is None:
            seen[task_id] = doc_id
        elif _newer(record, doc_id, tasks[other], other):
            duplicates.append(other)
            seen[task_id] = doc_id
        else:
            duplicates.append(doc_id)
    for doc_id in duplicates:
        del tasks[doc_id]
    repairs.duplicates += len(duplicates)


def _is_str(value: Any) -> bool:
    return value.__class__ is str


def _newer(record: dict[str, Any], doc_id: str, other: dict[str, Any], other_id: str) -> bool:
    epoch = datetime.min.replace(tzinfo=UTC)
    mine = parse_stamp(record.get("updated")) or epoch
    theirs = parse_stamp(other.get("updated")) or epoch
    if mine != theirs:
        return mine > theirs
    return _doc_number(doc_id) > _doc_number(other_id)


def _doc_number(doc_id: str) -> int:
    return int(doc_id) if doc_id.isdigit() and doc_id.isascii() else -1


class _NotOrjsonEncodable(Exception):
    """A slice of the document needs :func:`_encode`'s slow path."""


ENCODE_SLICE = 2_000  # tasks per slice of the streamed encoding (about 0.7 MB)


def _encode_chunks(data: dict[str, Any]) -> Iterator[bytes | memoryview]:
    """The bytes of :func:`_encode` (compact JSON), in slices of ENCODE_SLICE tasks.

    Raises :class:`_NotOrjsonEncodable` where orjson refuses a value; the caller then starts
    over with :func:`_encode`.
    """
    dumps = orjson.dumps
    try:
        yield b"{"
        for number, (name, table) in enumerate(data.items()):
            yield (b"," if number else b"") + dumps(name) + b":"
            if table.__class__ is not dict or len(table) <= ENCODE_SLICE:
                yield dumps(table)
                continue
            items = iter(table.items())
            first = True
            while piece := dict(islice(items, ENCODE_SLICE)):
                yield b"{" if first else b","
                yield memoryview(dumps(piece))[1:-1]  # the slice's members, without braces
                first = False
            yield b"}"
        yield b"}\n"  # OPT_APPEND_NEWLINE, as _encode writes it
    except TypeError:  # orjson.JSONEncodeError
        raise _NotOrjsonEncodable from None


def _encode(data: dict[str, Any]) -> bytes:
    try:
        # Compact, as TinyDB's own JSONStorage writes it: a 50,000-task file is a third smaller
        # than indented, and every write and start reads and writes all of it.
        return orjson.dumps(data, option=orjson.OPT_APPEND_NEWLINE)
    except TypeError:  # orjson.JSONEncodeError: integers past 64 bits, lone surrogates
        pass
    import json

    try:
        return json.dumps(data, ensure_ascii=False).encode() + b"\n"
    except UnicodeEncodeError:
        # A lone surrogate that came in after the load (an unknown field of an import): the
        # save must not fail on it.
        return _encode(_replace_lone_surrogates(data, Repairs()))


def _unreadable(path: Path, why: str) -> str:
    return _(
        "Cannot read the task file {path}: {why}. It was left exactly as it is and nothing was "
        "written. Repair or move it aside (a backup may be in {backups}; "
        "`eisenhower restore` lists them), or point --db / EISENHOWER_DB at another file."
    ).format(path=path, why=why, backups=backup_dir(path))


def _check_shape(
    data: Any, path: Path, *, check_records: bool = True, scan: _Scan | None = None
) -> None:
    if not isinstance(data, dict):
        why = _("it is not a TinyDB document (no top object)")
        raise CorruptFileError(_unreadable(path, why))
    for name, table in data.items():
        if not isinstance(table, dict):
            why = _("table '{name}' is not an object").format(name=name)
            raise CorruptFileError(_unreadable(path, why))
    if data and "tasks" not in data:
        # A TinyDB file of another program (its `_default` table...): not ours to migrate.
        why = _("it has no 'tasks' table, so it is not a task file (another program's?)")
        raise CorruptFileError(_unreadable(path, why))
    # A reader checks each record as it builds it (see Store.read); a writer checks them all
    # before it may replace the file.
    tasks = data.get("tasks", {}) if check_records else {}
    if tasks and (scan or _scan_records(tasks)).shapes_ok:
        tasks = {}  # the scan proved every entry right; the loop below words what is wrong
    for doc_id, record in tasks.items():
        if record.__class__ is not dict or not _is_doc_id(doc_id):
            why = _("task entry '{entry}' has the wrong shape").format(entry=doc_id)
            raise CorruptFileError(_unreadable(path, why))
        get = record.get
        if get("id").__class__ is not str or get("title").__class__ is not str:
            why = _("task entry '{entry}' has no id or title").format(entry=doc_id)
            raise CorruptFileError(_unreadable(path, why))
        tags = get("tags")
        if tags and tags.__class__ is not list:
            why = _("task entry '{entry}' has tags that are not a list").format(entry=doc_id)
            raise CorruptFileError(_unreadable(path, why))
    version = _schema_version(data, path)
    if version > SCHEMA_VERSION:
        raise CorruptFileError(
            _(
                "The task file {path} has schema version {version}, written by a newer "
                "eisenhower-tui (this one knows {known}). Nothing was written: upgrade "
                "eisenhower-tui to use it."
            ).format(path=path, version=version, known=SCHEMA_VERSION)
        )


def _is_doc_id(doc_id: str) -> bool:
    """A TinyDB document id as TinyDB writes it: ASCII digits, no leading zero.

    TinyDB reads keys with int(), so "1", "01" and "\uff11" would all be document 1 and one
    of the tasks would be dropped on the next write. Such a file was not written by TinyDB;
    it is refused as unreadable (never overwritten) rather than renumbered behind the
    user's back.
    """
    return doc_id.isdigit() and doc_id.isascii() and (doc_id[0] != "0" or doc_id == "0")


def _schema_version(data: dict[str, Any], path: Path | None = None) -> int:
    for record in data.get("meta", {}).values():
        if isinstance(record, dict) and "schema_version" in record:
            version = record["schema_version"]
            if version.__class__ is not int or version < 0:
                # "2" or true is not a version we wrote: migrating it would rewrite a file
                # we do not understand.
                why = _("its schema_version {version!r} is not a whole number").format(
                    version=version
                )
                raise CorruptFileError(_unreadable(path or Path("?"), why))
            return int(version)
    return 0


# Each entry upgrades data from version N to N+1, in place. Version 0 is a file without meta.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], None]] = {
    0: lambda data: data.setdefault("tasks", {}),
}


class _MemoryStorage:
    """Hands TinyDB the data read under the lock; writes stay in memory until commit.

    TinyDB only calls ``read`` and ``write`` (its ``Storage`` base class is an interface).
    """

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data

    def read(self) -> dict[str, Any]:
        return self.data

    def write(self, data: dict[str, Any]) -> None:
        self.data = data


@dataclass(frozen=True, slots=True)
class BackupInfo:
    """One backup: where it is, when it was taken (local time, from its name) and why."""

    path: Path
    taken: datetime
    counter: int
    reason: str  # daily, before-restore, pre-v1, pre-repair


@dataclass(slots=True)
class _Loaded:
    """What a transaction read: the bytes, which file they came from, and what was done."""

    raw: bytes | None  # None once nothing can need them (see Store._begin), or no file
    existed: bool
    signature: Signature | None
    data: dict[str, Any]
    repairs: Repairs
    migrated: bool
    checksum: tuple[int, int] | None  # (length, crc32) of the bytes read, if keep_last_version


# --- transactions -----------------------------------------------------------------------------


class Txn:
    """Task operations inside one locked read-modify-write, addressed by uuid.

    New tasks get document ids by TinyDB's rule (the largest id plus one, see
    :meth:`_insert_records`); changes to existing tasks replace the record in the table's
    dict in place, as ``Table.update`` does, minus the copy of the whole table it makes on each
    call (70 ms per key press at 50,000 tasks). ``db`` is TinyDB itself on the same data, for
    anything else.
    """

    def __init__(
        self, data: dict[str, Any], now: datetime, doc_ids: dict[str, str] | None = None
    ) -> None:
        self.data = data
        self.now = now
        self.dirty = False
        self._storage = _MemoryStorage(data)
        self._db: TinyDB | None = None
        # task id -> document id; given when ``data`` is the store's last version (building it
        # is 10 ms a write at 50,000 tasks), kept up to date by every method below.
        self._doc_ids = doc_ids

    @property
    def db(self) -> TinyDB:
        self._doc_ids = None  # TinyDB may change anything: the index is built again
        if self._db is None:
            from tinydb import TinyDB

            self._db = TinyDB(storage=lambda: self._storage)
        return self._db

    @property
    def records(self) -> dict[str, dict[str, Any]]:
        """The ``tasks`` table as stored: document id (a string) -> record."""
        return self._storage.data.setdefault("tasks", {})

    def _index(self) -> dict[str, str]:
        if self._doc_ids is None:
            self._doc_ids = {rec["id"]: doc_id for doc_id, rec in self.records.items()}
        return self._doc_ids

    def all(self, *, include_deleted: bool = False) -> list[Task]:
        tasks = [Task.from_record(rec) for rec in self.records.values()]
        return tasks if include_deleted else [t for t in tasks if t.deleted is None]

    def get(self, task_id: str) -> Task | None:
        doc_id = self._index().get(task_id)
        if doc_id is None:
            return None
        return Task.from_record(self.records[doc_id])

    def resolve(self, prefix: str, *, include_done: bool = True) -> Task:
        """A task by id or unique prefix of 4+ characters; tombstones never match."""
        # Match on the raw ids first: only the few matches become Task objects, not the file.
        key = prefix.strip().lower()
        found = [r for r in self.records.values() if r["id"].lower().startswith(key)]
        return resolve_prefix(map(Task.from_record, found), prefix, include_done=include_done)

    def put(self, task: Task) -> None:
        """Insert or replace the whole record (unknown fields travel in ``task.extra``)."""
        self.put_many([task])

    def put_many(self, tasks: Iterable[Task]) -> None:
        index = self._index()
        new: list[Task] = []
        for task in tasks:
            doc_id = index.get(task.id)
            if doc_id is None:
                new.append(task)
            else:
                self.records[doc_id] = task.to_record()
        if new:
            ids = self._insert_records([t.to_record() for t in new])
            for task, new_id in zip(new, ids, strict=True):
                index[task.id] = new_id
        self.dirty = True

    def insert(self, tasks: Iterable[Task]) -> None:
        """Add tasks that are new (fresh uuids): no lookup of existing ids, one table insert."""
        self._insert_records([t.to_record() for t in tasks])
        self._doc_ids = None
        self.dirty = True

    def _insert_records(self, records: list[dict[str, Any]]) -> list[str]:
        """Store ``records`` under new document ids; TinyDB's rule (``Table._get_next_id``):
        one more than the largest id in the table, 1 in an empty one.

        Done here rather than through ``Table.insert_multiple``, which turns every key of the
        table into an int and back (twice) to add one record: 5 ms of a 10k ``add``. The file
        is the same; test_tinydb_itself_reads_the_file opens it with TinyDB.
        """
        table = self.records
        # Every key is a checked document id (_check_shape), so int() cannot fail.
        next_id = max(map(int, table), default=0) + 1
        ids = [str(next_id + offset) for offset in range(len(records))]
        table.update(zip(ids, records, strict=True))
        return ids

    def delete(self, task_id: str) -> Task:
        """Leave a tombstone so a sync tool cannot silently resurrect the task."""
        task = self.get(task_id)
        if task is None:
            raise UnknownId(_("no task has the id {id}").format(id=task_id))
        stamp = iso_now(self.now)
        task.deleted = stamp
        task.updated = stamp
        self.put(task)
        return task

    def purge_old_tombstones(self) -> None:
        cutoff = self.now - timedelta(days=TOMBSTONE_DAYS)
        old = []
        for doc_id, rec in self.records.items():
            deleted = rec.get("deleted")
            if isinstance(deleted, str):
                try:
                    when = datetime.fromisoformat(deleted)
                except ValueError:
                    continue
                if when.tzinfo is None:
                    when = when.replace(tzinfo=UTC)
                if when < cutoff:
                    old.append(doc_id)
        for doc_id in old:
            del self.records[doc_id]
        if old:
            self._doc_ids = None
            self.dirty = True


def resolve_prefix(tasks: Iterable[Task], prefix: str, *, include_done: bool = True) -> Task:
    key = prefix.strip().lower()
    if len(key) < 4:
        raise UnknownId(
            _("'{prefix}' is too short; give at least 4 characters of the id").format(prefix=prefix)
        )
    matches = [
        t
        for t in tasks
        if t.deleted is None and t.id.lower().startswith(key) and (include_done or t.done is None)
    ]
    if not matches:
        raise UnknownId(_("no task has an id starting with '{prefix}'").format(prefix=prefix))
    if len(matches) > 1:
        shown = ", ".join(sorted(t.id[:8] for t in matches)[:5])
        raise UnknownId(
            _("'{prefix}' matches {count} tasks ({ids}); give more characters of the id").format(
                prefix=prefix, count=len(matches), ids=shown
            )
        )
    return matches[0]


# --- the store --------------------------------------------------------------------------------


def backup_dir(path: Path) -> Path:
    return path.parent / "backups"


class Store:
    def __init__(
        self,
        path: Path | str,
        *,
        clock: Callable[[], datetime] = utc_now,
        lock_timeout: float = LOCK_TIMEOUT,
        keep_last_version: bool = False,
        after_write: Callable[[list[Any]], None] | None = None,
    ) -> None:
        self.given_path = Path(path)
        # The real file, resolved once: a task file that is a symlink (data/tasks.json ->
        # Dropbox/tasks.json) must stay one, so the temp file, the rename, the lock and the
        # backups all happen beside its target. A dangling link resolves to where its target
        # will be created.
        self.path = Path(os.path.realpath(path))
        # Called with the written records after each successful write (the calendar feed);
        # its failures land in ``warnings``, never in the caller: the task file is saved.
        self.after_write = after_write
        self.warnings: list[str] = []
        self.clock = clock
        self.lock_timeout = lock_timeout
        self.lock_path = self.path.with_name(self.path.name + ".lock")
        # A long-lived store (the matrix's writer) keeps (length, crc32, data) of the last
        # version it read or wrote, to skip parsing it again; a one-shot command has no use
        # for it and skips the checksums.
        self.keep_last_version = keep_last_version
        # (length, crc32, data, task id -> document id or None) of that version
        self._cache: tuple[int, int, dict[str, Any], dict[str, str] | None] | None = None
        self._backed_up_on: str | None = None
        # What the last load or save had to mend, worded for the user (the CLI prints them on
        # stderr; read() also hands them over in Snapshot.notices).
        self.last_notices: list[str] = []
        self._lock: HeldLock | None = None

    # reading

    def signature(self) -> Signature | None:
        return signature_of(self.path)

    def read(self) -> Snapshot:
        """The tasks on disk (without tombstones); an absent file is an empty list."""
        raw, before = self._read_file()  # the signature is that of exactly the file read
        if raw is None:
            return Snapshot([], None)
        repairs = Repairs()
        data, scan = _decode_scanned(raw, self.path, check_records=False, repairs=repairs)
        self.last_notices = repairs.notices(self.path)
        if self.keep_last_version and not repairs and (scan is None or scan.shapes_ok):
            # The writer's first transaction starts from this parse instead of its own (a
            # second copy of every record at 50,000 tasks), and the tasks built below share
            # their strings with it. A file that needs mending is parsed again by the write,
            # which backs it up first.
            self._cache = (len(raw), zlib.crc32(raw), data, None)
        raw = None
        records = data.get("tasks", {})
        if not _all_doc_ids(records):
            bad = next(doc_id for doc_id in records if not _is_doc_id(doc_id))
            why = _("task entry '{entry}' has the wrong shape").format(entry=bad)
            raise CorruptFileError(_unreadable(self.path, why))
        try:
            with _collector_paused():
                tasks = [Task.from_record(rec) for rec in records.values()]
        except (ValueError, AttributeError) as exc:
            raise CorruptFileError(_unreadable(self.path, str(exc))) from None
        meta: dict[str, Any] = next(iter(data.get("meta", {}).values()), {})
        live = [t for t in tasks if t.deleted is None]
        return Snapshot(live, before, dict(meta), list(self.last_notices))

    def read_records(self) -> list[dict[str, Any]]:
        """The stored records as they are, every one shape-checked; for fast read-only paths."""
        raw = self._read_bytes()
        if raw is None:
            return []
        repairs = Repairs()
        data = _decode(raw, self.path, repairs=repairs)
        self.last_notices = repairs.notices(self.path)
        return list(data.get("tasks", {}).values())

    def _read_bytes(self) -> bytes | None:
        return self._read_file()[0]

    def _read_file(
        self, unless: tuple[int, int] | None = None
    ) -> tuple[bytes | None, Signature | None]:
        """The file's bytes and the identity of exactly the file read (from fstat); (None,
        None) if there is no file, (None, signature) if it holds exactly the bytes of
        ``unless`` (their length and crc32; see read_regular_file)."""
        try:
            found = read_regular_file(self.path, unless=unless)
        except IsADirectoryError:
            raise StoreError(
                _("The task file {path} is a folder. Point --db at a file.").format(path=self.path)
            ) from None
        except NotRegularFileError:
            raise StoreError(
                _(
                    "The task file {path} is not a regular file (a pipe, a device or a "
                    "socket); nothing was read or written. Point --db at a file."
                ).format(path=self.path)
            ) from None
        except OSError as exc:
            raise StoreError(
                _(
                    "Cannot read the task file {path}: {reason}. Check its permissions; "
                    "nothing was written."
                ).format(path=self.path, reason=exc.strerror)
            ) from None
        if found is None:
            return None, None
        raw, st = found
        return raw, Signature(st.st_ino, st.st_size, st.st_mtime_ns)

    # writing

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Txn]:
        """Lock, re-read, yield a :class:`Txn`, then write atomically if anything changed.

        The block runs once: if another program (a sync tool, which takes no lock) replaced
        the file between the read and the write, nothing is written and :class:`StoreError`
        says so. Use :meth:`apply` for a change that can simply be made again on the new file.
        """
        with self._locked():
            txn, loaded = self._begin()
            yield txn
            try:
                self._commit(txn, loaded)
            except _FileSwapped:
                raise StoreError(self._swapped_message()) from None

    def apply(self, change: Callable[[Txn], T], *, attempts: int = 3) -> T:
        """Run ``change(txn)`` in a transaction and write; again on the new file (up to
        ``attempts`` times) if a sync tool swapped the file in meanwhile, so its version is
        not overwritten. ``change`` must only act on ``txn``: it may run more than once."""
        with self._locked():
            for _attempt in range(attempts):
                txn, loaded = self._begin()
                result = change(txn)
                try:
                    self._commit(txn, loaded)
                except _FileSwapped:
                    continue
                return result
        raise StoreError(self._swapped_message())

    def _check_writable(self) -> None:
        """A file the user made read-only (0400) is not replaced: a rename would not ask."""
        try:
            mode = os.stat(self.path).st_mode
        except FileNotFoundError:
            return
        # The mode bits too: os.access says yes to root whatever the mode.
        if not mode & 0o222 or not os.access(self.path, os.W_OK):
            raise StoreError(
                _(
                    "The task file {path} is read-only; nothing was written. Make it "
                    "writable (chmod u+w) if you mean to change it."
                ).format(path=self.path)
            )

    def _swapped_message(self) -> str:
        return _(
            "The task file {path} was replaced by another program during the save; nothing "
            "was written. Try again."
        ).format(path=self.path)

    def _begin(self) -> tuple[Txn, _Loaded]:
        """Under the lock: read the file (noting exactly which file was read), check, migrate."""
        self._remove_stale_temp_files()
        cache = self._cache if self.keep_last_version else None
        # The bytes are always read and checksummed, so a change by anyone else is always
        # seen; when they are exactly those of the version last read or written, its data is
        # reused: the parse and the record check are most of a write's cost.
        raw, read_signature = self._read_file(unless=(cache[0], cache[1]) if cache else None)
        existed = read_signature is not None
        repairs = Repairs()
        checksum, doc_ids = None, None
        if not existed:
            data: dict[str, Any] = {"tasks": {}, "meta": {"1": {"schema_version": 0}}}
        elif raw is None:
            assert cache is not None
            checksum, data, doc_ids = (cache[0], cache[1]), cache[2], cache[3]
            if _schema_version(data) != SCHEMA_VERSION:  # read, not yet migrated: back up
                raw = self._read_file()[0]
        else:
            if self.keep_last_version:
                checksum = (len(raw), zlib.crc32(raw))
            data = _decode(raw, self.path, repairs=repairs)
        self.last_notices = repairs.notices(self.path)
        self._cache = None  # the data is about to change; it is cached again once written
        migrated = self._migrate(data, raw)
        loaded = _Loaded(raw, existed, read_signature, data, repairs, migrated, checksum)
        if not repairs:
            # Only the backup of a file that had to be mended needs these very bytes (the
            # daily one copies the file, which the lock keeps as read): 18 MB at 50,000 tasks
            # not kept through the encode and the write.
            loaded.raw = None
        return Txn(data, self.clock(), doc_ids if not migrated else None), loaded

    def _commit(self, txn: Txn, loaded: _Loaded) -> None:
        repairs, keep, existed = loaded.repairs, self.keep_last_version, loaded.existed
        if txn.dirty or loaded.migrated or not existed or repairs:
            if existed:
                self._check_writable()
            if loaded.raw is not None and repairs:
                # The bytes as they were, before the first save that mends them.
                saved = self._write_backup(loaded.raw, "pre-repair")
                self.last_notices = repairs.notices(self.path, saved)
            if existed and self._daily_backup(loaded):
                txn.purge_old_tombstones()  # once a day is plenty
            loaded.raw = None
            data = txn._storage.data
            written = self._write_encoded(data, loaded.signature)
            if self.after_write is not None:
                self._run_after_write(list(txn.records.values()))
            if keep:
                self._cache = (*written, data, txn._doc_ids)
        elif loaded.checksum is not None:
            self._cache = (*loaded.checksum, loaded.data, txn._doc_ids)

    def _write_encoded(
        self, data: dict[str, Any], read_signature: Signature | None
    ) -> tuple[int, int]:
        """Encode ``data`` into the file, a slice of tasks at a time; its (length, crc32).

        The whole encoded file never sits in memory (18 MB at 50,000 tasks, and orjson's
        growing buffer touched nearly twice that); the slices hold the same bytes.
        """
        size, crc = 0, 0

        def counted(chunks: Iterable[bytes | memoryview]) -> Iterator[bytes | memoryview]:
            nonlocal size, crc
            for chunk in chunks:
                size += len(chunk)
                crc = zlib.crc32(chunk, crc)
                yield chunk

        try:
            self._write_atomic(counted(_encode_chunks(data)), read_signature)
        except _NotOrjsonEncodable:  # nothing was replaced; the slow path encodes the whole
            size, crc = 0, 0
            self._write_atomic(counted([_encode(data)]), read_signature)
        return size, crc

    def _run_after_write(self, records: list[dict[str, Any]]) -> None:
        try:
            self.after_write(records)  # type: ignore[misc]
        except Exception as exc:  # a side file must never turn a saved write into an error
            self.warnings.append(
                _("after saving {path}: {error}").format(path=self.path, error=exc)
            )

    def _migrate(self, data: dict[str, Any], raw: bytes | None) -> bool:
        version = _schema_version(data)
        if version == SCHEMA_VERSION:
            return False
        if raw is not None:
            self._write_backup(raw, f"pre-v{SCHEMA_VERSION}")
        while version < SCHEMA_VERSION:
            MIGRATIONS[version](data)
            version += 1
        meta = data.setdefault("meta", {})
        for record in meta.values():
            if isinstance(record, dict) and "schema_version" in record:
                record["schema_version"] = SCHEMA_VERSION
                break
        else:
            meta[str(len(meta) + 1)] = {"schema_version": SCHEMA_VERSION}
        return True

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        self._ensure_folder()
        with exclusive_lock(self.lock_path, self.path, timeout=self.lock_timeout) as lock:
            self._lock = lock
            try:
                yield
            finally:
                self._lock = None

    def _ensure_folder(self) -> None:
        try:
            make_private_folders(self.path.parent)
        except OSError as exc:
            raise StoreError(
                _("Cannot create the folder {folder}: {reason}.").format(
                    folder=self.path.parent, reason=exc.strerror
                )
            ) from None

    def _temp_prefix(self) -> str:
        return f".{self.path.name}."

    def _remove_stale_temp_files(self) -> None:
        """Under the lock no write is in flight, so any temp file left is from a killed writer."""
        prefix = self._temp_prefix()
        remove_stale_temp_files(self.path.parent, lambda name: name.startswith(prefix))
        remove_stale_temp_files(backup_dir(self.path), self._is_my_backup_temp)

    def _write_atomic(self, payload: Payload, read_signature: Signature | None) -> None:
        """Replace the file, unless it is no longer the one read (``read_signature``).

        A sync tool renames its version over the file without our lock. The check runs once
        the new content is on disk, right before the rename, so what is left is the window
        between that stat and the rename (a few microseconds), not the whole transaction.
        """

        def still_the_file_read() -> None:
            if self._lock is not None:
                # The lock file may have been deleted while held, letting another writer in
                # on a new one: wait for that one too; its write then shows just below.
                self._lock.ensure_current()
            if signature_of(self.path) != read_signature:
                raise _FileSwapped

        write_atomic(
            self.path, payload, temp_prefix=self._temp_prefix(), before_replace=still_the_file_read
        )

    # backups

    def backups(self) -> list[Path]:
        """This file's backups, newest first."""
        return [info.path for info in self.backup_infos()]

    def backup_infos(self) -> list[BackupInfo]:
        """This file's backups, newest first, with when and why each was taken."""
        folder = backup_dir(self.path)
        try:
            names = os.listdir(folder)
        except (FileNotFoundError, NotADirectoryError):
            return []
        pattern = self._backup_pattern()
        found = []
        for name in names:
            match = pattern.fullmatch(name)
            if match is None:
                continue
            stamp, counter, reason = match.groups()
            try:
                taken = datetime.strptime(stamp, "%Y%m%d-%H%M%S").astimezone()
            except ValueError:
                continue
            found.append(BackupInfo(folder / name, taken, int(counter or 0), reason))
        return sorted(found, key=lambda b: (b.taken, b.counter), reverse=True)

    def _backup_pattern(self) -> re.Pattern[str]:
        # <stem>.<YYYYMMDD-HHMMSS>[-<n>]-<reason><suffix>, not those of a `<stem>.work.json`
        # beside it; -<n> tells apart two backups taken in the same second.
        stem, suffix = re.escape(self.path.stem), re.escape(self.path.suffix or ".json")
        return re.compile(rf"{stem}\.(\d{{8}}-\d{{6}})(?:-(\d+))?-([A-Za-z][\w-]*){suffix}")

    def _is_my_backup_temp(self, name: str) -> bool:
        stem = re.escape(self.path.stem)
        return re.fullmatch(rf"\.{stem}\.\d{{8}}-\d{{6}}-.*\.tmp", name) is not None

    def _today(self) -> date:
        return self.clock().astimezone().date()

    def _daily_backup(self, loaded: _Loaded) -> bool:
        """Back up on the first write of each day (by any process); True when this one did."""
        today = self._today()
        if self._backed_up_on == today.isoformat():
            return False
        self._backed_up_on = today.isoformat()
        if self._has_daily_backup(today):
            return False
        # Copied from the file a megabyte at a time: under the lock it is the one read.
        self._write_backup(loaded.raw or read_pieces(self.path), "daily")
        return True

    def _has_daily_backup(self, today: date) -> bool:
        """Whether a daily backup of ``today`` exists, as :meth:`backup_infos` would say.

        By name alone: the regex and strptime of ``backup_infos`` over every backup cost each
        one-shot ``add`` about 1.5 ms (strptime's import is most of it).
        """
        try:
            names = os.listdir(backup_dir(self.path))
        except (FileNotFoundError, NotADirectoryError):
            return False
        prefix = f"{self.path.stem}.{today:%Y%m%d}-"
        ending = f"-daily{self.path.suffix or '.json'}"
        for name in names:
            if not (name.startswith(prefix) and name.endswith(ending)):
                continue
            middle = name[len(prefix) : -len(ending)]  # HHMMSS, then -<n> if any
            clock, counter = middle[:6], middle[6:]
            if not (clock.isdigit() and clock.isascii()):
                continue
            if counter and not (counter[0] == "-" and counter[1:].isdigit() and counter.isascii()):
                continue
            try:
                time(int(clock[:2]), int(clock[2:4]), int(clock[4:]))
            except ValueError:
                continue
            return True
        return False

    def _write_backup(self, raw: Payload, reason: str) -> Path:
        """A new backup; never over another one (two restores in one second keep both).

        The 7 newest daily backups are kept, and apart from them the 7 newest of the others
        (before a restore, a migration or a repair), so restores cannot push out the dailies.
        """
        folder = backup_dir(self.path)
        try:
            make_private_folders(folder)
        except OSError as exc:
            raise StoreError(
                _("Cannot create the backup folder {folder}: {reason}.").format(
                    folder=folder, reason=exc.strerror
                )
            ) from None
        stamp = self.clock().astimezone().strftime("%Y%m%d-%H%M%S")
        suffix = self.path.suffix or ".json"

        def name_for(counter: int) -> Path:
            extra = f"-{counter}" if counter else ""
            return folder / f"{self.path.stem}.{stamp}{extra}-{reason}{suffix}"

        target = write_exclusive(name_for, raw, temp_prefix=f".{self.path.stem}.{stamp}-")
        infos = self.backup_infos()
        dailies = [b for b in infos if b.reason == "daily"]
        others = [b for b in infos if b.reason != "daily"]
        for old in dailies[BACKUPS_KEPT:] + others[BACKUPS_KEPT:]:
            with contextlib.suppress(OSError):
                old.path.unlink()
        return target

    def count_tasks_in(self, backup: Path) -> int | None:
        """How many tasks (not deleted) a backup holds; None if it cannot be read."""
        try:
            data = _decode(backup.read_bytes(), backup)
        except (OSError, StoreError):
            return None
        return sum(1 for r in data.get("tasks", {}).values() if not r.get("deleted"))

    def restore(self, backup: Path) -> Path:
        """Replace the file with a backup, after backing up the current file."""
        raw = backup.read_bytes()
        _decode(raw, backup)
        with self._locked():
            self._remove_stale_temp_files()
            for _attempt in range(3):
                current, signature = self._read_file()
                saved = self._write_backup(current, "before-restore") if current else backup
                try:
                    self._write_atomic(raw, signature)
                except _FileSwapped:
                    continue  # back up the version the sync tool brought, then restore
                return saved
        raise StoreError(self._swapped_message())

    # conveniences, one transaction each

    def add(self, *tasks: Task) -> None:
        """Add new tasks (see :meth:`Txn.put_many` to insert or replace by id)."""
        self.apply(lambda txn: txn.insert(tasks))

    def update(
        self,
        task_id: str,
        change: Callable[[Task], None],
        *,
        expect_updated: str | None = None,
    ) -> Task:
        """Apply ``change`` to the stored task and stamp ``updated``.

        With ``expect_updated``, refuse (:class:`ConflictError`) if someone else changed the
        task since: undo must not overwrite another window's change.
        """

        def change_stored(txn: Txn) -> Task:
            task = txn.get(task_id)
            if task is None or task.deleted is not None:
                raise UnknownId(_("the task {id} no longer exists").format(id=task_id[:8]))
            if expect_updated is not None and task.updated != expect_updated:
                raise ConflictError(
                    _("'{title}' was changed elsewhere; left as it is").format(title=task.title)
                )
            change(task)
            task.updated = iso_now(txn.now)
            txn.put(task)
            return task

        return self.apply(change_stored)


def parse_task_file(raw: bytes, path: Path) -> dict[str, Any]:
    """A task file's data with the store's checks; CorruptFileError names ``path``."""
    return _decode(raw, path)
