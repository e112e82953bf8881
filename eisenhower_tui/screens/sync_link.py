"""The matrix's CalDAV sync: at open, every few minutes and on `S`, in a background thread.

A sync never blocks a key: it runs in a thread worker, after the writer has put every change
shown into the file, through its own Store on the same file (the store's lock orders it with the
writer), and the matrix re-reads the file when the sync changed it. The status line says when the
last sync ended, or why it failed.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from textual import work
from textual.screen import Screen

from ..i18n import _
from ..model import sanitize_line
from ..store import Store

if TYPE_CHECKING:
    from ..config import Config
    from ..writer import TaskWriter


class SyncLink(Screen[None]):
    store: Store
    config: Config
    sync_status: str = ""

    if TYPE_CHECKING:  # provided by MatrixScreen
        writer: TaskWriter

        def reload(self) -> Any: ...
        def _update_status(self) -> None: ...

    def start_sync_schedule(self) -> None:
        """At open (once the matrix is drawn) and every ``every_minutes``, if configured."""
        caldav = self.config.caldav
        if caldav is None or not caldav.url:
            return
        self.set_timer(1.0, self.sync_now)
        if caldav.every_minutes > 0:
            self.set_interval(caldav.every_minutes * 60, self.sync_now)

    def action_sync(self) -> None:
        if self.config.caldav is None or not self.config.caldav.url:
            self.notify(
                _("No [caldav] section in the config: see the README's sync section."),
                severity="warning",
                timeout=5,
            )
            return
        self.notify(_("Syncing…"), timeout=2)
        self.sync_now(manual=True)

    @work(thread=True, exclusive=True, group="sync")
    def sync_now(self, manual: bool = False) -> None:
        from ..sync import SyncError, sync_once

        self.writer.flush(60.0)  # the server gets what the screen shows
        store = Store(self.store.path, after_write=self.store.after_write)
        try:
            report = sync_once(store, self.config)
        except SyncError as exc:
            self.app.call_from_thread(self._sync_failed, str(exc), manual)
            return
        except Exception as exc:
            self.app.call_from_thread(self._sync_failed, repr(exc), manual)
            return
        self.app.call_from_thread(self._synced, report, manual)

    def _synced(self, report: Any, manual: bool) -> None:
        stamp = datetime.now().strftime("%H:%M")
        self.sync_status = _("synced {time}").format(time=stamp)
        self._update_status()
        if report.wrote_tasks:
            self.reload()
        if manual or report.changed_anything:
            self.notify(sanitize_line(report.summary()), timeout=4, markup=False)

    def _sync_failed(self, message: str, manual: bool) -> None:
        reason = sanitize_line(message)
        self.sync_status = _("sync failed: {reason}").format(reason=reason[:60])
        self._update_status()
        if manual:
            self.notify(reason, title=_("Sync failed"), severity="error", timeout=10, markup=False)
