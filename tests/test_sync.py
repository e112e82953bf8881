"""`eisenhower sync` against a real Radicale server on 127.0.0.1, through the real command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from eisenhower_tui.config import load_config
from eisenhower_tui.model import Task
from eisenhower_tui.store import Store
from eisenhower_tui.sync import SyncServerError, sync_once
from tests.conftest import run_cli
from tests.radicale_server import (
    PASSWORD,
    RadicaleServer,
    use_config,
)


@pytest.fixture
def config_file(tmp_path: Path, server: RadicaleServer, monkeypatch: pytest.MonkeyPatch) -> Path:
    return use_config(tmp_path / "config.toml", server, monkeypatch)


def sync(db: Path) -> subprocess.CompletedProcess[str]:
    return run_cli("sync", db=db, timeout=120)


def tasks_by_title(db: Path) -> dict[str, Task]:
    return {t.title: t for t in Store(db).read().tasks}


def stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def phone_todo(uid: str, summary: str, *lines: str, modified: datetime | None = None) -> str:
    """A VTODO as tasks.org writes it through DAVx5: PRIORITY, CATEGORIES, STATUS,
    PERCENT-COMPLETE, its own X-APPLE-SORT-ORDER, and none of our X- properties."""
    moment = stamp(modified or datetime.now(UTC))
    body = "\r\n".join(
        [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:+//IDN tasks.org//android-130300//EN",
            "BEGIN:VTODO",
            f"UID:{uid}",
            f"DTSTAMP:{moment}",
            f"CREATED:{moment}",
            f"LAST-MODIFIED:{moment}",
            f"SUMMARY:{summary}",
            "X-APPLE-SORT-ORDER:737400123",
            *lines,
            "END:VTODO",
            "END:VCALENDAR",
            "",
        ]
    )
    return body


def edit_server_copy(server: RadicaleServer, uid: str, changes: dict[str, str]) -> None:
    """Change properties of the server copy as a phone would: same UID, same href."""
    from icalendar import Calendar

    href, data = server.objects()[uid]
    calendar = Calendar.from_ical(data)
    todo = calendar.walk("VTODO")[0]
    for name, value in changes.items():
        todo.pop(name, None)
        if value:
            todo.add(name, value)
    response = server.client().put(
        href, calendar.to_ical().decode(), {"Content-Type": "text/calendar; charset=utf-8"}
    )
    assert response.status in (201, 204)


def test_first_sync_sends_local_tasks_up_and_brings_phone_tasks_down(
    db: Path, server: RadicaleServer, config_file: Path
) -> None:
    assert run_cli("add", "Call the bank !1 #money", db=db).returncode == 0
    assert run_cli("add", "Plan holidays", "--due", "2031-07-01", db=db).returncode == 0
    server.put("phone-1", phone_todo("phone-1", "Buy milk", "PRIORITY:5", "CATEGORIES:shop"))

    out = sync(db)

    assert out.returncode == 0, out.stderr
    assert "1 change received" in out.stdout and "2 changes sent" in out.stdout
    on_server = {d.split("SUMMARY:")[1].split("\n")[0]: d for _h, d in server.objects().values()}
    assert set(on_server) == {"Call the bank", "Plan holidays", "Buy milk"}
    assert "PRIORITY:1" in on_server["Call the bank"]
    assert "CATEGORIES:money" in on_server["Call the bank"]
    assert "DUE;VALUE=DATE:20310701" in on_server["Plan holidays"]
    local = tasks_by_title(db)
    assert set(local) == {"Call the bank", "Plan holidays", "Buy milk"}
    assert (local["Buy milk"].urgent, local["Buy milk"].important) == (True, False)  # Delegate
    assert local["Buy milk"].tags == ["shop"]
    # The password is in neither file beside the tasks.
    for path in (db, db.with_name(db.name + ".caldav-state.json")):
        assert PASSWORD not in path.read_text()
    assert oct(db.with_name(db.name + ".caldav-state.json").stat().st_mode & 0o777) == "0o600"


def test_an_edit_on_each_side_travels_to_the_other(
    db: Path, server: RadicaleServer, config_file: Path
) -> None:
    run_cli("add", "Local task", db=db)
    server.put("phone-2", phone_todo("phone-2", "Phone task", "PRIORITY:3"))
    assert sync(db).returncode == 0
    local_task = tasks_by_title(db)["Local task"]
    assert run_cli("move", local_task.id, "eliminate", db=db).returncode == 0
    edit_server_copy(
        server, "phone-2", {"SUMMARY": "Phone task, renamed", "DUE": "", "STATUS": "COMPLETED"}
    )

    out = sync(db)

    assert out.returncode == 0, out.stderr
    local = tasks_by_title(db)
    assert local["Phone task, renamed"].done is not None
    server_copy = server.objects()[local_task.id][1]
    assert "PRIORITY:9" in server_copy and "X-EISENHOWER-URGENT:FALSE" in server_copy
    assert "X-EISENHOWER-IMPORTANT:FALSE" in server_copy


def test_a_task_edited_on_both_sides_keeps_the_newest_value_per_field_and_the_loser_in_notes(
    db: Path, server: RadicaleServer, config_file: Path
) -> None:
    run_cli("add", "Write the report", db=db)
    assert sync(db).returncode == 0
    task = tasks_by_title(db)["Write the report"]

    def local_edit(t: Task) -> None:
        t.title = "Write the annual report"
        t.urgent = True  # a change only made here: it stays

    Store(db).update(task.id, local_edit)
    later = datetime.now(UTC) + timedelta(hours=1)  # the phone's edit is the newer one
    edit_server_copy(
        server,
        task.id,
        {"SUMMARY": "Write the short report", "CATEGORIES": "work", "LAST-MODIFIED": later},
    )

    out = sync(db)

    assert out.returncode == 0, out.stderr
    assert "1 conflict" in out.stdout
    merged = Store(db).read().by_id()[task.id]
    assert merged.title == "Write the short report"
    assert merged.tags == ["work"]
    assert merged.urgent is True
    assert "[sync] other value of title: Write the annual report" in merged.notes
    server_copy = server.objects()[task.id][1]
    assert "SUMMARY:Write the short report" in server_copy
    assert "other value of title: Write the annual report" in server_copy
    assert "X-EISENHOWER-URGENT:TRUE" in server_copy
    # Run again: the conflict is settled, nothing more is appended or sent.
    before = server.etags()
    assert "already up to date" in sync(db).stdout
    assert server.etags() == before
    assert Store(db).read().by_id()[task.id].notes.count("[sync]") == 1


def test_a_deletion_travels_each_way(db: Path, server: RadicaleServer, config_file: Path) -> None:
    run_cli("add", "Delete me here", db=db)
    run_cli("add", "Delete me on the phone", db=db)
    assert sync(db).returncode == 0
    local = tasks_by_title(db)
    assert run_cli("rm", local["Delete me here"].id, db=db).returncode == 0
    server.delete(server.objects()[local["Delete me on the phone"].id][0])

    out = sync(db)

    assert out.returncode == 0, out.stderr
    assert tasks_by_title(db) == {}
    assert server.objects() == {}
    tombstones = [t for t in Store(db).transaction().__enter__().all(include_deleted=True)]
    assert {t.title for t in tombstones if t.deleted} == {
        "Delete me here",
        "Delete me on the phone",
    }


def test_vtodos_written_like_tasks_org_are_placed_by_priority_and_due(
    db: Path, server: RadicaleServer, config_file: Path
) -> None:
    tomorrow = (date.today() + timedelta(days=1)).strftime("%Y%m%d")
    far = (date.today() + timedelta(days=60)).strftime("%Y%m%d")
    server.put("t1", phone_todo("t1", "High no date", "PRIORITY:1", "STATUS:NEEDS-ACTION"))
    server.put("t2", phone_todo("t2", "Medium", "PRIORITY:5", "PERCENT-COMPLETE:0"))
    server.put("t3", phone_todo("t3", "Low far away", "PRIORITY:9", f"DUE;VALUE=DATE:{far}"))
    server.put(
        "t4", phone_todo("t4", "Low due tomorrow", "PRIORITY:9", f"DUE;VALUE=DATE:{tomorrow}")
    )
    server.put("t5", phone_todo("t5", "No priority", "CATEGORIES:home,garden"))
    server.put(
        "t6",
        phone_todo(
            "t6", "Finished", "PRIORITY:3", "STATUS:COMPLETED", "PERCENT-COMPLETE:100",
            f"COMPLETED:{stamp(datetime.now(UTC))}",
        ),
    )  # fmt: skip

    out = sync(db)

    assert out.returncode == 0, out.stderr
    listed = json.loads(run_cli("list", "--json", "--all", db=db).stdout)
    quadrant = {t["title"]: t["quadrant"] for t in listed}
    assert quadrant == {
        "High no date": 1,
        "Medium": 3,
        "Low far away": 4,
        "Low due tomorrow": 3,  # Eliminate, made urgent by its near deadline
        "No priority": 2,
        "Finished": 2,
    }
    by_title = {t["title"]: t for t in listed}
    assert by_title["No priority"]["tags"] == ["home", "garden"]
    assert by_title["Finished"]["done"] is not None
    assert by_title["Low far away"]["due"] == (date.today() + timedelta(days=60)).isoformat()
    # The escalated one went back up with its new place; the phone's own property survived.
    escalated = server.objects()["t4"][1]
    assert "PRIORITY:5" in escalated and "X-EISENHOWER-URGENT:TRUE" in escalated
    assert "X-APPLE-SORT-ORDER:737400123" in escalated


def test_unknown_properties_the_phone_wrote_survive_our_rewrite(
    db: Path, server: RadicaleServer, config_file: Path
) -> None:
    server.put(
        "p1",
        phone_todo(
            "p1", "Water the plants", "PRIORITY:3", "RRULE:FREQ=WEEKLY",
            "BEGIN:VALARM", "ACTION:DISPLAY", "DESCRIPTION:phone alarm", "TRIGGER:-PT1H",
            "END:VALARM",
        ),
    )  # fmt: skip
    assert sync(db).returncode == 0
    task = tasks_by_title(db)["Water the plants"]
    assert run_cli("due", task.id, "2031-03-04 18:00", db=db).returncode == 0

    assert sync(db).returncode == 0

    data = server.objects()["p1"][1]
    assert "RRULE:FREQ=WEEKLY" in data
    assert "X-APPLE-SORT-ORDER:737400123" in data
    assert "DESCRIPTION:phone alarm" in data
    assert "DUE:20310304T170000Z" in data  # 18:00 in Paris
    assert "TRIGGER;RELATED=END:-PT15M" in data  # our reminder, relative to DUE


def test_a_second_sync_with_no_change_sends_and_writes_nothing(
    db: Path, server: RadicaleServer, config_file: Path
) -> None:
    for n in range(3):
        run_cli("add", f"Task {n}", db=db)
    server.put("ph", phone_todo("ph", "From the phone", "PRIORITY:1"))
    assert sync(db).returncode == 0
    state = db.with_name(db.name + ".caldav-state.json")
    before = (db.read_bytes(), db.stat().st_mtime_ns, state.read_bytes(), state.stat().st_mtime_ns)
    etags = server.etags()

    out = sync(db)

    assert out.returncode == 0, out.stderr
    assert "already up to date" in out.stdout
    after = (db.read_bytes(), db.stat().st_mtime_ns, state.read_bytes(), state.stat().st_mtime_ns)
    assert after == before
    assert server.etags() == etags


def test_a_wrong_password_is_a_clear_one_line_error_with_exit_code_1(
    db: Path, server: RadicaleServer, config_file: Path
) -> None:
    run_cli("add", "Stays here", db=db)
    before = db.read_bytes()

    out = run_cli("sync", db=db, env={"EISENHOWER_CALDAV_PASSWORD": "not-the-password"})

    assert out.returncode == 1
    assert out.stderr.count("\n") == 1
    assert server.url in out.stderr and "password" in out.stderr
    assert "not-the-password" not in out.stderr + out.stdout
    assert db.read_bytes() == before
    assert server.objects() == {}


def test_the_password_command_is_run_without_a_shell(
    db: Path, tmp_path: Path, server: RadicaleServer, config_file: Path
) -> None:
    script = tmp_path / "pass word"  # a space in the path: it must not be split by a shell
    script.write_text(f"#!/bin/sh\nprintf '%s\\nsecond line\\n' '{PASSWORD}'\n")
    script.chmod(0o700)
    config_file.write_text(config_file.read_text() + f"password_command = \"'{script}'\"\n")
    run_cli("add", "Via pass", db=db)

    out = run_cli("sync", db=db, env={"EISENHOWER_CALDAV_PASSWORD": ""})

    assert out.returncode == 0, out.stderr
    assert [d for _h, d in server.objects().values() if "SUMMARY:Via pass" in d]


def test_sync_with_the_server_down_says_so_and_changes_nothing_locally(
    db: Path, server: RadicaleServer, config_file: Path
) -> None:
    run_cli("add", "Offline task", db=db)
    assert sync(db).returncode == 0
    run_cli("add", "Another one", db=db)
    state = db.with_name(db.name + ".caldav-state.json")
    before = (db.read_bytes(), state.read_bytes())
    server.stop()

    out = sync(db)

    assert out.returncode == 1
    assert f"cannot reach {server.url}" in out.stderr
    assert (db.read_bytes(), state.read_bytes()) == before
    # Everything else works without the network.
    assert run_cli("list", db=db).returncode == 0


def test_a_server_stopped_mid_sync_loses_nothing_and_the_next_sync_completes(
    db: Path, server: RadicaleServer, config_file: Path
) -> None:
    run_cli("add", "Made here", db=db)
    server.put("m1", phone_todo("m1", "Made on the phone", "PRIORITY:1"))
    store, config = Store(db), load_config()
    steps: list[str] = []

    def stop_after_the_local_write(step: str) -> None:
        steps.append(step)
        if step == "written":
            server.stop()

    with pytest.raises(SyncServerError) as failed:
        sync_once(store, config, password=PASSWORD, progress=stop_after_the_local_write)

    assert steps == ["fetched", "written"]
    assert "run `eisenhower sync` again" in str(failed.value)
    assert set(tasks_by_title(db)) == {"Made here", "Made on the phone"}
    server.start()
    assert [d for _h, d in server.objects().values() if "Made here" in d] == []

    report = sync_once(store, config, password=PASSWORD)

    assert report.pushed_new == 1
    titles = sorted(d.split("SUMMARY:")[1].split("\n")[0] for _h, d in server.objects().values())
    assert titles == ["Made here", "Made on the phone"]
    assert sorted(tasks_by_title(db)) == ["Made here", "Made on the phone"]
    assert "already up to date" in sync_once(store, config, password=PASSWORD).summary()


def test_two_task_files_synced_through_one_server_converge(
    tmp_path: Path, server: RadicaleServer, config_file: Path
) -> None:
    laptop, desktop = tmp_path / "laptop" / "tasks.json", tmp_path / "desktop" / "tasks.json"
    run_cli("add", "Shared task", db=laptop)
    run_cli("add", "Laptop task", db=laptop)
    run_cli("add", "Desktop task", db=desktop)
    for db in (laptop, desktop, laptop):
        assert sync(db).returncode == 0
    shared = tasks_by_title(laptop)["Shared task"].id
    assert run_cli("move", shared, "delegate", db=laptop).returncode == 0
    assert run_cli("due", shared, "2031-05-06", db=desktop).returncode == 0

    for db in (laptop, desktop, laptop):
        out = sync(db)
        assert out.returncode == 0, out.stderr

    def synced(db: Path) -> dict[str, tuple[object, ...]]:
        return {
            t.id: (t.title, t.urgent, t.important, t.due, t.tags, t.notes, t.done)
            for t in Store(db).read().tasks
        }

    assert synced(laptop) == synced(desktop)
    assert {v[0] for v in synced(laptop).values()} == {"Shared task", "Laptop task", "Desktop task"}
    assert synced(laptop)[shared] == ("Shared task", True, False, "2031-05-06", [], "", None)


def test_recurrence_follow_up_wait_and_abandon_travel_between_two_files(
    tmp_path: Path, server: RadicaleServer, config_file: Path
) -> None:
    laptop, desktop = tmp_path / "laptop" / "tasks.json", tmp_path / "desktop" / "tasks.json"
    assert run_cli("add", "Pay rent every:month due:2031-01-01 !i", db=laptop).returncode == 0
    assert run_cli("add", "Chase quote @bob follow:2031-01-05", db=laptop).returncode == 0
    assert run_cli("add", "Later wait:2031-02-01", db=laptop).returncode == 0
    assert run_cli("add", "Old idea !4", db=laptop).returncode == 0
    old = tasks_by_title(laptop)["Old idea"].id
    assert run_cli("abandon", old, "--reason", "not needed", db=laptop).returncode == 0
    for db in (laptop, desktop):
        out = sync(db)
        assert out.returncode == 0, out.stderr

    def practice(db: Path) -> dict[str, tuple[object, ...]]:
        return {
            t.title: (t.recur, t.due, t.delegate, t.follow_up, t.wait, bool(t.abandoned))
            for t in Store(db).read().tasks
        }

    assert practice(desktop) == practice(laptop)
    assert practice(desktop)["Pay rent"][0] == "FREQ=MONTHLY"
    assert practice(desktop)["Old idea"][5] is True
    # A second sync on each side changes nothing more: the rule text does not flap.
    before = (laptop.read_bytes(), desktop.read_bytes())
    for db in (laptop, desktop):
        assert sync(db).returncode == 0
    assert (laptop.read_bytes(), desktop.read_bytes()) == before


def test_a_thousand_tasks_round_trip(
    tmp_path: Path, server: RadicaleServer, config_file: Path
) -> None:
    # The list is filled in one request, as a bulk import on the server would: Radicale checks
    # every new object's UID against the whole list (about 50 ms per create at 1,000 here), so
    # 1,000 single creates would time the server, not the sync.
    server.put_many(
        phone_todo(f"bulk-{n}", f"Task number {n}", "PRIORITY:3", "CATEGORIES:batch")
        for n in range(1000)
    )
    first, second = tmp_path / "one.json", tmp_path / "two.json"

    down = sync(first)
    assert down.returncode == 0 and "1000 changes received" in down.stdout, down.stderr
    with Store(first).transaction() as txn:
        edited = [t for t in txn.all() if t.title.endswith("7")]  # 100 tasks
        for task in edited:
            task.done = task.updated = datetime.now(UTC).isoformat(timespec="seconds")
        txn.put_many(edited)
    up = sync(first)
    again = sync(second)

    assert up.returncode == 0 and "100 changes sent" in up.stdout, up.stderr
    assert again.returncode == 0 and "1000 changes received" in again.stdout, again.stderr
    tasks = Store(second).read().tasks
    assert {t.title for t in tasks} == {f"Task number {n}" for n in range(1000)}
    assert sorted(t.title for t in tasks if t.done) == sorted(t.title for t in edited)
    assert all(t.tags == ["batch"] and t.quadrant == 2 for t in tasks)
    assert "already up to date" in sync(first).stdout


def test_sync_without_a_caldav_section_is_a_usage_error(db: Path) -> None:
    out = run_cli("sync", db=db)

    assert out.returncode == 2
    assert "[caldav]" in out.stderr
    assert not db.exists()


def test_a_config_readable_by_others_warns(
    db: Path, server: RadicaleServer, config_file: Path
) -> None:
    config_file.chmod(0o644)

    out = run_cli("list", db=db)

    assert "chmod 600" in out.stderr


def test_add_never_imports_caldav(db: Path, config_file: Path) -> None:
    code = (
        "import sys\n"
        "from eisenhower_tui.cli import main\n"
        f"main(['--db', {str(db)!r}, 'add', 'light'])\n"
        "print('caldav' in sys.modules, 'icalendar' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=os.environ.copy()
    )
    assert out.stdout.strip().splitlines()[-1] == "False False"
