"""Input that keeps its meaning from the command line: `#123`, times of day, French dates,
the filter words of `list`, `show`, `edit`, `undo` and the config; real processes, real files."""

from __future__ import annotations

import json
import subprocess
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from conftest import run_cli

FRENCH = {"LANG": "fr_FR.UTF-8", "LC_ALL": "", "LC_MESSAGES": "", "LANGUAGE": ""}


def ok(*args: str, db: Path | None, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    result = run_cli(*args, db=db, **kwargs)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result


def listed(db: Path, *extra: str) -> list[dict[str, Any]]:
    return json.loads(ok("list", "--json", *extra, db=db).stdout)


def on_disk(db: Path) -> dict[str, dict[str, Any]]:
    """Every stored record by id, tombstones included, straight from the file."""
    data = json.loads(db.read_text(encoding="utf-8"))
    return {record["id"]: record for record in data["tasks"].values()}


# --- add: the grammar ---------------------------------------------------------------------------


def test_add_keeps_a_hash_number_in_the_title(db: Path) -> None:
    ok("add", "Fix PR #123 review #work", db=db)
    [task] = listed(db)
    assert task["title"] == "Fix PR #123 review"
    assert task["tags"] == ["work"]


def test_add_takes_a_time_of_day_in_the_due_token(db: Path) -> None:
    tomorrow = date.today() + timedelta(days=1)
    ok("add", "Call the bank due:tomorrow@9am", db=db)
    [task] = listed(db)
    assert task["due"].startswith(f"{tomorrow.isoformat()}T09:00:00")
    assert task["title"] == "Call the bank"


def test_add_takes_a_quoted_due_of_several_words(db: Path) -> None:
    ok("add", 'Party due:"25 décembre 18h"', db=db)
    [task] = listed(db)
    assert task["due"][5:16] == "12-25T18:00"
    assert task["title"] == "Party"


def test_add_warns_on_stderr_when_a_time_follows_the_due_token(db: Path) -> None:
    result = ok("add", "Call the bank due:tomorrow 9am", db=db)
    assert "due:tomorrow@9am" in result.stderr
    assert result.stderr.startswith("eisenhower: warning: ")
    [task] = listed(db)
    assert task["title"] == "Call the bank 9am"
    assert len(task["due"]) == 10  # all day: the 9am did not silently become the time


def test_add_reads_day_first_numbers_in_french(db: Path) -> None:
    ok("add", "Noël due:25/12", db=db, env=FRENCH)
    ok("add", "Christmas due:12/25", db=db)
    assert [t["due"][5:] for t in listed(db)] == ["12-25", "12-25"]


def test_a_bad_due_token_hints_at_one_token_forms(db: Path) -> None:
    result = run_cli("add", "x due:someday", db=db)
    assert result.returncode == 2
    assert "tomorrow@9am" in result.stderr and "25 dec" not in result.stderr
    result = run_cli("add", "x", "--due", "someday", db=db)
    assert result.returncode == 2
    assert "tomorrow 9am" in result.stderr and "@" not in result.stderr
    assert not db.exists()


# --- list: the matrix's filter words ------------------------------------------------------------


def _seed_for_filters(db: Path) -> None:
    ok("add", "Quarterly report #work @bob", db=db)
    ok("add", "Report for the school #home", db=db)
    ok("add", "Old invoice #work due:2020-01-01", db=db)
    ok("add", "Call mum", db=db)


def test_list_takes_the_filter_words_of_the_matrix(db: Path) -> None:
    _seed_for_filters(db)
    shown = ok("list", "#work", "@bob", "report", db=db).stdout
    assert "Quarterly report" in shown
    assert "school" not in shown and "Old invoice" not in shown and "Call mum" not in shown
    assert "Old invoice" in ok("list", "overdue", db=db).stdout
    assert "Call mum" not in ok("list", "overdue", db=db).stdout


def test_list_json_takes_the_same_words(db: Path) -> None:
    _seed_for_filters(db)
    assert [t["title"] for t in listed(db, "#work")] == ["Old invoice", "Quarterly report"]
    assert [t["title"] for t in listed(db, "REPORT", "#ho")] == ["Report for the school"]
    assert listed(db, "#nothing") == []
    assert len(listed(db)) == 4


# --- show ---------------------------------------------------------------------------------------


def test_show_prints_everything_about_one_task_cleaned(db: Path) -> None:
    long_title = "Plan " + "very " * 60 + "long"
    ok(
        "add",
        f"{long_title} #work @bob !3 due:2020-03-01",
        "--note",
        "first\nsecond \x1b[31mred",
        db=db,
    )
    [task] = listed(db)
    ok("done", task["id"][:8], db=db)
    out = ok("show", task["id"][:6], db=db).stdout
    assert long_title in out  # the full title, never cut
    assert task["id"] in out
    assert "2020-03-01" in out and "overdue" in out  # absolute and relative
    assert "#work" in out and "@bob" in out
    assert "3 Delegate" in out
    assert "  first\n  second" in out
    assert "\x1b" not in out
    assert out.count(date.today().isoformat()) >= 3  # created, updated, done


def test_show_says_when_and_for_which_deadline_a_task_was_escalated(db: Path) -> None:
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    ok("add", "Renew passport due:tomorrow", db=db)  # Schedule, inside 48 h: made urgent
    [task] = listed(db)
    out = ok("show", task["id"][:8], db=db).stdout
    line = next(line for line in out.splitlines() if line.startswith("Escalation"))
    assert f"for the deadline {tomorrow}" in line and date.today().isoformat() in line
    assert "1 Do first" in out


def test_show_an_unknown_id_is_a_usage_error(db: Path) -> None:
    ok("add", "Something", db=db)
    result = run_cli("show", "ffffffff", db=db)
    assert result.returncode == 2 and "ffffffff" in result.stderr


# --- edit ---------------------------------------------------------------------------------------


def test_edit_changes_every_field_in_one_write(db: Path) -> None:
    ok("add", "Draft #old @alice", db=db)
    [task] = listed(db)
    out = ok(
        "edit",
        task["id"][:8],
        "--title",
        "Final \x1b[2J version",
        "--notes",
        "see mail",
        "--tag",
        "work",
        "--tag",
        "#Work",
        "--no-delegate",
        "--quadrant",
        "eliminate",
        "--due",
        "2030-05-01",
        db=db,
    ).stdout
    assert "Edited" in out
    [stored] = on_disk(db).values()
    assert stored["title"] == "Final version"
    assert stored["notes"] == "see mail"
    assert stored["tags"] == ["work"]  # the one tag rule: case-insensitive dedupe
    assert stored["delegate"] is None
    assert (stored["urgent"], stored["important"]) == (False, False)
    assert stored["due"] == "2030-05-01"


def test_edit_due_none_clears_and_a_quadrant_with_a_close_deadline_sticks(db: Path) -> None:
    ok("add", "Task due:2030-01-01", db=db)
    [task] = listed(db)
    ok("edit", task["id"][:8], "--due", "tomorrow 17:00", "--quadrant", "schedule", db=db)
    [seen] = listed(db)
    assert seen["quadrant"] == 2  # placed by the user for that deadline: not escalated
    ok("edit", task["id"][:8], "--due", "none", db=db)
    assert listed(db)[0]["due"] is None


def test_edit_refuses_bad_input_and_writes_nothing(db: Path) -> None:
    ok("add", "Task", db=db)
    [task] = listed(db)
    before = db.read_bytes()
    for args in (
        [],
        ["--due", "someday"],
        ["--title", "   "],
        ["--quadrant", "7"],
        ["--delegate", "bob", "--no-delegate"],
    ):
        result = run_cli("edit", task["id"][:8], *args, db=db)
        assert result.returncode == 2, (args, result.stderr)
        assert result.stderr.startswith("eisenhower: ")
    assert db.read_bytes() == before


# --- undo ---------------------------------------------------------------------------------------


def _one(db: Path) -> dict[str, Any]:
    [task] = listed(db, "--all")
    return task


def test_undo_takes_back_each_kind_of_cli_change(db: Path) -> None:
    ok("add", "Pay rent #home", db=db)
    task_id = _one(db)["id"]
    short = task_id[:8]
    original = _one(db)
    for command in (
        ["done", short],
        ["move", short, "do"],
        ["due", short, "2030-01-01"],
        ["edit", short, "--title", "Pay the rent", "--tag", "money"],
        ["rm", short],
    ):
        ok(*command, db=db)
        out = ok("undo", db=db).stdout
        assert out.startswith("Undone: ")
        assert {k: v for k, v in _one(db).items() if k != "updated"} == {
            k: v for k, v in original.items() if k != "updated"
        }, command
    ok("done", short, db=db)
    ok("undo-done", short, db=db)
    ok("undo", db=db)
    assert _one(db)["done"] is not None  # undoing undo-done: done again


def test_undo_of_add_leaves_a_tombstone_and_a_second_undo_has_nothing(db: Path) -> None:
    ok("add", "One", db=db)
    ok("add", "-", db=db, input="Two\nThree\n")
    ok("undo", db=db)
    assert [t["title"] for t in listed(db)] == ["One"]
    records = on_disk(db)
    assert sorted(r["title"] for r in records.values() if r.get("deleted")) == ["Three", "Two"]
    again = run_cli("undo", db=db)
    assert again.returncode == 2 and "nothing to undo" in again.stderr
    assert [t["title"] for t in listed(db)] == ["One"]


def test_undo_refuses_when_a_field_was_changed_since(db: Path) -> None:
    from eisenhower_tui.store import Store

    ok("add", "Original", db=db)
    task_id = _one(db)["id"]
    ok("edit", task_id[:8], "--title", "Edited here", db=db)
    Store(db).update(task_id, lambda t: setattr(t, "title", "Edited in the matrix"))
    before = db.read_bytes()
    result = run_cli("undo", db=db)
    assert result.returncode == 2
    assert "Edited in the matrix" in result.stderr and "title" in result.stderr
    assert "nothing was undone" in result.stderr
    assert db.read_bytes() == before


def test_undo_is_not_blocked_by_changes_to_other_fields(db: Path) -> None:
    from eisenhower_tui.store import Store

    ok("add", "Task", db=db)
    task_id = _one(db)["id"]
    ok("move", task_id[:8], "do", db=db)
    Store(db).update(task_id, lambda t: setattr(t, "notes", "added elsewhere"))
    ok("undo", db=db)
    task = _one(db)
    assert task["quadrant"] == 2 and task["notes"] == "added elsewhere"


def test_the_last_change_is_kept_beside_the_task_file_privately(db: Path) -> None:
    ok("add", "Task", db=db)
    record = db.with_name(db.name + ".last-change.json")
    assert record.stat().st_mode & 0o777 == 0o600
    data = json.loads(record.read_text())
    assert data["label"] == "add"
    assert data["edits"][0]["after"] == {"deleted": None}
    ok("done", _one(db)["id"][:8], "--db", str(db), db=None)
    assert json.loads(record.read_text())["label"] == "done"
    ok("undo", db=db)
    assert not record.exists()


def test_a_command_that_changes_nothing_keeps_the_change_to_undo(db: Path) -> None:
    ok("add", "Task", db=db)
    short = _one(db)["id"][:8]
    ok("done", short, db=db)
    ok("done", short, db=db)  # already done: no change
    ok("undo", db=db)
    assert _one(db)["done"] is None


def test_a_broken_record_is_nothing_to_undo(db: Path) -> None:
    ok("add", "Task", db=db)
    db.with_name(db.name + ".last-change.json").write_text("{not json")
    before = db.read_bytes()
    result = run_cli("undo", db=db)
    assert result.returncode == 2 and "nothing to undo" in result.stderr
    assert db.read_bytes() == before


# --- help ---------------------------------------------------------------------------------------


def test_help_is_translated_and_readable(db: Path) -> None:
    english = ok("--help", db=None).stdout
    assert "usage: eisenhower" in english and "show" in english and "undo" in english
    french = ok("--help", db=None, env=FRENCH).stdout
    assert "utilisation" in french and "afficher" in french.lower()
    assert "show this help" not in french
    edit_help = ok("edit", "--help", db=None, env=FRENCH).stdout
    assert "--no-delegate" in edit_help and "échéance" in edit_help
    for text in (english, french, edit_help):
        assert all(len(line) <= 100 for line in text.splitlines())
