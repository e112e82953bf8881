"""A one-line footer of the main keys, read from the live bindings.

Textual's ``Footer`` mounts a widget per key and recomposes them all whenever focus moves; on
this app's start that alone cost about 150 ms. This draws one line of text instead, rebuilt only
when the set of shown bindings really changes. A click on a key presses it.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widget import Widget


class KeyBar(Widget):
    COMPONENT_CLASSES = {"key-bar--key", "key-bar--description"}

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        # (key to press, key as shown, description) for each binding shown in the footer
        self.items: list[tuple[str, str, str]] = []
        self.palette: tuple[str, str, str] | None = None  # drawn on the right, as Footer does
        self._spans: list[tuple[int, int, str]] = []
        self._actions: dict[str, str] = {}  # key -> action, to know which items must stay

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._bindings_changed(self.screen)

    def _bindings_changed(self, screen: Screen) -> None:
        items: list[tuple[str, str, str]] = []
        actions: dict[str, str] = {}
        seen: set[str] = set()
        palette: tuple[str, str, str] | None = None
        for key, active in screen.active_bindings.items():
            binding = active.binding
            if binding.action == "command_palette" and self.app.ENABLE_COMMAND_PALETTE:
                palette = (key, self.app.get_key_display(binding), binding.description)
                continue
            if not binding.show or not active.enabled or binding.action in seen:
                continue
            seen.add(binding.action)
            actions[key] = binding.action
            items.append((key, self.app.get_key_display(binding), binding.description))
        if items != self.items or palette != self.palette:
            self._actions = actions
            self.items = items
            self.palette = palette
            self.refresh()

    def _fitting(self, width: int) -> tuple[list[tuple[str, str, str]], bool]:
        """The items that fit in ``width`` and whether they are drawn compact (no key padding).

        A long translation must not push the last keys off: first the padding around keys
        goes, then items from the right, but never help and quit (the ways out and in).
        """
        items = list(self.items)

        def length(compact: bool) -> int:
            pad = 1 if compact else 2
            return sum(cell_len(shown) + cell_len(desc) + pad + 1 for _k, shown, desc in items)

        if length(False) <= width:
            return items, False
        keep = {"quit", "help"}
        actions = self._actions
        while length(True) > width:
            droppable = [i for i, item in enumerate(items) if actions.get(item[0]) not in keep]
            if not droppable:
                break
            del items[droppable[-1]]
        return items, True

    def render(self) -> Text:
        key_style = self.get_component_rich_style("key-bar--key")
        text_style = self.get_component_rich_style("key-bar--description")
        line = Text(no_wrap=True, overflow="crop", end="")
        self._spans = []
        items, compact = self._fitting(self.size.width)
        for key, shown, description in items:
            start = line.cell_len
            line.append(shown if compact else f" {shown} ", key_style)
            line.append(f" {description} " if compact else f"{description} ", text_style)
            self._spans.append((start, line.cell_len, key))
        if self.palette is not None and not compact:
            key, shown, description = self.palette
            tail = f" {shown} {description}"
            gap = self.size.width - line.cell_len - len(tail)
            if gap >= 0:
                line.append(" " * gap)
                start = line.cell_len
                line.append(f" {shown} ", key_style)
                line.append(description, text_style)
                self._spans.append((start, line.cell_len, key))
        return line

    def on_click(self, event: events.Click) -> None:
        for start, end, key in self._spans:
            if start <= event.x < end:
                self.app.simulate_key(key)
                return
