"""Sync conflict copies beside the task file: offered once, merged on request (`M`)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import work
from textual.screen import Screen

from ..conflicts import find_conflict_copies, merge_copy
from ..domain.changes import Edit
from ..domain.history import History, Step
from ..domain.merge import merge_edits
from ..i18n import _
from ..model import InvalidTask, iso_now, sanitize_line
from ..store import StoreError

if TYPE_CHECKING:
    from ..store import Store


class ConflictCopies(Screen[None]):
    """The matrix's part that finds Syncthing/Dropbox/Nextcloud copies and merges them."""

    store: Store
    history: History
    _offered_copies: set[Path]

    if TYPE_CHECKING:  # provided by MatrixScreen

        def flush_writes(self, timeout: float = 60.0) -> bool: ...
        def reload(self) -> Any: ...

    def check_conflict_copies(self) -> None:
        """Syncthing/Dropbox leave conflict copies beside the file: offer to merge them, once."""
        copies = [p for p in find_conflict_copies(self.store.path) if p not in self._offered_copies]
        if not copies:
            return
        self._offered_copies.update(copies)
        names = ", ".join(sanitize_line(p.name) for p in copies)
        self.notify(
            names + "\n" + _("Press M to merge them into your tasks."),
            title=_("Sync conflict copies found"),
            severity="warning",
            timeout=20,
            markup=False,
        )

    def action_merge_conflicts(self) -> None:
        copies = find_conflict_copies(self.store.path)
        if not copies:
            self.notify(_("No sync conflict copies beside the task file."), timeout=3)
            return
        question = _("Merge these copies into your tasks? Newest change wins per task.")
        question += "\n" + "\n".join(sanitize_line(p.name) for p in copies)

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.merge_copies(copies)

        from .dialogs import ConfirmScreen  # on first use: not part of every start

        self.app.push_screen(ConfirmScreen(question), confirmed)

    @work(thread=True, exclusive=True, group="merge")
    def merge_copies(self, copies: list[Path]) -> None:
        self.flush_writes()
        lines = []
        edits: list[Edit] = []
        for copy in copies:
            try:
                report, before, after = merge_copy(self.store, copy)
            except (StoreError, InvalidTask, OSError) as exc:
                lines.append(f"{sanitize_line(copy.name)}: {sanitize_line(str(exc))}")
                continue
            lines.append(f"{sanitize_line(copy.name)}: {report.summary()}")
            edits += merge_edits(before, after, iso_now(self.store.clock()))
        lines.append(_("The copies were left in place; you may delete them."))
        if edits:  # the whole merge is one step: u takes it back
            lines.append(_("u to undo"))
            self.app.call_from_thread(self.history.record, Step(edits, _("merge")))
        self.app.call_from_thread(
            self.notify, "\n".join(lines), title=_("Merged"), timeout=15, markup=False
        )
        self.app.call_from_thread(self.reload)
