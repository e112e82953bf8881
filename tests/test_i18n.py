"""French interface: the gettext catalogues, their tooling, and the app drawn in French.

Binding descriptions are translated when their module is imported, so every test that looks at
the French app runs it in a fresh interpreter that chooses the language before importing the UI.
"""

from __future__ import annotations

import gettext
import importlib.util
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from eisenhower_tui import i18n
from eisenhower_tui.model import Quadrant

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "i18n.py"
LOCALE = ROOT / "eisenhower_tui" / "locale"
FR_PO = LOCALE / "fr" / "LC_MESSAGES" / "eisenhower_tui.po"
FR_MO = FR_PO.with_suffix(".mo")
XDG_VARS = ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME")


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("eisenhower_i18n_script", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look the module up by name
    spec.loader.exec_module(module)
    return module


tool = _load_script()


@pytest.fixture
def french() -> Iterator[None]:
    """French for the duration of one test, English again afterwards."""
    i18n.set_language("fr")
    try:
        yield
    finally:
        i18n.set_language("en")


# --- the catalogues and the tool ------------------------------------------------------------


def test_check_passes() -> None:
    """The .pot matches the code, every message has French, the committed .mo is fresh."""
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "check"], capture_output=True, text=True, cwd=ROOT
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok:")


def test_every_msgid_has_a_french_translation() -> None:
    template = [e for e in tool.parse_po(tool.POT.read_text("utf-8")) if e.msgid]
    french = {e.msgid: e for e in tool.read_po(FR_PO) if e.msgid}
    assert len(template) >= 90
    for source in template:
        entry = french.get(source.msgid)
        assert entry is not None, source.msgid
        assert "fuzzy" not in entry.flags, source.msgid
        assert entry.msgstr and all(form.strip() for form in entry.msgstr), source.msgid
        assert len(entry.msgstr) == (2 if source.msgid_plural else 1), source.msgid


def test_pot_holds_every_literal_of_the_code() -> None:
    extracted, _warnings = tool.extract()
    in_pot = {e.msgid for e in tool.parse_po(tool.POT.read_text("utf-8")) if e.msgid}
    assert {msgid for _ctxt, msgid in extracted} == in_pot
    # Quadrant names reach _() through Quadrant.label: the extractor reads them from the model.
    assert {q.label for q in Quadrant} <= in_pot


def test_committed_mo_is_what_gnu_gettext_reads(french: None) -> None:
    with FR_MO.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    assert catalogue.charset() == "UTF-8"
    assert catalogue.info()["plural-forms"] == "nplurals=2; plural=(n > 1);"
    assert [i18n._(q.label) for q in Quadrant] == ["Faire", "Planifier", "Déléguer", "Éliminer"]
    one = "Deadline close: moved {n} task to urgent"
    many = "Deadlines close: moved {n} tasks to urgent"
    # French counts 0 and 1 as singular.
    assert i18n.ngettext(one, many, 0).startswith("Échéance proche")
    assert i18n.ngettext(one, many, 1).startswith("Échéance proche")
    assert i18n.ngettext(one, many, 2).startswith("Échéances proches")
    for english, french_word in [
        ("Add", "Ajouter"),
        ("Edit", "Modifier"),
        ("Due", "Date"),
        ("Move", "Déplacer"),
        ("Done", "Fait"),
        ("Undo", "Défaire"),  # "Annuler" only ever means cancel
        ("Filter", "Filtrer"),
        ("Help", "Aide"),
        ("Quit", "Quitter"),
    ]:
        assert i18n._(english) == french_word


def test_english_is_the_untranslated_text() -> None:
    i18n.set_language("en")
    assert i18n._("Do first") == "Do first"
    assert i18n.ngettext("{n} task", "{n} tasks", 2) == "{n} tasks"


