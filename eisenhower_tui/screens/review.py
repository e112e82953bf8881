"""``R``: the weekly review, one step a screen, then the week's summary.

The steps and the figures come from ``domain.review``; every key acts through the matrix's own
actions (:meth:`~eisenhower_tui.screens.practice.PracticeActions.act_on`), so each change is the
same domain edit, the same undoable step and the same write as in the panes. The list follows the
board: the matrix publishes ``board_changed`` after every change it shows.

Leaving (escape) and pressing ``R`` again resumes at the same step and task: the position is kept
on the matrix screen, which lives as long as the app.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Label, Static

from ..domain.review import review, summary_lines, week_summary
from ..i18n import _
from ..model import Task
from ..widgets.key_bar import KeyBar
from ..widgets.task_list import TaskList

if TYPE_CHECKING:
    from .matrix import MatrixScreen

STEPS = 5  # then the summary, at index STEPS
SWEEP_STEP = 3  # Eliminate older than N days: s sweeps them all


def step_words(index: int, sweep_days: int) -> tuple[str, str]:
    """(title, what to do) of a step, read when shown so the language applies."""
    return [
        (
            _("Overdue and escalated"),
            _("Late, or made urgent by a close deadline: do it, give it a new date or let it go."),
        ),
        (
            _("Delegated, past the follow-up"),
            _("Ask how it goes (f logs a check-in), take it back (e) or let it go (A)."),
        ),
        (
            _("Schedule without a deadline"),
            _("Important but undated: give each one a day (d), or it may never get one."),
        ),
        (
            _("Eliminate older than {days} days").format(days=sweep_days),
            _("Still not done after weeks: s sweeps them all, A lets one go."),
        ),
        (
            _("Back from waiting"),
            _("Hidden until this week and showing again: still worth doing?"),
        ),
        (_("Summary"), _("What you did this week, and how much of it was planned.")),
    ][index]


class ReviewScreen(Screen[None]):
    # Acting keys share the matrix's ids, so a [keys] remap moves them here too. The footer
    # shows the way through (steps, leave, undo, the sweep on its step); the acting keys are
    # on the hint line under the list, which wraps in a long language instead of losing keys.
    BINDINGS = [
        Binding("n,tab", "step(1)", _("Steps"), key_display="n/p", id="review-next"),
        Binding("p,shift+tab", "step(-1)", _("Previous step"), show=False, id="review-back"),
        Binding("escape,q,R", "leave", _("Leave"), key_display="esc", id="review-leave"),
        Binding("u,ctrl+z", "undo", _("Undo"), id="undo"),
        Binding("s", "sweep", _("Sweep them all"), id="review-sweep"),
        Binding("x,space", "act('toggle_done')", _("Done"), show=False, id="done"),
        Binding("d", "act('deadline')", _("Due"), show=False, id="deadline"),
        Binding("m", "act('move_prompt')", _("Move"), show=False, id="move"),
        Binding("A", "act('abandon')", _("Abandon"), show=False, id="abandon"),
        Binding("f", "act('check_in')", _("Check in"), show=False, id="check-in"),
        Binding("e,enter", "act('edit')", _("Edit"), show=False, id="edit"),
        Binding("i", "act('details')", _("Details"), show=False, id="details"),
        Binding("ctrl+y", "redo", _("Redo"), show=False, id="redo"),
    ]

    def __init__(self, matrix: MatrixScreen) -> None:
        super().__init__()
        self.matrix = matrix
        self.step, self._keep = matrix.review_position

    def compose(self) -> ComposeResult:
        with Vertical(id="review"):
            yield Label("", id="review-title", markup=False)
            yield Static("", id="review-why", markup=False)
            yield TaskList(now=self.matrix.clock(), id="review-list")
            yield Static("", id="review-empty", markup=False)
            yield Static("", id="review-summary", markup=False)
            yield Static(
                _("x done   d deadline   m move   A abandon   f check in   e edit   i details"),
                id="review-hint",
                markup=False,
            )
        yield KeyBar(id="review-keys")

    def on_mount(self) -> None:
        self.matrix.board_changed.subscribe(self, self._board_changed)
        self.show_step(keep=self._keep)
        self.query_one("#review-list", TaskList).focus()

    @property
    def task_list(self) -> TaskList:
        return self.query_one("#review-list", TaskList)

    def step_tasks(self) -> list[Task]:
        """The tasks of the current step, as the domain finds them now."""
        now = self.matrix.clock()
        found = review(self.matrix.board.tasks.values(), now, self.matrix.config.sweep_days)
        return found.steps[self.step] if self.step < STEPS else []

    def show_step(self, keep: str | None = None) -> None:
        now = self.matrix.clock()
        sweep_days = self.matrix.config.sweep_days
        title, why = step_words(self.step, sweep_days)
        if self.step < STEPS:
            heading = _("Weekly review · step {n} of {total}: {title}").format(
                n=self.step + 1, total=STEPS, title=title
            )
        else:
            heading = _("Weekly review: {title}").format(title=title)
        self.query_one("#review-title", Label).update(heading)
        self.query_one("#review-why", Static).update(why)
        summary = self.query_one("#review-summary", Static)
        task_list = self.task_list
        empty = self.query_one("#review-empty", Static)
        if self.step >= STEPS:
            every = self.matrix.board.tasks.values()
            week = week_summary(every, now, self.matrix.config.week_start)
            summary.update("\n".join(summary_lines(week)))
            task_list.set_tasks([])
        else:
            tasks = self.step_tasks()
            task_list.now = now
            task_list.set_tasks(tasks, keep)
            empty.update(_("Nothing here this week. n: next step"))
        self.set_class(self.step >= STEPS, "-summary")
        self.set_class(self.step < STEPS and not task_list.tasks, "-empty")
        self.refresh_bindings()  # s shows only on its step; no acting key on the summary

    def _board_changed(self, _matrix: object) -> None:
        self.show_step()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "sweep":
            return self.step == SWEEP_STEP
        if action == "act":
            return self.step < STEPS
        return True

    def _remember(self) -> None:
        self.matrix.review_position = (self.step, self.task_list.highlighted_id)

    def action_step(self, offset: int) -> None:
        self.step = max(0, min(STEPS, self.step + offset))
        self.task_list.cursor = 0
        self.show_step()
        self._remember()

    def action_act(self, action: str) -> None:
        task = self.task_list.highlighted
        if task is None:
            self.app.bell()
            return
        self.matrix.act_on(task.id, action)

    def action_sweep(self) -> None:
        self.matrix.action_sweep()

    def action_undo(self) -> None:
        self.matrix.action_undo()

    def action_redo(self) -> None:
        self.matrix.action_redo()

    def action_leave(self) -> None:
        self._remember()
        self.dismiss(None)

    def on_task_list_chosen(self, event: TaskList.Chosen) -> None:
        event.stop()
        self.action_act("edit")

    def on_task_list_edge(self, event: TaskList.Edge) -> None:
        event.stop()  # one list: nowhere to go sideways
