"""`eisenhower notify` with a fake notify-send on PATH, and the `[feed]` calendar file."""

from __future__ import annotations

import json
import os
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from eisenhower_tui.store import Store
from tests.conftest import run_cli


@pytest.fixture
def fake_notify_send(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A notify-send that appends its arguments (one JSON array a call) to a file."""
    folder = tmp_path / "bin"
    folder.mkdir()
    calls = tmp_path / "notify-calls.jsonl"
    script = folder / "notify-send"
    script.write_text(
        "#!/usr/bin/env python3\n"
        "import json, sys\n"
        f"with open({str(calls)!r}, 'a') as out:\n"
        "    out.write(json.dumps(sys.argv[1:]) + '\\n')\n"
    )
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    return calls


def calls_of(path: Path) -> list[list[str]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines()]


def in_minutes(minutes: int) -> str:
    return (datetime.now().astimezone() + timedelta(minutes=minutes)).isoformat(timespec="seconds")


def test_a_deadline_in_ten_minutes_is_notified_once(db: Path, fake_notify_send: Path) -> None:
    assert run_cli("add", "Join the call", db=db).returncode == 0
    assert run_cli("add", "Later thing", db=db).returncode == 0
    tasks = {t.title: t for t in Store(db).read().tasks}
    run_cli("due", tasks["Join the call"].id, in_minutes(10), db=db)
    run_cli("due", tasks["Later thing"].id, in_minutes(180), db=db)

    first = run_cli("notify", db=db)
    second = run_cli("notify", db=db)

    assert first.returncode == 0 and second.returncode == 0, first.stderr
    calls = calls_of(fake_notify_send)
    assert len(calls) == 1
    assert calls[0][-3] == "--" and "Join the call" in calls[0][-2]
    assert "Join the call" in first.stdout and second.stdout == ""
    state = db.with_name(db.name + ".notified.json")
    assert oct(state.stat().st_mode & 0o777) == "0o600"
    assert tasks["Join the call"].id in state.read_text()


def test_an_overdue_follow_up_rings_once_per_follow_up_date(
    db: Path, fake_notify_send: Path
) -> None:
    yesterday = (datetime.now().astimezone() - timedelta(days=1)).date().isoformat()
    assert run_cli("add", f"Chase the quote @bob follow:{yesterday}", db=db).returncode == 0
    assert run_cli("add", "Not delegated", db=db).returncode == 0

    first = run_cli("notify", db=db)
    second = run_cli("notify", db=db)

    assert first.returncode == 0, first.stderr
    calls = calls_of(fake_notify_send)
    assert len(calls) == 1 and "Follow up with bob: Chase the quote" in calls[0][-2]
    assert second.stdout == ""
    (task,) = [t for t in Store(db).read().tasks if t.delegate]
    assert run_cli("follow", task.id, yesterday, db=db).returncode == 0  # same day: quiet
    assert run_cli("notify", db=db).stdout == ""


def test_a_new_deadline_for_the_same_task_rings_again(db: Path, fake_notify_send: Path) -> None:
    run_cli("add", "Dentist", db=db)
    task = Store(db).read().tasks[0]
    run_cli("due", task.id, in_minutes(5), db=db)
    run_cli("notify", db=db)
    run_cli("due", task.id, in_minutes(12), db=db)

    run_cli("notify", db=db)

    assert len(calls_of(fake_notify_send)) == 2


def test_a_hostile_title_reaches_the_notifier_as_plain_text(
    db: Path, fake_notify_send: Path
) -> None:
    run_cli("add", "--", "-x <b>bold</b> \x1b]52;c;ZXZpbA==\x07 [/]", db=db)
    task = Store(db).read().tasks[0]
    run_cli("due", task.id, in_minutes(3), db=db)

    out = run_cli("notify", db=db)

    (call,) = calls_of(fake_notify_send)
    assert "\x1b" not in "".join(call) + out.stdout
    assert call[-3] == "--"  # a title starting with "-" cannot become an option


def test_done_tasks_and_far_deadlines_stay_quiet(db: Path, fake_notify_send: Path) -> None:
    run_cli("add", "Finished", db=db)
    task = Store(db).read().tasks[0]
    run_cli("due", task.id, in_minutes(5), db=db)
    run_cli("done", task.id, db=db)

    out = run_cli("notify", db=db)

    assert out.returncode == 0
    assert calls_of(fake_notify_send) == []
    assert not db.with_name(db.name + ".notified.json").exists()


def test_the_feed_is_rewritten_after_each_write_with_open_tasks_only(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    feed = tmp_path / "public" / "tasks.ics"
    config = tmp_path / "config.toml"
    config.write_text(f'[feed]\npath = "{feed}"\n')
    monkeypatch.setenv("EISENHOWER_CONFIG", str(config))

    run_cli("add", "Visible task #home", "--due", "2031-02-03", db=db)
    run_cli("add", "Finished task", db=db)
    finished = next(t for t in Store(db).read().tasks if t.title == "Finished task")
    run_cli("done", finished.id, db=db)

    text = feed.read_text().replace("\r\n", "\n")
    assert "SUMMARY:Visible task" in text and "DUE;VALUE=DATE:20310203" in text
    assert "Finished task" not in text
    assert oct(feed.stat().st_mode & 0o777) == "0o600"


def test_a_feed_that_cannot_be_written_is_a_warning_and_the_task_is_saved(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the feed's folder should be")
    config = tmp_path / "config.toml"
    config.write_text(f'[feed]\npath = "{blocker / "tasks.ics"}"\n')
    monkeypatch.setenv("EISENHOWER_CONFIG", str(config))

    out = run_cli("add", "Still saved", db=db)

    assert out.returncode == 0
    assert "calendar feed" in out.stderr
    assert [t.title for t in Store(db).read().tasks] == ["Still saved"]