def test_po_parser_and_mo_writer_round_trip(tmp_path: Path) -> None:
    po = r"""# comment
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"
"Plural-Forms: nplurals=2; plural=(n > 1);\n"

#: a.py:1
msgid "Tab\there, quote \" and backslash \\"
msgstr "Tab\tici, guillemet \" et barre \\"

msgid ""
"two "
"lines\n"
"end"
msgstr ""
"deux "
"lignes\n"
"fin"

msgctxt "menu"
msgid "Open"
msgstr "Ouvrir"

#, fuzzy
msgid "Maybe"
msgstr "Peut-être"

msgid "Empty"
msgstr ""

msgid "{n} file"
msgid_plural "{n} files"
msgstr[0] "{n} fichier"
msgstr[1] "{n} fichiers"

#~ msgid "Old"
#~ msgstr "Vieux"
"""
    entries = tool.parse_po(po)
    assert [e.msgid for e in entries] == [
        "",
        'Tab\there, quote " and backslash \\',
        "two lines\nend",
        "Open",
        "Maybe",
        "Empty",
        "{n} file",
    ]
    path = tmp_path / "t.mo"
    path.write_bytes(tool.compile_mo(entries))
    with path.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    assert catalogue.gettext('Tab\there, quote " and backslash \\') == (
        'Tab\tici, guillemet " et barre \\'
    )
    assert catalogue.gettext("two lines\nend") == "deux lignes\nfin"
    assert catalogue.pgettext("menu", "Open") == "Ouvrir"
    assert catalogue.gettext("Maybe") == "Maybe"  # fuzzy entries are left out
    assert catalogue.gettext("Empty") == "Empty"  # so are untranslated ones
    assert catalogue.ngettext("{n} file", "{n} files", 1) == "{n} fichier"
    assert catalogue.ngettext("{n} file", "{n} files", 5) == "{n} fichiers"
    assert catalogue.gettext("Old") == "Old"
    # The writer's output (sorted) reads back to the same entries, fuzzy flag included.
    again = tool.parse_po(tool.write_po(entries[1:], entries[0].msgstr[0], "t"))

    def fields(items: list) -> list:
        return sorted((e.key, e.msgid_plural, e.msgstr, e.flags) for e in items)

    assert fields(again) == fields(entries)


def test_compile_is_deterministic() -> None:
    entries = tool.read_po(FR_PO)
    assert tool.compile_mo(entries) == tool.compile_mo(list(reversed(entries)))
    assert tool.compile_mo(entries) == FR_MO.read_bytes()


def test_check_catches_a_missing_translation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a copy of the catalogues: an emptied msgstr and a stale .mo both fail the check."""
    locale = tmp_path / "locale"
    (locale / "fr" / "LC_MESSAGES").mkdir(parents=True)
    (locale / "eisenhower_tui.pot").write_bytes(tool.POT.read_bytes())
    po = locale / "fr" / "LC_MESSAGES" / "eisenhower_tui.po"
    po.write_text(
        FR_PO.read_text("utf-8").replace('msgstr "Planifier"', 'msgstr ""'), encoding="utf-8"
    )
    po.with_suffix(".mo").write_bytes(FR_MO.read_bytes())
    monkeypatch.setattr(tool, "LOCALE", locale)
    monkeypatch.setattr(tool, "POT", locale / "eisenhower_tui.pot")
    monkeypatch.setattr(tool, "ROOT", tmp_path)  # extract() still reads the real package
    problems = tool.problems()
    assert any("no translation for 'Schedule'" in p for p in problems), problems
    assert any(".mo is stale" in p for p in problems), problems


# --- the app in French, in a fresh interpreter ---------------------------------------------

DRIVER = r"""
import asyncio, json, sys
from datetime import timedelta
from pathlib import Path

from eisenhower_tui.config import load_config
from eisenhower_tui.i18n import set_language

config = load_config()
set_language(config.language)  # before the UI modules: bindings are translated at import

sys.path.insert(0, sys.argv[2])
from tui_helpers import NOW, THEME, make_app, screen_text, task  # noqa: E402

from eisenhower_tui.model import Quadrant  # noqa: E402
from eisenhower_tui.screens.capture import CaptureApp  # noqa: E402
from eisenhower_tui.store import Store  # noqa: E402

db = Path(sys.argv[1])
config.theme = THEME
tomorrow = (NOW + timedelta(days=1)).date().isoformat()
tasks = [
    task("Rendre le rapport", Quadrant.DO, due=tomorrow, order=1),
    task("Renouveler le passeport", Quadrant.SCHEDULE,
         due=(NOW + timedelta(days=3)).date().isoformat(), order=2),
    task("Appeler le plombier", Quadrant.DELEGATE,
         due=(NOW - timedelta(hours=2)).isoformat(), delegate="Alice", order=3),
    task("Trier les photos", Quadrant.ELIMINATE, order=4),
    task("Réserver le train", Quadrant.SCHEDULE, due=tomorrow, order=5),
]
shots = {}


