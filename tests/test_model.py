"""Quadrants, ordering, escalation and hostile text, on a fixed clock (pure model, no I/O)."""

from __future__ import annotations

import random
import unicodedata
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from clock import NOW, PARIS

from eisenhower_tui.domain.escalation import due_for_escalation as needs_escalation
from eisenhower_tui.domain.escalation import escalated as escalate
from eisenhower_tui.domain.tasks import new_task
from eisenhower_tui.model import (
    MAX_TITLE,
    InvalidTask,
    Quadrant,
    Task,
    clean_title,
    is_overdue,
    sanitize_line,
    sort_tasks,
)

H48 = timedelta(hours=48)


def task(title: str = "t", quadrant: Quadrant = Quadrant.SCHEDULE, **fields: object) -> Task:
    return replace(new_task(title, quadrant, now=NOW), **fields)


# --- quadrants --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("urgent", "important", "number", "label", "key"),
    [
        (True, True, 1, "Do first", "do"),
        (False, True, 2, "Schedule", "schedule"),
        (True, False, 3, "Delegate", "delegate"),
        (False, False, 4, "Eliminate", "eliminate"),
    ],
)
def test_quadrant_truth_table(
    urgent: bool, important: bool, number: int, label: str, key: str
) -> None:
    quadrant = Quadrant.from_flags(urgent, important)
    assert int(quadrant) == number
    assert quadrant.label == label
    assert quadrant.key == key
    assert (quadrant.urgent, quadrant.important) == (urgent, important)
    # The task's quadrant is derived from the two flags, in both directions.
    t = task(urgent=urgent, important=important)
    assert t.quadrant is quadrant
    moved = task(urgent=not urgent, important=not important).with_quadrant(quadrant)
    assert (moved.urgent, moved.important) == (urgent, important)
    assert moved.to_public()["quadrant"] == number
    assert "quadrant" not in moved.to_record()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1", Quadrant.DO),
        (1, Quadrant.DO),
        ("do", Quadrant.DO),
        (" DO ", Quadrant.DO),
        ("2", Quadrant.SCHEDULE),
        ("Schedule", Quadrant.SCHEDULE),
        ("q2", Quadrant.SCHEDULE),
        ("3", Quadrant.DELEGATE),
        ("delegate", Quadrant.DELEGATE),
        ("déléguer", Quadrant.DELEGATE),
        (4, Quadrant.ELIMINATE),
        ("ELIMINATE", Quadrant.ELIMINATE),
        ("éliminer", Quadrant.ELIMINATE),
    ],
)
def test_quadrant_parse_accepts_numbers_and_names(text: str | int, expected: Quadrant) -> None:
    assert Quadrant.parse(text) is expected


@pytest.mark.parametrize("text", ["0", "5", "9", "", "  ", "urgent", "do first", "q5", "1.0", -1])
def test_quadrant_parse_rejects_other_input(text: str | int) -> None:
    with pytest.raises(InvalidTask) as caught:
        Quadrant.parse(text)
    message = str(caught.value)
    assert "1-4" in message and "schedule" in message


# --- deadlines and ordering -------------------------------------------------------------------


def test_all_day_deadline_is_overdue_only_once_its_day_has_ended() -> None:
    assert not is_overdue("2026-11-26", NOW)
    assert not is_overdue("2026-11-26", datetime(2026, 11, 26, 23, 59, 59, tzinfo=PARIS))
    assert is_overdue("2026-11-26", datetime(2026, 11, 27, 0, 0, tzinfo=PARIS))
    assert is_overdue("2026-11-25", NOW)
    # Timed: overdue from the instant itself, whatever zone it was written in.
    assert is_overdue("2026-11-26T09:00:00+00:00", NOW)
    assert not is_overdue("2026-11-26T09:00:01+00:00", NOW)
    assert not is_overdue(None, NOW)
    assert not is_overdue("garbage", NOW)


