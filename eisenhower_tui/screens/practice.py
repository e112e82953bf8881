"""The matrix's keys for the practice over weeks: abandon, check in, who owes what, waiting
tasks, the sweep and the weekly review. No rule lives here: each key asks the domain
(``domain.hidden``, ``domain.followup``, ``domain.review``) for edits and commits them as one
undoable step through the matrix's ``commit_edits``.

The weekly review (``R``) acts on the task under *its* cursor with the matrix's own actions:
:meth:`PracticeActions.act_on` points them at that task for the length of the call.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ..dates import describe_due
from ..domain.changes import Edit
from ..domain.followup import check_in, owed_by
from ..domain.hidden import abandon, sweep, sweep_candidates, unabandon
from ..i18n import _, ngettext
from ..model import Task, display_safe

if TYPE_CHECKING:
    from ..config import Config
    from ..domain.board import Board


class PracticeActions:
    """Mixed into :class:`~eisenhower_tui.screens.matrix.MatrixScreen`."""

    if TYPE_CHECKING:  # provided by MatrixScreen and FileLink
        board: Board
        config: Config
        clock: Callable[[], datetime]
        marked: set[str]
        _acting_on: Task | None
        review_position: tuple[int, str | None]
        app: Any

        def _targets(self) -> list[Task]: ...
        def _need_task(self) -> Task | None: ...
        def _live(self, task: Task) -> Task: ...
        def _bulk(self, edits: list[Edit | None], label: str, follow: str | None = None) -> int: ...
        def commit_edits(
            self, edits: Sequence[Edit | None], label: str, follow: str | None = None
        ) -> None: ...
        def refresh_panes(self) -> None: ...
        def go_to_task(self, task_id: str) -> None: ...
        def notify(self, message: str, **kwargs: Any) -> None: ...

    # --- the review's seam ---------------------------------------------------------------

    def act_on(self, task_id: str, action: str) -> None:
        """Run a matrix action (``toggle_done``, ``deadline``...) on ``task_id``, not on the
        cursor's task or the marks: the weekly review's keys."""
        task = self.board.tasks.get(task_id)
        if task is None:
            return
        self._acting_on = task
        try:
            getattr(self, f"action_{action}")()
        finally:
            self._acting_on = None

    def next_instance_notice(self, following: Sequence[Task]) -> str:
        """``Next: Fri 26 Feb``: where a recurring task went when it was done."""
        task = following[0]
        now = self.clock()
        when = (
            describe_due(task.due, now, mark_all_day=False).rpartition(" - ")[0] if task.due else ""
        )
        return _("Next: {when}").format(when=when or _("no deadline"))

    # --- hidden until later ----------------------------------------------------------------

    def action_toggle_waiting(self) -> None:
        self.board.show_waiting = not self.board.show_waiting
        self.refresh_panes()

    # --- abandon -------------------------------------------------------------------------------

    def action_abandon(self) -> None:
        """``A``: give up on the task (a reason is optional); on an abandoned task, bring it
        back. Marked tasks are abandoned together, one step."""
        from .dialogs import LineScreen

        targets = self._targets()
        if not targets:
            return
        if len(targets) == 1 and targets[0].abandoned is not None:
            task = targets[0]
            self._bulk([unabandon(task)], _("bring back"), follow=task.id)
            self.notify(_("Brought back · u to undo"), timeout=3, markup=False)
            return
        targets = [t for t in targets if t.abandoned is None]
        if len(targets) == 1:
            heading = _("Abandon this task?")
            subject = display_safe(targets[0]).title
        else:
            heading = _("Abandon {n} tasks?").format(n=len(targets))
            subject = ""

        def chosen(reason: str | None) -> None:
            if reason is None:
                return
            now = self.clock()
            edits = [abandon(self._live(t), now, reason) for t in targets]
            count = self._bulk(list(edits), _("abandon"))
            message = ngettext(
                "Abandoned {n} task · u to undo", "Abandoned {n} tasks · u to undo", count
            ).format(n=count)
            self.notify(message, timeout=3, markup=False)

        placeholder = _("why (optional): enter to abandon")
        self.app.push_screen(LineScreen(heading, placeholder, subject), chosen)

    def action_sweep(self) -> None:
        """Abandon every Eliminate task older than ``sweep_days``, after a confirm that says
        how many: one undoable step."""
        from .dialogs import ConfirmScreen

        now = self.clock()
        days = self.config.sweep_days
        found = sweep_candidates(self.board.tasks.values(), now, days)
        if not found:
            message = _("No Eliminate task is older than {days} days.").format(days=days)
            self.notify(message, timeout=3, markup=False)
            return
        question = ngettext(
            "Abandon {n} Eliminate task older than {days} days?",
            "Abandon {n} Eliminate tasks older than {days} days?",
            len(found),
        ).format(n=len(found), days=days)

        def confirmed(yes: bool | None) -> None:
            if not yes:
                return
            edits = sweep(self.board.tasks.values(), self.clock(), days)
            self.commit_edits(edits, _("sweep"))
            message = ngettext(
                "Swept {n} task · u to undo", "Swept {n} tasks · u to undo", len(edits)
            ).format(n=len(edits))
            self.notify(message, timeout=3, markup=False)

        self.app.push_screen(ConfirmScreen(question), confirmed)

    # --- delegated work ------------------------------------------------------------------------

    def action_check_in(self) -> None:
        """``f``: a dated check-in line in the notes (with optional text); the follow-up moves
        on by ``follow_up_days`` working days."""
        from .dialogs import LineScreen

        task = self._need_task()
        if task is None:
            return
        if not task.delegate or not task.is_open:
            self.notify(_("Only an open delegated task has a follow-up."), timeout=3)
            return
        heading = _("Check in with {who}").format(who=task.delegate)

        def chosen(text: str | None) -> None:
            if text is None:
                return
            live = self._live(task)
            edit = check_in(live, self.clock(), text, self.config.follow_up_days)
            self.commit_edits([edit], _("check-in"), follow=task.id)
            follow_up = edit.after["follow_up"]
            when = describe_due(follow_up, self.clock(), mark_all_day=False).rpartition(" - ")[0]
            message = _("Checked in; next follow-up {when} · u to undo").format(when=when)
            self.notify(message, timeout=3, markup=False)

        placeholder = _("what they said (optional): enter to log")
        self.app.push_screen(LineScreen(heading, placeholder, task.title), chosen)

    def action_people(self) -> None:
        """``P``: what each person owes, grouped by delegate; enter goes to the task."""
        from .dialogs import PeopleScreen

        people = owed_by(self.board.tasks.values())

        def chosen(task_id: str | None) -> None:
            if task_id:
                self.go_to_task(task_id)

        self.app.push_screen(PeopleScreen(people, self.clock()), chosen)

    # --- the weekly review -----------------------------------------------------------------

    def action_review(self) -> None:
        from .review import ReviewScreen

        self.app.push_screen(ReviewScreen(self))  # type: ignore[arg-type]

    def palette_commands(self) -> list[tuple[str, str, Callable[[], None]]]:
        """Palette-only commands (no key): (title, help, callback)."""
        return [
            (
                _("Sweep old Eliminate tasks"),
                _("Abandon Eliminate tasks older than {days} days").format(
                    days=self.config.sweep_days
                ),
                self.action_sweep,
            )
        ]