def notes(app):
    return "\n".join(f"{n.title}: {n.message}" for n in app._notifications)


async def main_app():
    app = make_app(db, tasks, config=config)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.pause(0.2)
        shots["matrix"] = screen_text(app)
        shots["notes"] = notes(app)
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        shots["matrix_80"] = screen_text(app)
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        commands = app.get_system_commands(app.screen)
        shots["palette"] = "\n".join(f"{c.title}\t{c.help}" for c in commands)
        await pilot.press("question_mark")
        await pilot.pause()
        shots["help"] = screen_text(app)
        shots["help_rows"] = "\n".join(f"{keys}\t{what}" for keys, what in app.screen.rows)
        await pilot.press("escape")
        await pilot.press("a")
        await pilot.pause()
        await pilot.press(*"Appeler Bob due:demain")
        await pilot.pause()
        shots["add"] = screen_text(app)
        await pilot.press("escape")
        await pilot.press("d")
        await pilot.pause()
        shots["deadline"] = screen_text(app)
        await pilot.press(*"xyz")
        await pilot.pause()
        shots["deadline_error"] = screen_text(app)
        await pilot.press("escape")
        await pilot.press("m")
        await pilot.pause()
        shots["move"] = screen_text(app)
        await pilot.press("escape")
        await pilot.press("x")
        await pilot.press("u")
        await pilot.pause()
        shots["undo"] = notes(app)
        app.exit(0)


async def main_capture():
    app = CaptureApp(Store(db), config=config, default_quadrant=Quadrant.SCHEDULE,
                     clock=lambda: NOW)
    async with app.run_test(size=(60, 5)) as pilot:
        await pilot.pause()
        shots["capture_empty"] = screen_text(app)
        await pilot.press(*"Appeler Bob due:demain")
        await pilot.pause()
        shots["capture"] = screen_text(app)
        app.exit(1)


asyncio.run(main_app())
asyncio.run(main_capture())
print(json.dumps(shots))
"""


def _french_screens(tmp: Path, lang_env: str, config_text: str | None) -> dict[str, str]:
    home = tmp / "home"
    skip = ("LC_", "LANGUAGE", "EISENHOWER_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(skip)}
    env.update(HOME=str(home), LANG=lang_env, TZ="Europe/Paris")
    for var in XDG_VARS:
        folder = home / var.lower()
        folder.mkdir(parents=True, exist_ok=True)
        env[var] = str(folder)
    if config_text is not None:
        config = tmp / "config.toml"
        config.write_text(config_text, encoding="utf-8")
        env["EISENHOWER_CONFIG"] = str(config)
    result = subprocess.run(
        [sys.executable, "-c", DRIVER, str(tmp / "tasks.json"), str(ROOT / "tests")],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def screens(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The French app by ``LANG=fr_FR.UTF-8``: screens captured after each step."""
    return _french_screens(tmp_path_factory.mktemp("fr"), "fr_FR.UTF-8", None)


def test_the_french_footer_keeps_quit_and_help_at_80_columns(screens: dict[str, str]) -> None:
    footer = screens["matrix_80"].splitlines()[-1]
    assert "q Quitter" in footer and "? Aide" in footer
    assert "a Ajouter" in footer and "u Défaire" in footer


def test_matrix_in_french(screens: dict[str, str]) -> None:
    text = screens["matrix"]
    for word in ["1 Faire", "2 Planifier", "3 Déléguer", "4 Éliminer"]:
        assert word in text, text
    assert "demain" in text
    assert "dans 3 j" in text
    assert "en retard de 2 h" in text
    for footer in ["Ajouter", "Modifier", "Date", "Déplacer", "Fait", "Défaire", "Filtrer"]:
        assert footer in text, footer
    # The whole French footer fits 100 columns: the last key is not scrolled off.
    footer_line = text.splitlines()[-1]
    assert "? Aide" in footer_line and "q Quitter" in footer_line, footer_line
    assert "^p Menu" in footer_line, footer_line
    # The Schedule task due tomorrow was escalated, and the user told so in French.
    assert "Échéance proche : 1 tâche passée en urgent" in screens["notes"].replace("\u00a0", " ")
    for english in ["Do first", "Schedule", "Delegate", "Eliminate", "tomorrow", "Undo", "Add"]:
        assert english not in text, english