def test_sort_overdue_first_then_deadline_then_manual_order() -> None:
    expected = [
        task("overdue all-day, 2 days ago", due="2026-11-24"),
        task("overdue timed, yesterday 9:00", due="2026-11-25T09:00:00+01:00"),
        task("overdue timed, this morning 8:00 UTC", due="2026-11-26T08:00:00+00:00"),
        task("today 18:00", due="2026-11-26T18:00:00+01:00"),
        task("today, all day (ends at midnight)", due="2026-11-26"),
        task("tomorrow 00:30", due="2026-11-27T00:30:00+01:00"),
        task("tomorrow, all day", due="2026-11-27"),
        task("next week", due="2026-12-03"),
        task("no deadline, order 1", order=1.0),
        task("no deadline, order 2", order=2.0),
        task("no deadline, order 10", order=10.0),
    ]
    rng = random.Random(7)
    for _ in range(20):
        shuffled = expected[:]
        rng.shuffle(shuffled)
        assert [t.title for t in sort_tasks(shuffled, NOW)] == [t.title for t in expected]


def test_an_all_day_deadline_sorts_after_timed_ones_on_the_same_day() -> None:
    all_day = task("all day", due="2026-12-01", order=0.0)
    late = task("23:00", due="2026-12-01T23:00:00+01:00", order=5.0)
    next_morning = task("next day 00:00:01", due="2026-12-02T00:00:01+01:00")
    assert [t.title for t in sort_tasks([next_morning, all_day, late], NOW)] == [
        "23:00",
        "all day",
        "next day 00:00:01",
    ]


def test_overdue_beats_an_earlier_manual_order() -> None:
    overdue = task("overdue", due="2026-11-20", order=999.0)
    undated = task("undated", order=-5.0)
    assert [t.title for t in sort_tasks([undated, overdue], NOW)] == ["overdue", "undated"]


# --- escalation -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("due", "expected"),
    [
        ("2026-11-27", True),  # ends 2026-11-28 00:00, 38 h away
        ("2026-11-28", False),  # ends 2026-11-29 00:00, 62 h away
        ("2026-11-28T10:00:00+01:00", True),  # exactly 48 h
        ("2026-11-28T10:00:01+01:00", False),  # 48 h and a second
        ("2026-11-26T11:00:00+01:00", True),
        ("2026-11-20", True),  # already overdue and still not urgent
    ],
)
def test_needs_escalation_within_the_horizon(due: str, expected: bool) -> None:
    assert needs_escalation(task(due=due), NOW, H48) is expected
    assert needs_escalation(task(quadrant=Quadrant.ELIMINATE, due=due), NOW, H48) is expected


def test_no_escalation_for_urgent_done_deleted_or_undated_tasks() -> None:
    soon = "2026-11-27"
    assert needs_escalation(task(due=soon), NOW)  # the control case
    assert not needs_escalation(task(quadrant=Quadrant.DO, due=soon), NOW)
    assert not needs_escalation(task(quadrant=Quadrant.DELEGATE, due=soon), NOW)
    assert not needs_escalation(task(due=soon, done="2026-11-26T08:00:00+00:00"), NOW)
    assert not needs_escalation(task(due=soon, deleted="2026-11-26T08:00:00+00:00"), NOW)
    assert not needs_escalation(task(), NOW)
    assert not needs_escalation(task(due="not a date"), NOW)


def test_horizon_is_configurable() -> None:
    t = task(due="2026-11-26T13:00:00+01:00")  # 3 h away
    assert not needs_escalation(t, NOW, timedelta(hours=2))
    assert needs_escalation(t, NOW, timedelta(hours=3))


@pytest.mark.parametrize(
    ("start", "escalated_to"),
    [(Quadrant.SCHEDULE, Quadrant.DO), (Quadrant.ELIMINATE, Quadrant.DELEGATE)],
)
def test_escalation_once_per_deadline(start: Quadrant, escalated_to: Quadrant) -> None:
    t = task("Report", start, due="2026-11-27")
    assert needs_escalation(t, NOW)

    up = escalate(t, NOW)
    assert up.quadrant is escalated_to
    assert up.escalated == "2026-11-26T09:00:00+00:00"
    assert up.escalated_for == "2026-11-27"
    assert up.important == t.important and up.title == t.title and up.id == t.id
    assert not needs_escalation(up, NOW)  # urgent now

    # The user moves it back: not escalated again for that deadline, even later on.
    back = up.with_quadrant(start)
    assert back.quadrant is start
    assert not needs_escalation(back, NOW)
    assert not needs_escalation(back, NOW + timedelta(hours=30))

    # A new deadline is a new reason to escalate.
    moved = replace(back, due="2026-11-27T12:00:00+01:00")
    assert needs_escalation(moved, NOW)
    assert escalate(moved, NOW).escalated_for == "2026-11-27T12:00:00+01:00"
    # ...but a new deadline beyond the horizon is not.
    assert not needs_escalation(replace(back, due="2026-12-10"), NOW)


