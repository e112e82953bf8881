"""Export and import: round trips, Taskwarrior, todo.txt, CSV, hostile input, atomicity."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import os
import shutil
import stat
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from clock import NOW, PARIS
from conftest import run_cli
from icalendar import Calendar

from eisenhower_tui.domain.tasks import new_task
from eisenhower_tui.formats import (
    csv_guard,
    csv_unguard,
    detect_format,
    normalise_due,
    parse_import,
    plan_import,
    taskwarrior_due,
)
from eisenhower_tui.model import InvalidTask, Quadrant, Task
from eisenhower_tui.store import Store

FIXTURES = Path(__file__).parent / "fixtures"
SEED_NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def ok(*args: str, db: Path, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    result = run_cli(*args, db=db, **kwargs)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result


def listed(db: Path) -> list[dict[str, Any]]:
    return json.loads(ok("list", "--all", "--json", db=db).stdout)


def by_title(db: Path) -> dict[str, dict[str, Any]]:
    return {t["title"]: t for t in listed(db)}


def exported_json(db: Path) -> list[dict[str, Any]]:
    return json.loads(ok("export", "--format", "json", "--all", db=db).stdout)


def seed(db: Path) -> list[Task]:
    """A realistic matrix: every quadrant, both deadline kinds, notes, a done and an odd task."""
    tasks = [
        new_task("Pay rent", Quadrant.DO, due="2027-01-05", tags=["home"], now=SEED_NOW),
        new_task(
            'Call Bob, the "plumber"',
            Quadrant.DELEGATE,
            due="2027-01-05T17:00:00+01:00",
            delegate="bob",
            notes="line one\nline two, with a comma",
            now=SEED_NOW,
        ),
        new_task("=SUM(A1:A3) budget", Quadrant.SCHEDULE, tags=["money", "q1"], now=SEED_NOW),
        new_task("Réviser les cours — 日本語 ✓", Quadrant.SCHEDULE, now=SEED_NOW),
        new_task("Read *that* [book]", Quadrant.ELIMINATE, tags=["fun"], now=SEED_NOW),
        new_task("-5 kg before summer", Quadrant.ELIMINATE, now=SEED_NOW),
        new_task("'+quoted already", Quadrant.ELIMINATE, now=SEED_NOW),
    ]
    tasks[4].done = "2026-11-21T08:00:00+00:00"
    tasks[4].updated = "2026-11-21T08:00:00+00:00"
    tasks[0].escalated = "2026-11-20T09:00:00+00:00"
    tasks[0].escalated_for = "2027-01-05"
    tasks[2].extra = {"x_sync_tool": {"rev": 3}}
    for index, task in enumerate(tasks):
        task.order = float(index)
    Store(db).add(*tasks)
    return tasks


# --- JSON ---------------------------------------------------------------------------------------


def test_json_round_trip_then_reimport_adds_nothing(tmp_path: Path, db: Path) -> None:
    seed(db)
    source = exported_json(db)
    assert len(source) == 7
    assert {t["quadrant"] for t in source} == {1, 2, 3, 4}
    out = tmp_path / "export.json"
    ok("export", "--format", "json", "--all", "-o", str(out), db=db)
    other = tmp_path / "other.json"
    result = ok("import", str(out), db=other)
    assert result.stdout.strip() == "Imported 7 new, 0 already present"
    assert exported_json(other) == source

    before = other.read_bytes()
    again = ok("import", str(out), db=other)
    assert again.stdout.strip() == "Imported 0 new, 7 already present"
    assert other.read_bytes() == before


def test_json_and_csv_carry_done_tasks_markdown_and_ics_only_with_all(db: Path) -> None:
    seed(db)
    titles = [t["title"] for t in json.loads(ok("export", db=db).stdout)]
    assert "Read *that* [book]" in titles  # done: JSON is data, it carries every task
    assert len(titles) == 7
    rows = list(csv.reader(io.StringIO(ok("export", "-f", "csv", db=db).stdout, newline="")))
    assert len(rows) == 1 + 7
    assert "Read *that* [book]" in {row[1] for row in rows}
    for fmt in ("markdown", "ics"):
        assert "that" not in ok("export", "-f", fmt, db=db).stdout
        assert "that" in ok("export", "-f", fmt, "--all", db=db).stdout
    assert "markdown and ics" in ok("export", "--help", db=db).stdout


def test_import_a_whole_task_file_keeps_unknown_fields_and_skips_tombstones(
    tmp_path: Path, db: Path
) -> None:
    tasks = seed(db)
    ok("rm", tasks[5].id[:8], db=db)
    other = tmp_path / "other.json"
    result = ok("import", str(db), "--format", "json", db=other)
    assert result.stdout.startswith("Imported 6 new, 0 already present, 1 skipped (record 6:")
    imported = by_title(other)
    assert imported["=SUM(A1:A3) budget"]["x_sync_tool"] == {"rev": 3}
    assert "-5 kg before summer" not in imported
    assert imported["Pay rent"]["escalated_for"] == "2027-01-05"


def test_json_bad_record_is_named_by_number(tmp_path: Path, db: Path) -> None:
    source = tmp_path / "in.json"
    source.write_text(
        json.dumps(
            [
                {"title": "fine"},
                {"title": "bad due", "due": "next week"},
                {"title": "bad flag", "urgent": "maybe"},
                {"title": "", "quadrant": 1},
                {"title": "bad id", "id": "not-a-uuid"},
            ]
        )
    )
    result = run_cli("import", str(source), db=db)
    assert result.returncode == 2
    for fragment in ("record 2:", "record 3:", "record 4:", "record 5:", "4 invalid records"):
        assert fragment in result.stderr
    assert "record 1:" not in result.stderr
    assert not db.exists()


# --- CSV ----------------------------------------------------------------------------------------


def test_csv_round_trip_with_hostile_cells(tmp_path: Path, db: Path) -> None:
    seed(db)
    out = tmp_path / "export.csv"
    ok("export", "--format", "csv", "--all", "-o", str(out), db=db)
    text = out.read_text()
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == [
        "id",
        "title",
        "quadrant",
        "urgent",
        "important",
        "due",
        "tags",
        "delegate",
        "done",
        "created",
        "updated",
        "notes",
        # 0.2: the practice over weeks
        "recur",
        "recur_mode",
        "series",
        "wait",
        "follow_up",
        "delegated",
        "abandoned",
        "abandon_reason",
        "slips",
        "moves",
    ]
    titles = {row[1] for row in rows[1:]}
    # Formula injection guarded; commas, quotes, unicode survive.
    assert "'=SUM(A1:A3) budget" in titles
    assert "'-5 kg before summer" in titles
    assert "''+quoted already" in titles
    assert 'Call Bob, the "plumber"' in titles
    assert "Réviser les cours — 日本語 ✓" in titles
    assert not any(cell[:1] in ("=", "+", "-", "@") for row in rows for cell in row)
    money = next(row for row in rows if "SUM" in row[1])
    assert money[6] == "money q1"

    other = tmp_path / "other.json"
    result = ok("import", str(out), db=other)  # format guessed from the header
    assert result.stdout.strip() == "Imported 7 new, 0 already present"
    mine = {t["id"]: t for t in exported_json(db)}
    theirs = {t["id"]: t for t in exported_json(other)}
    assert mine.keys() == theirs.keys()
    for task_id, task in mine.items():
        for key in ("title", "quadrant", "due", "tags", "delegate", "done", "notes", "created"):
            assert theirs[task_id][key] == task[key], key
    assert ok("import", str(out), db=other).stdout.startswith("Imported 0 new, 7 already")


def test_csv_with_only_some_columns_and_no_ids(tmp_path: Path, db: Path) -> None:
    source = tmp_path / "mine.csv"
    source.write_text(
        "Title,Quadrant,Due,Tags,Done\n"
        'Plan the offsite,schedule,2027-02-01,"work, team",\n'
        "Fix the leak,1,2027-01-03 18:00,#home,no\n"
        "Old thing,4,,,yes\n"
    )
    result = ok("import", str(source), db=db)
    assert result.stdout.strip() == "Imported 3 new, 0 already present"
    tasks = by_title(db)
    assert tasks["Plan the offsite"]["quadrant"] == 2
    assert tasks["Plan the offsite"]["tags"] == ["work", "team"]
    assert tasks["Fix the leak"]["due"] == "2027-01-03T18:00:00+01:00"
    assert tasks["Fix the leak"]["tags"] == ["home"]
    assert tasks["Old thing"]["done"] is not None
    assert ok("import", str(source), db=db).stdout.startswith("Imported 0 new, 3 already")


def test_csv_with_ids_but_no_timestamps_is_not_an_update_every_time(
    tmp_path: Path, db: Path
) -> None:
    source = tmp_path / "ids.csv"
    source.write_text("id,title\n6f1c9a8e-2b7d-4c3e-9a51-0d2e8f4b7c10,Same every time\n")
    assert ok("import", str(source), db=db).stdout.strip() == "Imported 1 new, 0 already present"
    before = db.read_bytes()
    again = ok("import", str(source), db=db)
    assert again.stdout.strip() == "Imported 0 new, 1 already present"
    assert db.read_bytes() == before


def test_csv_guard_is_reversible() -> None:
    for value in ["=1+1", "+x", "-x", "@x", "'=x", "''@x", "'plain", "plain", "", "a=b", "\tx"]:
        guarded = csv_guard(value)
        assert guarded[:1] not in ("=", "+", "-", "@", "\t")
        assert csv_unguard(guarded) == value


# --- Markdown and ICS ---------------------------------------------------------------------------


def test_markdown_has_four_sections_and_escapes_titles(db: Path) -> None:
    seed(db)
    text = ok("export", "--format", "markdown", "--all", db=db).stdout
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings == [
        "## 1 · Do first (1)",
        "## 2 · Schedule (2)",
        "## 3 · Delegate (1)",
        "## 4 · Eliminate (3)",
    ]
    assert "- [ ] Pay rent — due 2027-01-05 #home" in text
    assert '- [ ] Call Bob, the "plumber" — due 2027-01-05 17:00 @bob' in text
    assert "- [x] Read \\*that\\* \\[book\\] #fun" in text
    open_only = ok("export", "--format", "markdown", db=db).stdout
    assert "- [x]" not in open_only
    assert "## 4 · Eliminate (2)" in open_only


def test_ics_parses_back_with_the_right_fields(db: Path) -> None:
    tasks = seed(db)
    payload = ok("export", "--format", "ics", "--all", db=db).stdout
    calendar = Calendar.from_ical(payload)
    assert str(calendar["VERSION"]) == "2.0"
    assert "eisenhower" in str(calendar["PRODID"])
    todos = {str(todo["UID"]): todo for todo in calendar.walk("VTODO")}
    assert set(todos) == {t.id for t in tasks}

    rent = todos[tasks[0].id]
    assert type(rent["DUE"].dt) is date
    assert rent["DUE"].dt == date(2027, 1, 5)
    assert rent["PRIORITY"] == 1
    assert [str(c) for c in rent["CATEGORIES"].cats] == ["home"]
    assert rent["STATUS"] == "NEEDS-ACTION"
    assert str(rent["SUMMARY"]) == "Pay rent"

    bob = todos[tasks[1].id]
    assert isinstance(bob["DUE"].dt, datetime)
    assert bob["DUE"].dt == datetime(2027, 1, 5, 16, 0, tzinfo=UTC)
    assert bob["DUE"].dt.utcoffset() == timedelta(0)
    assert bob["PRIORITY"] == 5
    assert str(bob["DESCRIPTION"]) == "line one\nline two, with a comma"
    assert "CATEGORIES" not in bob

    money = todos[tasks[2].id]
    assert money["PRIORITY"] == 5
    assert [str(c) for c in money["CATEGORIES"].cats] == ["money", "q1"]
    assert "DUE" not in money

    book = todos[tasks[4].id]
    assert book["PRIORITY"] == 9
    assert book["STATUS"] == "COMPLETED"
    assert book["COMPLETED"].dt == datetime(2026, 11, 21, 8, 0, tzinfo=UTC)
    for todo in todos.values():
        for name in ("DTSTAMP", "CREATED", "LAST-MODIFIED"):
            assert todo[name].dt.tzinfo is not None


def test_export_to_a_file_is_private_and_never_the_task_file(tmp_path: Path, db: Path) -> None:
    seed(db)
    out = tmp_path / "matrix.md"
    result = ok("export", "--format", "markdown", "-o", str(out), db=db)
    assert "Exported 6 tasks" in result.stdout
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert out.read_text().startswith("# Eisenhower matrix")
    before = db.read_bytes()
    refused = run_cli("export", "-o", str(db), db=db)
    assert refused.returncode == 2
    assert "task file itself" in refused.stderr
    assert db.read_bytes() == before
    missing = run_cli("export", "-o", str(tmp_path / "nope" / "x.json"), db=db)
    assert missing.returncode == 1
    assert "does not exist" in missing.stderr


# --- Taskwarrior --------------------------------------------------------------------------------


def test_taskwarrior_fixture(db: Path) -> None:
    result = ok("import", str(FIXTURES / "taskwarrior.json"), db=db)
    assert result.stdout.strip() == (
        "Imported 7 new, 0 already present, 2 skipped "
        "(record 6: deleted in Taskwarrior; record 7: a recurring template)"
    )
    tasks = by_title(db)
    assert len(tasks) == 7

    rent = tasks["Pay the rent"]
    assert rent["id"] == "6f1c9a8e-2b7d-4c3e-9a51-0d2e8f4b7c10"
    assert rent["quadrant"] == 1  # H
    assert rent["due"] == "2027-02-01"  # local midnight in UTC -> all-day
    assert rent["tags"] == ["home", "money", "Home.finance"]
    assert rent["notes"] == (
        "2026-11-21: IBAN is in the lease PDF\n2026-11-22: ask about the heating bill"
    )
    assert rent["created"] == "2026-11-20T08:15:00+00:00"
    assert rent["updated"] == "2026-11-21T09:00:00+00:00"

    slides = tasks["Prepare the quarterly review slides"]
    assert slides["quadrant"] == 2  # M
    assert slides["due"] == "2027-01-15T17:30:00+01:00"  # timed, in local time
    assert slides["tags"] == ["work"]  # project "work" is the same tag

    assert tasks["Reply to the newsletter survey"]["quadrant"] == 4  # L
    dentist = tasks["Book the dentist"]
    assert dentist["quadrant"] == 2  # no priority
    assert dentist["due"] == "2027-02-05"  # 23:59:59 local (due:eod) -> all-day

    passport = tasks["Renew the passport"]
    assert passport["done"] == "2026-11-19T17:15:00+00:00"
    assert passport["quadrant"] == 1

    plants = tasks["Water the plants"]
    assert plants["id"] == "091a2b3c-4d5e-4f6a-9b7c-8d9e0f1a2b3c"  # the instance, not the template
    assert plants["due"] == "2026-12-02"

    waiting = tasks["Follow up with the accountant"]
    assert waiting["done"] is None
    assert "waiting until 2037-01-01" in waiting["notes"]
    assert "Old idea we dropped" not in tasks

    again = ok("import", str(FIXTURES / "taskwarrior.json"), db=db)
    assert again.stdout.startswith("Imported 0 new, 7 already present, 2 skipped")


def test_taskwarrior_newer_modified_updates_and_local_deletion_stands(
    tmp_path: Path, db: Path
) -> None:
    ok("import", str(FIXTURES / "taskwarrior.json"), db=db)
    survey = by_title(db)["Reply to the newsletter survey"]
    ok("move", survey["id"][:8], "1", db=db)  # our edit is newer than the file's
    dentist = by_title(db)["Book the dentist"]
    ok("rm", dentist["id"][:8], db=db)

    records = json.loads((FIXTURES / "taskwarrior.json").read_text())
    for record in records:
        if record["description"] == "Pay the rent":
            record["description"] = "Pay the rent (new amount)"
            record["modified"] = "20261125T120000Z"
    newer = tmp_path / "tw.json"
    newer.write_text(json.dumps(records))
    result = ok("import", str(newer), db=db)
    assert result.stdout.startswith(
        "Imported 0 new, 6 already present, 1 updated (newer in the file)"
    )
    tasks = by_title(db)
    assert "Pay the rent (new amount)" in tasks
    assert tasks["Reply to the newsletter survey"]["quadrant"] == 1
    assert "Book the dentist" not in tasks


def test_real_taskwarrior_export_imports(tmp_path: Path, db: Path) -> None:
    binary = shutil.which("task")
    if binary is None:
        pytest.skip("the Taskwarrior `task` binary is not installed")
    data = tmp_path / "taskdata"
    data.mkdir()
    rc = tmp_path / "taskrc"
    rc.write_text("")
    env = {**os.environ, "TASKDATA": str(data), "TASKRC": str(rc), "TZ": "Europe/Paris"}
    base = [binary, "rc.confirmation=off", "rc.verbose=nothing", "rc.hooks=off"]

    def task(*args: str) -> str:
        done = subprocess.run(
            [*base, *args], env=env, capture_output=True, text=True, check=True, timeout=30
        )
        return done.stdout

    task("add", "Pay rent", "priority:H", "due:2027-03-01", "+home", "project:Home.finance")
    task("add", "Quarterly slides", "priority:M", "due:2027-03-01T17:30")
    task("add", "Newsletter survey", "priority:L")
    task("add", "Done thing")
    task("description.is:Done thing", "done")
    task("add", "To delete")
    task("description.is:To delete", "delete")
    task("description.is:Pay rent", "annotate", "call the bank first")
    export = tmp_path / "export.json"
    export.write_text(task("export"))

    result = ok("import", str(export), db=db)
    assert result.stdout.startswith("Imported 4 new, 0 already present, 1 skipped")
    tasks = by_title(db)
    assert tasks["Pay rent"]["quadrant"] == 1
    assert tasks["Pay rent"]["due"] == "2027-03-01"
    assert tasks["Pay rent"]["tags"] == ["home", "Home.finance"]
    assert tasks["Pay rent"]["notes"].endswith(": call the bank first")
    assert tasks["Quarterly slides"]["due"] == "2027-03-01T17:30:00+01:00"
    assert tasks["Quarterly slides"]["quadrant"] == 2
    assert tasks["Newsletter survey"]["quadrant"] == 4
    assert tasks["Done thing"]["done"] is not None
    assert ok("import", str(export), db=db).stdout.startswith("Imported 0 new, 4 already")


def test_taskwarrior_due_mapping() -> None:
    assert taskwarrior_due("20270131T230000Z", PARIS) == "2027-02-01"
    assert taskwarrior_due("20270630T220000Z", PARIS) == "2027-07-01"  # summer time
    assert taskwarrior_due("20270205T225959Z", PARIS) == "2027-02-05"
    assert taskwarrior_due("20270115T163000Z", PARIS) == "2027-01-15T17:30:00+01:00"
    assert taskwarrior_due(None, PARIS) is None
    with pytest.raises(InvalidTask):
        taskwarrior_due("tomorrow", PARIS)


# --- todo.txt -----------------------------------------------------------------------------------


def test_todotxt_fixture(db: Path) -> None:
    result = ok("import", str(FIXTURES / "todo.txt"), db=db)
    assert result.stdout.strip() == "Imported 8 new, 0 already present"
    tasks = by_title(db)
    mom = tasks["Call mom about Christmas"]
    assert mom["quadrant"] == 1
    assert mom["tags"] == ["family", "phone"]
    assert mom["delegate"] is None  # @context is a tag, never the delegate
    assert mom["due"] == "2027-01-02"
    assert mom["created"] == "2026-11-19T23:00:00+00:00"  # 2026-11-20 in Paris
    plan = tasks["Write the project plan"]
    assert (plan["quadrant"], plan["tags"]) == (2, ["work"])
    assert plan["notes"] == "todo.txt: t:2026-12-01"
    assert tasks["Ask Sam to renew the domain"]["quadrant"] == 3
    assert tasks["Sort old photos"]["quadrant"] == 4
    assert tasks["Buy coffee beans"]["quadrant"] == 2  # no priority
    tax = tasks["File the tax return"]
    assert tax["done"] == "2026-11-21T23:00:00+00:00"
    assert tax["created"] == "2026-11-19T23:00:00+00:00"
    assert (tax["quadrant"], tax["tags"]) == (1, ["admin"])  # pri:A of a done line
    recycling = tasks["Take out the recycling"]
    assert recycling["done"] is not None
    article = tasks["Look at https://example.org/article"]
    assert (article["quadrant"], article["notes"]) == (4, "todo.txt: rec:1w")

    before = db.read_bytes()
    again = ok("import", str(FIXTURES / "todo.txt"), db=db)
    assert again.stdout.strip() == "Imported 0 new, 8 already present"
    assert db.read_bytes() == before


def test_todotxt_matches_tasks_added_by_hand_and_duplicate_lines(tmp_path: Path, db: Path) -> None:
    ok("add", "Buy milk", db=db)
    source = tmp_path / "todo.txt"
    source.write_text("buy  MILK\nCall Ann\nCall Ann\n")
    result = ok("import", str(source), db=db)
    assert result.stdout.strip() == "Imported 2 new, 1 already present"
    assert [t["title"] for t in listed(db)].count("Call Ann") == 2
    assert ok("import", str(source), db=db).stdout.strip() == "Imported 0 new, 3 already present"


def test_bad_line_writes_nothing_and_names_the_line(tmp_path: Path, db: Path) -> None:
    ok("add", "Existing task", db=db)
    before = db.read_bytes()
    source = tmp_path / "todo.txt"
    source.write_text(
        "(A) Good one\n\n(B) +only @tags\nAnother good one\nBad date due:2026-02-30\n"
    )
    result = run_cli("import", str(source), db=db)
    assert result.returncode == 2
    assert "line 3:" in result.stderr
    assert "line 5:" in result.stderr
    assert "2026-02-30" in result.stderr
    assert "--skip-invalid" in result.stderr
    assert "Traceback" not in result.stderr
    assert db.read_bytes() == before

    skipped = ok("import", str(source), "--skip-invalid", db=db)
    assert skipped.stdout.startswith("Imported 2 new, 0 already present, 2 skipped (line 3:")
    assert "line 5:" in skipped.stderr
    assert {"Good one", "Another good one", "Existing task"} == set(by_title(db))


def test_hostile_titles_are_sanitised(tmp_path: Path, db: Path) -> None:
    source = tmp_path / "todo.txt"
    source.write_text(
        "Pay \x1b[31mred\x1b[0m bill\n"
        "Title \x1b]52;c;ZXZpbA==\x07with clipboard\n"
        "[bold]not bold[/] text\n"
        "abc\u202edcba\u2066 isolate\n",
        encoding="utf-8",
    )
    ok("import", str(source), db=db)
    titles = {t["title"] for t in listed(db)}
    assert titles == {
        "Pay red bill",
        "Title with clipboard",
        "[bold]not bold[/] text",
        "abcdcba isolate",
    }
    hostile = tmp_path / "in.json"
    hostile.write_text(
        json.dumps(
            [
                {
                    "title": "\x1b[2Jwipe",
                    "tags": ["#a\x1bb"],
                    "notes": "x\x07y",
                    "delegate": "@b\u202e",
                }
            ]
        )
    )
    ok("import", str(hostile), db=db)
    wipe = by_title(db)["wipe"]
    assert (wipe["tags"], wipe["notes"], wipe["delegate"]) == (["a"], "xy", "b")  # ESC b: gone


def test_dry_run_writes_nothing_and_lists_what_it_would_add(tmp_path: Path, db: Path) -> None:
    result = ok("import", str(FIXTURES / "todo.txt"), "--dry-run", db=db)
    lines = result.stdout.splitlines()
    assert lines[0] == "Would import 8 new, 0 already present"
    assert len(lines) == 1 + 8
    assert all(line.startswith("  + ") for line in lines[1:])
    assert any(line.endswith("  Call mom about Christmas") for line in lines[1:])
    assert not db.exists()
    ok("add", "Buy coffee beans", db=db)
    before = db.read_bytes()
    result = ok("import", str(FIXTURES / "todo.txt"), "--dry-run", db=db)
    lines = result.stdout.splitlines()
    assert lines[0] == "Would import 7 new, 1 already present"
    assert not any("Buy coffee beans" in line for line in lines[1:])
    assert db.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".tasks")] == []


def test_dry_run_lines_are_cleaned_and_cut_at_60_characters(tmp_path: Path, db: Path) -> None:
    source = tmp_path / "todo.txt"
    long_title = "A very long title " + "x" * 80
    source.write_text(f"{long_title}\nShort \x1b]0;pwned\x07one \u202eend\n")
    lines = ok("import", str(source), "--dry-run", db=db).stdout.splitlines()
    assert lines[0] == "Would import 2 new, 0 already present"
    shown = [line.split("  ", 2)[2] for line in lines[1:]]
    assert shown == [long_title[:59] + "…", "Short one end"]
    assert_terminal_safe("\n".join(lines))


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"\xff\xfe\x00bad", "not UTF-8"),
        (b'[{"title": "a",}', "not valid JSON"),
        (b'{"something": "else"}', "neither"),
        (b"Title,Due\n", None),
    ],
)
def test_unusable_files_exit_2(
    tmp_path: Path, db: Path, content: bytes, fragment: str | None
) -> None:
    source = tmp_path / "in.dat"
    source.write_bytes(content)
    result = run_cli("import", str(source), db=db)
    if fragment is None:  # a header alone is a valid, empty CSV
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == "Imported 0 new, 0 already present"
    else:
        assert result.returncode == 2
        assert fragment in result.stderr
        assert "Traceback" not in result.stderr
    assert not db.exists()


def test_a_corrupt_task_file_is_a_storage_error_and_left_alone(tmp_path: Path, db: Path) -> None:
    db.write_text("{not json")
    for extra in ((), ("--dry-run",)):
        result = run_cli("import", str(FIXTURES / "todo.txt"), *extra, db=db)
        assert result.returncode == 1
        assert "Traceback" not in result.stderr
    assert db.read_text() == "{not json"


def test_missing_file_exits_2(tmp_path: Path, db: Path) -> None:
    result = run_cli("import", str(tmp_path / "nope.txt"), db=db)
    assert result.returncode == 2
    assert "no such file" in result.stderr


def test_explicit_format_wins_over_detection(tmp_path: Path, db: Path) -> None:
    source = tmp_path / "list.txt"
    source.write_text("title,quadrant\n")
    ok("import", str(source), "--format", "todotxt", db=db)
    assert [t["title"] for t in listed(db)] == ["title,quadrant"]


# --- units --------------------------------------------------------------------------------------


def test_detect_format() -> None:
    tw = (FIXTURES / "taskwarrior.json").read_text()
    assert detect_format(tw) == "taskwarrior"
    assert detect_format('[{"id": "x", "title": "a"}]') == "json"
    assert detect_format('{"tasks": {}, "meta": {}}') == "json"
    assert detect_format("[]") == "json"
    assert detect_format("id,title,quadrant\n1,a,2\n") == "csv"
    assert detect_format("(A) Call mom\n") == "todotxt"
    assert detect_format("[ ] a todo that looks like markdown\n") == "todotxt"
    lines = '{"uuid": "6f1c9a8e-2b7d-4c3e-9a51-0d2e8f4b7c10", "description": "a"},\n'
    assert detect_format(lines * 2) == "taskwarrior"


def test_old_taskwarrior_one_object_per_line() -> None:
    text = (
        '{"uuid":"6f1c9a8e-2b7d-4c3e-9a51-0d2e8f4b7c10","description":"a","status":"pending"},\n'
        '{"uuid":"a3d4e5f6-0718-4293-a4b5-c6d7e8f90a1b","description":"","status":"pending"}\n'
    )
    parsed = parse_import(text, None, NOW)
    assert [item.task.title for item in parsed.items] == ["a"]
    assert parsed.problems == ["line 2: the title is empty; type what the task is"]


def test_normalise_due() -> None:
    assert normalise_due("2027-01-05", PARIS) == "2027-01-05"
    assert normalise_due("2027-01-05T17:00", PARIS) == "2027-01-05T17:00:00+01:00"
    assert normalise_due("2027-01-05T17:00:00Z", PARIS) == "2027-01-05T17:00:00+00:00"
    assert normalise_due("", PARIS) is None
    for bad in ("2027-02-30", "friday", "0001-01-01", "05/01/2027"):
        with pytest.raises(InvalidTask):
            normalise_due(bad, PARIS)


def test_plan_import_prefers_ids_then_content() -> None:
    parsed = parse_import("Buy milk\nBuy milk\n", "todotxt", NOW)
    existing = [new_task("buy milk", now=NOW)]
    plan = plan_import(parsed.items, existing)
    assert (len(plan.new), plan.present) == (1, 1)
    # After the import, the deterministic ids match even if a title was edited since.
    renamed = [*existing, *plan.new]
    renamed[1].title = "Buy oat milk"
    plan = plan_import(parsed.items, renamed)
    assert (len(plan.new), plan.present) == (0, 2)


# --- exports as clean as `list` -----------------------------------------------------------------

HOSTILE = ["\x1b]0;pwned\x07", "\x1b]52;c;aGVsbG8=\x07", "\x9b31m", "\u202e"]
BIDI_OVERRIDES = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def assert_terminal_safe(text: str) -> None:
    """No ESC, no C1 control (U+0080-U+009F), no bidi override or isolate."""
    assert "\x1b" not in text
    assert not [ch for ch in text if 0x80 <= ord(ch) <= 0x9F]
    assert not [ch for ch in text if ch in BIDI_OVERRIDES]


def write_hostile_task_file(db: Path) -> None:
    """A task file written by hand or by another tool: nothing cleaned on the way in."""
    records = {}
    for number, bad in enumerate(HOSTILE, 1):
        records[str(number)] = {
            "id": f"6f1c9a8e-2b7d-4c3e-9a51-0d2e8f4b7c1{number}",
            "title": f"Task {number} {bad} end",
            "notes": f"first {bad}\nsecond {bad}",
            "urgent": number % 2 == 0,
            "important": True,
            "due": "2027-01-05" if number < 3 else "2027-01-05T17:00:00+01:00",
            "tags": [f"tag{bad}{number}"],
            "delegate": f"bob{bad}",
            "done": None if number < 4 else "2026-11-21T08:00:00+00:00",
            "created": "2026-11-20T09:00:00+00:00",
            "updated": "2026-11-20T09:00:00+00:00",
            f"x_field{bad}": {"nested": [f"value {bad}"]},
        }
    db.write_text(json.dumps({"tasks": records, "meta": {"1": {"schema_version": 1}}}))


@pytest.mark.parametrize("fmt", ["json", "csv", "markdown", "ics"])
def test_exports_of_a_hostile_task_file_carry_no_escape_c1_or_bidi(db: Path, fmt: str) -> None:
    write_hostile_task_file(db)
    result = subprocess.run(  # the bytes exactly as a terminal would receive them
        [sys.executable, "-m", "eisenhower_tui", "--db", str(db), "export", "-f", fmt, "--all"],
        capture_output=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    text = result.stdout.decode("utf-8")
    assert_terminal_safe(text)
    assert "Task 1" in text and "end" in text
    if fmt == "json":
        records = json.loads(text)
        assert len(records) == 4
        assert_terminal_safe(json.dumps(records, ensure_ascii=False))  # jq -r prints the values
        assert records[0]["notes"].count("\n") == 1  # notes keep their lines


def test_import_messages_quote_file_names_headers_and_values_cleanly(
    tmp_path: Path, db: Path
) -> None:
    source = tmp_path / "bad\x1b]0;pwned\x07name.csv"
    source.write_text("title,quadrant,due\nok,\x1b]52;c;aGVsbG8=\x07,2027-01-01\n")
    result = run_cli("import", str(source), db=db)
    assert result.returncode == 2
    assert "badname.csv" in result.stderr
    assert "line 2:" in result.stderr
    assert_terminal_safe(result.stderr)
    assert not db.exists()


# --- the edges of the calendar, big cells, picking the reader -----------------------------------


def test_a_year_9999_deadline_imports_and_exports_in_every_format(tmp_path: Path, db: Path) -> None:
    """23:59:59 UTC on 9999-12-31 is already year 10000 in Paris: no OverflowError anywhere."""
    source = tmp_path / "far.csv"
    source.write_text(
        "title,due\n"
        "All-day,9999-12-31\n"
        "Timed UTC,9999-12-31T23:59:59+00:00\n"
        "Timed west,9999-12-31T23:59:59-05:00\n"
        "Timed local,9999-12-31T23:59:59\n"
    )
    assert ok("import", str(source), db=db).stdout.startswith("Imported 4 new")
    dues = {t["title"]: t["due"] for t in listed(db)}
    assert dues["All-day"] == "9999-12-31"
    assert dues["Timed UTC"] == "9999-12-31T23:59:59+00:00"
    for fmt in ("json", "csv", "markdown", "ics"):
        out = ok("export", "-f", fmt, db=db).stdout
        assert "All-day" in out and "Timed west" in out
    ics = tmp_path / "far.ics"
    ok("export", "-f", "ics", "-o", str(ics), db=db)
    other = tmp_path / "other.json"
    assert ok("import", str(ics), db=other).stdout.startswith("Imported 4 new")
    assert {t["title"]: t["due"] for t in listed(other)}["All-day"] == "9999-12-31"

    warrior = tmp_path / "tw.json"
    warrior.write_text(
        json.dumps(
            [
                {
                    "uuid": "6f1c9a8e-2b7d-4c3e-9a51-0d2e8f4b7c10",
                    "description": "Far away",
                    "status": "pending",
                    "due": "99991231T235959Z",
                    "wait": "99991231T235959Z",
                    "entry": "20261120T081500Z",
                }
            ]
        )
    )
    ok("import", str(warrior), db=db)
    assert by_title(db)["Far away"]["due"] == "9999-12-31T23:59:59+00:00"
    assert "waiting until 9999-12-31" in by_title(db)["Far away"]["notes"]


def test_skip_invalid_reports_each_oversized_csv_row_and_imports_the_rest(
    tmp_path: Path, db: Path
) -> None:
    big = "x" * 200_000  # beyond csv.field_size_limit() (131,072)
    source = tmp_path / "big.csv"
    source.write_text(
        "title,notes\n"
        "Before,\n"
        f"{big},unquoted and huge\n"
        "Between,\n"
        f'"Quoted huge","{big}\nspanning two lines"\n'
        "After,last\n"
    )
    stopped = run_cli("import", str(source), db=db)
    assert stopped.returncode == 2
    assert "line 3: a cell has 200000 characters" in stopped.stderr
    assert "line 5: a cell has 200019 characters" in stopped.stderr
    assert not db.exists()

    result = ok("import", str(source), "--skip-invalid", db=db)
    assert result.stdout.startswith("Imported 3 new, 0 already present, 2 skipped (line 3:")
    assert "skipped line 3:" in result.stderr
    assert "skipped line 5:" in result.stderr
    assert set(by_title(db)) == {"Before", "Between", "After"}
    assert by_title(db)["After"]["notes"] == "last"


def test_a_csv_file_is_read_as_csv_even_with_a_title_only_header(tmp_path: Path, db: Path) -> None:
    source = tmp_path / "titles.csv"
    source.write_text('title\nBuy milk\n"Call Ann, about the trip"\n')
    assert ok("import", str(source), db=db).stdout.strip() == "Imported 2 new, 0 already present"
    assert set(by_title(db)) == {"Buy milk", "Call Ann, about the trip"}
    assert ok("import", str(source), db=db).stdout.strip() == "Imported 0 new, 2 already present"


def test_a_csv_file_without_a_title_column_stops_naming_its_header(
    tmp_path: Path, db: Path
) -> None:
    source = tmp_path / "contacts.csv"
    source.write_text("Name,Phone,Due\nAnn,555-1234,2027-01-01\n")
    result = run_cli("import", str(source), db=db)
    assert result.returncode == 2
    assert "the CSV header (Name, Phone, Due) has no 'title' column" in result.stderr
    assert "Nothing was written" in result.stderr
    assert "Traceback" not in result.stderr
    assert not db.exists()


def test_our_ics_export_imports_back_and_a_second_import_adds_nothing(
    tmp_path: Path, db: Path
) -> None:
    tasks = seed(db)
    source = tmp_path / "tasks.ics"
    ok("export", "-f", "ics", "--all", "-o", str(source), db=db)
    other = tmp_path / "other.json"
    assert ok("import", str(source), db=other).stdout.strip() == (
        "Imported 7 new, 0 already present"
    )
    mine = {t["id"]: t for t in exported_json(db)}
    theirs = {t["id"]: t for t in exported_json(other)}
    assert mine.keys() == theirs.keys() == {t.id for t in tasks}
    for task_id, task in mine.items():
        for key in ("title", "quadrant", "tags", "delegate", "notes", "created", "updated"):
            assert theirs[task_id][key] == task[key], key
        assert (theirs[task_id]["done"] is None) == (task["done"] is None)
    assert theirs[tasks[0].id]["due"] == "2027-01-05"
    assert theirs[tasks[1].id]["due"] == "2027-01-05T17:00:00+01:00"
    assert theirs[tasks[1].id]["quadrant"] == 3  # PRIORITY 5, X-EISENHOWER-QUADRANT 3
    assert theirs[tasks[4].id]["done"] == "2026-11-21T08:00:00+00:00"

    before = other.read_bytes()
    again = ok("import", str(source), db=other)
    assert again.stdout.strip() == "Imported 0 new, 7 already present"
    assert other.read_bytes() == before


def test_an_ics_from_another_app_maps_priority_status_and_categories(
    tmp_path: Path, db: Path
) -> None:
    source = tmp_path / "from-thunderbird.ics"
    source.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Other//App//EN\r\n"
        "BEGIN:VTODO\r\nUID:abc-123@example.org\r\nDTSTAMP:20261120T090000Z\r\n"
        "SUMMARY:Renew insurance\r\nPRIORITY:2\r\nDUE;VALUE=DATE:20270115\r\n"
        "CATEGORIES:admin,money\r\nDESCRIPTION:Policy 42\\nCall first\r\nEND:VTODO\r\n"
        "BEGIN:VTODO\r\nUID:def-456@example.org\r\nDTSTAMP:20261120T090000Z\r\n"
        "SUMMARY:Sort photos\r\nPRIORITY:9\r\nDUE:20270301T180000\r\nEND:VTODO\r\n"
        "BEGIN:VTODO\r\nUID:ghi-789@example.org\r\nDTSTAMP:20261120T090000Z\r\n"
        "SUMMARY:Old errand\r\nSTATUS:COMPLETED\r\nCOMPLETED:20261119T100000Z\r\nEND:VTODO\r\n"
        "BEGIN:VTODO\r\nUID:jkl-000@example.org\r\nDTSTAMP:20261120T090000Z\r\n"
        "SUMMARY:Dropped idea\r\nSTATUS:CANCELLED\r\nEND:VTODO\r\n"
        "BEGIN:VEVENT\r\nUID:ev-1@example.org\r\nDTSTAMP:20261120T090000Z\r\n"
        "DTSTART:20261201T090000Z\r\nSUMMARY:A meeting\r\nEND:VEVENT\r\n"
        "END:VCALENDAR\r\n"
    )
    result = ok("import", str(source), db=db)
    assert result.stdout.strip() == (
        "Imported 3 new, 0 already present, 2 skipped (to-do 4: cancelled; event 1: an event, "
        "not a to-do)"
    )
    tasks = by_title(db)
    assert set(tasks) == {"Renew insurance", "Sort photos", "Old errand"}
    insurance = tasks["Renew insurance"]
    assert (insurance["quadrant"], insurance["due"]) == (1, "2027-01-15")
    assert insurance["tags"] == ["admin", "money"]
    assert insurance["notes"] == "Policy 42\nCall first"
    photos = tasks["Sort photos"]
    assert (photos["quadrant"], photos["due"]) == (4, "2027-03-01T18:00:00+01:00")  # floating
    assert tasks["Old errand"]["done"] == "2026-11-19T10:00:00+00:00"
    assert ok("import", str(source), db=db).stdout.startswith("Imported 0 new, 3 already present")


def test_import_format_choices_are_the_registry() -> None:
    from eisenhower_tui.cli import build_parser
    from eisenhower_tui.formats import EXPORT_FORMATS, IMPORT_FORMATS

    parser = build_parser()
    commands = next(a for a in parser._actions if a.dest == "command")
    choices = {
        name: next(a.choices for a in sub._actions if a.dest == "format")
        for name, sub in commands.choices.items()  # type: ignore[union-attr]
        if name in ("import", "export")
    }
    assert list(choices["import"]) == list(IMPORT_FORMATS)
    assert "ics" in IMPORT_FORMATS
    assert list(choices["export"]) == list(EXPORT_FORMATS)


def test_the_ics_export_rings_before_open_deadlines_and_not_for_done_tasks(db: Path) -> None:
    from icalendar import Calendar

    Store(db).add(
        new_task("Timed call", due="2026-12-01T17:00:00+01:00", now=NOW),
        new_task("All day", due="2026-12-02", now=NOW),
        dataclasses.replace(
            new_task("Finished", due="2026-12-03", now=NOW), done="2026-11-26T09:00:00+00:00"
        ),
    )
    result = run_cli("export", "--format", "ics", "--all", db=db)
    assert result.returncode == 0, result.stderr
    todos = {str(t["summary"]): t for t in Calendar.from_ical(result.stdout).walk("VTODO")}
    timed = todos["Timed call"].walk("VALARM")
    all_day = todos["All day"].walk("VALARM")
    assert [str(a["trigger"].to_ical(), "ascii") for a in timed] == ["-PT15M"]
    assert [str(a["trigger"].to_ical(), "ascii") for a in all_day] == ["PT9H"]
    assert todos["Finished"].walk("VALARM") == []
