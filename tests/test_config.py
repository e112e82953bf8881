"""config.toml: every setting, bad values that warn and fall back, and keys remapped by id."""

from __future__ import annotations

from pathlib import Path

from eisenhower_tui.config import load_config
from eisenhower_tui.model import Quadrant
from eisenhower_tui.screens.dialogs import ConfirmScreen, QuickAddScreen
from eisenhower_tui.screens.help import HelpScreen
from tests.conftest import run_cli
from tests.tui_helpers import THEME, make_app, settle, stored, task, titles


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text)
    return path


def test_every_setting_is_read(tmp_path: Path) -> None:
    config = load_config(
        _write(
            tmp_path,
            'theme = "nord"\nescalation_hours = "off"\nlanguage = "fr"\n'
            'week_start = "sunday"\nconfirm_delete = true\n[keys]\nadd = "n"\n',
        )
    )
    assert config.warnings == []
    assert (config.theme, config.escalation_hours, config.language) == ("nord", None, "fr")
    assert config.week_start == 6 and config.confirm_delete is True
    assert config.keys == {"add": "n"}


def test_bad_values_warn_by_name_and_fall_back_to_defaults(tmp_path: Path) -> None:
    config = load_config(
        _write(
            tmp_path,
            'escalation_hours = "lots"\nlanguage = "tlh"\nweek_start = "someday"\n'
            'confirm_delete = "yes"\ncolour = "red"\n[keys]\nadd = 3\n',
        )
    )
    text = "\n".join(config.warnings)
    for name in ("escalation_hours", "language", "week_start", "confirm_delete", "colour", "add"):
        assert name in text, name
    assert config.escalation_hours == 48.0 and config.week_start == 0
    assert config.confirm_delete is False and config.keys == {}


def test_a_config_that_is_not_toml_warns_and_uses_defaults(tmp_path: Path) -> None:
    config = load_config(_write(tmp_path, "theme = \n[[["))
    assert len(config.warnings) == 1 and "not valid TOML" in config.warnings[0]
    assert config.theme == "textual-dark"


def test_config_command_prints_the_path_and_effective_values(tmp_path: Path, db: Path) -> None:
    path = _write(tmp_path, 'escalation_hours = 24\nweek_start = "sunday"\n')
    result = run_cli("config", db=db, env={"EISENHOWER_CONFIG": str(path)})
    assert result.returncode == 0, result.stderr
    assert str(path) in result.stdout and str(db) in result.stdout
    assert "escalation_hours = 24.0" in result.stdout
    assert "week_start = 'sunday'" in result.stdout


def test_week_start_moves_end_of_week_for_add(tmp_path: Path, db: Path) -> None:
    path = _write(tmp_path, 'week_start = "sunday"\n')  # the week then ends on Saturday
    result = run_cli("add", "Report due:eow", db=db, env={"EISENHOWER_CONFIG": str(path)})
    assert result.returncode == 0, result.stderr
    [saved] = stored(db).values()
    from datetime import date

    assert date.fromisoformat(saved.due).weekday() == 5


async def test_a_remapped_key_works_and_shows_in_help_and_footer(tmp_path: Path, db: Path) -> None:
    config = load_config(_write(tmp_path, f'theme = "{THEME}"\n[keys]\nadd = "n"\n'))
    app = make_app(db, [task("Existing", Quadrant.DO)], config=config)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("a")  # no longer bound
        await pilot.pause()
        assert not isinstance(app.screen, QuickAddScreen)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, QuickAddScreen)
        await pilot.press("escape", "question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        rows = dict((what, keys) for keys, what in app.screen.rows)
        assert rows["Add"] == "n"
        await pilot.press("escape")
        await pilot.pause()
        bar = app.screen.query_one("KeyBar")
        assert ("n", "n", "Add") in bar.items


async def test_confirm_delete_asks_first(tmp_path: Path, db: Path) -> None:
    config = load_config(_write(tmp_path, f'theme = "{THEME}"\nconfirm_delete = true\n'))
    app = make_app(db, [task("Precious", Quadrant.DO)], config=config)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("delete")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await settle(pilot)
        assert titles(app, Quadrant.DO) == ["Precious"] and "Precious" in stored(db)
        await pilot.press("delete")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert titles(app, Quadrant.DO) == [] and stored(db) == {}


async def test_the_chosen_theme_is_remembered_for_the_next_start(tmp_path: Path, db: Path) -> None:
    from eisenhower_tui.app import EisenhowerApp
    from eisenhower_tui.store import Store
    from tests.tui_helpers import NOW

    def app() -> EisenhowerApp:
        config = load_config(_write(tmp_path, f'theme = "{THEME}"\n'))
        return EisenhowerApp(Store(db), config=config, clock=lambda: NOW, poll_interval=None)

    first = app()
    async with first.run_test(size=(100, 30)) as pilot:
        assert first.theme == THEME
        first.theme = "nord"  # what picking a theme in the command palette does
        await pilot.pause()
    second = app()
    async with second.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert second.theme == "nord"