# --- hostile text -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("\x1b]52;c;aGk=\x07Buy milk", "Buy milk"),  # OSC 52: writes the clipboard
        ("\x1b]0;pwned\x1b\\Title", "Title"),  # OSC set-title ended by ST
        ("before\x1b[2Jafter", "beforeafter"),  # CSI clear screen
        ("\x1b[31;1mred\x1b[0m", "red"),
        ("\x9b31mRed", "Red"),  # 8-bit CSI (C1)
        ("a\x85b\x9cc", "abc"),  # other C1 controls
        ("nul\x00byte", "nulbyte"),
        ("\u202eevil\u202c.txt", "evil.txt"),  # bidi override and pop
        ("zero\u200bwidth\u2066iso\u2069", "zerowidthiso"),
        ("line\nbreak\r\nand\ttab", "line break and tab"),
        ("  lots    of   space  ", "lots of space"),
        ("para\u2029graph\u2028sep", "paragraphsep"),
        ("[/]", "[/]"),  # Rich/Textual markup is kept as literal text
        ("[@click=app.quit]x", "[@click=app.quit]x"),
        ("[bold red]loud[/]", "[bold red]loud[/]"),
        ("Fête 🎉 会议 👨\u200d👩\u200d👧", "Fête 🎉 会议 👨\u200d👩\u200d👧"),
        ("e\u0301te\u0301", "\u00e9t\u00e9"),  # decomposed accents -> NFC
        ("A\u030angstro\u0308m", "\u00c5ngstr\u00f6m"),
    ],
)
def test_sanitize_line(raw: str, expected: str) -> None:
    cleaned = sanitize_line(raw)
    assert cleaned == expected
    assert unicodedata.is_normalized("NFC", cleaned)
    assert not any(
        unicodedata.category(ch) in ("Cc", "Zl", "Zp")
        or (unicodedata.category(ch) == "Cf" and ch != "\u200d")
        for ch in cleaned
    )
    assert sanitize_line(cleaned) == cleaned  # idempotent


