"""The base of both apps: pasted text is cleaned before any widget sees it."""

from __future__ import annotations

from textual import events
from textual.app import App

from .model import sanitize_notes


class CleanPasteApp(App[int]):
    async def on_event(self, event: events.Event) -> None:
        # A paste goes straight into the focused widget, and Input / TextArea draw what they
        # hold as is: drop escape sequences and control characters before they get there.
        if isinstance(event, events.Paste) and not event.is_forwarded:
            cleaned = sanitize_notes(event.text)
            if cleaned != event.text:
                event = events.Paste(cleaned)
        await super().on_event(event)
