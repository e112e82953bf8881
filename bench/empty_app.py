"""The baseline for launch times: an empty Textual app that shows one known word.

    python bench/empty_app.py

Launched and timed exactly like ``eisenhower`` (see bench/run.py): from the start of the process
until the word ``BENCHREADY`` is on the tmux screen. Whatever the matrix needs on top of this is
its own cost; this is the floor Textual itself sets on this machine.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Static

WORD = "BENCHREADY"


class EmptyApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Static(WORD)


if __name__ == "__main__":
    EmptyApp().run()
