"""config.toml: every setting, bad values that warn and fall back, and keys remapped by id."""

from __future__ import annotations

from pathlib import Path

import pytest

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
    assert 'week_start = "sunday"' in result.stdout


def _toml_of(stdout: str) -> dict[str, object]:
    """What a user gets by saving the output as config.toml: comments are comments."""
    import tomllib

    return tomllib.loads(
        "\n".join(line for line in stdout.splitlines() if not line.startswith("#"))
    )


def test_config_command_prints_valid_toml_that_loads_back_the_same(
    tmp_path: Path, db: Path
) -> None:
    path = _write(
        tmp_path,
        'theme = "my \\"dark\\" \\u001b[31m"\nescalation_hours = "off"\nlanguage = "fr"\n'
        '[keys]\nadd = "n"\nfilter = "/"\n',
    )
    result = run_cli("config", db=db, env={"EISENHOWER_CONFIG": str(path)})
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout
    data = _toml_of(result.stdout)
    assert data["theme"] == 'my "dark" \x1b[31m'
    assert data["escalation_hours"] == "off" and data["language"] == "fr"
    assert data["keys"] == {"add": "n", "filter": "slash"}
    again = _write(tmp_path, "\n".join(result.stdout.splitlines()) + "\n")
    config = load_config(again)
    assert config.warnings == [] and config.keys == {"add": "n", "filter": "slash"}
    assert (config.theme, config.escalation_hours) == ('my "dark" \x1b[31m', None)


def test_config_command_lists_every_action_id_keys_accepts(tmp_path: Path, db: Path) -> None:
    from eisenhower_tui.config import KEY_ACTIONS

    result = run_cli("config", db=db, env={"EISENHOWER_CONFIG": str(tmp_path / "none.toml")})
    assert result.returncode == 0, result.stderr
    comments = [line for line in result.stdout.splitlines() if line.startswith("#")]
    assert any(str(db) in line for line in comments)
    assert any(str(tmp_path / "none.toml") in line for line in comments)
    for action, keys in KEY_ACTIONS.items():
        assert f'#   {action} = "{keys}"' in comments
    assert _toml_of(result.stdout)["keys"] == {}


def test_the_key_table_is_the_real_bindings() -> None:
    """config.py keeps its own table (no Textual import); it must not drift from the classes."""
    from textual.binding import Binding

    from eisenhower_tui.app import EisenhowerApp
    from eisenhower_tui.config import KEY_ACTIONS
    from eisenhower_tui.screens.matrix import MatrixScreen
    from eisenhower_tui.widgets.task_list import TaskList

    real: dict[str, str] = {}
    for cls in (EisenhowerApp, MatrixScreen, TaskList):
        for binding in cls.BINDINGS:
            if isinstance(binding, Binding) and binding.id:
                assert binding.id not in real, f"two bindings share the id {binding.id}"
                real[binding.id] = binding.key
    assert KEY_ACTIONS == real


def test_key_names_are_textuals() -> None:
    from textual.keys import _character_to_key

    from eisenhower_tui.config import key_name

    for char in "?/\\@-+_!#$%&*(),.:;<=>[]^`{|}~aZ9é":
        assert key_name(char) == _character_to_key(char), char
    assert key_name(" ctrl+n ") == "ctrl+n"


def test_two_actions_on_one_key_warn_by_name_and_no_action_vanishes(tmp_path: Path) -> None:
    config = load_config(
        _write(tmp_path, '[keys]\nadd = "n"\nzoom = "n"\nedit = "x"\nhelp = "tab"\nfilter = "a"\n')
    )
    assert config.keys == {"add": "n", "filter": "a"}  # `a` is free once add moved to n
    text = "\n".join(config.warnings)
    assert "n is given to both zoom and add; zoom keeps z" in text
    assert "x is given to both edit and done; edit keeps e,enter" in text
    assert "tab" in text and "help keeps question_mark" in text


def test_an_unknown_action_id_is_named(tmp_path: Path) -> None:
    config = load_config(_write(tmp_path, '[keys]\nadd_task = "n"\nquit = "ctrl+x"\n'))
    assert config.keys == {"quit": "ctrl+x"}
    [warning] = config.warnings
    assert "add_task" in warning and "eisenhower config" in warning


def test_key_warnings_reach_stderr(tmp_path: Path, db: Path) -> None:
    path = _write(tmp_path, '[keys]\nadd = "e"\nbogus = "b"\n')
    result = run_cli("list", db=db, env={"EISENHOWER_CONFIG": str(path)})
    assert result.returncode == 0
    assert "e is given to both add and edit" in result.stderr and "bogus" in result.stderr


async def test_a_key_given_to_two_actions_keeps_both_working(tmp_path: Path, db: Path) -> None:
    config = load_config(_write(tmp_path, f'theme = "{THEME}"\n[keys]\nadd = "e"\n'))
    app = make_app(db, [task("Existing", Quadrant.DO)], config=config)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, QuickAddScreen)  # add kept its key
        await pilot.press("escape", "e")
        await pilot.pause()
        assert not isinstance(app.screen, QuickAddScreen)  # e still edits
        assert type(app.screen).__name__ != "MatrixScreen"


@pytest.mark.parametrize(
    ("env", "language"),
    [
        ({"LANG": "en_US.UTF-8", "LANGUAGE": "fr:en"}, "fr"),
        ({"LANG": "fr_FR.UTF-8", "LANGUAGE": "en:fr"}, "en"),
        ({"LANG": "de_DE.UTF-8", "LANGUAGE": "de:fr"}, "fr"),  # no German: the next one
        ({"LANG": "fr_FR.UTF-8", "LANGUAGE": "de"}, "en"),  # gettext: untranslated
        ({"LANG": "C", "LANGUAGE": "fr"}, "en"),  # LANGUAGE is ignored in the C locale
        ({"LANG": "C.UTF-8", "LANGUAGE": "fr"}, "en"),
        ({"LANGUAGE": "fr"}, "en"),  # no locale at all is the C locale
        ({"LC_ALL": "fr_FR.UTF-8", "LANG": "en_US.UTF-8"}, "fr"),
        ({"LC_MESSAGES": "fr_CA.UTF-8", "LANG": "en_US.UTF-8"}, "fr"),
        ({"LANG": "fr_FR.UTF-8", "LANGUAGE": ""}, "fr"),
        ({}, "en"),
    ],
)
def test_language_follows_gettext_priority(env: dict[str, str], language: str) -> None:
    from eisenhower_tui.config import language_from_env

    assert language_from_env(env) == language


def test_language_env_reaches_the_cli(db: Path) -> None:
    env = {"LANG": "en_US.UTF-8", "LC_ALL": "", "LC_MESSAGES": "", "LANGUAGE": "fr:en"}
    result = run_cli("list", db=db, env=env)
    assert "Faire" in result.stdout


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


def test_config_warnings_quote_keys_without_their_escape_sequences(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('"bad\\u001b]0;pwned\\u0007key" = 1\n', encoding="utf-8")
    result = run_cli("list", db=tmp_path / "t.json", env={"EISENHOWER_CONFIG": str(path)})
    assert result.returncode == 0
    assert "unknown setting 'bad" in result.stderr
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    # Clean at the source too: the matrix shows the same warnings in a notification.
    (warning,) = load_config(path).warnings
    assert "\x1b" not in warning and "\x07" not in warning and "bad" in warning
