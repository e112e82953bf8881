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


# --- 80x24, the size many terminals open at ----------------------------------------------------


def test_edit_dialog_80x24(snap_compare, db):
    assert snap_compare(make_app(db, None), terminal_size=(80, 24), press=["e"])


def test_detail_view_80x24(snap_compare, db):
    assert snap_compare(make_app(db, None), terminal_size=(80, 24), press=["3", "j", "i"])


def test_filter_view_80x24(snap_compare, db):
    run_before = typing("slash", *"#work", "enter")
    assert snap_compare(make_app(db, None), terminal_size=(80, 24), run_before=run_before)


def test_marked_rows_80x24(snap_compare, db):
    assert snap_compare(make_app(db, None), terminal_size=(80, 24), press=["2", "v", "v"])


def test_review_step_80x24(snap_compare, db):
    """The weekly review's first step on the demo: overdue and escalated tasks."""
    assert snap_compare(make_app(db, None), terminal_size=(80, 24), press=["R"])


def test_review_summary_80x24(snap_compare, db):
    """The review's last screen: done this week by quadrant, the share from Schedule, 12 weeks."""
    press = ["R", "n", "n", "n", "n", "n"]
    assert snap_compare(make_app(db, None), terminal_size=(80, 24), press=press)


FRENCH_SHOT = r"""
import sys
from eisenhower_tui.i18n import set_language

set_language("fr")  # before the UI modules: bindings are translated at import
sys.path.insert(0, sys.argv[2])
from pathlib import Path  # noqa: E402

from textual._doc import take_svg_screenshot  # noqa: E402
from tui_helpers import make_app  # noqa: E402

app = make_app(Path(sys.argv[1]), None)
sys.stdout.write(take_svg_screenshot(app=app, terminal_size=(80, 24)))
"""


def test_matrix_in_french_80x24(snapshot, db):
    """Bindings are translated when the modules load, so the French app runs in its own process."""
    import subprocess
    import sys
    from pathlib import Path

    from pytest_textual_snapshot import SVGImageExtension

    tests = Path(__file__).parent
    result = subprocess.run(
        [sys.executable, "-c", FRENCH_SHOT, str(db), str(tests)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Quitter" in result.stdout
    assert snapshot.use_extension(SVGImageExtension) == result.stdout
