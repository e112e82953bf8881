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
import errno
import fcntl
import json
import os
import re
import stat
import tempfile
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, NamedTuple

import orjson
from tinydb import TinyDB
from tinydb.storages import Storage

from .i18n import _
from .model import InvalidTask, Task, iso_now, utc_now

SCHEMA_VERSION = 1
TOMBSTONE_DAYS = 30
BACKUPS_KEPT = 7
LOCK_TIMEOUT = 10.0


class StoreError(Exception):
    """A storage problem (exit code 1). The message names the file and what to do."""


class CorruptFileError(StoreError):
    """The file exists but is not a task file we can read; it is left untouched."""


class UnknownId(InvalidTask):
    """No task matches the id or prefix a user gave (exit code 2)."""


class ConflictError(StoreError):
    """A task changed elsewhere since it was read; nothing was written."""


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

    def by_id(self) -> dict[str, Task]:
        return {t.id: t for t in self.tasks}


def signature_of(path: Path) -> Signature | None:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return Signature(st.st_ino, st.st_size, st.st_mtime_ns)


# --- encoding ---------------------------------------------------------------------------------


def _decode(raw: bytes, path: Path, *, check_records: bool = True) -> dict[str, Any]:
    if not raw or raw.isspace():  # isspace stops at the first other byte; strip copies
        raise CorruptFileError(_unreadable(path, _("it is empty")))
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError:
        try:  # orjson refuses a few things the stdlib takes (integers past 64 bits)
            data = json.loads(raw)
        except (ValueError, RecursionError) as exc:
            why = _("it is not valid JSON ({error})").format(error=exc)
            raise CorruptFileError(_unreadable(path, why)) from None
    _check_shape(data, path, check_records=check_records)
    return data


def _encode(data: dict[str, Any]) -> bytes:
    try:
        # Compact, as TinyDB's own JSONStorage writes it: a 50,000-task file is a third smaller
        # than indented, and every write and start reads and writes all of it.
        return orjson.dumps(data, option=orjson.OPT_APPEND_NEWLINE)
    except TypeError:
        return json.dumps(data, ensure_ascii=False).encode() + b"\n"


def _unreadable(path: Path, why: str) -> str:
    return _(
        "Cannot read the task file {path}: {why}. It was left exactly as it is and nothing was "
        "written. Repair or move it aside (a backup may be in {backups}; "
        "`eisenhower restore` lists them), or point --db / EISENHOWER_DB at another file."
    ).format(path=path, why=why, backups=backup_dir(path))


def _check_shape(data: Any, path: Path, *, check_records: bool = True) -> None:
    if not isinstance(data, dict):
        why = _("it is not a TinyDB document (no top object)")
        raise CorruptFileError(_unreadable(path, why))
    for name, table in data.items():
        if not isinstance(table, dict):
            why = _("table '{name}' is not an object").format(name=name)
            raise CorruptFileError(_unreadable(path, why))
    # A reader checks each record as it builds it (see Store.read); a writer checks them all
    # before it may replace the file.
    tasks = data.get("tasks", {}) if check_records else {}
    # One tight loop (this runs on every write of a 50,000-task file); the message is worked
    # out only for the entry that fails.
    for doc_id, record in tasks.items():
        if record.__class__ is not dict or not doc_id.isdigit():
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
    version = _schema_version(data)
    if version > SCHEMA_VERSION:
        raise CorruptFileError(
            _(
                "The task file {path} has schema version {version}, written by a newer "
                "eisenhower-tui (this one knows {known}). Nothing was written: upgrade "
                "eisenhower-tui to use it."
            ).format(path=path, version=version, known=SCHEMA_VERSION)
        )


def _schema_version(data: dict[str, Any]) -> int:
    for record in data.get("meta", {}).values():
        if isinstance(record, dict) and "schema_version" in record:
            version = record["schema_version"]
            return version if isinstance(version, int) else 0
    return 0


# Each entry upgrades data from version N to N+1, in place. Version 0 is a file without meta.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], None]] = {
    0: lambda data: data.setdefault("tasks", {}),
}


