"""Modal boxes of the matrix: quick add, deadline, edit, move, confirm.

Each returns its result with ``dismiss`` and never touches the store: the matrix screen decides
what to save. Escape always cancels. Every label that may hold user text has markup off.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static, TextArea

from ..dates import Deadline, DeadlineError, describe_due, parse_deadline
from ..i18n import _
from ..model import (
    InvalidTask,
    Quadrant,
    Task,
    clean_delegate,
    clean_tag,
    clean_title,
    sanitize_notes,
)
from ..quickadd import Draft, parse_quick_add, preview


class _Dialog(ModalScreen):
    BINDINGS = [Binding("escape", "cancel", _("Cancel"), id="dialog-cancel")]

    def action_cancel(self) -> None:
        self.dismiss(None)


class QuickAddScreen(_Dialog):
    """One line of quick-add grammar with a live preview of what will be saved."""

    def __init__(
        self,
        default_quadrant: Quadrant,
        now: datetime,
        *,
        week_start: int = 0,
        default_label: str | None = None,
        horizon: timedelta | None = None,
    ) -> None:
        super().__init__()
        self.horizon = horizon
        self.default_quadrant = default_quadrant
        self.now = now
        self.week_start = week_start
        self.default_label = default_label or _("focused pane")
        self.draft: Draft | None = None
        self._confirm_past = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="quick-add"):
            yield Label(_("New task"), classes="dialog-title")
            yield Input(
                placeholder=_("Title  !1-!4  !u !i  #tag  @who  due:fri"),
                id="quick-add-input",
                max_length=2000,
            )
            yield Static("", id="quick-add-preview", classes="preview", markup=False)
            yield Label(_("enter: save   escape: cancel"), classes="dialog-hint")

    def on_mount(self) -> None:
        self._update_preview("")

    @on(Input.Changed, "#quick-add-input")
    def _changed(self, event: Input.Changed) -> None:
        self._confirm_past = False
        self._update_preview(event.value)

    def _update_preview(self, text: str) -> None:
        shown = self.query_one("#quick-add-preview", Static)
        self.draft = None
        if not text.strip():
            quadrant = self.default_quadrant
            shown.update(f"→ {int(quadrant)} {_(quadrant.label)} ({self.default_label})")
            shown.set_class(False, "error")
            return
        try:
            self.draft = parse_quick_add(
                text, self.default_quadrant, self.now, week_start=self.week_start
            )
        except InvalidTask as exc:
            shown.update(f"✗ {exc}")
            shown.set_class(True, "error")
            return
        shown.update(
            preview(
                self.draft,
                self.now,
                default_label=self.default_label,
                horizon=self.horizon,
            )
        )
        shown.set_class(False, "error")

    @on(Input.Submitted, "#quick-add-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.draft is None:
            self.app.bell()
            return
        if self.draft.deadline and self.draft.deadline.in_past and not self._confirm_past:
            self._confirm_past = True
            shown = self.query_one("#quick-add-preview", Static)
            shown.update(_("That deadline is in the past. Press enter again to save anyway."))
            shown.set_class(True, "error")
            return
        self.dismiss(self.draft)


class DeadlineScreen(_Dialog):
    """Deadline box: live preview of the parsed date, inline error, past dates need two enters."""

    # priority: the focused Input binds ctrl+d to "delete right" and would swallow it.
    BINDINGS = [Binding("ctrl+d", "clear", _("Clear deadline"), id="deadline-clear", priority=True)]

    @dataclass
    class Result:
        due: str | None

    def __init__(self, task: Task, now: datetime, *, week_start: int = 0) -> None:
        super().__init__()
        self.task_title = task.title
        self.current = task.due
        self.now = now
        self.week_start = week_start
        self.deadline: Deadline | None = None
        self._confirm_past = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="deadline"):
            yield Label(_("Deadline"), classes="dialog-title")
            yield Label(self.task_title, classes="dialog-subject", markup=False)
            yield Input(
                placeholder=_("tomorrow, fri 17:00, +3d, 2026-12-01, 25 dec..."),
                id="deadline-input",
            )
            yield Static("", id="deadline-preview", classes="preview", markup=False)
            yield Label(_("enter: save   ctrl+d: clear   escape: cancel"), classes="dialog-hint")

    def on_mount(self) -> None:
        shown = self.query_one("#deadline-preview", Static)
        if self.current:
            shown.update(_("Now: ") + describe_due(self.current, self.now))
        else:
            shown.update(_("No deadline yet."))

    @on(Input.Changed, "#deadline-input")
    def _changed(self, event: Input.Changed) -> None:
        self._confirm_past = False
        shown = self.query_one("#deadline-preview", Static)
        self.deadline = None
        text = event.value.strip()
        if not text:
            self.on_mount()
            shown.set_class(False, "error")
            return
        try:
            self.deadline = parse_deadline(text, self.now, week_start=self.week_start)
        except DeadlineError as exc:
            shown.update(f"✗ {exc}")
            shown.set_class(True, "error")
            return
        message = describe_due(self.deadline.due, self.now)
        if self.deadline.in_past:
            message += "  ⚠ " + _("in the past")
        shown.update(message)
        shown.set_class(self.deadline.in_past, "warning")
        shown.set_class(False, "error")

    @on(Input.Submitted, "#deadline-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.deadline is None:
            self.app.bell()
            return
        if self.deadline.in_past and not self._confirm_past:
            self._confirm_past = True
            shown = self.query_one("#deadline-preview", Static)
            shown.update(_("That deadline is in the past. Press enter again to save anyway."))
            shown.set_class(True, "error")
            return
        self.dismiss(self.Result(self.deadline.due))

    def action_clear(self) -> None:
        self.dismiss(self.Result(None))


class EditTaskScreen(_Dialog):
    """Title, tags, delegate and notes of one task."""

    BINDINGS = [Binding("ctrl+s", "save", _("Save"), id="edit-save")]

    @dataclass
    class Result:
        title: str
        notes: str
        tags: list[str]
        delegate: str | None

    def __init__(self, task: Task) -> None:
        super().__init__()
        self.edited = task

    def compose(self) -> ComposeResult:
        task = self.edited
        with Vertical(classes="dialog", id="edit"):
            yield Label(_("Edit task"), classes="dialog-title")
            yield Label(_("Title"), classes="field-label")
            yield Input(task.title, id="edit-title", max_length=2000)
            yield Label(_("Tags (space separated)"), classes="field-label")
            yield Input(" ".join(task.tags), id="edit-tags")
            yield Label(_("Delegated to"), classes="field-label")
            yield Input(task.delegate or "", id="edit-delegate")
            yield Label(_("Notes"), classes="field-label")
            yield TextArea(task.notes, id="edit-notes", soft_wrap=True)
            yield Static("", id="edit-error", classes="preview error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button(_("Save"), variant="primary", id="edit-save-button")
                yield Button(_("Cancel"), id="edit-cancel-button")
            yield Label(
                _("ctrl+s or enter in a field: save   escape: cancel"), classes="dialog-hint"
            )

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    @on(Button.Pressed, "#edit-save-button")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#edit-cancel-button")
    def _cancel_pressed(self) -> None:
        self.dismiss(None)

    def action_save(self) -> None:
        error = self.query_one("#edit-error", Static)
        try:
            title = clean_title(self.query_one("#edit-title", Input).value)
        except InvalidTask as exc:
            error.update(f"✗ {exc}")
            return
        tags: list[str] = []
        for word in self.query_one("#edit-tags", Input).value.split():
            tag = clean_tag(word)
            if tag and tag not in tags:
                tags.append(tag)
        # Cleaned like every other way in: no escape sequences or controls reach the file.
        delegate = clean_delegate(self.query_one("#edit-delegate", Input).value)
        notes = sanitize_notes(self.query_one("#edit-notes", TextArea).text)
        self.dismiss(self.Result(title, notes, tags, delegate))


class MoveScreen(_Dialog):
    """``m`` then 1-4: a small picker so the second key is visible, not a hidden mode."""

    BINDINGS = [
        Binding("1", "pick(1)", show=False),
        Binding("2", "pick(2)", show=False),
        Binding("3", "pick(3)", show=False),
        Binding("4", "pick(4)", show=False),
    ]

    def __init__(self, current: Quadrant) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="move"):
            yield Label(_("Move to which quadrant?"), classes="dialog-title")
            for quadrant in Quadrant:
                here = "  ←" if quadrant == self.current else ""
                yield Label(f"{int(quadrant)}  {_(quadrant.label)}{here}", markup=False)
            yield Label(_("1-4: move   escape: cancel"), classes="dialog-hint")

    def action_pick(self, number: int) -> None:
        self.dismiss(Quadrant(number))


class ConfirmScreen(_Dialog):
    BINDINGS = [
        Binding("y,enter", "yes", _("Yes"), id="confirm-yes"),
        Binding("n", "cancel", _("No"), id="confirm-no"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="confirm"):
            yield Label(self.question, markup=False)
            yield Label(_("y: yes   n / escape: no"), classes="dialog-hint")

    def action_yes(self) -> None:
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)