def test_osc_payload_does_not_survive_as_text() -> None:
    cleaned = sanitize_line("x\x1b]52;c;aGk=\x07y\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\")
    assert cleaned == "xylink"
    assert "52" not in cleaned and "evil" not in cleaned


@pytest.mark.parametrize("raw", ["", "   ", "\t\n", "\x1b[2J", "\u202e\u200b", "\x00"])
def test_clean_title_rejects_empty(raw: str) -> None:
    with pytest.raises(InvalidTask, match="empty"):
        clean_title(raw)


def test_clean_title_length_limit() -> None:
    assert MAX_TITLE == 500
    assert clean_title("a" * 500) == "a" * 500
    assert clean_title("  " + "é" * 500 + "\x1b[0m ") == "é" * 500  # counted after cleaning
    assert clean_title("e\u0301" * 500) == "é" * 500  # 1000 code points, 500 after NFC
    with pytest.raises(InvalidTask) as caught:
        clean_title("a" * 501)
    assert "501" in str(caught.value) and "500" in str(caught.value)
    with pytest.raises(InvalidTask):
        new_task("b" * 501)


# --- records ----------------------------------------------------------------------------------


FULL_RECORD = {
    "x-sync": {"etag": "W/1", "ids": [1, 2, None]},
    "priority": 7,
    "id": "0b7e4f1c-1d2e-4f00-8a00-000000000001",
    "title": "Renew passport",
    "notes": "line 1\nline 2",
    "urgent": False,
    "important": True,
    "due": "2026-11-27",
    "tags": ["admin", "papers"],
    "delegate": "bob",
    "done": None,
    "created": "2026-11-20T08:00:00+00:00",
    "updated": "2026-11-21T08:00:00+00:00",
    "escalated": "2026-11-21T08:00:00+00:00",
    "escalated_for": "2026-11-27",
    "order": 12.5,
    "deleted": "2026-11-22T08:00:00+00:00",
}


def test_record_round_trip_keeps_unknown_fields() -> None:
    t = Task.from_record(FULL_RECORD)
    assert t.extra == {"x-sync": FULL_RECORD["x-sync"], "priority": 7}
    assert t.quadrant is Quadrant.SCHEDULE
    assert t.tags == ["admin", "papers"] and t.delegate == "bob"
    assert t.to_record() == FULL_RECORD
    assert Task.from_record(t.to_record()) == t

    # An unknown field cannot override a known one on the way out.
    clash = Task.from_record({"id": "abcd-1", "title": "x"})
    clash.extra["title"] = "sneaky"
    assert clash.to_record()["title"] == "x"


def test_record_without_optional_fields() -> None:
    t = Task.from_record({"id": "abcd-2", "title": "Minimal"})
    assert (t.urgent, t.important, t.due, t.tags, t.done, t.deleted) == (
        False,
        False,
        None,
        [],
        None,
        None,
    )
    assert t.quadrant is Quadrant.ELIMINATE
    assert "deleted" not in t.to_record()


@pytest.mark.parametrize(
    "record",
    [
        {"title": "no id"},
        {"id": "", "title": "empty id"},
        {"id": 12, "title": "numeric id"},
        {"id": "abcd-3"},
        {"id": "abcd-3", "title": None},
        {"id": "abcd-3", "title": "x", "tags": "admin"},
        ["not", "a", "dict"],
    ],
)
def test_from_record_rejects_wrong_shapes(record: object) -> None:
    with pytest.raises(ValueError):
        Task.from_record(record)  # type: ignore[arg-type]


def test_new_task_stamps_and_cleans() -> None:
    moment = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
    t = new_task(" Call\x1b[2J  Bob ", Quadrant.DELEGATE, tags=["#home", "home", "a b"], now=moment)
    assert t.title == "Call Bob"
    assert t.tags == ["home", "a-b"]
    assert t.created == t.updated == "2026-11-26T09:00:00+00:00"
    assert t.quadrant is Quadrant.DELEGATE and t.is_open
    assert len({new_task("x").id for _ in range(50)}) == 50


def test_public_records_match_tasks_to_public_in_pane_order() -> None:
    """`list --json` builds its objects from raw records; they must equal Task.to_public."""
    from eisenhower_tui.domain.views import public_records
    from eisenhower_tui.model import Task, sort_tasks

    made = [
        new_task("later", Quadrant.SCHEDULE, due="2026-12-20", now=NOW),
        new_task("overdue", Quadrant.DO, due="2026-11-20", tags=["a"], now=NOW),
        new_task("no due", Quadrant.ELIMINATE, delegate="Bob", now=NOW),
        new_task("done", Quadrant.DELEGATE, now=NOW),
    ]
    made[3].done = "2026-11-25T10:00:00+00:00"
    records = [t.to_record() for t in made]
    records[2]["x-sync"] = {"rev": 3}  # an unknown field travels through
    records.append({**new_task("gone", now=NOW).to_record(), "deleted": "2026-11-25T10:00:00Z"})
    made[2].order, made[3].order = 1.0, 2.0  # the two without deadline, in manual order
    records[2]["order"], records[3]["order"] = 1.0, 2.0
    expected = [
        t.to_public()
        for t in sort_tasks([Task.from_record(r) for r in records[:4]], NOW)
        if t.done is None
    ]
    assert public_records(records, NOW) == expected
    with_done = public_records(records, NOW, include_done=True)
    assert [r["title"] for r in with_done] == ["overdue", "later", "no due", "done"]
    assert public_records(records, NOW, quadrant=Quadrant.ELIMINATE)[0]["x-sync"] == {"rev": 3}
