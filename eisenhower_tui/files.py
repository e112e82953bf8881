"""Generic file helpers under the store: atomic writes, private folders, the lock, reading a
file the user named.

Nothing here knows what a task file holds; :mod:`eisenhower_tui.store` keeps those rules
(decode, check, migrate, transactions, backups).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import stat
import tempfile
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from .i18n import _
from .model import InvalidTask

__all__ = [
    "HeldLock",
    "NotRegularFileError",
    "StoreError",
    "exclusive_lock",
    "fsync_folder",
    "make_private_folders",
    "read_given_file",
    "read_pieces",
    "read_regular_file",
    "remove_stale_temp_files",
    "write_atomic",
    "write_exclusive",
]


class StoreError(Exception):
    """A storage problem (exit code 1). The message names the file and what to do."""


class NotRegularFileError(OSError):
    """The path is a pipe, a device or a socket: reading it could block forever."""


# --- folders ----------------------------------------------------------------------------------


def make_private_folders(folder: Path) -> None:
    """Create ``folder`` and every missing parent, each 0700; raises OSError.

    ``mkdir(parents=True, mode=...)`` gives the mode to the last folder only (the parents get
    0777 minus the umask, 0755 usually), and the umask may take bits off 0700 too: each folder
    we create is chmod-ed after its mkdir. A folder that already exists is left as it is.
    """
    missing: list[Path] = []
    current = folder
    while not os.path.lexists(current) and current != current.parent:
        missing.append(current)
        current = current.parent
    for path in reversed(missing):
        try:
            os.mkdir(path, 0o700)
        except FileExistsError:
            continue  # another process made it a moment ago: its mode is its own business
        os.chmod(path, 0o700)


def fsync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable.

    A folder that cannot be fsynced (EINVAL on some network and FUSE file systems) must not
    turn a change already in place into a reported failure, so errors are ignored.
    """
    with contextlib.suppress(OSError):
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def remove_stale_temp_files(folder: Path, is_ours: Callable[[str], bool]) -> None:
    """Remove the temp files named ``is_ours`` in ``folder``; call it only under the lock that
    covers every writer of those names, so whatever is left is from a killed writer."""
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            if entry.name.endswith(".tmp") and is_ours(entry.name):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)


# --- reading ----------------------------------------------------------------------------------