def test_help_in_french(screens: dict[str, str]) -> None:
    text = screens["help"]
    # What shows first: the matrix's own keys (the generic ones are further down the table).
    for word in ["Touches", "Touche", "Action", "Ajouter", "Déplacer", "échap"]:
        assert word in text, word
    for english in ["Keys", "escape: close", "Focus Next", "Page Left", "Pane left"]:
        assert english not in text, english
    # Every row of the table, scrolled into view or not, Textual's own bindings included.
    rows = dict(line.split("\t")[::-1] for line in screens["help_rows"].splitlines())
    assert rows["Quitter"] == "^q q"
    for french in ["Ajouter", "Déplacer à gauche", "Défaire", "Rétablir", "Terminées", "Zoom"]:
        assert french in rows, french
    for french in ["Volet de gauche", "Élément suivant"]:
        assert french in rows, french
    template = {e.msgid for e in tool.parse_po(tool.POT.read_text("utf-8")) if e.msgid}
    untranslated = {"Action", "Notes", "Zoom"}  # the same word in both languages
    assert not (set(rows) & template) - untranslated, set(rows) & template


def test_command_palette_in_french(screens: dict[str, str]) -> None:
    """Every binding in the palette, Textual's own and its system commands included."""
    commands = dict(line.split("\t") for line in screens["palette"].splitlines())
    for french in ["Ajouter", "Déplacer à gauche", "Rétablir", "Copier le texte sélectionné"]:
        assert french in commands, french
    assert commands["Thème"] == "Changer de thème"
    assert "Capture d'écran" in commands and "Screenshot" not in commands
    assert commands["Ajouter"].replace("\u00a0", " ") == "Touche : a"
    for english in ["Add", "Move left", "Redo", "Copy selected text", "Focus Next"]:
        assert english not in commands, english


def test_dialogs_in_french(screens: dict[str, str]) -> None:
    add = screens["add"]
    assert "Nouvelle tâche" in add
    assert "→ 1 Faire (ce volet) · ven. 27 nov. - demain" in add
    assert "entrée : enregistrer" in add.replace("\u00a0", " ")
    deadline = screens["deadline"]
    assert "Échéance" in deadline and "Actuellement" in deadline
    assert "demain" in deadline
    move = screens["move"].replace("\u00a0", " ")
    assert "Déplacer vers quel quadrant ?" in move
    assert "2  Planifier" in move and "4  Éliminer" in move
    assert "Défait : fait" in screens["undo"].replace("\u00a0", " ")
    for shot in (add, deadline, move):
        assert "escape" not in shot and "New task" not in shot and "Do first" not in shot


def test_deadline_box_error_in_french(screens: dict[str, str]) -> None:
    """What the parser refuses is explained in French, with French examples to try."""
    shot = screens["deadline_error"].replace("\u00a0", " ")
    assert "✗ « xyz » n'est pas une date ; essayez demain 9h, ven, +3j" in shot, shot
    assert "is not a date" not in shot and "try tomorrow" not in shot


def test_capture_preview_in_french(screens: dict[str, str]) -> None:
    empty = screens["capture_empty"]
    assert "→ 2 Planifier (par défaut)" in empty
    assert "entrée : enregistrer" in empty.replace("\u00a0", " ")
    typed = screens["capture"]
    # The whole preview fits the 60-column popup (no "échéance" label before the date), and
    # says where the task really lands: tomorrow is inside the escalation horizon.
    assert "→ 1 Faire (échéance proche) · ven. 27 nov. - demain" in typed
    assert "Schedule" not in typed and "default" not in typed


def test_language_from_the_config_file(tmp_path: Path) -> None:
    """``language = "fr"`` in config.toml wins over an English ``LANG``."""
    shots = _french_screens(tmp_path, "en_US.UTF-8", 'language = "fr"\n')
    assert "1 Faire" in shots["matrix"] and "Ajouter" in shots["matrix"]
    assert "Do first" not in shots["matrix"]


def test_list_headers_in_french(tmp_path: Path) -> None:
    from conftest import run_cli

    db = tmp_path / "tasks.json"
    added = run_cli(
        "add", "Rendre le rapport", "!1", "due:demain", db=db, env={"LANG": "fr_FR.UTF-8"}
    )
    assert added.returncode == 0, added.stderr
    assert "[1 Faire]" in added.stdout and "demain" in added.stdout
    listed = run_cli("list", db=db, env={"LANG": "fr_FR.UTF-8", "LC_ALL": ""})
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    assert lines[0] == "1 Faire (1)"
    assert "2 Planifier (0)" in lines and "(vide)" in listed.stdout
    assert "demain" in listed.stdout
    english = run_cli("list", db=db, env={"LANG": "C.UTF-8", "LC_ALL": ""})
    assert english.stdout.splitlines()[0] == "1 Do first (1)"


