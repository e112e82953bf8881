"""The base of both apps: a paste is text, never keys.

Both the matrix (``EisenhowerApp``) and the capture popup (``CaptureApp``) derive from
:class:`CleanPasteApp`, so every screen and dialog of either gets it.
"""

from __future__ import annotations

from textual import events
from textual.app import App
from textual.driver import Driver

from .model import sanitize_notes


class CleanPasteApp(App[int]):
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
