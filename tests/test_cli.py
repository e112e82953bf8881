"""The `eisenhower` command end to end, as real processes on real files."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import run_cli

from eisenhower_tui.domain.tasks import new_task


def ok(*args: str, db: Path | None, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    result = run_cli(*args, db=db, **kwargs)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result


def listed(db: Path, *extra: str) -> list[dict[str, Any]]:
    return json.loads(ok("list", "--json", *extra, db=db).stdout)


def add(db: Path, text: str) -> dict[str, Any]:
    """Add one task and return it as `list --all --json` shows it."""
    before = {t["id"] for t in listed(db, "--all")}
    ok("add", text, db=db)
    [new] = [t for t in listed(db, "--all") if t["id"] not in before]
    return new


def next_weekday(today: date, weekday: int) -> date:
    """The next such weekday, never today."""
    return today + timedelta(days=(weekday - today.weekday()) % 7 or 7)


def assert_usage_error(result: subprocess.CompletedProcess[str], *fragments: str) -> None:
    assert result.returncode == 2, (result.stdout, result.stderr)
    message = result.stderr.strip()
    assert message.startswith("eisenhower: ")
    assert "\n" not in message, "the reason must fit on one line"
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in message


# --- add ----------------------------------------------------------------------------------------


def test_add_with_tokens(db: Path) -> None:
    today = date.today()
    result = ok("add", "Renew passport due:fri #admin !i", db=db)
    friday = next_weekday(today, 4)
    if date.today() != today:  # midnight passed during the test
        friday = next_weekday(date.today(), 4)

    [task] = listed(db)
    assert task["title"] == "Renew passport"
    assert task["quadrant"] == 2
    assert (task["urgent"], task["important"]) == (False, True)
    assert task["due"] == friday.isoformat()
    assert friday != date.today() and 1 <= (friday - date.today()).days <= 7
    assert task["tags"] == ["admin"]
    assert task["done"] is None and task["delegate"] is None

    line = result.stdout.strip()
    assert task["id"][:8] in line
    assert "2 Schedule" in line
    assert friday.isoformat() in line
    assert result.stderr == ""


def test_add_options_override_tokens(db: Path) -> None:
    ok("add", "Book", "flights", "!4", "#travel", "--quadrant", "do", "--tag", "#trip", db=db)
    ok("add", "Dentist due:fri", "--due", "2027-01-15", "--note", "bring card", db=db)
    by_title = {t["title"]: t for t in listed(db)}
    assert by_title["Book flights"]["quadrant"] == 1
    assert by_title["Book flights"]["tags"] == ["travel", "trip"]
    assert by_title["Dentist"]["due"] == "2027-01-15"
    assert by_title["Dentist"]["notes"] == "bring card"


def test_add_from_stdin(db: Path) -> None:
    lines = "Buy milk #home\nCall Bob !u @bob\n\n   \nPay rent due:2026-12-01 !1\n"
    result = ok("add", "-", db=db, input=lines)
    assert result.stdout.count("Added") == 3
    by_title = {t["title"]: t for t in listed(db)}
    assert set(by_title) == {"Buy milk", "Call Bob", "Pay rent"}
    assert by_title["Buy milk"]["quadrant"] == 2 and by_title["Buy milk"]["tags"] == ["home"]
    assert by_title["Call Bob"]["quadrant"] == 3 and by_title["Call Bob"]["delegate"] == "bob"
    assert by_title["Pay rent"]["quadrant"] == 1 and by_title["Pay rent"]["due"] == "2026-12-01"


def test_add_from_stdin_with_one_bad_line_saves_nothing(db: Path) -> None:
    result = run_cli("add", "-", db=db, input="first\nsecond due:someday\nthird\n")
    assert_usage_error(result, "line 2", "someday")
    assert not db.exists()

    ok("add", "existing", db=db)
    before = db.read_bytes()
    result = run_cli("add", "-", db=db, input="fine\n\nbad due:2026-13-01\n")
    assert_usage_error(result, "line 3")
    assert db.read_bytes() == before
    assert [t["title"] for t in listed(db)] == ["existing"]


# --- bad input ----------------------------------------------------------------------------------

AMBIGUOUS_1 = "abcd1111-0000-4000-8000-000000000001"
AMBIGUOUS_2 = "abcd2222-0000-4000-8000-000000000002"
PLAIN = "5e7f3333-0000-4000-8000-000000000003"


@pytest.fixture
def seeded(db: Path) -> bytes:
    """A file written directly, holding two tasks whose ids share the prefix abcd."""
    tasks = {
        str(n): {**new_task(title).to_record(), "id": task_id}
        for n, (task_id, title) in enumerate(
            [(AMBIGUOUS_1, "first"), (AMBIGUOUS_2, "second"), (PLAIN, "third")], 1
        )
    }
    payload = json.dumps({"tasks": tasks, "meta": {"1": {"schema_version": 1}}}).encode()
    db.write_bytes(payload)
    return payload


BAD_INPUT = {
    "unknown date word": (["add", "Thing due:someday"], ["someday"]),
    "empty title": (["add", "#tag"], ["empty"]),
    "impossible date": (["add", "Thing due:2026-02-30"], ["2026-02-30"]),
    "title over 500": (["add", "a" * 501], ["501", "500"]),
    "bad --due": (["add", "Thing", "--due", "the day after never"], []),
    "bad --quadrant": (["add", "Thing", "--quadrant", "7"], ["7"]),
    "quadrant 9": (["move", PLAIN[:8], "9"], ["9"]),
    "unknown id": (["done", "ffff0000"], ["ffff0000"]),
    "unknown id among good ones": (["done", PLAIN[:6], "ffff0000"], ["ffff0000"]),
    "ambiguous prefix": (["done", "abcd"], ["abcd", "2 tasks"]),
    "ambiguous prefix for move": (["move", "abcd", "1"], ["abcd"]),
    "prefix of 3": (["rm", PLAIN[:3]], ["at least 4"]),
    "bad due date": (["due", PLAIN[:8], "2026-02-30"], ["2026-02-30"]),
    "due of an unknown id": (["due", "ffff0000", "tomorrow"], ["ffff0000"]),
}


@pytest.mark.parametrize("case", list(BAD_INPUT))
def test_bad_input_exits_2_and_writes_nothing(db: Path, seeded: bytes, case: str) -> None:
    args, fragments = BAD_INPUT[case]
    result = run_cli(*args, db=db)
    assert_usage_error(result, *fragments)
    assert result.stdout == ""
    assert db.read_bytes() == seeded
    assert not (db.parent / "backups").exists()


def test_ambiguous_prefix_resolves_with_more_characters(db: Path, seeded: bytes) -> None:
    ok("done", "abcd2", db=db)
    done = {t["id"]: t["done"] for t in listed(db, "--all")}
    assert done[AMBIGUOUS_1] is None and done[AMBIGUOUS_2] is not None


# --- changes by id ------------------------------------------------------------------------------


def test_done_undo_done_move_due_rm(db: Path) -> None:
    task = add(db, "Write report !1")
    other = add(db, "Untouched")
    short = task["id"][:8]

    out = ok("done", short, db=db).stdout
    assert "Done" in out and short in out
    assert [t["id"] for t in listed(db)] == [other["id"]]
    [was_done] = [t for t in listed(db, "--all") if t["id"] == task["id"]]
    assert was_done["done"] is not None

    ok("undo-done", task["id"][:5], db=db)
    [reopened] = [t for t in listed(db) if t["id"] == task["id"]]
    assert reopened["done"] is None and reopened["quadrant"] == 1

    ok("move", short, "schedule", db=db)
    [moved] = [t for t in listed(db) if t["id"] == task["id"]]
    assert moved["quadrant"] == 2 and (moved["urgent"], moved["important"]) == (False, True)

    tomorrow = date.today() + timedelta(days=1)
    ok("due", short, "tomorrow", db=db)
    [dated] = [t for t in listed(db) if t["id"] == task["id"]]
    assert dated["due"] in (tomorrow.isoformat(), (date.today() + timedelta(days=1)).isoformat())

    ok("due", short, "none", db=db)
    [cleared] = [t for t in listed(db) if t["id"] == task["id"]]
    assert cleared["due"] is None

    ok("rm", task["id"], db=db)
    assert [t["id"] for t in listed(db, "--all")] == [other["id"]]
    # A tombstone stays in the file for sync tools; the id no longer resolves.
    raw = json.loads(db.read_bytes())
    [tomb] = [r for r in raw["tasks"].values() if r["id"] == task["id"]]
    assert tomb["deleted"]
    assert_usage_error(run_cli("done", short, db=db), short)

    # Nothing else was touched along the way.
    [untouched] = listed(db)
    assert untouched == other


def test_done_takes_several_ids_in_one_go(db: Path) -> None:
    ids = [add(db, f"task {i}")["id"] for i in range(3)]
    ok("done", ids[0][:4], ids[2][:8], db=db)
    assert [t["id"] for t in listed(db)] == [ids[1]]


# --- list ---------------------------------------------------------------------------------------


def test_list_human_shows_the_four_quadrants(db: Path) -> None:
    do = add(db, "Fix the leak !1")
    add(db, "Order paper !3 @ann")
    done = add(db, "Old chore !4")
    ok("done", done["id"][:8], db=db)

    out = ok("list", db=db).stdout
    headers = ["1 Do first", "2 Schedule", "3 Delegate", "4 Eliminate"]
    positions = [out.index(h) for h in headers]
    assert positions == sorted(positions)
    sections = out.split("\n\n")
    assert len(sections) == 4
    assert "Fix the leak" in sections[0] and do["id"][:8] in sections[0]
    assert "(empty)" in sections[1]
    assert "Order paper" in sections[2] and "@ann" in sections[2]
    assert "Old chore" not in out

    everything = ok("list", "--all", db=db).stdout
    assert "[x]" in everything and "Old chore" in everything.split("\n\n")[3]

    only = ok("list", "--quadrant", "delegate", db=db).stdout
    assert "3 Delegate" in only and "Order paper" in only
    assert "1 Do first" not in only and "Fix the leak" not in only
    assert [t["title"] for t in listed(db, "--quadrant", "1")] == ["Fix the leak"]
    assert [t["title"] for t in listed(db, "-q", "4", "--all")] == ["Old chore"]
    assert listed(db, "--quadrant", "schedule") == []


def test_list_json_fields_and_order(db: Path) -> None:
    ok("add", "later !1", db=db)
    ok("add", "overdue !1 due:2020-01-01", db=db)
    ok("add", "soon !1 due:tomorrow", db=db)
    tasks = listed(db)
    assert [t["title"] for t in tasks] == ["overdue", "soon", "later"]
    expected = {
        "id", "title", "notes", "urgent", "important", "due", "tags", "delegate",
        "done", "created", "updated", "escalated", "quadrant",
    }  # fmt: skip
    assert expected <= set(tasks[0])


def test_list_of_a_missing_file_is_empty_and_creates_nothing(db: Path) -> None:
    assert listed(db) == []
    assert "(empty)" in ok("list", db=db).stdout
    assert not db.exists()


# --- where the file is --------------------------------------------------------------------------


def test_db_env_var_is_honoured(db: Path, tmp_path: Path) -> None:
    env_db = tmp_path / "from-env" / "tasks.json"
    ok("add", "via env", db=None, env={"EISENHOWER_DB": str(env_db)})
    assert json.loads(ok("list", "--json", db=env_db).stdout)[0]["title"] == "via env"
    # --db wins over the variable.
    ok("add", "via option", db=db, env={"EISENHOWER_DB": str(env_db)})
    assert [t["title"] for t in listed(db)] == ["via option"]
    assert [t["title"] for t in listed(env_db)] == ["via env"]


def test_default_file_is_in_the_user_data_folder(db: Path, isolated_env: Path) -> None:
    ok("add", "default place", db=None)
    default = isolated_env / "xdg_data_home" / "eisenhower-tui" / "tasks.json"
    assert [t["title"] for t in listed(default)] == ["default place"]
    assert not db.exists()


def test_config_prints_its_path(isolated_env: Path) -> None:
    out = ok("config", db=None).stdout
    expected = isolated_env / "xdg_config_home" / "eisenhower-tui" / "config.toml"
    assert f"config file: {expected}" in out
    assert "escalation_hours" in out


# --- storage problems ---------------------------------------------------------------------------

EVERY_COMMAND = [
    ["add", "x"],
    ["list"],
    ["list", "--json"],
    ["done", "abcd"],
    ["undo-done", "abcd"],
    ["move", "abcd", "1"],
    ["due", "abcd", "today"],
    ["rm", "abcd"],
    [],  # bare `eisenhower`: must fail before drawing anything
]


@pytest.mark.parametrize(
    "content",
    [
        b"{ not json",
        b"",
        b'{"tasks": []}',
        b'{"tasks": {"1": {"id": "a", "title": "b", "tags": "x"}}}',
    ],
    ids=["garbage", "empty", "wrong-shape", "tags-not-a-list"],
)
def test_corrupt_file_every_command_exits_1(db: Path, content: bytes) -> None:
    db.write_bytes(content)
    for args in EVERY_COMMAND:
        result = run_cli(*args, db=db)
        assert result.returncode == 1, (args, result.stdout, result.stderr)
        assert str(db) in result.stderr, args
        assert "Traceback" not in result.stderr
        assert "\x1b[" not in result.stdout, "the TUI must not start"
        assert db.read_bytes() == content
    assert sorted(p.name for p in db.parent.iterdir() if p.name != "home") == [
        "tasks.json",
        "tasks.json.lock",
    ]


def test_help_and_usage_errors(db: Path) -> None:
    result = ok("--help", db=db)
    assert "usage: eisenhower" in result.stdout and "add" in result.stdout
    assert "usage" in ok("add", "--help", db=db).stdout

    result = run_cli("frobnicate", db=db)
    assert result.returncode == 2
    assert "frobnicate" in result.stderr and "Traceback" not in result.stderr
    assert run_cli("move", "abcd", db=db).returncode == 2  # missing argument
    assert not db.exists()


# --- lightness ----------------------------------------------------------------------------------


def test_short_commands_do_not_import_textual_or_rich(db: Path) -> None:
    code = textwrap.dedent(
        f"""
        import sys
        import eisenhower_tui.cli, eisenhower_tui.store, eisenhower_tui.model
        import eisenhower_tui.dates, eisenhower_tui.quickadd, eisenhower_tui.config
        from eisenhower_tui.cli import main
        P = {str(db)!r}
        assert main(['--db', P, 'add', 'x due:tomorrow #t']) == 0
        assert main(['--db', P, 'list', '--json']) == 0
        assert main(['--db', P, 'list']) == 0
        print('textual' in sys.modules, 'rich' in sys.modules)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=30, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "False False"
    assert '"title": "x"' in result.stdout  # the commands really ran