FRENCH_ENV = {"LANG": "fr_FR.UTF-8", "LC_ALL": "", "LC_MESSAGES": "", "LANGUAGE": ""}


def test_cli_deadline_error_in_french(tmp_path: Path) -> None:
    from conftest import run_cli

    db = tmp_path / "tasks.json"
    result = run_cli("add", "x due:someday", db=db, env=FRENCH_ENV)
    assert result.returncode == 2, result.stderr
    message = result.stderr.replace("\u00a0", " ")
    assert message.startswith("eisenhower: dans « due:someday » : « someday » n'est pas une date")
    assert "essayez demain@9h, ven, +3j, 25déc ou 2026-12-01 ; rien n'a été enregistré" in message
    assert "Traceback" not in message and "not a date" not in message
    assert not db.exists()
    english = run_cli("add", "x due:someday", db=db, env={"LANG": "C.UTF-8", "LC_ALL": ""})
    assert english.stderr.startswith("eisenhower: in 'due:someday': 'someday' is not a date; try")


def test_corrupt_file_message_in_french(tmp_path: Path) -> None:
    from conftest import run_cli

    db = tmp_path / "tasks.json"
    db.write_text('{"tasks": [', encoding="utf-8")
    result = run_cli("list", db=db, env=FRENCH_ENV)
    assert result.returncode == 1, result.stderr
    message = result.stderr.replace("\u00a0", " ")
    assert f"eisenhower: Impossible de lire le fichier des tâches {db} : " in message, message
    assert "ce n'est pas du JSON valide" in message and "rien n'a été écrit" in message
    assert "Cannot read" not in message and "Traceback" not in message
    assert db.read_text(encoding="utf-8") == '{"tasks": ['  # left exactly as it was


def test_usage_errors_and_config_warnings_in_french(tmp_path: Path) -> None:
    """argparse's error messages and the config's warnings follow the language too."""
    from conftest import run_cli

    db = tmp_path / "tasks.json"
    unknown = run_cli("frobnicate", db=db, env=FRENCH_ENV)
    assert unknown.returncode == 2
    assert "choix invalide : 'frobnicate'" in unknown.stderr.replace("\u00a0", " ")
    assert "(voir `eisenhower --help`)" in unknown.stderr
    missing = run_cli("move", "abcd", db=db, env=FRENCH_ENV)
    assert "les arguments suivants sont requis : Q" in missing.stderr.replace("\u00a0", " ")
    config = tmp_path / "config.toml"
    # The warning comes before `language` in the file, and is French all the same.
    config.write_text('week_start = "lundi"\nlanguage = "fr"\n', encoding="utf-8")
    env = {"LANG": "C.UTF-8", "LC_ALL": "", "EISENHOWER_CONFIG": str(config)}
    added = run_cli("add", "Rendre le rapport", db=db, env=env)
    assert added.returncode == 0, added.stderr
    assert added.stdout.startswith("Ajoutée ")
    warning = added.stderr.replace("\u00a0", " ")
    assert warning.startswith("eisenhower: configuration : week_start doit être"), warning


async def test_every_help_row_is_in_the_catalogue(tmp_path: Path) -> None:
    """What `?` lists, Textual's own bindings too, is in the catalogue (guards Textual upgrades)."""
    from tui_helpers import make_app

    from eisenhower_tui.screens.help import binding_rows

    template = {e.msgid for e in tool.parse_po(tool.POT.read_text("utf-8")) if e.msgid}
    app = make_app(tmp_path / "tasks.json", None)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        descriptions = {description for _keys, description in binding_rows(app.screen)}
    assert descriptions, "no bindings listed"
    assert descriptions <= template, descriptions - template


def test_the_demo_tags_its_tasks_in_french_under_french() -> None:
    from clock import NOW

    from eisenhower_tui.demo import demo_tasks
    from eisenhower_tui.i18n import using_language

    with using_language("fr"):
        tags = {tag for task in demo_tasks(NOW) for tag in task.tags}
    assert {"travail", "maison", "santé"} <= tags
    assert not tags & {"work", "home", "health"}
