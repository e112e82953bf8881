"""``?``: every binding, read from the live bindings so a remapped key shows as it is."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Label

from ..i18n import _
from ..widgets.key_bar import KeyBar


def binding_rows(screen: Screen) -> list[tuple[str, str]]:
    """(keys, description) for each action reachable from ``screen``, keys of one action joined.

    The screen's own actions come first, then the focused list's cursor keys, then the app's
    and Textual's generic ones, so the keys a user came for are on the first page.
    """
    rows: dict[tuple[str, str], list[str]] = {}
    rank: dict[tuple[str, str], int] = {}
    own_actions = {b.action for b in type(screen).BINDINGS if isinstance(b, Binding)}
    for _key, active in screen.active_bindings.items():
        binding = active.binding
        description = binding.description or binding.action.replace("_", " ")
        description = _(description)  # Textual's own too: scripts/i18n.py lists them
        group = (binding.action, description)
        rows.setdefault(group, []).append(screen.app.get_key_display(binding))
        if active.node is screen and binding.action in own_actions:
            node_rank = 0
        else:
            node_rank = 1 if active.node is screen.focused else 2
        rank[group] = min(rank.get(group, 9), node_rank)
    # Bindings of the focused list (cursor keys) live below the screen; include them too.
    focused = screen.focused
    if focused is not None:
        for _key, binding in focused._bindings:
            group = (binding.action, binding.description and _(binding.description))
            display = screen.app.get_key_display(binding)
            keys = rows.setdefault(group, [])
            if display not in keys:
                keys.append(display)
            rank[group] = min(rank.get(group, 9), 1)
    ordered = sorted(rows.items(), key=lambda item: rank.get(item[0], 9))  # stable within ranks
    return [(" ".join(keys), description) for (_action, description), keys in ordered]


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss_help", _("Close help"), id="help-close"),
        # Scrolling keys as in the panes; the table itself adds arrows, pgup and pgdn.
        Binding("j", "table('cursor_down')", _("Down"), show=False, id="help-down"),
        Binding("k", "table('cursor_up')", _("Up"), show=False, id="help-up"),
        Binding("g", "table('scroll_top')", _("First"), show=False, id="help-top"),
        Binding("G", "table('scroll_bottom')", _("Last"), show=False, id="help-bottom"),
    ]

    def __init__(self, rows: list[tuple[str, str]]) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="help"):
            yield Label(_("Keys"), classes="dialog-title")
            table: DataTable[Text] = DataTable(
                id="help-table", cursor_type="row", zebra_stripes=True
            )
            table.add_column(_("Key"), key="key")
            table.add_column(_("Action"), key="action")
            for keys, description in self.rows:
                table.add_row(Text(keys, style="bold"), Text(description))
            yield table
            yield Label(
                _("ctrl+p: every action in the command palette   escape: close"),
                classes="dialog-hint",
            )

    def on_mount(self) -> None:
        self.mount(KeyBar(id="dialog-keys"))  # the help's own keys in the footer

    def action_table(self, action: str) -> None:
        table = self.query_one("#help-table", DataTable)
        if action == "scroll_top":
            table.move_cursor(row=0)
        elif action == "scroll_bottom":
            table.move_cursor(row=table.row_count - 1)
        else:
            getattr(table, f"action_{action}")()

    def action_dismiss_help(self) -> None:
        self.dismiss(None)