def test_add_loads_only_what_it_uses(db: Path) -> None:
    """`add` runs at every hotkey press: TinyDB, the TOML parser (no config file here) and
    strptime (once today's backup exists) cost it about 12 ms of imports; it needs none."""
    code = textwrap.dedent(
        f"""
        import sys
        from eisenhower_tui.cli import main
        assert main(['--db', {str(db)!r}, 'add', sys.argv[1]]) == 0
        print(sorted(m for m in ('tinydb', 'tomllib', '_strptime') if m in sys.modules))
        """
    )
    lines = []
    for title in ("first", "second due:fri #t", "third"):  # the second makes today's backup
        result = subprocess.run(
            [sys.executable, "-c", code, title],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        lines.append(result.stdout.strip().splitlines())
    assert lines[2][0].startswith("Added") and lines[2][-1] == "[]"
    assert lines[0][-1] == "[]"


def test_the_matrix_and_capture_start_without_the_calendar_code_when_no_feed_is_set() -> None:
    """icalendar costs ~30 ms of imports: only a `[feed]` setting may bring it into a start."""
    code = (
        "import sys, types\n"
        "from eisenhower_tui import cli\n"
        "config = cli._config()\n"
        "cli._feed_hook(config, [])\n"
        "print('icalendar' in sys.modules, 'eisenhower_tui.feed' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == ["False", "False"]
