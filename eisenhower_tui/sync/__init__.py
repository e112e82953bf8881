"""Two-way CalDAV sync of the task file with one task list (``eisenhower sync``).

:func:`sync_once` is the whole sync, callable from the CLI or a background thread (it never
touches Textual): read the server, merge in ONE store transaction, then push. Order matters for
"never lose a change": the base copy of a task moves on only once both sides hold the same
values, so a sync cut anywhere (server gone mid-push, process killed) is completed by the next.

Importing this package is cheap: ``caldav`` is imported only when a sync runs.
"""

from __future__ import annotations

import os
import shlex
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ..i18n import _, ngettext

PASSWORD_ENV = "EISENHOWER_CALDAV_PASSWORD"
PASSWORD_COMMAND_TIMEOUT = 60  # seconds: long enough to type a GPG passphrase for `pass`


class SyncError(Exception):
    """A sync that could not run or finish; the message is for the user."""

    exit_code = 1

    def __init__(self, message: str, report: SyncReport | None = None) -> None:
        super().__init__(message)
        self.report = report


class SyncConfigError(SyncError):
    """Missing or bad ``[caldav]`` settings, or no password to be had (exit 2)."""

    exit_code = 2


class SyncServerError(SyncError):
    """The server is down, refused us, or has no such list (exit 1)."""


@dataclass(slots=True)
class SyncReport:
    server: str = ""
    pulled_new: int = 0
    pulled_changed: int = 0
    pulled_deleted: int = 0
    pushed_new: int = 0
    pushed_changed: int = 0
    pushed_deleted: int = 0
    conflicts: int = 0
    deferred: int = 0  # changed on the server while we pushed: merged on the next sync
    requests: int = 0
    wrote_tasks: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def changed_anything(self) -> bool:
        return bool(
            self.pulled_new
            + self.pulled_changed
            + self.pulled_deleted
            + self.pushed_new
            + self.pushed_changed
            + self.pushed_deleted
        )

    def summary(self) -> str:
        """One line for the status bar or the terminal."""
        if not self.changed_anything and not self.deferred:
            return _("Synced with {server}: already up to date").format(server=self.server)
        down = self.pulled_new + self.pulled_changed + self.pulled_deleted
        up = self.pushed_new + self.pushed_changed + self.pushed_deleted
        parts = [
            ngettext("{n} change received", "{n} changes received", down).format(n=down),
            ngettext("{n} change sent", "{n} changes sent", up).format(n=up),
        ]
        if self.conflicts:
            parts.append(
                ngettext(
                    "{n} conflict (other value kept in the notes)",
                    "{n} conflicts (other values kept in the notes)",
                    self.conflicts,
                ).format(n=self.conflicts)
            )
        if self.deferred:
            parts.append(
                ngettext(
                    "{n} task changed meanwhile, merged next time",
                    "{n} tasks changed meanwhile, merged next time",
                    self.deferred,
                ).format(n=self.deferred)
            )
        return _("Synced with {server}: {details}").format(
            server=self.server, details=", ".join(parts)
        )


def resolve_password(command: str, env: dict[str, str] | None = None) -> str:
    """``$EISENHOWER_CALDAV_PASSWORD``, else the first line ``password_command`` prints.

    The command runs without a shell (``shlex.split``); its output is never logged.
    """
    environ = os.environ if env is None else env
    value = environ.get(PASSWORD_ENV)
    if value:
        return value
    if not command:
        raise SyncConfigError(
            _(
                "no CalDAV password: set [caldav] password_command (such as "
                '"pass show dav") or the {variable} variable'
            ).format(variable=PASSWORD_ENV)
        )
    try:
        argv = shlex.split(command)
    except ValueError as exc:
        raise SyncConfigError(
            _("caldav.password_command cannot be read ({error})").format(error=exc)
        ) from None
    try:
        done = subprocess.run(
            argv,
            shell=False,
            capture_output=True,
            timeout=PASSWORD_COMMAND_TIMEOUT,
            check=False,
            stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else _("it took too long")
        raise SyncConfigError(
            _("the password command '{command}' failed: {reason}").format(
                command=argv[0] if argv else command, reason=reason
            )
        ) from None
    lines = done.stdout.decode("utf-8", errors="replace").splitlines()
    if done.returncode != 0 or not lines or not lines[0]:
        raise SyncConfigError(
            _("the password command '{command}' gave no password (exit code {code})").format(
                command=argv[0], code=done.returncode
            )
        )
    return lines[0]


def sync_once(
    store: Any,
    config: Any,
    *,
    password: str | None = None,
    now: datetime | None = None,
    progress: Callable[[str], None] | None = None,
) -> SyncReport:
    """One whole sync of ``store`` with ``config.caldav``; raises :class:`SyncError`."""
    from .run import run_sync

    return run_sync(store, config, password=password, now=now, progress=progress)


__all__ = [
    "PASSWORD_ENV",
    "SyncConfigError",
    "SyncError",
    "SyncReport",
    "SyncServerError",
    "resolve_password",
    "sync_once",
]
