"""The matrix's keys that change tasks: add, edit, deadline, move, done, delete, tag, reorder,
marks and bulk actions, undo and redo. Each asks the domain for an edit and commits it as one
undoable step; no rule lives here. Mixed into :class:`~eisenhower_tui.screens.matrix.MatrixScreen`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ..domain import changes as ops
from ..domain.changes import Change, Edit
from ..domain.history import Direction, History, Step
from ..domain.review import limit_warning
from ..i18n import _, ngettext
from ..model import InvalidTask, Quadrant, Task, display_safe, iso_now, sanitize_line

if TYPE_CHECKING:
    from ..config import Config
    from ..domain.board import Board
    from ..widgets.task_list import TaskList
    from .dialogs import DeadlineScreen, EditTaskScreen


class TaskActions:
    """Key actions that change tasks (the dialogs are imported where they open: their widgets
    cost about 15 ms of every start and most sessions open few of them)."""

    if TYPE_CHECKING:  # provided by MatrixScreen, FileLink and PracticeActions
        board: Board
        history: History
        config: Config
        clock: Callable[[], datetime]
        horizon: Any
        lists: dict[Quadrant, TaskList]
        marked: set[str]
        zoomed: bool
        _acting_on: Task | None
        app: Any

        @property
        def focused_quadrant(self) -> Quadrant: ...
        @property
        def current_task(self) -> Task | None: ...
        def commit(
            self,
            step: Step | None,
            changes: list[Change],
            *,
            follow: str | None = None,
            direction: Direction | None = None,
        ) -> None: ...
        def commit_edits(
            self, edits: Sequence[Edit | None], label: str, follow: str | None = None
        ) -> None: ...
        def notify(self, message: str, **kwargs: Any) -> None: ...
        def _update_status(self) -> None: ...
        def _neighbour(self, quadrant: Quadrant, direction: str) -> Quadrant | None: ...
        def _zoom_to(self, quadrant: Quadrant) -> None: ...
        def next_instance_notice(self, following: Sequence[Task]) -> str: ...

    def action_add(self) -> None:
        quadrant = self.focused_quadrant

        def added(draft: Any) -> None:
            if draft is None:
                return
            now = self.clock()
            task = ops.add_task(
                title=draft.title,
                quadrant=draft.quadrant,
                explicit=draft.quadrant_from_tokens,
                now=now,
                horizon=self.horizon,
                due=draft.deadline.due if draft.deadline else None,
                tags=draft.tags,
                delegate=draft.delegate,
                cause="add",
                recur=draft.every,
                wait=draft.wait.due if draft.wait else None,
                follow_up=draft.follow.due if draft.follow else None,
                follow_up_days=self.config.follow_up_days,
            )
            self.commit_edits([ops.created(task)], _("add"), follow=task.id)
            message = _("Added to {quadrant}").format(quadrant=_(task.quadrant.label))
            if task.escalated:
                message += " " + _("(the deadline is close, so it is urgent)")
            if self.board.waits(task) and not self.board.show_waiting:
                message += " " + _("(waiting until later; W shows waiting tasks)")
            elif not self.board.visible(task):
                message += " " + _("(hidden by the filter; escape clears it)")
            warning = self.limit_notice(task.quadrant)
            self.notify(message, timeout=3, markup=False)
            if warning:
                self.notify(warning, severity="warning", timeout=5, markup=False)

        from .dialogs import QuickAddScreen

        self.app.push_screen(
            QuickAddScreen(
                quadrant,
                self.clock(),
                week_start=self.config.week_start,
                default_label=_("this pane"),
                horizon=self.horizon,
            ),
            added,
        )

    def _need_task(self) -> Task | None:
        task = self.current_task
        if task is None:
            self.notify(_("No task selected"), severity="warning", timeout=2)
        return task

    def _live(self, task: Task) -> Task:
        """The task as the board holds it now (a dialog shows a cleaned copy)."""
        return self.board.tasks.get(task.id, task)

    def action_edit(self) -> None:
        task = self._need_task()
        if task is None:
            return

        def edited(result: EditTaskScreen.Result | None) -> None:
            if result is None:
                return
            try:
                # The whole form is one edit, so one undo restores every field it changed.
                edit = ops.revise(
                    self._live(task),
                    now=self.clock(),
                    horizon=self.horizon,
                    due=result.due,
                    quadrant=result.quadrant,
                    title=result.title,
                    notes=result.notes,
                    tags=result.tags,
                    delegate=result.delegate,
                )
            except InvalidTask as exc:
                self.notify(sanitize_line(str(exc)), severity="error", markup=False)
                return
            self.commit_edits([edit], _("edit"), follow=task.id)

        from .dialogs import EditTaskScreen

        self.app.push_screen(
            EditTaskScreen(task, self.clock(), week_start=self.config.week_start), edited
        )

    def action_details(self) -> None:
        task = self._need_task()
        if task is None:
            return

        def closed(result: str | None) -> None:
            if result == "edit":
                self.action_edit()

        from .dialogs import DetailScreen

        self.app.push_screen(DetailScreen(task, self.clock()), closed)

    def action_deadline(self) -> None:
        task = self._need_task()
        if task is None:
            return

        def chosen(result: DeadlineScreen.Result | None) -> None:
            if result is not None:
                edit = ops.set_due(self._live(task), result.due, self.clock(), self.horizon)
                self.commit_edits([edit], _("deadline"), follow=task.id)

        from .dialogs import DeadlineScreen

        self.app.push_screen(
            DeadlineScreen(task, self.clock(), week_start=self.config.week_start),
            chosen,
        )

    # --- marks: v marks tasks; x, m, delete, D and t then act on all of them as one step ----

    def _targets(self) -> list[Task]:
        """The marked tasks (as the board holds them), or the task under the cursor."""
        if self.marked and self._acting_on is None:
            return [self.board.tasks[i] for i in list(self.marked) if i in self.board.tasks]
        task = self._need_task()
        return [self._live(task)] if task is not None else []

    def _bulk(self, edits: list[Edit | None], label: str, follow: str | None = None) -> int:
        """Commit the edits of a key as one undoable step; marks are used up. Returns a count."""
        real = [e for e in edits if e is not None]
        if self._acting_on is None:  # the review acts on its own task: the marks stay
            self.clear_marks()
        self.commit_edits(real, label, follow=follow)
        return len(real)

    def clear_marks(self) -> None:
        if self.marked:
            self.marked.clear()
            for task_list in self.lists.values():
                task_list.refresh()
            self._update_status()

    def action_toggle_mark(self) -> None:
        task_list = self.lists[self.focused_quadrant]
        task = task_list.highlighted
        if task is None:
            return
        if task.id in self.marked:
            self.marked.discard(task.id)
        else:
            self.marked.add(task.id)
        task_list.refresh()
        # The next row is the next one a user triaging a list wants to look at.
        if task_list.cursor < len(task_list.tasks) - 1:
            task_list.cursor += 1
        self._update_status()

    def action_clear_deadline(self) -> None:
        targets = [t for t in self._targets() if t.due]
        if not targets:
            return
        now = self.clock()
        follow = targets[0].id if len(targets) == 1 else None
        edits = [ops.set_due(t, None, now, self.horizon) for t in targets]
        self._bulk(list(edits), _("clear deadline"), follow=follow)

    def move_task(self, task: Task, quadrant: Quadrant, *, follow: bool = True) -> None:
        edit = ops.move(self._live(task), quadrant, self.clock(), self.horizon, cause="key")
        self.commit_edits([edit], _("move"), follow=task.id if follow else None)
        if edit is not None:
            self.warn_limit(quadrant)

    def limit_notice(self, quadrant: Quadrant) -> str | None:
        """What to say when ``quadrant`` now holds more open tasks than its limit (soft)."""
        limit = self.config.limits.get(quadrant)
        return limit_warning(quadrant, self.board.open_counts[quadrant], limit)

    def warn_limit(self, quadrant: Quadrant) -> None:
        warning = self.limit_notice(quadrant)
        if warning:
            self.notify(warning, severity="warning", timeout=5, markup=False)

    def action_move_prompt(self) -> None:
        targets = self._targets()
        if not targets:
            return
        marked = bool(self.marked)
        current = None if marked else targets[0].quadrant
        heading = (
            ngettext(
                "Move {n} task to which quadrant?",
                "Move {n} tasks to which quadrant?",
                len(targets),
            ).format(n=len(targets))
            if marked
            else None
        )

        def picked(quadrant: Quadrant | None) -> None:
            if quadrant is None:
                return
            # The cursor stays in the pane being triaged, on the next task.
            now = self.clock()
            moved = self._bulk(
                [ops.move(self._live(t), quadrant, now, self.horizon, "key") for t in targets],
                _("move"),
            )
            if moved:
                message = ngettext(
                    "Moved {n} task to {quadrant} · u to undo",
                    "Moved {n} tasks to {quadrant} · u to undo",
                    moved,
                ).format(n=moved, quadrant=_(quadrant.label))
                self.notify(message, timeout=3, markup=False)
                self.warn_limit(quadrant)

        from .dialogs import MoveScreen

        self.app.push_screen(MoveScreen(current, heading), picked)

    def action_add_tag(self) -> None:
        targets = self._targets()
        if not targets:
            return
        heading = ngettext("Add a tag to {n} task", "Add a tag to {n} tasks", len(targets)).format(
            n=len(targets)
        )

        def chosen(tag: str | None) -> None:
            if not tag:
                return
            follow = targets[0].id if len(targets) == 1 else None
            edits = [ops.add_tag(self._live(t), tag) for t in targets]
            tagged = self._bulk(list(edits), _("tag"), follow=follow)
            message = ngettext(
                "Tagged {n} task · u to undo", "Tagged {n} tasks · u to undo", tagged
            ).format(n=tagged)
            self.notify(message, timeout=3, markup=False)

        from .dialogs import TagScreen

        self.app.push_screen(TagScreen(heading), chosen)

    def action_reorder(self, offset: int) -> None:
        task = self._need_task()
        if task is None:
            return
        rows = self.board.rows[task.quadrant]
        edits = ops.reorder(rows, task.id, offset)
        if not edits:
            if task.due:
                message = _("Tasks with a deadline sort by their deadline.")
                self.notify(message, severity="warning", timeout=3)
            else:
                self.app.bell()
            return
        self.commit_edits(list(edits), _("reorder"), follow=task.id)

    def action_move_dir(self, direction: str) -> None:
        task = self._need_task()
        if task is None:
            return
        target = self._neighbour(task.quadrant, direction)
        if target is None:
            self.app.bell()
            return
        if self.zoomed:
            self._zoom_to(target)
        self.move_task(task, target)  # shift-moves follow the task: it is the one being placed

    def action_toggle_done(self) -> None:
        targets = self._targets()
        if not targets:
            return
        # Marked tasks all become done, unless they all are already: then all open again.
        done = any(t.done is None for t in targets)
        now = self.clock()
        follow = targets[0].id if len(targets) == 1 else None
        lookup = self.board.lookup
        edits = [ops.set_done(t, done, now, lookup=lookup) for t in targets]
        real = [e for e in edits if e is not None]
        # A recurring task's next instance is made in the same step: one u takes both back.
        count = self._bulk([part for e in real for part in e.step], _("done"), follow)
        if not count:
            return
        count = len(real)
        if done:
            message = ngettext("Done · u to undo", "{n} done · u to undo", count)
        else:
            message = ngettext("Not done · u to undo", "{n} not done · u to undo", count)
        message = message.format(n=count)
        following = [e.then[0].insert for e in real if e.then and e.then[0].insert is not None]
        if following:
            message += "\n" + self.next_instance_notice(following)
        self.notify(message, timeout=3, markup=False)

    def action_delete(self) -> None:
        targets = self._targets()
        if not targets:
            return

        def confirmed(yes: bool | None) -> None:
            if not yes:
                return
            now = self.clock()
            count = self._bulk([ops.delete(self._live(t), now) for t in targets], _("delete"))
            message = ngettext(
                "Deleted. Press u to undo.", "Deleted {n} tasks. Press u to undo.", count
            )
            self.notify(message.format(n=count), timeout=3)

        if self.config.confirm_delete:
            if len(targets) == 1:
                question = _("Delete this task?") + "\n" + display_safe(targets[0]).title
            else:
                question = _("Delete {n} tasks?").format(n=len(targets))
            from .dialogs import ConfirmScreen

            self.app.push_screen(ConfirmScreen(question), confirmed)
        else:
            confirmed(True)

    def action_undo(self) -> None:
        self._walk("undo")

    def action_redo(self) -> None:
        self._walk("redo")

    def _walk(self, direction: Direction) -> None:
        step = self.history.peek(direction)
        if step is None:
            self.notify(
                _("Nothing to undo") if direction == "undo" else _("Nothing to redo"), timeout=2
            )
            return
        clashes = self.history.conflicts(step, direction, self.board.lookup)
        if clashes:
            task = self.board.lookup(clashes[0])
            title = display_safe(task).title if task else clashes[0][:8]
            message = _("'{title}' was changed elsewhere since; left as it is").format(title=title)
            self.notify(message, severity="warning", timeout=5, markup=False)
            return
        taken = self.history.take(direction, iso_now(self.clock()))
        assert taken is not None
        step, changes = taken
        self.commit(step, changes, follow=step.task_id, direction=direction)
        verb = _("Undone: {what}") if direction == "undo" else _("Redone: {what}")
        self.notify(verb.format(what=step.label), timeout=2, markup=False)
