"""The control for key latency: a one-line Textual app that repaints on every key.

    python bench/key_echo_app.py

Shows ``KEYS <n>``, ``n`` counting the keys pressed, so every key changes the screen. Timed
through the same harnesses as the matrix (bench/keys_tmux.py): whatever the matrix needs on top
of this is its own cost, the rest is Textual's and tmux's.
"""

from __future__ import annotations

from textual import events
from textual.app import App, ComposeResult
from textual.widgets import Static


class KeyEchoApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def compose(self) -> ComposeResult:
        yield Static("KEYS 0", id="count")

    def on_key(self, event: events.Key) -> None:
        if event.key == "q":
            self.exit()
            return
        self.count += 1
        self.query_one("#count", Static).update(f"KEYS {self.count}")


if __name__ == "__main__":
    KeyEchoApp().run()
