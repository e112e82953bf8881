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
