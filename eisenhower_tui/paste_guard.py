"""A bracketed paste arrives as one clean ``Paste`` event, never as keys.

Textual 8.2's ``XTermParser`` keeps a paste's characters in a buffer only while they are plain
text. An ESC inside the paste starts its escape-sequence loop, which knows nothing of the paste:
when the next ESC, a 0.1 s pause or 32 characters end that loop, it re-issues what it read as key
presses. So ``ESC CR`` in a pasted line is Enter, and one paste could add a task, mark two done and
quit. A terminal cannot escape ``ESC [ 201 ~`` inside a paste, so everything between the two
markers is data, whatever it holds.

:class:`CleanPasteParser` therefore takes the paste out of the parser's hands: the parser still
sees the opening marker (so its own state follows the terminal's), but the payload is collected
here, cleaned with :func:`~eisenhower_tui.model.sanitize_notes` (no escape sequences, no C0/C1
controls but newline and tab) and delivered as one ``events.Paste``; then the closing marker is fed
to the parser alone. A paste whose closing marker never comes ends after
:data:`PASTE_IDLE_TIMEOUT` seconds without input, so the keyboard is never held forever, and only
its first :data:`PASTE_MAX_CHARS` characters are kept.

:class:`CleanPasteDriver` is Textual's ``LinuxDriver`` reading its input through that parser.
"""

from __future__ import annotations

import os
import selectors
import time
from codecs import getincrementaldecoder
from collections.abc import Callable, Iterable, Iterator

from textual import events
from textual._loop import loop_last
from textual._parser import ParseError
from textual._xterm_parser import BRACKETED_PASTE_END, BRACKETED_PASTE_START, XTermParser
from textual.drivers.linux_driver import LinuxDriver
from textual.message import Message

from .model import sanitize_notes

PASTE_IDLE_TIMEOUT = 2.0
"""Seconds without input that end a paste whose closing marker was lost (a terminal sends a whole
paste in one burst, a slow link in chunks well under this apart; after a broken paste, the
keyboard comes back this soon)."""

PASTE_MAX_CHARS = 100_000
"""Characters of one paste kept; the rest is read and dropped (a title holds 500)."""

_KEEP = len(BRACKETED_PASTE_END) - 1  # a closing marker can be split across two reads


class CleanPasteParser(XTermParser):
    """``XTermParser`` whose bracketed pastes are collected and cleaned before any key parsing."""

    def __init__(self, debug: bool = False, *, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._start_matched = 0  # how much of the opening marker ends the input seen so far
        self._in_paste = False
        self._paste: list[str] = []
        self._paste_size = 0
        self._unconfirmed = ""  # the paste's last characters, maybe the start of the closing marker
        self._last_input = 0.0
        super().__init__(debug)

    def feed(self, data: str) -> Iterable[Message]:
        return list(self._feed(data))

    def _feed(self, data: str) -> Iterator[Message]:
        if not data:  # end of input
            if self._in_paste:
                yield from self._close_paste()
            yield from super().feed(data)
            return
        self._last_input = self._clock()
        while data:
            if self._in_paste:
                data = self._collect(data)
                if not self._in_paste:
                    yield from self._deliver_paste()
                continue
            probe = BRACKETED_PASTE_START[: self._start_matched] + data
            found = probe.find(BRACKETED_PASTE_START)
            if found < 0:
                self._start_matched = _longest_marker_prefix_at_end(probe)
                yield from super().feed(data)
                return
            # The parser reads the opening marker itself, so it enters its paste state as usual.
            marker_end = found + len(BRACKETED_PASTE_START) - self._start_matched
            self._start_matched = 0
            yield from super().feed(data[:marker_end])
            self._in_paste = True
            data = data[marker_end:]

    def tick(self) -> Iterable[Message]:
        messages: list[Message] = []
        if self._in_paste and self._clock() - self._last_input >= PASTE_IDLE_TIMEOUT:
            messages.extend(self._close_paste())
        waiting_in_sequence = self._timeout_time is not None
        messages.extend(super().tick())
        if waiting_in_sequence and self._timeout_time is None:
            # The parser gave up on a half-read escape sequence (its ESC became a key press): a
            # marker begun in it is no longer one for the parser, so not for us either.
            self._start_matched = 0
        return messages

    def _collect(self, data: str) -> str:
        """Take paste text from ``data``; returns what follows the closing marker, if it came."""
        probe = self._unconfirmed + data
        found = probe.find(BRACKETED_PASTE_END)
        if found < 0:
            self._keep(probe[:-_KEEP])
            self._unconfirmed = probe[-_KEEP:]
            return ""
        self._keep(probe[:found])
        self._unconfirmed = ""
        self._in_paste = False
        return probe[found + len(BRACKETED_PASTE_END) :]

    def _keep(self, text: str) -> None:
        room = PASTE_MAX_CHARS - self._paste_size
        if room > 0 and text:
            kept = text[:room]
            self._paste.append(kept)
            self._paste_size += len(kept)

    def _close_paste(self) -> Iterator[Message]:
        """End a paste whose closing marker did not come (yet): what was read is the paste."""
        self._keep(self._unconfirmed)
        self._unconfirmed = ""
        self._in_paste = False
        return self._deliver_paste()

    def _deliver_paste(self) -> Iterator[Message]:
        text = sanitize_notes("".join(self._paste))
        self._paste.clear()
        self._paste_size = 0
        yield events.Paste(text)
        # The parser is still in its paste state: the closing marker alone takes it out. It then
        # reports an empty paste (the marker's ESC, which it strips), already delivered above.
        for message in super().feed(BRACKETED_PASTE_END):
            if not isinstance(message, events.Paste):
                yield message


def _longest_marker_prefix_at_end(text: str) -> int:
    for size in range(len(BRACKETED_PASTE_START) - 1, 0, -1):
        if text.endswith(BRACKETED_PASTE_START[:size]):
            return size
    return 0


class CleanPasteDriver(LinuxDriver):
    """Textual's Linux/macOS driver, reading keys through :class:`CleanPasteParser`."""

    def run_input_thread(self) -> None:
        # LinuxDriver.run_input_thread of Textual 8.2, with only the parser class changed: the
        # parser is built inside this method, so there is no smaller place to swap it.
        selector = selectors.SelectSelector()
        selector.register(self.fileno, selectors.EVENT_READ)
        fileno = self.fileno
        parser = CleanPasteParser(self._debug)
        decode = getincrementaldecoder("utf-8")().decode

        def process_selector_events(
            selector_events: list[tuple[selectors.SelectorKey, int]], final: bool = False
        ) -> None:
            for last, (_selector_key, mask) in loop_last(selector_events):
                if mask & selectors.EVENT_READ:
                    unicode_data = decode(os.read(fileno, 1024 * 4), final=final and last)
                    if not unicode_data:  # stdin is a pipe that ended
                        break
                    for event in parser.feed(unicode_data):
                        self.process_message(event)
            for event in parser.tick():
                self.process_message(event)

        try:
            while not self.exit_event.is_set():
                process_selector_events(selector.select(0.1))
            selector.unregister(self.fileno)
            process_selector_events(selector.select(0.1), final=True)
        finally:
            selector.close()
            try:
                for _event in parser.feed(""):
                    pass
            except (EOFError, ParseError):
                pass