class _MemoryStorage(Storage):
    """Hands TinyDB the data read under the lock; writes stay in memory until commit."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data

    def read(self) -> dict[str, Any]:
        return self.data

    def write(self, data: dict[str, Any]) -> None:
        self.data = data


# --- transactions -----------------------------------------------------------------------------


class Txn:
    """Task operations inside one locked read-modify-write, addressed by uuid.

    New tasks go in through TinyDB's ``Table.insert_multiple``, which allocates document ids
    by TinyDB's rules. Changes to existing tasks replace the record in the table's dict in
    place, as ``Table.update`` does, minus the copy of the whole table it makes on each call
    (70 ms per key press at 50,000 tasks).
    """

    def __init__(self, data: dict[str, Any], now: datetime) -> None:
        self.data = data
        self.now = now
        self.dirty = False
        self._storage = _MemoryStorage(data)
        self.db = TinyDB(storage=lambda: self._storage)
        self._doc_ids: dict[str, str] | None = None

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
            table = self.db.table("tasks", cache_size=0)
            ids = table.insert_multiple(t.to_record() for t in new)
            for task, doc_id in zip(new, ids, strict=True):
                index[task.id] = str(doc_id)
        self.dirty = True

    def insert(self, tasks: Iterable[Task]) -> None:
        """Add tasks that are new (fresh uuids): no lookup of existing ids, one table insert."""
        table = self.db.table("tasks", cache_size=0)
        table.insert_multiple(t.to_record() for t in tasks)
        self._doc_ids = None
        self.dirty = True

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
        after_write: Callable[[list[dict[str, Any]]], None] | None = None,
    ) -> None:
        self.path = Path(path)
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
        self._cache: tuple[int, int, dict[str, Any]] | None = None
        self._backed_up_on: str | None = None

    # reading

    def signature(self) -> Signature | None:
        return signature_of(self.path)

    def read(self) -> Snapshot:
        """The tasks on disk (without tombstones); an absent file is an empty list."""
        for _attempt in range(3):
            before = self.signature()
            raw = self._read_bytes()
            if raw is None:
                return Snapshot([], None)
            # If the file was replaced while we read, read again so the signature matches.
            if self.signature() == before:
                break
        data = _decode(raw, self.path, check_records=False)
        records = data.get("tasks", {})
        if not all(map(str.isdigit, records)):
            why = _("a task entry has the wrong shape")
            raise CorruptFileError(_unreadable(self.path, why))
        try:
            tasks = [Task.from_record(rec) for rec in records.values()]
        except (ValueError, AttributeError) as exc:
            raise CorruptFileError(_unreadable(self.path, str(exc))) from None
        meta = next(iter(data.get("meta", {}).values()), {})
        return Snapshot([t for t in tasks if t.deleted is None], before, dict(meta))

    def read_records(self) -> list[dict[str, Any]]:
        """The stored records as they are, every one shape-checked; for fast read-only paths."""
        raw = self._read_bytes()
        if raw is None:
            return []
        return list(_decode(raw, self.path).get("tasks", {}).values())

    def _read_bytes(self) -> bytes | None:
        try:
            with open(self.path, "rb") as handle:
                return handle.read()
        except FileNotFoundError:
            return None
        except IsADirectoryError:
            raise StoreError(
                _("The task file {path} is a folder. Point --db at a file.").format(path=self.path)
            ) from None
        except OSError as exc:
            raise StoreError(
                _(
                    "Cannot read the task file {path}: {reason}. Check its permissions; "
                    "nothing was written."
                ).format(path=self.path, reason=exc.strerror)
            ) from None

    # writing

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Txn]:
        """Lock, re-read, yield a :class:`Txn`, then write atomically if anything changed."""
        with self._locked():
            self._remove_stale_temp_files()
            raw = self._read_bytes()
            if raw is None:
                data: dict[str, Any] = {"tasks": {}, "meta": {"1": {"schema_version": 0}}}
            else:
                data = self._parsed(raw)
            self._cache = None  # the data is about to change; it is cached again once written
            keep = self.keep_last_version
            migrated = self._migrate(data, raw)
            txn = Txn(data, self.clock())
            yield txn
            if txn.dirty or migrated or raw is None:
                if raw is not None and self._daily_backup(raw):
                    txn.purge_old_tombstones()  # once a day is plenty
                payload = _encode(txn._storage.data)
                self._write_atomic(payload)
                if self.after_write is not None:
                    self._run_after_write(list(txn.records.values()))
                if keep:
                    self._cache = (len(payload), zlib.crc32(payload), txn._storage.data)
            elif raw is not None and keep:
                self._cache = (len(raw), zlib.crc32(raw), data)

    def _run_after_write(self, records: list[dict[str, Any]]) -> None:
        try:
            self.after_write(records)  # type: ignore[misc]
        except Exception as exc:  # a side file must never turn a saved write into an error
            self.warnings.append(
                _("after saving {path}: {error}").format(path=self.path, error=exc)
            )

    def _parsed(self, raw: bytes) -> dict[str, Any]:
        """The file's data; our own last write is reused when the bytes are exactly those.

        The bytes are always read and checksummed, so a change by anyone else is always seen;
        only the parse and the per-record check are skipped, which is most of a write's cost.
        """
        cache = self._cache
        if cache is not None and cache[0] == len(raw) and cache[1] == zlib.crc32(raw):
            return cache[2]
        return _decode(raw, self.path)

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
        try:
            fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            raise StoreError(
                _(
                    "Cannot open the lock file {lock}: {reason}. Check that the "
                    "folder {folder} is writable; nothing was written."
                ).format(lock=self.lock_path, reason=exc.strerror, folder=self.path.parent)
            ) from None
        try:
            deadline = time.monotonic() + self.lock_timeout
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise StoreError(
                            _(
                                "Another process has held the lock on {path} for "
                                "{seconds} s; nothing was written. Try again."
                            ).format(path=self.path, seconds=f"{self.lock_timeout:.0f}")
                        ) from None
                    time.sleep(0.005)
            yield
        finally:
            os.close(fd)  # closing drops the flock

    def _ensure_folder(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
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
        with contextlib.suppress(OSError):
            for entry in os.scandir(self.path.parent):
                if entry.name.startswith(prefix) and entry.name.endswith(".tmp"):
                    with contextlib.suppress(OSError):
                        os.unlink(entry.path)

    def _write_atomic(self, payload: bytes) -> None:
        write_atomic(self.path, payload, temp_prefix=self._temp_prefix())

    # backups

    def backups(self) -> list[Path]:
        """This file's backups, newest first."""
        folder = backup_dir(self.path)
        try:
            found = [p for p in folder.iterdir() if self._is_my_backup(p.name)]
        except FileNotFoundError:
            return []
        return sorted(found, key=lambda p: p.name, reverse=True)

    def _is_my_backup(self, name: str) -> bool:
        # <stem>.<YYYYMMDD-HHMMSS>-<reason><suffix>, not those of a `<stem>.work.json` beside it
        stem, suffix = re.escape(self.path.stem), re.escape(self.path.suffix or ".json")
        return re.fullmatch(rf"{stem}\.\d{{8}}-\d{{6}}-[\w-]+{suffix}", name) is not None

    def _daily_backup(self, raw: bytes) -> bool:
        """Back up on the first write of each day (by any process); True when this one did."""
        today = self.clock().astimezone().strftime("%Y%m%d")
        if self._backed_up_on == today:
            return False
        marker = f"{self.path.stem}.{today}-"
        self._backed_up_on = today
        if any(p.name.startswith(marker) for p in self.backups()):
            return False
        self._write_backup(raw, "daily")
        return True

    def _write_backup(self, raw: bytes, reason: str) -> Path:
        folder = backup_dir(self.path)
        try:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as exc:
            raise StoreError(
                _("Cannot create the backup folder {folder}: {reason}.").format(
                    folder=folder, reason=exc.strerror
                )
            ) from None
        stamp = self.clock().astimezone().strftime("%Y%m%d-%H%M%S")
        target = folder / f"{self.path.stem}.{stamp}-{reason}{self.path.suffix or '.json'}"
        write_atomic(target, raw, temp_prefix=f".{target.name}.")
        for old in self.backups()[BACKUPS_KEPT:]:
            with contextlib.suppress(OSError):
                old.unlink()
        return target

    def restore(self, backup: Path) -> Path:
        """Replace the file with a backup, after backing up the current file."""
        raw = backup.read_bytes()
        _decode(raw, backup)
        with self._locked():
            current = self._read_bytes()
            saved = self._write_backup(current, "before-restore") if current else backup
            self._write_atomic(raw)
        return saved

    # conveniences, one transaction each

    def add(self, *tasks: Task) -> None:
        """Add new tasks (see :meth:`Txn.put_many` to insert or replace by id)."""
        with self.transaction() as txn:
            txn.insert(tasks)

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
        with self.transaction() as txn:
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


