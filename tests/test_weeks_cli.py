"""The practice over weeks from the command line: real processes on real files."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

from conftest import run_cli

from eisenhower_tui.domain.recurrence import instance_id


def ok(*args: str, db: Path, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    result = run_cli(*args, db=db, **kwargs)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result


def listed(db: Path, *extra: str) -> list[dict[str, Any]]:
    return json.loads(ok("list", "--json", *extra, db=db).stdout)


def added(db: Path, *args: str) -> dict[str, Any]:
    before = {t["id"] for t in listed(db, "--all")}
    ok("add", *args, db=db)
    [new] = [t for t in listed(db, "--all") if t["id"] not in before]
    return new


def rent_tasks(db: Path) -> list[dict[str, Any]]:
    return [t for t in listed(db, "--all") if t["title"] == "Pay rent"]


# --- recurrence ---------------------------------------------------------------------------------


def test_done_on_a_monthly_task_creates_the_january_instance_once(db: Path) -> None:
    rent = added(db, "Pay rent every:month due:2026-12-01 !i")
    assert (rent["recur"], rent["recur_mode"], rent["series"]) == (
        "FREQ=MONTHLY",
        "fixed",
        rent["id"],
    )

    first = ok("done", rent["id"][:8], db=db)
    assert "Next" in first.stdout and "2027-01-01" in first.stdout
    [january] = [t for t in listed(db) if t["title"] == "Pay rent"]
    assert january["due"] == "2027-01-01"
    assert january["id"] == instance_id(rent["id"], "2027-01-01")
    assert (january["series"], january["quadrant"]) == (rent["id"], 2)

    ok("done", rent["id"][:8], db=db)  # already done: nothing new
    ok("move", january["id"][:8], "do", db=db)  # the user works on January meanwhile
    ok("undo-done", rent["id"][:8], db=db)
    ok("done", rent["id"][:8], db=db)  # done again: the January instance is already there
    assert sorted(t["due"] for t in rent_tasks(db)) == ["2026-12-01", "2027-01-01"]
    [kept] = [t for t in rent_tasks(db) if t["due"] == "2027-01-01"]
    assert kept["quadrant"] == 1, "a second done must not reset the instance already there"


def test_two_copies_each_completing_the_instance_merge_into_one_january_task(
    tmp_path: Path, db: Path
) -> None:
    rent = added(db, "Pay rent every:month due:2026-12-01 !i")
    copy = tmp_path / "tasks.sync-conflict-20261201-101010-ABCDEF7.json"
    shutil.copy(db, copy)
    ok("done", rent["id"][:8], db=db)
    ok("done", rent["id"][:8], db=copy)
    merged = ok("merge", str(copy), db=db)
    assert "Traceback" not in merged.stderr
    januaries = [t for t in rent_tasks(db) if t["due"] == "2027-01-01"]
    assert len(januaries) == 1 and januaries[0]["done"] is None


def test_every_option_takes_an_rrule_and_after_done_mode(db: Path) -> None:
    task = added(db, "Haircut", "--every", "FREQ=WEEKLY;INTERVAL=6", "--after-done")
    assert (task["recur"], task["recur_mode"]) == ("FREQ=WEEKLY;INTERVAL=6", "after")
    assert task["due"] is not None  # the rule gave the first deadline
    bad = run_cli("add", "Oops every:often", db=db)
    assert bad.returncode == 2 and "every:fri" in bad.stderr
    assert len(listed(db)) == 1


# --- wait, follow-up, abandon, sweep ------------------------------------------------------------


def test_a_waiting_task_is_out_of_list_until_then_and_list_waiting_shows_it(db: Path) -> None:
    task = added(db, "Renew the car insurance wait:+5d")
    assert task["wait"] is not None
    assert listed(db) == []
    assert [t["title"] for t in listed(db, "--waiting")] == ["Renew the car insurance"]
    text = ok("list", "--waiting", db=db).stdout
    assert "Hidden until later (1)" in text and "Renew the car insurance" in text
    ok("wait", task["id"][:8], "none", db=db)
    assert [t["title"] for t in listed(db)] == ["Renew the car insurance"]


def test_list_waiting_groups_what_each_person_owes(db: Path) -> None:
    added(db, "Send the figures @Bob")
    added(db, "Review the deck @bob follow:+1d")
    added(db, "Book the room @Alice")
    text = ok("list", "--waiting", db=db).stdout
    assert text.index("@Alice (1)") < text.index("@Bob (2)")
    assert "waiting 0d" in text
    only_bob = ok("list", "--waiting", "@bob", db=db).stdout
    assert "@Bob (2)" in only_bob and "Alice" not in only_bob
    bob_json = listed(db, "--waiting", "@bob")
    assert {t["title"] for t in bob_json} == {"Send the figures", "Review the deck"}
    assert all(t["follow_up"] and t["delegated"] for t in bob_json)


def test_check_in_appends_a_dated_line_and_moves_the_follow_up_on(db: Path) -> None:
    task = added(db, "Send the figures @Bob follow:today")
    result = ok("checkin", task["id"][:8], "sends them Monday", db=db)
    assert "Checked in" in result.stdout
    [after] = listed(db)
    assert after["notes"].endswith(": checked in with Bob: sends them Monday")
    assert after["follow_up"] > task["follow_up"]


def test_abandon_leaves_list_shows_in_list_all_and_comes_back(db: Path) -> None:
    task = added(db, "Learn the oboe")
    ok("abandon", task["id"][:8], "--reason", "no time [/]\x1b]52;c;eA==\x07", db=db)
    assert listed(db) == []
    [gone] = listed(db, "--all")
    assert gone["abandoned"] and gone["abandon_reason"] == "no time [/]" and gone["done"] is None
    text = ok("list", "--all", db=db).stdout
    assert "[-]" in text and "abandoned: no time [/]" in text and "\x1b" not in text
    ok("unabandon", task["id"][:8], db=db)
    [back] = listed(db)
    assert back["abandoned"] is None and back["abandon_reason"] is None


def test_sweep_lists_old_eliminate_tasks_and_abandons_them_with_yes(db: Path) -> None:
    task = added(db, "Sort the old photos !4")
    added(db, "Plan the offsite !2")
    dry = ok("sweep", "--days", "0", db=db)
    assert "Sort the old photos" in dry.stdout and "Plan the offsite" not in dry.stdout
    assert "--yes" in dry.stdout and listed(db, "--all")[0]["abandoned"] is None
    ok("sweep", "--days", "0", "--yes", db=db)
    [swept] = [t for t in listed(db, "--all") if t["id"] == task["id"]]
    assert swept["abandoned"] and "swept" in swept["abandon_reason"]
    assert ok("sweep", "--days", "0", db=db).stdout.startswith("No Eliminate task")


# --- moves, limits, stats -----------------------------------------------------------------------


def test_moves_record_cli_causes_and_why_tells_the_story(db: Path) -> None:
    task = added(db, "Write the report")
    ok("move", task["id"][:8], "do", db=db)
    [moved] = listed(db)
    assert [(m["from"], m["to"], m["cause"]) for m in moved["moves"]] == [
        (None, 2, "add"),
        (2, 1, "cli"),
    ]
    story = ok("why", task["id"][:8], db=db).stdout
    assert "added to Schedule" in story and "Schedule -> Do first" in story and "by you" in story


def test_adding_or_moving_into_a_full_quadrant_warns_but_saves(
    db: Path, isolated_env: Path
) -> None:
    config = isolated_env / "xdg_config_home" / "eisenhower-tui" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text("[limits]\ndo = 1\n")
    first = ok("add", "One !1", db=db)
    assert first.stderr == ""
    second = ok("add", "Two !1", db=db)
    assert "Do first now holds 2 open tasks; your limit is 1" in second.stderr
    assert len(listed(db)) == 2
    third = added(db, "Three !2")
    moved = ok("move", third["id"][:8], "1", db=db)
    assert "holds 3 open tasks" in moved.stderr


def test_stats_json_counts_this_weeks_done_work_by_quadrant(db: Path) -> None:
    planned = added(db, "Planned work !2")
    fire = added(db, "Fire !1")
    ok("done", planned["id"][:8], fire["id"][:8], db=db)
    summary = json.loads(ok("stats", "--json", db=db).stdout)
    assert summary["done"] == {"1": 1, "2": 1, "3": 0, "4": 0}
    assert summary["schedule_share"] == 0.5
    assert len(summary["sparkline"]) == 12 and summary["sparkline"].endswith("▅")
    text = ok("stats", db=db).stdout
    assert "From Schedule (planned work): 50%" in text


# --- formats ------------------------------------------------------------------------------------


def _rich_file(db: Path) -> None:
    rent = added(db, "Pay rent every:month due:2026-12-01 !i")
    ok("done", rent["id"][:8], db=db)
    added(db, "Send the figures @Bob wait:+2d")
    gone = added(db, "Learn the oboe")
    ok("abandon", gone["id"][:8], "--reason", "no time", db=db)


FIELDS = ("recur", "recur_mode", "series", "wait", "follow_up", "delegated", "abandoned")


def test_json_csv_and_ics_exports_round_trip_every_new_field(tmp_path: Path, db: Path) -> None:
    _rich_file(db)
    original = {t["id"]: t for t in listed(db, "--all")}
    for fmt in ("json", "csv", "ics"):
        out = tmp_path / f"export.{fmt}"
        ok("export", "--format", fmt, "--all", "-o", str(out), db=db)
        other = tmp_path / f"{fmt}.json"
        ok("import", str(out), db=other)
        back = {t["id"]: t for t in listed(other, "--all")}
        assert set(back) == set(original), fmt
        for task_id, task in original.items():
            for name in (*FIELDS, "abandon_reason"):
                assert back[task_id][name] == task[name], (fmt, name)
            if fmt != "ics":
                assert back[task_id]["moves"] == task["moves"], fmt
    ics = (tmp_path / "export.ics").read_text()
    assert "RRULE:FREQ=MONTHLY" in ics and "X-EISENHOWER-FOLLOW-UP" in ics
    # The follow-up is a date to see, not an alarm: the only alarms are the deadline reminders,
    # relative to DUE (issue 14: the export rings as the CalDAV copy does).
    alarms = ics.count("BEGIN:VALARM")
    assert alarms == ics.count("TRIGGER;RELATED=END") == ics.count("X-EISENHOWER-ALARM:TRUE")


def test_taskwarrior_recurring_templates_import_as_rules(tmp_path: Path, db: Path) -> None:
    fixture = Path(__file__).parent / "fixtures" / "taskwarrior.json"
    ok("import", str(fixture), db=db)
    [plants] = [t for t in listed(db) if t["title"] == "Water the plants"]
    assert plants["recur"] == "FREQ=WEEKLY"
    assert plants["series"] == "f8091a2b-3c4d-4e5f-8a6b-7c8d9e0f1a2b"  # the template's uuid
    alone = tmp_path / "template.json"
    records = json.loads(fixture.read_text())
    alone.write_text(json.dumps([r for r in records if r["uuid"].startswith("f8091a2b")]))
    other = tmp_path / "other.json"
    result = ok("import", str(alone), db=other)
    assert "Imported 1 new" in result.stdout
    [rule] = listed(other)
    assert (rule["recur"], rule["id"], rule["series"]) == (
        "FREQ=WEEKLY",
        "f8091a2b-3c4d-4e5f-8a6b-7c8d9e0f1a2b",
        "f8091a2b-3c4d-4e5f-8a6b-7c8d9e0f1a2b",
    )