def read_regular_file(
    path: Path, *, unless: tuple[int, int] | None = None
) -> tuple[bytes | None, os.stat_result] | None:
    """The bytes of ``path`` and the stat of exactly the file read; None if there is none.

    Opened non-blocking and checked with fstat before reading, so a pipe or a device given as
    a task file is refused (:class:`NotRegularFileError`) instead of hanging the command.
    Raises IsADirectoryError for a folder and OSError for the rest.

    With ``unless`` = (length, crc32) of bytes the caller already holds: when the file holds
    exactly those, it is checksummed a megabyte at a time and the bytes are not kept
    (``(None, stat)``), so a 50,000-task file is not in memory twice.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        return None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
        if not stat.S_ISREG(st.st_mode):
            raise NotRegularFileError(errno.EINVAL, "not a regular file", str(path))
        os.set_blocking(fd, True)
        with os.fdopen(fd, "rb", closefd=False) as handle:
            if unless is not None and st.st_size == unless[0]:
                size, crc = 0, 0
                while chunk := handle.read(1 << 20):
                    size, crc = size + len(chunk), zlib.crc32(chunk, crc)
                if (size, crc) == unless:
                    return None, st
                handle.seek(0)
            return handle.read(), st
    finally:
        os.close(fd)


def read_pieces(path: Path, size: int = 1 << 20) -> Iterator[bytes]:
    """The bytes of ``path`` a piece at a time (a copy that never holds the whole file)."""
    with open(path, "rb") as handle:
        while piece := handle.read(size):
            yield piece


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


# --- writing ----------------------------------------------------------------------------------


def _cannot_write(path: Path, exc: OSError) -> StoreError:
    reason = _("the disk is full") if exc.errno == errno.ENOSPC else exc.strerror
    return StoreError(
        _(
            "Cannot write the task file {path}: {reason}. The file on disk was left as it "
            "was; your last change was not saved."
        ).format(path=path, reason=reason)
    )


Payload = bytes | Iterable[bytes | memoryview]  # the content, whole or in pieces


def _write_temp(folder: Path, payload: Payload, temp_prefix: str) -> str:
    """A new temp file (created exclusively, 0600) holding ``payload``, flushed to disk.

    In pieces, the whole content never has to be in memory at once (the store streams a
    50,000-task file); whatever a piece's producer raises propagates and the file is removed.
    """
    fd, tmp = tempfile.mkstemp(prefix=temp_prefix, suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            if isinstance(payload, bytes):
                handle.write(payload)
            else:
                for piece in payload:
                    handle.write(piece)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return tmp


def write_atomic(
    path: Path,
    payload: Payload,
    *,
    temp_prefix: str,
    before_replace: Callable[[], None] | None = None,
) -> None:
    """Temp file in the same folder (created exclusively, 0600), fsync, rename, fsync folder.

    ``before_replace`` runs once the temp file is on disk, right before the rename, so the
    window between a last check and the rename is as short as it can be; what it raises
    propagates and nothing is replaced.
    """
    folder = path.parent
    mode = 0o600
    with contextlib.suppress(FileNotFoundError):
        mode = stat.S_IMODE(os.stat(path).st_mode) or 0o600
    tmp = None
    try:
        tmp = _write_temp(folder, payload, temp_prefix)
        os.chmod(tmp, mode)
        if before_replace is not None:
            before_replace()
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        raise _cannot_write(path, exc) from None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    fsync_folder(folder)


def write_exclusive(name_for: Callable[[int], Path], payload: Payload, *, temp_prefix: str) -> Path:
    """Write ``payload`` under the first of ``name_for(0)``, ``name_for(1)``... that is free.

    Never replaces an existing file: the whole content is written and fsynced to a temp file,
    then hard-linked to the new name, which fails if the name exists (EEXIST), and the temp
    name is removed. A killed writer leaves a temp file, never a torn file under the name.
    """
    first = name_for(0)
    folder = first.parent
    tmp = None
    try:
        tmp = _write_temp(folder, payload, temp_prefix)
        for counter in range(1000):
            target = name_for(counter)
            try:
                os.link(tmp, target)
            except FileExistsError:
                continue
            break
        else:
            raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(first))
    except OSError as exc:
        raise _cannot_write(first, exc) from None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    fsync_folder(folder)
    return target


# --- the lock ---------------------------------------------------------------------------------


class HeldLock:
    """An exclusive ``flock`` on a sidecar lock file, kept the one its path names."""

    def __init__(self, lock_path: Path, path: Path, timeout: float) -> None:
        self.lock_path = lock_path
        self.path = path  # the file the lock guards, for the messages
        self.timeout = timeout
        self.fd = -1

    def acquire(self) -> None:
        deadline = time.monotonic() + self.timeout
        while True:
            fd = self._open()
            try:
                self._wait(fd, deadline)
                if self._is_current(fd):
                    break
            except BaseException:
                os.close(fd)
                raise
            # The lock file was deleted or replaced while we waited for it: whoever came after
            # locks the new one, so we must too, or two writers would both think they hold it.
            os.close(fd)
        old, self.fd = self.fd, fd
        if old >= 0:
            os.close(old)

    def ensure_current(self) -> None:
        """Before writing: if the lock file was deleted while held (a clean-up tool, a user),
        another writer may have taken a new one; lock that one too, waiting for it."""
        if self.fd < 0 or not self._is_current(self.fd):
            self.acquire()

    def release(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)  # closing drops the flock
            self.fd = -1

    def _open(self) -> int:
        flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC
        try:
            return os.open(self.lock_path, flags, 0o600)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                # A lock symlink planted in a shared folder could make us create or truncate
                # a file elsewhere; it is never followed.
                raise StoreError(
                    _(
                        "The lock file {lock} is a symbolic link; it was not followed and "
                        "nothing was written. Remove it if you did not put it there."
                    ).format(lock=self.lock_path)
                ) from None
            raise StoreError(
                _(
                    "Cannot open the lock file {lock}: {reason}. Check that the "
                    "folder {folder} is writable; nothing was written."
                ).format(lock=self.lock_path, reason=exc.strerror, folder=self.path.parent)
            ) from None

    def _wait(self, fd: int, deadline: float) -> None:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise StoreError(
                        _(
                            "Another process has held the lock on {path} for "
                            "{seconds} s; nothing was written. Try again."
                        ).format(path=self.path, seconds=f"{self.timeout:.0f}")
                    ) from None
                time.sleep(0.005)

    def _is_current(self, fd: int) -> bool:
        try:
            named = os.stat(self.lock_path, follow_symlinks=False)
        except OSError:
            return False
        held = os.fstat(fd)
        return (named.st_dev, named.st_ino) == (held.st_dev, held.st_ino)


@contextlib.contextmanager
def exclusive_lock(lock_path: Path, path: Path, *, timeout: float) -> Iterator[HeldLock]:
    """Hold an exclusive lock on ``lock_path`` (guarding ``path``) for the block."""
    lock = HeldLock(lock_path, path, timeout)
    lock.acquire()
    try:
        yield lock
    finally:
        lock.release()
