"""Modal boxes of the matrix: quick add, deadline, edit, move, confirm, tag, task details.

Each returns its result with ``dismiss`` and never touches the store: the matrix screen decides
what to save. Escape always cancels. Every label that may hold user text has markup off.

Layout (80x24 and 60x16 are first-class): a dialog is at most the screen's height; its body is a
``VerticalScroll`` and its footer (buttons, key hint) is docked at the bottom, so the buttons and
the hint stay on screen and the fields scroll when the terminal is short.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static, TextArea

from ..dates import Deadline, DeadlineError, describe_due, parse_deadline
from ..domain.details import task_details
from ..i18n import _
from ..model import (
    InvalidTask,
    Quadrant,
    Task,
    clean_delegate,
    clean_tags,
    clean_title,
    parse_stamp,
    sanitize_line,
    sanitize_notes,
)
from ..quickadd import Draft, parse_quick_add, preview
from ..widgets.key_bar import KeyBar


def due_as_text(due: str | None, now: datetime) -> str:
    """A stored deadline as the deadline parser reads it back: `2026-12-01`, `2026-12-01T17:00`."""
    if not due:
        return ""
    if len(due) == 10:
        return due
    moment = parse_stamp(due)
    if moment is None:
        return sanitize_line(due)
    return moment.astimezone(now.tzinfo).strftime("%Y-%m-%dT%H:%M")


class DialogBody(VerticalScroll, can_focus=False):
    """A dialog's fields: scrolls when the screen is short, never takes focus from a field
    (a focused field is scrolled into view)."""


class _Dialog(ModalScreen):
    BINDINGS = [Binding("escape", "cancel", _("Cancel"), id="dialog-cancel")]

    @on(events.Mount)
    def _add_key_bar(self) -> None:
        # The footer of a dialog shows the dialog's own keys, not the matrix's behind it.
        self.mount(KeyBar(id="dialog-keys"))

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
            with DialogBody(classes="dialog-body"):
                yield Input(
                    placeholder=_("Title  !1-!4  !u !i  #tag  @who  due:fri"),
                    id="quick-add-input",
                    max_length=2000,
                )
                yield Static("", id="quick-add-preview", classes="preview", markup=False)
            with Vertical(classes="dialog-footer"):
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
        self.current_text = due_as_text(task.due, now)
        self.keep_current = bool(task.due)  # the box opens with the current deadline
        self.now = now
        self.week_start = week_start
        self.deadline: Deadline | None = None
        self._confirm_past = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="deadline"):
            yield Label(_("Deadline"), classes="dialog-title")
            with DialogBody(classes="dialog-body"):
                yield Label(self.task_title, classes="dialog-subject", markup=False)
                yield Input(
                    self.current_text,
                    placeholder=_("tomorrow, fri 17:00, +3d, 2026-12-01, 25 dec..."),
                    id="deadline-input",
                )
                yield Static("", id="deadline-preview", classes="preview", markup=False)
            with Vertical(classes="dialog-footer"):
                yield Label(
                    _("enter: save   ctrl+d: clear   escape: cancel"), classes="dialog-hint"
                )

    def on_mount(self) -> None:
        self._show_current()

    def _show_current(self) -> None:
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
        self.keep_current = bool(self.current) and text == self.current_text
        if not text or self.keep_current:
            # Empty, or the current deadline as it was filled in: enter keeps it as stored.
            self._show_current()
            shown.set_class(False, "error")
            shown.set_class(False, "warning")
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
        if self.keep_current:
            self.dismiss(self.Result(self.current))
            return
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
    """Every field of one task: title, tags, delegate, deadline, quadrant and notes.

    The matrix saves the whole form as one undoable step (``domain.changes.revise``).
    """

    BINDINGS = [Binding("ctrl+s", "save", _("Save"), id="edit-save")]

    @dataclass
    class Result:
        title: str
        notes: str
        tags: list[str]
        delegate: str | None
        due: str | None
        quadrant: Quadrant

    def __init__(self, task: Task, now: datetime, *, week_start: int = 0) -> None:
        super().__init__()
        self.edited = task
        self.now = now
        self.week_start = week_start
        self.due_text = due_as_text(task.due, now)
        self.due: str | None = task.due
        self._due_error = False
        self._due_in_past = False  # a newly typed deadline in the past needs a second save
        self._confirm_past = False

    def compose(self) -> ComposeResult:
        task = self.edited
        with Vertical(classes="dialog", id="edit"):
            yield Label(_("Edit task"), classes="dialog-title")
            with DialogBody(classes="dialog-body"):
                with Horizontal(classes="field"):
                    yield Label(_("Title"), classes="field-label")
                    yield Input(task.title, id="edit-title", max_length=2000, compact=True)
                with Horizontal(classes="field"):
                    yield Label(_("Tags"), classes="field-label")
                    tags = " ".join(task.tags)
                    yield Input(
                        tags, id="edit-tags", compact=True, placeholder=_("space separated")
                    )
                with Horizontal(classes="field"):
                    yield Label(_("Delegated to"), classes="field-label")
                    yield Input(task.delegate or "", id="edit-delegate", compact=True)
                with Horizontal(classes="field"):
                    yield Label(_("Deadline"), classes="field-label")
                    yield Input(
                        self.due_text,
                        id="edit-due",
                        compact=True,
                        placeholder=_("none; tomorrow, fri 17:00, +3d..."),
                    )
                yield Static("", id="edit-due-preview", classes="preview", markup=False)
                with Horizontal(classes="field"):
                    yield Label(_("Quadrant"), classes="field-label")
                    yield Select(
                        [(f"{int(q)} {_(q.label)}", q) for q in Quadrant],
                        value=task.quadrant,
                        allow_blank=False,
                        compact=True,
                        id="edit-quadrant",
                    )
                yield Label(_("Notes"), classes="field-label notes-label")
                yield TextArea(task.notes, id="edit-notes", soft_wrap=True, compact=True)
            with Vertical(classes="dialog-footer"):
                yield Static("", id="edit-error", classes="preview error", markup=False)
                with Horizontal(classes="buttons"):
                    yield Button(_("Save"), variant="primary", id="edit-save-button", compact=True)
                    yield Button(_("Cancel"), id="edit-cancel-button", compact=True)
                yield Label(
                    _("ctrl+s or enter in a field: save   escape: cancel"), classes="dialog-hint"
                )

    def on_mount(self) -> None:
        self._show_due(self.due_text)

    def _show_due(self, text: str) -> None:
        shown = self.query_one("#edit-due-preview", Static)
        self._due_error = self._due_in_past = False
        shown.set_class(False, "error")
        shown.set_class(False, "warning")
        if text.strip() == self.due_text.strip():
            self.due = self.edited.due  # unchanged: kept exactly as stored
            shown.update(describe_due(self.due, self.now) if self.due else _("No deadline."))
            return
        if not text.strip():
            self.due = None
            shown.update(_("No deadline."))
            return
        try:
            deadline = parse_deadline(text, self.now, week_start=self.week_start)
        except DeadlineError as exc:
            self._due_error = True
            shown.update(f"✗ {exc}")
            shown.set_class(True, "error")
            return
        self.due = deadline.due
        self._due_in_past = deadline.in_past
        message = describe_due(deadline.due, self.now)
        if deadline.in_past:
            message += "  ⚠ " + _("in the past")
        shown.update(message)
        shown.set_class(deadline.in_past, "warning")

    @on(Input.Changed, "#edit-due")
    def _due_changed(self, event: Input.Changed) -> None:
        self._confirm_past = False
        self._show_due(event.value)

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
        if self._due_error:
            error.update("✗ " + _("The deadline is not a date; fix it or empty it."))
            self.query_one("#edit-due", Input).focus()
            return
        if self._due_in_past and not self._confirm_past:
            self._confirm_past = True
            error.update(_("That deadline is in the past. Save again to keep it."))
            return
        tags = clean_tags(self.query_one("#edit-tags", Input).value.split())
        # Cleaned like every other way in: no escape sequences or controls reach the file.
        delegate = clean_delegate(self.query_one("#edit-delegate", Input).value)
        notes = sanitize_notes(self.query_one("#edit-notes", TextArea).text)
        quadrant = self.query_one("#edit-quadrant", Select).value
        if not isinstance(quadrant, Quadrant):
            quadrant = self.edited.quadrant
        self.dismiss(self.Result(title, notes, tags, delegate, self.due, quadrant))


class MoveScreen(_Dialog):
    """``m`` then 1-4: a small picker so the second key is visible, not a hidden mode."""

    BINDINGS = [
        Binding("1", "pick(1)", show=False),
        Binding("2", "pick(2)", show=False),
        Binding("3", "pick(3)", show=False),
        Binding("4", "pick(4)", show=False),
    ]

    def __init__(self, current: Quadrant | None, heading: str | None = None) -> None:
        super().__init__()
        self.current = current
        self.heading = heading

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="move"):
            yield Label(self.heading or _("Move to which quadrant?"), classes="dialog-title")
            with DialogBody(classes="dialog-body"):
                for quadrant in Quadrant:
                    here = "  ←" if quadrant == self.current else ""
                    yield Label(f"{int(quadrant)}  {_(quadrant.label)}{here}", markup=False)
            with Vertical(classes="dialog-footer"):
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
            with DialogBody(classes="dialog-body"):
                yield Label(self.question, markup=False)
            with Vertical(classes="dialog-footer"):
                yield Label(_("y: yes   n / escape: no"), classes="dialog-hint")

    def action_yes(self) -> None:
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)


class TagScreen(_Dialog):
    """``t``: one tag to add to the task, or to every marked task."""

    def __init__(self, heading: str) -> None:
        super().__init__()
        self.heading = heading

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="tag"):
            yield Label(self.heading, classes="dialog-title", markup=False)
            with DialogBody(classes="dialog-body"):
                yield Input(placeholder=_("tag"), id="tag-input", max_length=100)
            with Vertical(classes="dialog-footer"):
                yield Label(_("enter: add   escape: cancel"), classes="dialog-hint")

    @on(Input.Submitted, "#tag-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        tags = clean_tags(event.value.split())
        if not tags:
            self.app.bell()
            return
        self.dismiss(tags[0])


class DetailScreen(_Dialog):
    """``i``: everything about one task, notes in full; ``e`` edits it from here."""

    BINDINGS = [
        Binding("escape,i,q", "cancel", _("Close"), id="detail-close"),
        Binding("e", "edit", _("Edit"), id="detail-edit"),
        Binding("j,down", "scroll('down')", _("Scroll down"), show=False, id="detail-down"),
        Binding("k,up", "scroll('up')", _("Scroll up"), show=False, id="detail-up"),
    ]

    def __init__(self, task: Task, now: datetime) -> None:
        super().__init__()
        self.shown_task = task
        self.now = now

    def compose(self) -> ComposeResult:
        task = self.shown_task
        with Vertical(classes="dialog", id="detail"):
            yield Label(_("Task"), classes="dialog-title")
            with DialogBody(classes="dialog-body", id="detail-body"):
                for label, text in task_details(task, self.now):
                    with Horizontal(classes="field"):
                        yield Label(label, classes="field-label", markup=False)
                        yield Static(text, classes="field-value", markup=False)
                yield Label(_("Notes"), classes="field-label notes-label")
                notes = sanitize_notes(task.notes) or _("none")
                yield Static(notes, id="detail-notes", classes="field-value", markup=False)
            with Vertical(classes="dialog-footer"):
                yield Label(_("e: edit   escape: close"), classes="dialog-hint")

    def action_edit(self) -> None:
        self.dismiss("edit")

    def action_scroll(self, direction: str) -> None:
        body = self.query_one("#detail-body", DialogBody)
        if direction == "down":
            body.scroll_down(animate=False)
        else:
            body.scroll_up(animate=False)


class LineScreen(_Dialog):
    """One optional line of text (an abandon reason, a check-in note): enter returns it, even
    empty; escape returns None."""

    def __init__(self, heading: str, placeholder: str, subject: str = "") -> None:
        super().__init__()
        self.heading = heading
        self.placeholder = placeholder
        self.subject = subject

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="line"):
            yield Label(self.heading, classes="dialog-title", markup=False)
            with DialogBody(classes="dialog-body"):
                if self.subject:
                    yield Label(self.subject, classes="dialog-subject", markup=False)
                yield Input(placeholder=self.placeholder, id="line-input", max_length=200)
            with Vertical(classes="dialog-footer"):
                yield Label(_("enter: save   escape: cancel"), classes="dialog-hint")

    @on(Input.Submitted, "#line-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(sanitize_line(event.value).strip())


class PeopleScreen(_Dialog):
    """``P``: what each person owes, grouped by delegate, with how long they have had it and
    whether the follow-up passed. Enter goes to the task in the matrix."""

    BINDINGS = [Binding("escape,q,P", "cancel", _("Close"), id="people-close")]

    def __init__(self, people: dict[str, list[Task]], now: datetime) -> None:
        super().__init__()
        self.people = people
        self.now = now

    def compose(self) -> ComposeResult:
        from textual.content import Content
        from textual.widgets import OptionList
        from textual.widgets.option_list import Option

        from ..domain.rows import row_notes

        options: list[Option] = []
        for who, tasks in self.people.items():
            heading = f"@{sanitize_line(who)} · {len(tasks)}"
            options.append(Option(Content.styled(heading, "bold"), disabled=True))
            for task in tasks:
                notes = row_notes(task, self.now)
                line = "  " + sanitize_line(task.title)
                if notes.delegate_wait:
                    line += "  · " + notes.delegate_wait
                if notes.follow_up_late:
                    line += " · " + _("follow-up passed")
                style = "$text-warning" if notes.follow_up_late else ""
                options.append(Option(Content.styled(line, style), id=task.id))
        with Vertical(classes="dialog", id="people"):
            yield Label(_("Who owes what"), classes="dialog-title")
            if options:
                yield OptionList(*options, id="people-list")
            else:
                yield Label(_("Nothing is delegated."), id="people-empty")
            with Vertical(classes="dialog-footer"):
                yield Label(_("enter: go to the task   escape: close"), classes="dialog-hint")

    def on_option_list_option_selected(self, event: Any) -> None:
        self.dismiss(event.option.id)
