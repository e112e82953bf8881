"""Deadline grammar and humaniser, on a fixed clock in a real DST zone."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, date, datetime, time, timedelta

import pytest
from clock import NOW, PARIS
from dateutil import tz
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eisenhower_tui.dates import (
    Deadline,
    DeadlineError,
    describe_due,
    due_closeness,
    humanize_due,
    local_now,
    looks_like_time,
    parse_deadline,
)
from eisenhower_tui.i18n import using_language
from eisenhower_tui.model import InvalidTask

NEW_YORK = tz.gettz("America/New_York")
FRIDAY = datetime(2026, 11, 27, 10, 0, tzinfo=PARIS)
H48 = timedelta(hours=48)


# --- accepted -----------------------------------------------------------------------------------

ACCEPTED = [
    # day words -> all-day
    ("today", "2026-11-26", True),
    ("TODAY", "2026-11-26", True),
    ("  Tomorrow  ", "2026-11-27", True),
    ("tmrw", "2026-11-27", True),
    ("fri", "2026-11-27", True),
    ("Friday", "2026-11-27", True),
    ("thu", "2026-12-03", True),  # never today: Thursday's `thu` is a week away
    ("thursday", "2026-12-03", True),
    ("mon", "2026-11-30", True),
    ("sun", "2026-11-29", True),
    ("wed", "2026-12-02", True),
    ("next fri", "2026-11-27", True),
    ("eod", "2026-11-26", True),
    ("eow", "2026-11-29", True),
    ("eom", "2026-11-30", True),
    ("end of month", "2026-11-30", True),
    # relative
    ("+0d", "2026-11-26", True),
    ("+3d", "2026-11-29", True),
    ("+3D", "2026-11-29", True),
    ("+2w", "2026-12-10", True),
    ("+1m", "2026-12-26", True),
    ("+2m", "2027-01-26", True),
    ("+12m", "2027-11-26", True),
    ("in 3 days", "2026-11-29", True),
    ("+4h", "2026-11-26T14:00:00+01:00", False),
    ("+30min", "2026-11-26T10:30:00+01:00", False),
    ("+36h", "2026-11-27T22:00:00+01:00", False),
    # ISO
    ("2026-12-01", "2026-12-01", True),
    ("2026-12-1", "2026-12-01", True),
    ("2026-12-01T17:00", "2026-12-01T17:00:00+01:00", False),
    ("2026-12-01t17:00:30", "2026-12-01T17:00:30+01:00", False),
    ("2026-12-01 17:00", "2026-12-01T17:00:00+01:00", False),
    ("2026-12-01T17:00Z", "2026-12-01T18:00:00+01:00", False),
    ("2026-12-01T17:00+05:00", "2026-12-01T13:00:00+01:00", False),
    ("2027-07-01T17:00", "2027-07-01T17:00:00+02:00", False),  # summer offset for a summer date
    ("9999-12-31", "9999-12-31", True),
    ("1970-01-01", "1970-01-01", True),
    # times of day
    ("17:00", "2026-11-26T17:00:00+01:00", False),
    ("09:00", "2026-11-27T09:00:00+01:00", False),  # already passed today -> tomorrow
    ("5pm", "2026-11-26T17:00:00+01:00", False),
    ("noon", "2026-11-26T12:00:00+01:00", False),
    ("tomorrow 09:00", "2026-11-27T09:00:00+01:00", False),
    ("today 17:00", "2026-11-26T17:00:00+01:00", False),
    ("17:00 tomorrow", "2026-11-27T17:00:00+01:00", False),
    ("fri 5pm", "2026-11-27T17:00:00+01:00", False),
    ("fri 5 pm", "2026-11-27T17:00:00+01:00", False),
    ("tomorrow at 9:30am", "2026-11-27T09:30:00+01:00", False),
    ("+3d 08:00", "2026-11-29T08:00:00+01:00", False),
    # dateutil fallback
    ("25 dec 17:00", "2026-12-25T17:00:00+01:00", False),
    ("Dec 25", "2026-12-25", True),
    ("december 25th", "2026-12-25", True),
    ("25 Dec 2027", "2027-12-25", True),
    ("25 dec 17:00 z", "2026-12-25T18:00:00+01:00", False),
    ("mar 3", "2027-03-03", True),  # passed this year -> next year
    ("nov 26", "2026-11-26", True),  # today is not "passed"
    ("nov 25", "2027-11-25", True),
    ("fri 27 nov", "2026-11-27", True),
    ("feb 29 2028", "2028-02-29", True),
    ("dec 2027", "2027-12-01", True),
    ("12 mar 2025", "2025-03-12", True),
    # French
    ("aujourd'hui", "2026-11-26", True),
    ("aujourd\u2019hui", "2026-11-26", True),
    ("aujourdhui", "2026-11-26", True),
    ("demain", "2026-11-27", True),
    ("Demain", "2026-11-27", True),
    ("après-demain", "2026-11-28", True),
    ("apres-demain", "2026-11-28", True),
    ("après demain", "2026-11-28", True),
    ("lundi", "2026-11-30", True),
    ("jeudi", "2026-12-03", True),
    ("vendredi prochain", "2026-11-27", True),
    ("dimanche", "2026-11-29", True),
    ("fin de semaine", "2026-11-29", True),
    ("fin du mois", "2026-11-30", True),
    ("dans 2 semaines", "2026-12-10", True),
    ("+3j", "2026-11-29", True),
    ("25 décembre", "2026-12-25", True),
    ("25 decembre", "2026-12-25", True),
    ("25 de\u0301cembre", "2026-12-25", True),  # decomposed accent
    ("25 DÉCEMBRE", "2026-12-25", True),
    ("1er janvier", "2027-01-01", True),
    ("le 3 février", "2027-02-03", True),
    ("14 juillet", "2027-07-14", True),
    ("15 août 2027", "2027-08-15", True),
    ("25 decembre 17h00", "2026-12-25T17:00:00+01:00", False),
    ("25 décembre 17h", "2026-12-25T17:00:00+01:00", False),
    ("25 décembre à 17h30", "2026-12-25T17:30:00+01:00", False),
    ("demain à 17h", "2026-11-27T17:00:00+01:00", False),
    ("demain midi", "2026-11-27T12:00:00+01:00", False),
    ("ven. 27 nov. 17:00", "2026-11-27T17:00:00+01:00", False),  # describe_due's own output
]


@pytest.mark.parametrize(("text", "due", "all_day"), ACCEPTED)
def test_accepted(text: str, due: str, all_day: bool) -> None:
    deadline = parse_deadline(text, NOW)
    assert (deadline.due, deadline.all_day) == (due, all_day)
    assert deadline.in_past is (due < "2026-11-26")
    assert deadline.when.tzinfo is not None


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("fri", "2026-12-04"),  # on a Friday, `fri` is the Friday after
        ("vendredi", "2026-12-04"),
        ("sat", "2026-11-28"),
        ("eow", "2026-11-29"),
        ("today", "2026-11-27"),
    ],
)
def test_weekday_is_never_today(text: str, due: str) -> None:
    assert parse_deadline(text, FRIDAY).due == due


@pytest.mark.parametrize(
    ("now", "week_start", "due"),
    [
        (NOW, 0, "2026-11-29"),  # Monday weeks end on Sunday
        (NOW, 6, "2026-11-28"),  # Sunday weeks end on Saturday
        (datetime(2026, 11, 29, 9, 0, tzinfo=PARIS), 0, "2026-11-29"),  # on the last day itself
        (datetime(2026, 11, 29, 9, 0, tzinfo=PARIS), 6, "2026-12-05"),
        (datetime(2026, 11, 28, 9, 0, tzinfo=PARIS), 6, "2026-11-28"),
    ],
)
def test_eow_follows_week_start(now: datetime, week_start: int, due: str) -> None:
    assert parse_deadline("eow", now, week_start=week_start).due == due


@pytest.mark.parametrize(
    ("now", "text", "due"),
    [
        (datetime(2026, 1, 31, 9, 0, tzinfo=PARIS), "+1m", "2026-02-28"),  # clamped
        (datetime(2028, 1, 31, 9, 0, tzinfo=PARIS), "+1m", "2028-02-29"),
        (datetime(2026, 3, 31, 9, 0, tzinfo=PARIS), "+1m", "2026-04-30"),
        (datetime(2026, 12, 31, 9, 0, tzinfo=PARIS), "+1m", "2027-01-31"),
        (datetime(2026, 2, 10, 9, 0, tzinfo=PARIS), "eom", "2026-02-28"),
        (datetime(2028, 2, 10, 9, 0, tzinfo=PARIS), "eom", "2028-02-29"),
        (datetime(2026, 12, 31, 9, 0, tzinfo=PARIS), "tomorrow", "2027-01-01"),
        (datetime(2026, 1, 10, 9, 0, tzinfo=PARIS), "feb 28", "2026-02-28"),
    ],
)
def test_calendar_edges(now: datetime, text: str, due: str) -> None:
    assert parse_deadline(text, now).due == due


# --- DST ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "text", "due"),
    [
        # spring forward, Europe/Paris 2026-03-29 02:00 -> 03:00
        (datetime(2026, 3, 28, 23, 0, tzinfo=PARIS), "+4h", "2026-03-29T04:00:00+02:00"),
        (datetime(2026, 3, 28, 23, 0, tzinfo=PARIS), "tomorrow 02:30", "2026-03-29T03:30:00+02:00"),
        (datetime(2026, 3, 28, 23, 0, tzinfo=PARIS), "tomorrow 12:00", "2026-03-29T12:00:00+02:00"),
        (
            datetime(2026, 3, 28, 23, 0, tzinfo=PARIS),
            "2026-03-30T09:00",
            "2026-03-30T09:00:00+02:00",
        ),
        (datetime(2026, 3, 29, 1, 30, tzinfo=PARIS), "+1h", "2026-03-29T03:30:00+02:00"),
        (datetime(2026, 3, 29, 1, 30, tzinfo=PARIS), "02:30", "2026-03-29T03:30:00+02:00"),
        # fall back, Europe/Paris 2026-10-25 03:00 -> 02:00
        (datetime(2026, 10, 24, 23, 0, tzinfo=PARIS), "+4h", "2026-10-25T02:00:00+01:00"),
        (
            datetime(2026, 10, 24, 23, 0, tzinfo=PARIS),
            "tomorrow 12:00",
            "2026-10-25T12:00:00+01:00",
        ),
        (
            datetime(2026, 10, 24, 23, 0, tzinfo=PARIS),
            "2026-10-26T09:00",
            "2026-10-26T09:00:00+01:00",
        ),
        (datetime(2026, 10, 25, 1, 30, tzinfo=PARIS), "+1h", "2026-10-25T02:30:00+02:00"),
        (datetime(2026, 10, 25, 1, 30, tzinfo=PARIS), "+2h", "2026-10-25T02:30:00+01:00"),
        (datetime(2026, 10, 20, 12, 0, tzinfo=PARIS), "+1w", "2026-10-27"),
        # another zone, another change date (US: 2026-11-01)
        (
            datetime(2026, 10, 31, 12, 0, tzinfo=NEW_YORK),
            "tomorrow 12:00",
            "2026-11-01T12:00:00-05:00",
        ),
        (
            datetime(2026, 10, 31, 12, 0, tzinfo=NEW_YORK),
            "today 12:30",
            "2026-10-31T12:30:00-04:00",
        ),
        (datetime(2026, 10, 31, 12, 0, tzinfo=NEW_YORK), "+24h", "2026-11-01T11:00:00-05:00"),
    ],
)
def test_dst_offsets(now: datetime, text: str, due: str) -> None:
    deadline = parse_deadline(text, now)
    assert deadline.due == due
    # timestamps, not ==: PEP 495 makes == False across zones for a time in the repeated hour
    if not deadline.all_day:
        assert datetime.fromisoformat(deadline.due).timestamp() == deadline.when.timestamp()


def test_plus_hours_is_real_elapsed_time() -> None:
    now = datetime(2026, 3, 28, 23, 0, tzinfo=PARIS)
    deadline = parse_deadline("+4h", now)
    assert deadline.when.timestamp() - now.timestamp() == 4 * 3600


def test_all_day_when_is_local_midnight() -> None:
    deadline = parse_deadline("2026-03-29", NOW)
    assert deadline.when == datetime(2026, 3, 29, 0, 0, tzinfo=PARIS)
    assert deadline.when.utcoffset() == timedelta(hours=1)


def test_utc_clock_and_naive_now() -> None:
    utc_now = datetime(2026, 11, 26, 23, 30, tzinfo=UTC)
    assert parse_deadline("tomorrow", utc_now).due == "2026-11-27"
    assert parse_deadline("+1h", utc_now).due == "2026-11-27T00:30:00+00:00"
    naive = parse_deadline("2026-12-01", datetime(2026, 11, 26, 10, 0))
    assert naive.due == "2026-12-01"


def test_default_clock_is_local() -> None:
    assert local_now().tzinfo is not None
    assert parse_deadline("today").due == local_now().date().isoformat()


# --- past and warnings --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "in_past"),
    [
        ("2026-11-25", True),
        ("2026-11-26", False),  # all-day today is not past until the day ends
        ("2020-01-01", True),
        ("2026-11-26T09:00", True),
        ("2026-11-26T10:00", True),  # exactly now: already due
        ("2026-11-26T10:01", False),
        ("today 08:00", True),
        ("1 dec 1999", True),
        ("+0d", False),
    ],
)
def test_past_is_accepted_and_flagged(text: str, in_past: bool) -> None:
    assert parse_deadline(text, NOW).in_past is in_past


# --- rejected -----------------------------------------------------------------------------------

REJECTED = [
    ("someday", "someday"),
    ("next", "next"),
    ("5", "5"),
    ("32", "32"),
    ("99999999999999", "99999999999999"),
    ("12.03.2025", "12.03.2025"),
    ("25/12", "25/12"),  # English reads month first: there is no month 25
    ("12/25/1969", "1969"),
    ("2/30", "2/30"),
    ("2026-02-30", "2026-02-30"),
    ("2026-13-01", "2026-13-01"),
    ("feb 29", "2027-02-29"),  # passed this year -> 2027, which has no 29 February
    ("29 février", "2027-02-29"),
    ("31 nov", "31 nov"),
    ("1969-12-31", "1969"),
    ("10000-01-01", "10000"),
    ("25 dec 1969", "1969"),
    ("25 dec 10000", "25 dec 10000"),
    ("+99999999999d", "+99999999999d"),
    ("+99999999999w", "+99999999999w"),
    ("+99999999999m", "+99999999999m"),
    ("+99999999999h", "+99999999999h"),
    ("+99999999999min", "+99999999999min"),
    ("+3", "+3"),
    ("+3x", "+3x"),
    ("-1d", "-1d"),
    ("25:00", "25:00"),
    ("13pm", "13pm"),
    ("2026-12-01T24:00", "2026-12-01T24:00"),
    ("2026-12-01T17:00+99:00", "2026-12-01T17:00+99:00"),
    ("fri 28 nov", "Saturday"),
    ("tomorrow tomorrow", "tomorrow tomorrow"),
    ("17:00 18:00", "17:00 18:00"),
    ("hello 17:00", "hello 17:00"),
    ("dec 25 hello", "dec 25 hello"),
    ("[bold]fri[/]", "[bold]fri[/]"),
    ("x" * 200, "xxxxx"),
]


@pytest.mark.parametrize(("text", "named"), REJECTED)
def test_rejected(text: str, named: str) -> None:
    with pytest.raises(DeadlineError) as caught:
        parse_deadline(text, NOW)
    message = str(caught.value)
    assert "\n" not in message and message
    assert named in message


@pytest.mark.parametrize("text", ["", "   ", "\t\n", "\x00", "\x1b[31m", "\u202e"])
def test_empty_is_rejected(text: str) -> None:
    with pytest.raises(DeadlineError, match="empty"):
        parse_deadline(text, NOW)


def test_error_is_an_invalid_task() -> None:
    with pytest.raises(InvalidTask):
        parse_deadline("someday", NOW)


def test_message_stays_one_line_for_hostile_input() -> None:
    with pytest.raises(DeadlineError) as caught:
        parse_deadline("some\nday\x1b]52;c;aGk=\x07", NOW)
    assert "\n" not in str(caught.value) and "\x1b" not in str(caught.value)
    assert "some day" in str(caught.value)


@pytest.mark.parametrize(
    "text",
    ["25 dec 17:00", "tomorrow 09:00", "fri 5pm", "fin de semaine", "in 3 days", "Dec 25"],
)
def test_one_word_mode_rejects_spaces(text: str) -> None:
    with pytest.raises(DeadlineError, match="one word"):
        parse_deadline(text, NOW, several_words=False)


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("fri", "2026-11-27"),
        ("+4h", "2026-11-26T14:00:00+01:00"),
        ("2026-12-01T17:00", "2026-12-01T17:00:00+01:00"),
        ("demain", "2026-11-27"),
        ("après-demain", "2026-11-28"),
        ("17:00", "2026-11-26T17:00:00+01:00"),
        ("eom", "2026-11-30"),
    ],
)
def test_one_word_mode_keeps_the_short_grammar(text: str, due: str) -> None:
    assert parse_deadline(text, NOW, several_words=False).due == due


@pytest.mark.parametrize("text", ["dec25", "december"])
def test_one_word_mode_has_no_free_form_fallback(text: str) -> None:
    with pytest.raises(DeadlineError):
        parse_deadline(text, NOW, several_words=False)


# --- humanize / describe / closeness -----------------------------------------------------------

HUMANIZED = [
    ("2026-11-26", "today", "aujourd'hui"),
    ("2026-11-27", "tomorrow", "demain"),
    ("2026-11-28", "in 2d", "dans 2 j"),
    ("2026-12-09", "in 13d", "dans 13 j"),
    ("2026-12-10", "in 2w", "dans 2 sem"),
    ("2027-01-20", "in 7w", "dans 7 sem"),
    ("2027-03-01", "1 Mar 2027", "1 mars 2027"),
    ("2026-12-31", "in 5w", "dans 5 sem"),
    ("2026-11-25", "overdue 1d", "en retard de 1 j"),
    ("2026-11-16", "overdue 10d", "en retard de 10 j"),
    ("2026-10-01", "overdue 8w", "en retard de 8 sem"),
    ("2026-11-26T17:00:00+01:00", "today 17:00", "aujourd'hui 17:00"),
    ("2026-11-26T16:00:00+00:00", "today 17:00", "aujourd'hui 17:00"),  # shown in local time
    ("2026-11-27T09:00:00+01:00", "tomorrow 09:00", "demain 09:00"),
    ("2026-11-29T09:00:00+01:00", "in 3d", "dans 3 j"),
    ("2026-11-26T08:00:00+01:00", "overdue 2h", "en retard de 2 h"),
    ("2026-11-26T09:45:00+01:00", "overdue 15min", "en retard de 15 min"),
    ("2026-11-26T10:00:00+01:00", "overdue 1min", "en retard de 1 min"),
    ("2026-11-23T08:00:00+01:00", "overdue 3d", "en retard de 3 j"),
    ("not a date", "not a date", "not a date"),
]


@pytest.mark.parametrize(("due", "english", "french"), HUMANIZED)
def test_humanize(due: str, english: str, french: str) -> None:
    assert humanize_due(due, NOW) == english
    with using_language("fr"):
        assert humanize_due(due, NOW) == french


def test_humanize_far_future_in_same_year() -> None:
    early = datetime(2026, 1, 5, 9, 0, tzinfo=PARIS)
    assert humanize_due("2026-11-27", early) == "27 Nov"
    with using_language("fr"):
        assert humanize_due("2026-11-27", early) == "27 nov."
        assert humanize_due("2026-08-15T09:00:00+02:00", early) == "15 août"


DESCRIBED = [
    ("2026-11-27T17:00:00+01:00", "Fri 27 Nov 17:00 - tomorrow", "ven. 27 nov. 17:00 - demain"),
    (
        "2026-11-30T17:00:00+01:00",
        "Mon 30 Nov 17:00 - in 4d",
        "lun. 30 nov. 17:00 - dans 4 j",
    ),
    (
        "2026-11-27",
        "Fri 27 Nov (all day) - tomorrow",
        "ven. 27 nov. (toute la journée) - demain",
    ),
    ("2026-11-26T17:00:00+01:00", "Thu 26 Nov 17:00 - in 7h", "jeu. 26 nov. 17:00 - dans 7 h"),
    (
        "2026-11-26T10:20:00+01:00",
        "Thu 26 Nov 10:20 - in 20min",
        "jeu. 26 nov. 10:20 - dans 20 min",
    ),
    (
        "2026-11-26T08:00:00+01:00",
        "Thu 26 Nov 08:00 - overdue 2h",
        "jeu. 26 nov. 08:00 - en retard de 2 h",
    ),
    (
        "2027-02-03",
        "Wed 3 Feb 2027 (all day) - in 2mo",
        "mer. 3 févr. 2027 (toute la journée) - dans 2 mois",
    ),
    (
        "2027-08-15",
        "Sun 15 Aug 2027 (all day) - in 8mo",
        "dim. 15 août 2027 (toute la journée) - dans 8 mois",
    ),
    (
        "2029-01-01",
        "Mon 1 Jan 2029 (all day) - in 2y",
        "lun. 1 janv. 2029 (toute la journée) - dans 2 ans",
    ),
    (
        "2026-10-01",
        "Thu 1 Oct (all day) - overdue 8w",
        "jeu. 1 oct. (toute la journée) - en retard de 8 sem",
    ),
]


@pytest.mark.parametrize(("due", "english", "french"), DESCRIBED)
def test_describe(due: str, english: str, french: str) -> None:
    assert describe_due(due, NOW) == english
    with using_language("fr"):
        assert describe_due(due, NOW) == french


def test_describe_without_all_day_marker() -> None:
    assert describe_due("2026-11-27", NOW, mark_all_day=False) == "Fri 27 Nov - tomorrow"


def test_describe_round_trips_through_the_parser() -> None:
    for text in ("tomorrow 17:00", "+3d", "25 dec 09:30", "2027-03-01"):
        deadline = parse_deadline(text, NOW)
        for lang in ("en", "fr"):
            with using_language(lang):
                shown = describe_due(deadline.due, NOW).split(" - ")[0]
            shown = shown.replace(" (all day)", "").replace(" (toute la journée)", "")
            assert parse_deadline(shown, NOW).due == deadline.due, (text, lang, shown)


@pytest.mark.parametrize(
    ("due", "closeness"),
    [
        (None, "none"),
        ("", "none"),
        ("garbage", "none"),
        ("2026-13-45", "none"),
        ("2026-11-25", "overdue"),
        ("2026-11-26T09:00:00+01:00", "overdue"),
        ("2026-11-26T10:00:00+01:00", "overdue"),
        ("2026-11-26", "day"),  # ends tonight
        ("2026-11-26T17:00:00+01:00", "day"),
        ("2026-11-27T09:59:00+01:00", "day"),
        ("2026-11-27", "horizon"),  # ends in 38 h
        ("2026-11-28T09:00:00+01:00", "horizon"),
        ("2026-11-28", "later"),  # ends in 62 h
        ("2026-12-25", "later"),
        ("9999-12-31", "later"),
    ],
)
def test_due_closeness(due: str | None, closeness: str) -> None:
    assert due_closeness(due, NOW, H48) == closeness


def test_closeness_uses_the_horizon() -> None:
    assert due_closeness("2026-12-01", NOW, timedelta(days=7)) == "horizon"
    assert due_closeness("2026-12-01", NOW, timedelta(hours=1)) == "later"


def test_deadline_is_frozen() -> None:
    deadline = parse_deadline("fri", NOW)
    assert isinstance(deadline, Deadline)
    with pytest.raises(AttributeError):
        deadline.due = "x"  # type: ignore[misc]


def test_import_is_light() -> None:
    """The CLI imports this on every `add`: dateutil.parser must only load when needed."""
    code = (
        "import sys, eisenhower_tui.dates as d, eisenhower_tui.quickadd as q;"
        "q.parse_quick_add('x due:fri #a');"
        "assert 'dateutil.parser' not in sys.modules, 'parser imported';"
        "assert not any(m.startswith(('textual', 'rich')) for m in sys.modules)"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# --- properties --------------------------------------------------------------------------------

FRAGMENTS = st.sampled_from(
    [
        "fri",
        "demain",
        "+3d",
        "+99999999999h",
        "17:00",
        "5pm",
        "dec",
        "décembre",
        "25",
        "2026-12-01",
        "T",
        "9999",
        "0",
        "-",
        ".",
        ":",
        "/",
        " ",
        "\x1b",
        "z",
        "+",
        "h",
        "am",
        "1er",
        "eow",
        "next",
        "à",
    ]
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=60), st.booleans())
def test_any_text_parses_or_raises_deadline_error(text: str, several: bool) -> None:
    try:
        deadline = parse_deadline(text, NOW, several_words=several)
    except DeadlineError as exc:
        assert "\n" not in str(exc)
        return
    assert deadline.when.tzinfo is not None
    assert humanize_due(deadline.due, NOW)
    with using_language("fr"):
        assert describe_due(deadline.due, NOW)


@settings(max_examples=400, deadline=None)
@given(st.lists(FRAGMENTS, max_size=6).map("".join), st.booleans())
def test_date_like_text_parses_or_raises_deadline_error(text: str, several: bool) -> None:
    try:
        deadline = parse_deadline(text, NOW, several_words=several)
    except DeadlineError:
        return
    reparsed = datetime.fromisoformat(deadline.due) if not deadline.all_day else None
    assert reparsed is None or reparsed.timestamp() == deadline.when.timestamp()
    assert due_closeness(deadline.due, NOW, H48) != "none"


@settings(max_examples=200, deadline=None)
@given(st.datetimes(min_value=datetime(1971, 1, 1), max_value=datetime(9998, 1, 1)))
def test_humanizers_never_fail_for_any_clock(naive_now: datetime) -> None:
    now = naive_now.replace(tzinfo=PARIS)
    for due in ("2026-11-27", "2026-11-27T17:00:00+01:00", "9999-12-31", "1970-01-01"):
        assert humanize_due(due, now)
        with using_language("fr"):
            assert describe_due(due, now)
        assert due_closeness(due, now, H48) in {"overdue", "day", "horizon", "later"}


# --- a time of day in one token, French dates, day-first numbers -------------------------------

ONE_TOKEN = [
    ("tomorrow@9am", "2026-11-27T09:00:00+01:00"),
    ("fri@17h", "2026-11-27T17:00:00+01:00"),
    ("25dec@17:00", "2026-12-25T17:00:00+01:00"),
    ("demain@9h", "2026-11-27T09:00:00+01:00"),
    ("demain@9h30", "2026-11-27T09:30:00+01:00"),
    ("25dec", "2026-12-25"),
    ("25déc", "2026-12-25"),
    ("1ermai", "2027-05-01"),
    ("25dec2027", "2027-12-25"),
    ("ven", "2026-11-27"),
    ("sam@10:00", "2026-11-28T10:00:00+01:00"),
    ("2026/03/04", "2026-03-04"),
]


@pytest.mark.parametrize(("text", "due"), ONE_TOKEN)
def test_one_token_holds_a_day_and_a_time(text: str, due: str) -> None:
    assert parse_deadline(text, NOW, several_words=False).due == due
    assert parse_deadline(text, NOW).due == due  # what quick-add takes, --due takes too


FRENCH_WAYS = [
    ("25/12", "2026-12-25", True),
    ("25/12/2026", "2026-12-25", True),
    ("3/2", "2027-02-03", True),  # passed this year: next year
    ("25/12/27", "2027-12-25", True),
    ("ven", "2026-11-27", True),
    ("sam", "2026-11-28", True),
    ("mar", "2026-12-01", True),  # mardi, not March, when the interface speaks French
    ("25 mar", "2027-03-25", True),  # with a day number it is March
    ("sam 10:00", "2026-11-28T10:00:00+01:00", False),
    ("lun 9h", "2026-11-30T09:00:00+01:00", False),
    ("25 déc", "2026-12-25", True),
    ("1er mai", "2027-05-01", True),
    ("2026-03-04", "2026-03-04", True),  # ISO stays ISO
    ("2026/03/04", "2026-03-04", True),
]


@pytest.mark.parametrize(("text", "due", "all_day"), FRENCH_WAYS)
def test_french_dates_as_french_people_write_them(text: str, due: str, all_day: bool) -> None:
    with using_language("fr"):
        deadline = parse_deadline(text, NOW)
    assert (deadline.due, deadline.all_day) == (due, all_day)


@pytest.mark.parametrize(
    ("text", "due"),
    [("12/25", "2026-12-25"), ("12/25/2026", "2026-12-25"), ("3/4", "2027-03-04")],
)
def test_english_numbers_are_month_first(text: str, due: str) -> None:
    assert parse_deadline(text, NOW).due == due


def test_a_day_first_number_in_the_wrong_language_says_which_order() -> None:
    with pytest.raises(DeadlineError, match="month first, like 12/25"):
        parse_deadline("25/12", NOW)
    with using_language("fr"), pytest.raises(DeadlineError, match="25/12"):
        parse_deadline("12/25", NOW)


def test_hints_suggest_only_what_the_box_accepts() -> None:
    with pytest.raises(DeadlineError) as one:
        parse_deadline("someday", NOW, several_words=False)
    assert "tomorrow@9am" in str(one.value) and "25dec" in str(one.value)
    assert "25 dec" not in str(one.value)
    with pytest.raises(DeadlineError) as several:
        parse_deadline("someday", NOW, several_words=True)
    assert "tomorrow 9am" in str(several.value) and "25 dec" in str(several.value)
    assert "@" not in str(several.value)
    with pytest.raises(DeadlineError) as number:
        parse_deadline("5", NOW, several_words=False)
    assert "5dec" in str(number.value) and "5 dec" not in str(number.value)


@pytest.mark.parametrize(
    ("word", "is_time"),
    [
        *[("9am", True), ("17h", True), ("17h30", True), ("17:30", True), ("midi", True)],
        *[("25:00", True), ("review", False), ("9", False), ("#9am", False), ("", False)],
    ],
)
def test_looks_like_time(word: str, is_time: bool) -> None:
    assert looks_like_time(word) is is_time


@given(
    st.dates(min_value=date(2027, 1, 1), max_value=date(2099, 12, 31)),
    st.times().map(lambda t: t.replace(second=0, microsecond=0)),
)
def test_day_and_time_read_the_same_in_every_spelling(day: date, clock: time) -> None:
    """One token joined by @, several words, French day-first and English month-first numbers
    all name the same instant."""
    stamp = f"{clock:%H:%M}"
    month = day.strftime("%b").lower()
    expected = parse_deadline(f"{day.isoformat()}T{stamp}", NOW).due
    assert parse_deadline(f"{day.day}{month}{day.year}@{stamp}", NOW, several_words=False).due == (
        expected
    )
    assert parse_deadline(f"{day.day} {month} {day.year} {stamp}", NOW).due == expected
    assert parse_deadline(f"{day.month}/{day.day}/{day.year} {stamp}", NOW).due == expected
    with using_language("fr"):
        assert parse_deadline(f"{day.day}/{day.month}/{day.year}@{stamp}", NOW).due == expected
