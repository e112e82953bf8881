"""``eisenhower capture``: a one-line popup for a hotkey.

It must be ready to type at once, so it imports only ``Input`` and ``Static`` and nothing of the
matrix. Three rows are enough, so it fits the inside of a 60x5 ``tmux display-popup``.
Enter saves and exits 0; Escape exits 1 and saves nothing; a bad line keeps the box open.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from rich.cells import cell_len, set_cell_size
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Input, Static

from ..clean_app import CleanPasteApp
from ..config import Config
from ..dates import local_now
from ..i18n import _
from ..model import InvalidTask, Quadrant, sanitize_line
from ..store import Store, StoreError

if TYPE_CHECKING:
    from ..quickadd import Draft


def fit_preview(text: str, width: int) -> str:
    """The preview line made to fit a narrow popup, most useful part first.

    The quadrant is what a capture decides, then the tags and delegate (easy to mistype), then
    the deadline (also visible in the typed text); what still does not fit is cut with "…".
    """
    if cell_len(text) <= width:
        return text
    head, *rest = text.split(" · ")
    labels = [p for p in rest if p.startswith(("#", "@"))]
    others = [p for p in rest if not p.startswith(("#", "@"))]
    line = " · ".join([head, *labels, *others])
    if cell_len(line) <= width:
        return line
    return set_cell_size(line, max(width - 1, 0)) + "…"


class CaptureApp(CleanPasteApp):
    CSS = """
    Screen { background: $surface; }
    #capture-input { border: none; height: 1; padding: 0 1; background: $boost; }
    #capture-input:focus { border: none; }
    #capture-preview { height: 1; padding: 0 1; color: $success; }
    #capture-preview.error { color: $error; padding: 0; }
    #capture-hint { height: 1; padding: 0 1; color: $text-muted; }
    """
    BINDINGS = [Binding("escape", "cancel", _("Cancel"), id="capture-cancel")]
    ENABLE_COMMAND_PALETTE = False

    def __init__(
        self,
        store: Store,
        *,
        config: Config,
        default_quadrant: Quadrant = Quadrant.SCHEDULE,
        quadrant_given: bool = False,
        clock: Callable[[], datetime] = local_now,
    ) -> None:
        super().__init__()
        self.quadrant_given = quadrant_given
        self.store = store
        self.config = config
        self.default_quadrant = default_quadrant
        self.clock = clock
        self.draft: Draft | None = None
        self._confirm_past = False
        self.saved_id: str | None = None
        self.file_error: str | None = None

    def compose(self) -> ComposeResult:
        yield Input(
            placeholder=_("Task  !1-!4 !u !i #tag @who due:fri"),
            id="capture-input",
            max_length=2000,
        )
        yield Static("", id="capture-preview", markup=False)
        yield Static(_("enter: save   escape: cancel"), id="capture-hint", markup=False)

    def on_mount(self) -> None:
        if self.config.theme in self.available_themes:
            self.theme = self.config.theme
        self._show_default()
        # Check the task file a moment after the box is drawn, not before: typing can start at
        # once, and the parse (which holds the GIL) does not hold up the first frame's output.
        self.set_timer(0.25, lambda: self.run_worker(self._check_file, thread=True))

    def _check_file(self) -> None:
        try:
            self.store.read_records()
        except StoreError as exc:
            self.call_from_thread(self._file_unusable, sanitize_line(str(exc)))

    def _file_unusable(self, message: str) -> None:
        self.file_error = message
        self._set_preview(f"✗ {message}", error=True)

    def _default_label(self) -> str:
        return _("default") if self.default_quadrant == Quadrant.SCHEDULE else _("--quadrant")

    def _show_default(self) -> None:
        quadrant = self.default_quadrant
        self._set_preview(
            f"→ {int(quadrant)} {_(quadrant.label)} ({self._default_label()})", error=False
        )

    def _set_preview(self, text: str, *, error: bool) -> None:
        shown = self.query_one("#capture-preview", Static)
        shown.update(text)
        shown.set_class(error, "error")

    def on_input_changed(self, event: Input.Changed) -> None:
        if self.file_error:
            return  # keep the reason on screen: nothing can be saved to that file
        self._confirm_past = False
        self.draft = None
        if not event.value.strip():
            self._show_default()
            return
        # The grammar and the rules load on the first key, not before the first frame.
        from ..quickadd import parse_quick_add, preview

        try:
            self.draft = parse_quick_add(
                event.value,
                self.default_quadrant,
                self.clock(),
                week_start=self.config.week_start,
            )
        except InvalidTask as exc:
            self._set_preview(f"✗ {exc}", error=True)
            return
        text = preview(
            self.draft,
            self.clock(),
            default_label=self._default_label(),
            horizon=self.config.horizon,
            explicit=self.quadrant_given,
        )
        shown = self.query_one("#capture-preview", Static)
        width = shown.content_region.width or self.size.width - 2  # 2: the padding
        self._set_preview(fit_preview(text, width), error=False)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        draft = self.draft
        if draft is None:
            self.bell()
            return
        if draft.deadline and draft.deadline.in_past and not self._confirm_past:
            self._confirm_past = True
            self._set_preview(_("Deadline in the past: enter again to save"), error=True)
            return
        from ..domain.changes import add_task

        try:
            task = add_task(
                title=draft.title,
                quadrant=draft.quadrant,
                # --quadrant is the user's choice too, as in `add`
                explicit=draft.quadrant_from_tokens or self.quadrant_given,
                now=self.clock(),
                horizon=self.config.horizon,
                due=draft.deadline.due if draft.deadline else None,
                tags=draft.tags,
                delegate=draft.delegate,
                cause="add",
                recur=draft.every,
                wait=draft.wait.due if draft.wait else None,
                follow_up=draft.follow.due if draft.follow else None,
                follow_up_days=self.config.follow_up_days,
            )
            self.store.add(task)
        except (InvalidTask, StoreError) as exc:
            self._set_preview(f"✗ {exc}", error=True)
            return
        self.saved_id = task.id
        self.exit(0, return_code=0)

    def action_cancel(self) -> None:
        self.exit(1, return_code=1)
