"""The base of both apps: a paste is text, never keys; a crash shows no data.

Both the matrix (``EisenhowerApp``) and the capture popup (``CaptureApp``) derive from
:class:`CleanPasteApp`, so every screen and dialog of either gets both guarantees.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import events
from textual.app import App
from textual.driver import Driver

from .crash import crash_message, write_crash_log
from .model import sanitize_notes


class CleanPasteApp(App[int]):
    crash_log: Path | None = None
    """Where the first unhandled error's traceback was written (``None`` if it could not be)."""
    _crash_reported = False
    _crash_report: Text | None = None

    def get_driver_class(self) -> type[Driver]:
        chosen = super().get_driver_class()
        # Textual's Linux/macOS driver turns an ESC inside a bracketed paste into key presses;
        # ours delivers the paste whole and clean (see paste_guard). A driver named in
        # TEXTUAL_DRIVER, or Windows', is kept as chosen: the Paste cleaning below still applies.
        if chosen.__module__ == "textual.drivers.linux_driver" and chosen.__name__ == "LinuxDriver":
            from .paste_guard import CleanPasteDriver

            return CleanPasteDriver
        return chosen

    async def on_event(self, event: events.Event) -> None:
        # A paste goes straight into the focused widget, and Input / TextArea draw what they
        # hold as is: drop escape sequences and control characters before they get there.
        if isinstance(event, events.Paste) and not event.is_forwarded:
            cleaned = sanitize_notes(event.text)
            if cleaned != event.text:
                event = events.Paste(cleaned)
        await super().on_event(event)

    def _handle_exception(self, error: Exception) -> None:
        # Textual's report (App._fatal_error) prints a traceback with every frame's locals, which
        # put the whole task list on screen. Ours: one line and the path of a private log file.
        # The return code and the first error are recorded as Textual 8.2 does, so `run` exits 1
        # and `run_test` still re-raises the error in tests.
        self._return_code = 1
        if self._exception is None:
            self._exception = error
            self._exception_event.set()
        if self._crash_reported:  # an error while closing after the first: one report is enough
            return
        self._crash_reported = True
        try:
            self.crash_log = write_crash_log(error)
        except OSError:
            self.crash_log = None
        self._crash_report = Text(crash_message(error, self.crash_log))
        self.bell()
        self.panic()  # closes the app; the report is printed once the terminal is restored

    def _print_error_renderables(self) -> None:
        if self._crash_report is None:
            super()._print_error_renderables()
            return
        # Printed, not pre-rendered like panic()'s renderables: those are cut at the terminal's
        # width, and the log's path must stay whole on its line, to copy, even in a 60-column
        # popup. A Text is never read as markup or emoji codes.
        self.error_console.print(self._crash_report, soft_wrap=True)
        self._crash_report = None
        self._exit_renderables.clear()
