"""SVG snapshots of the main screens, on the demo data at a fixed time with a fixed theme.

Regenerate after an intended change with ``pytest tests/test_snapshots.py --snapshot-update`` and
look at the SVGs in ``tests/__snapshots__/`` before committing them.
"""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Input
from tui_helpers import make_app

SIZE = (100, 30)


def typing(*keys: str):
    """A ``run_before`` that presses ``keys`` then stops every input cursor from blinking."""

    async def run_before(pilot: Pilot) -> None:
        await pilot.pause()
        await pilot.press(*keys)
        await pilot.pause()
        for box in pilot.app.screen.query(Input):
            box.cursor_blink = False  # hides the cursor: a blink must not change the picture

    return run_before


def test_matrix(snap_compare, db):
    assert snap_compare(make_app(db, None), terminal_size=SIZE)


def test_matrix_80x24(snap_compare, db):
    assert snap_compare(make_app(db, None), terminal_size=(80, 24))


def test_help(snap_compare, db):
    assert snap_compare(make_app(db, None), terminal_size=SIZE, press=["question_mark"])


def test_add_box_with_preview(snap_compare, db):
    run_before = typing("2", "a", *"Renew passport due:fri #admin !i")
    assert snap_compare(make_app(db, None), terminal_size=SIZE, run_before=run_before)


def test_deadline_box_with_error(snap_compare, db):
    run_before = typing("d", *"someday")
    assert snap_compare(make_app(db, None), terminal_size=SIZE, run_before=run_before)


def test_zoom(snap_compare, db):
    assert snap_compare(make_app(db, None), terminal_size=SIZE, press=["2", "z"])


def test_completed_shown(snap_compare, db):
    assert snap_compare(make_app(db, None), terminal_size=SIZE, press=["c"])