def read_given_file(path: Path, cannot: Callable[[str], str]) -> bytes:
    """The bytes of a file the user named (an import, a conflict copy), or InvalidTask (exit 2).

    ``cannot(reason)`` words the message for the command at hand ("cannot import X: ...").
    """
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InvalidTask(cannot(_("there is no such file"))) from None
    except IsADirectoryError:
        raise InvalidTask(cannot(_("it is a folder, not a file"))) from None
    except OSError as exc:
        raise InvalidTask(cannot(exc.strerror or str(exc))) from None


def parse_task_file(raw: bytes, path: Path) -> dict[str, Any]:
    """A task file's data with the store's checks; CorruptFileError names ``path``."""
    return _decode(raw, path)


def write_atomic(path: Path, payload: bytes, *, temp_prefix: str) -> None:
    """Temp file in the same folder (created exclusively, 0600), fsync, rename, fsync folder."""
    folder = path.parent
    mode = 0o600
    with contextlib.suppress(FileNotFoundError):
        mode = stat.S_IMODE(os.stat(path).st_mode) or 0o600
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=temp_prefix, suffix=".tmp", dir=folder)
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        reason = _("the disk is full") if exc.errno == errno.ENOSPC else exc.strerror
        raise StoreError(
            _(
                "Cannot write the task file {path}: {reason}. The file on disk was left as it "
                "was; your last change was not saved."
            ).format(path=path, reason=reason)
        ) from None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    # The new file is in place: a folder that cannot be fsynced (EINVAL on some network and FUSE
    # file systems) must not report the change as lost.
    with contextlib.suppress(OSError):
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
