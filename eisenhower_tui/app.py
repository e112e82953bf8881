"""EisenhowerApp: the matrix screen, app-wide keys, theme memory and command palette."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import datetime
from functools import partial
from pathlib import Path

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette, Hit, Hits, Provider
from textual.content import Content
from textual.screen import Screen
from textual.theme import ThemeProvider

from .clean_app import CleanPasteApp
from .config import Config, load_config
from .dates import local_now
from .i18n import _, ngettext
from .model import cut, display_safe, sanitize_line
from .screens.matrix import MatrixScreen
from .store import Snapshot, Store
from .widgets.contrast import readable_variables


def _state_path() -> Path:
    from platformdirs import user_state_dir

    return Path(user_state_dir("eisenhower-tui", appauthor=False)) / "state.json"


def _textual_command_words() -> dict[str, str]:
    """Titles and help of Textual's system commands (textual 8.2), translated."""
    return {
        "Theme": _("Theme"),
        "Change the current theme": _("Change the current theme"),
        "Quit": _("Quit"),
        "Quit the application as soon as possible": _("Quit the application as soon as possible"),
        "Keys": _("Keys"),
        "Show help for the focused widget and a summary of available keys": _(
            "Show help for the focused widget and a summary of available keys"
        ),
        "Hide the keys and widget help panel": _("Hide the keys and widget help panel"),
        "Minimize": _("Minimize"),
        "Minimize the widget and restore to normal size": _(
            "Minimize the widget and restore to normal size"
        ),
        "Maximize": _("Maximize"),
        "Maximize the focused widget": _("Maximize the focused widget"),
        "Screenshot": _("Screenshot"),
        "Save an SVG 'screenshot' of the current screen": _(
            "Save an SVG 'screenshot' of the current screen"
        ),
    }


class TaskProvider(Provider):
    """ "Go to task": fuzzy search over titles. Titles are plain Content, never markup."""

    async def search(self, query: str) -> Hits:
        screen = self.app.get_screen("matrix") if self.app.is_screen_installed("matrix") else None
        if not isinstance(screen, MatrixScreen):
            return
        matcher = self.matcher(query)
        for task in list(screen.tasks.values()):
            score = matcher.match(task.title)
            if score > 0:
                task = display_safe(task)
                # A 500-character title would wrap over many lines of the palette.
                shown = cut(task.title, 80)
                yield Hit(
                    score,
                    Content(_("Go to: ") + shown),
                    partial(screen.go_to_task, task.id),
                    text=task.title,
                    help=_("Quadrant {n}").format(n=int(task.quadrant)),
                )


class EisenhowerApp(CleanPasteApp):
    CSS_PATH = "app.tcss"
    TITLE = "eisenhower"
    COMMANDS = App.COMMANDS | {TaskProvider}
    BINDINGS = [
        Binding("q", "quit", _("Quit"), id="quit"),
        Binding("ctrl+p", "command_palette", _("Commands"), show=False, id="palette"),
    ]

    def __init__(
        self,
        store: Store,
        *,
        config: Config | None = None,
        clock: Callable[[], datetime] = local_now,
        poll_interval: float | None = 0.5,
        remember_theme: bool = True,
        initial: Snapshot | None = None,
    ) -> None:
        super().__init__()
        self.initial = initial
        store.keep_last_version = True  # the writer thread reuses its last write (see Store)
        self.store = store
        self.config = config or load_config()
        self.clock = clock
        self.poll_interval = poll_interval
        self.remember_theme = remember_theme
        if self.config.keys:
            self.set_keymap(dict(self.config.keys))

    def get_css_variables(self) -> dict[str, str]:
        """The theme's variables plus readable row colours computed from them (see contrast)."""
        variables = super().get_css_variables()
        return {**variables, **readable_variables(variables)}

    def on_mount(self) -> None:
        theme = self._remembered_theme() or self.config.theme
        if theme in self.available_themes:
            self.theme = theme
        elif theme:
            self.notify(
                _("Unknown theme '{t}'; using the default").format(t=theme),
                severity="warning",
                markup=False,
            )
        self.theme_changed_signal.subscribe(self, self._save_theme)
        self.install_screen(
            MatrixScreen(
                self.store,
                self.config,
                clock=self.clock,
                poll_interval=self.poll_interval,
                initial=self.initial,
            ),
            "matrix",
        )
        self.push_screen("matrix")
        for warning in self.config.warnings:
            self.notify(warning, title=_("Config"), severity="warning", timeout=8, markup=False)

    def _remembered_theme(self) -> str | None:
        if not self.remember_theme:
            return None
        try:
            return json.loads(_state_path().read_text()).get("theme")
        except (OSError, ValueError, AttributeError):
            return None

    def _save_theme(self, theme: object) -> None:
        if not self.remember_theme:
            return
        path = _state_path()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps({"theme": self.theme}))
        except OSError:
            pass  # remembering the theme is a comfort, not worth an error

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        # Textual's own commands, in the interface language where we know their words.
        words = _textual_command_words()
        for command in super().get_system_commands(screen):
            yield SystemCommand(
                words.get(command.title, command.title),
                words.get(command.help, command.help),
                command.callback,
                command.discover,
            )
        if isinstance(screen, MatrixScreen):
            seen = set()
            for _key, active in screen.active_bindings.items():
                binding = active.binding
                if binding.action in seen or not binding.description:
                    continue
                seen.add(binding.action)
                key = self.get_key_display(binding)
                yield SystemCommand(
                    _(binding.description),  # Textual's own too: scripts/i18n.py lists them
                    _("Key: {key}").format(key=key),
                    partial(screen.run_action, binding.action),
                )
            # Commands without a key (the sweep): their words are ours, never user text.
            for title, help_text, callback in screen.palette_commands():
                yield SystemCommand(title, help_text, callback)

    def action_command_palette(self) -> None:
        # is_open is typed for App[object]; an App subclass is one.
        if self.use_command_palette and not CommandPalette.is_open(self):  # type: ignore[arg-type]
            placeholder = _("Search for commands…")
            self.push_screen(CommandPalette(id="--command-palette", placeholder=placeholder))

    def search_themes(self) -> None:
        """The theme picker, with its prompt in the interface language."""
        self.push_screen(
            CommandPalette(providers=[ThemeProvider], placeholder=_("Search for themes…"))
        )

    async def action_quit(self) -> None:
        """Quit once the file holds every change shown; if a write fails, say so and exit 1."""
        import asyncio

        if not self.is_screen_installed("matrix"):
            self.exit(0, return_code=0)
            return
        screen = self.get_screen("matrix")
        assert isinstance(screen, MatrixScreen)
        if screen.pending_writes:
            waiting = ngettext("Saving {n} change…", "Saving {n} changes…", screen.pending_writes)
            self.notify(waiting.format(n=screen.pending_writes), timeout=30)
            await asyncio.sleep(0)  # let the notice draw before the wait
        saved = await asyncio.to_thread(screen.flush_writes, 120.0)
        if saved:
            self.exit(0, return_code=0)
            return
        message = _(
            "eisenhower: some changes could not be saved to {path}; the file holds the last "
            "saved state. Nothing else was lost."
        ).format(path=screen.store.path)
        self.exit(1, return_code=1, message=sanitize_line(message))
