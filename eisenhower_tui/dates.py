"""Deadline grammar (English and French) and the humaniser that shows deadlines relative to now.

Pure: no I/O, no Textual, no Rich. Every function takes ``now`` (aware) explicitly; the local zone
is ``now.tzinfo``, never a fixed offset, so a deadline on the other side of a DST change gets the
offset of its own date. ``dateutil.parser`` is imported lazily because the short CLI commands import
this module on every call and rarely need the free-form fallback.

Stored forms (SPEC section 2): ``YYYY-MM-DD`` for an all-day deadline, or an ISO datetime with its
UTC offset at seconds precision (``2026-11-27T17:00:00+01:00``).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo

from dateutil import tz as dtz

from .i18n import _, current_language, ngettext
from .model import InvalidTask, cut, sanitize_line, strip_accents

__all__ = [
    "Deadline",
    "DeadlineError",
    "describe_due",
    "due_closeness",
    "humanize_due",
    "local_now",
    "looks_like_time",
    "parse_deadline",
]

MIN_YEAR = 1970
MAX_YEAR = 9999
_MAX_INPUT = 80  # no real date is longer; keeps hostile input cheap


class DeadlineError(InvalidTask):
    """A deadline the user typed cannot be understood; the message is one line, meant for them."""


def _hint(several_words: bool = True) -> str:
    """The examples ending most messages, in the interface language (looked up at call time).

    Only forms the box being typed in accepts: one token in quick-add (`due:WHEN`), several
    words in `--due` and the deadline box.
    """
    if several_words:
        return _("try tomorrow 9am, fri, +3d, 25 dec or 2026-12-01")
    return _("try tomorrow@9am, fri, +3d, 25dec or 2026-12-01")


def _day_name(weekday: int) -> str:
    return (
        _("Monday"),
        _("Tuesday"),
        _("Wednesday"),
        _("Thursday"),
        _("Friday"),
        _("Saturday"),
        _("Sunday"),
    )[weekday]


@dataclass(frozen=True, slots=True)
class Deadline:
    """A parsed deadline: ``due`` is what gets stored, the rest helps the caller show it."""

    due: str
    all_day: bool
    in_past: bool
    when: datetime


def local_now() -> datetime:
    """The current time in the machine's zone, aware (the default clock of every function here)."""
    return datetime.now(dtz.tzlocal())


# --- vocabulary -------------------------------------------------------------------------------

_WEEKDAYS: dict[str, int] = {
    "monday": 0,
    "mon": 0,
    "tuesday": 1,
    "tue": 1,
    "tues": 1,
    "wednesday": 2,
    "wed": 2,
    "thursday": 3,
    "thu": 3,
    "thur": 3,
    "thurs": 3,
    "friday": 4,
    "fri": 4,
    "saturday": 5,
    "sat": 5,
    "sunday": 6,
    "sun": 6,
}

_MONTH_WORDS = frozenset(
    name.lower() for name in [*calendar.month_name[1:], *calendar.month_abbr[1:], "sept"]
)

# French (accents already stripped, lower case) -> the English word dateutil and we understand.
# Dotted abbreviations are the ones describe_due() prints, so a copied preview parses back.
_FRENCH: dict[str, str] = {
    "aujourd'hui": "today",
    "aujourdhui": "today",
    "demain": "tomorrow",
    "apres-demain": "+2d",
    "lundi": "monday",
    "mardi": "tuesday",
    "mercredi": "wednesday",
    "jeudi": "thursday",
    "vendredi": "friday",
    "samedi": "saturday",
    "dimanche": "sunday",
    "lun": "mon",
    "mer": "wed",
    "jeu": "thu",
    "ven": "fri",
    "sam": "sat",
    "dim": "sun",
    "lun.": "mon",
    "mar.": "tue",
    "mer.": "wed",
    "jeu.": "thu",
    "ven.": "fri",
    "sam.": "sat",
    "dim.": "sun",
    "janvier": "january",
    "fevrier": "february",
    "mars": "march",
    "avril": "april",
    "mai": "may",
    "juin": "june",
    "juillet": "july",
    "aout": "august",
    "septembre": "september",
    "octobre": "october",
    "novembre": "november",
    "decembre": "december",
    "janv": "jan",
    "janv.": "jan",
    "fev": "feb",
    "fev.": "feb",
    "fevr": "feb",
    "fevr.": "feb",
    "avr": "apr",
    "avr.": "apr",
    "juil": "jul",
    "juil.": "jul",
    "sept.": "sep",
    "oct.": "oct",
    "nov.": "nov",
    "dec.": "dec",
    "1er": "1",
    "midi": "noon",
    "prochain": "next",
    "prochaine": "next",
    "tmrw": "tomorrow",
    "tmr": "tomorrow",
}

# Several-word phrases, replaced before splitting into words.
_PHRASES: tuple[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]], ...] = tuple(
    (re.compile(pattern), repl)
    for pattern, repl in (
        (r"\bapres demain\b", "+2d"),
        (r"\bday after tomorrow\b", "+2d"),
        (r"\bfin (?:de la |du |de )?(?:semaine)\b", "eow"),
        (r"\bfin (?:du |de )?mois\b", "eom"),
        (r"\bfin (?:de la |de )?journee\b", "eod"),
        (r"\bend of (?:the )?week\b", "eow"),
        (r"\bend of (?:the )?month\b", "eom"),
        (r"\bend of (?:the )?day\b", "eod"),
        (
            r"\b(?:in|dans) ([0-9]+) ?(days?|d|jours?|j|weeks?|w|semaines?|sem|hours?|h|heures?"
            r"|months?|mois|minutes?|mins?)\b",
            r"+\1\2",
        ),
        (r"(?<![+0-9])([0-9]{1,2})h([0-9]{2})?\b", lambda m: f"{m[1]}:{m[2] or '00'}"),
        (r"\b([0-9]{1,2}(?::[0-9]{2})?) (am|pm)\b", r"\1\2"),
    )
)

_NAMES = _MONTH_WORDS | frozenset(_WEEKDAYS)

_CONNECTORS = frozenset({"at", "a", "@", "on", "le", "next"})

_UNITS: dict[str, str] = {
    "d": "d",
    "day": "d",
    "days": "d",
    "j": "d",
    "jour": "d",
    "jours": "d",
    "w": "w",
    "week": "w",
    "weeks": "w",
    "sem": "w",
    "semaine": "w",
    "semaines": "w",
    "m": "m",
    "mo": "m",
    "month": "m",
    "months": "m",
    "mois": "m",
    "h": "h",
    "hour": "h",
    "hours": "h",
    "heure": "h",
    "heures": "h",
    "min": "min",
    "mins": "min",
    "minute": "min",
    "minutes": "min",
}

_RELATIVE = re.compile(r"\+([0-9]+) ?([a-z]*)")
_ISO_DATE = re.compile(r"([0-9]{4,6})-([0-9]{1,2})-([0-9]{1,2})")
_ISO_DATETIME = re.compile(
    r"([0-9]{4,6})-([0-9]{1,2})-([0-9]{1,2})t([0-9]{1,2}):([0-9]{2})(?::([0-9]{2})(?:\.[0-9]+)?)?"
    r"(z|[+-][0-9]{2}(?::?[0-9]{2})?)?"
)
_TIME_24 = re.compile(r"([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?")
_TIME_12 = re.compile(r"([0-9]{1,2})(?::([0-9]{2}))?(am|pm)")
# `25/12`, `25/12/2026`, `12/25/26`: the order of day and month depends on the language.
_SLASH_DATE = re.compile(r"([0-9]{1,2})/([0-9]{1,2})(?:/([0-9]{4}|[0-9]{2}))?")
# Year first is ISO whatever the language: `2026/12/25`.
_SLASH_ISO = re.compile(r"([0-9]{4})/([0-9]{1,2})/([0-9]{1,2})")
# A day glued to its month, so quick-add's one token can hold one: `25dec`, `1ermai`.
_GLUED_DAY_MONTH = re.compile(r"([0-9]{1,2})(?:er)?([a-z]{3,}\.?)([0-9]{4})?")
_YEAR = re.compile(r"[0-9]{4}")
_DAY_NUMBER = re.compile(r"[0-9]{1,2}")

_MONTH_NUMBERS: dict[str, int] = {
    **{name.lower(): i for i, name in enumerate(calendar.month_name) if name},
    **{name.lower(): i for i, name in enumerate(calendar.month_abbr) if name},
    "sept": 9,
}


# --- parsing ----------------------------------------------------------------------------------


def parse_deadline(
    text: str,
    now: datetime | None = None,
    *,
    several_words: bool = True,
    week_start: int = 0,
    day_first: bool | None = None,
) -> Deadline:
    """Parse what a user typed as a deadline, or raise :class:`DeadlineError` (and nothing else).

    ``several_words=False`` is for the one-token ``due:WHEN`` of quick-add: no spaces and no
    free-form dateutil fallback; a time of day joins the day with ``@`` (``tomorrow@9am``).
    ``week_start`` is a Python weekday (0 = Monday) and decides ``eow``: the day before the
    week starts again. ``day_first`` reads ``25/12`` as day/month (the French way); by default
    it follows the interface language. A past deadline is accepted with ``in_past``.
    """
    now = _aware(now)
    shown = _shown(text)
    words = _normalise(text)
    if not words:
        raise DeadlineError(_("the deadline is empty; {hint}").format(hint=_hint(several_words)))
    if len(words) > _MAX_INPUT:
        raise DeadlineError(
            _("'{text}' is too long to be a date; {hint}").format(
                text=shown, hint=_hint(several_words)
            )
        )
    if not several_words:
        if " " in words:
            raise DeadlineError(
                _("'{text}' must be one word here, without spaces; {hint}").format(
                    text=shown, hint=_hint(several_words)
                )
            )
    # `tomorrow@9am`: the one token's way to give a time of day (accepted everywhere).
    words = " ".join(words.replace("@", " ").split()) or words
    if day_first is None:
        day_first = current_language() == "fr"
    reading = _Reading(shown, several_words, week_start % 7, day_first)
    try:
        return _parse(words, now.replace(microsecond=0), reading)
    except DeadlineError:
        raise
    except (OverflowError, ValueError):  # date arithmetic past year 9999, absurd offsets
        raise DeadlineError(
            _("'{text}' is out of range; the last possible year is {year}").format(
                text=shown, year=MAX_YEAR
            )
        ) from None


@dataclass(frozen=True, slots=True)
class _Reading:
    """How to read one input: quoted as ``shown`` in messages, in which mode, which week."""

    shown: str
    several_words: bool
    week_start: int
    day_first: bool


def looks_like_time(word: str) -> bool:
    """Whether a word is a time of day (`9am`, `17h`, `17:30`, `midi`), valid or not.

    Quick-add warns when one follows a ``due:`` token: it would otherwise join the title.
    """
    words = _normalise(word)
    if not words or " " in words:
        return False
    tokens = _translate(words, french=False)
    if len(tokens) != 1:
        return False
    try:
        return _time_of_day(tokens[0], words) is not None
    except DeadlineError:
        return True  # `25:00`, `13pm`: meant as a time, even if not a valid one


def _aware(now: datetime | None) -> datetime:
    if now is None:
        return local_now()
    if now.tzinfo is None or now.utcoffset() is None:
        return now.replace(tzinfo=dtz.tzlocal())
    return now


def _shown(text: object) -> str:
    """The input as quoted in messages: one line, no controls, not too long."""
    line = sanitize_line(str(text))
    return cut(line, 40)


def _normalise(text: object) -> str:
    """NFC, no controls, lower case, no accents (so `décembre` = `decembre`), single spaces."""
    line = sanitize_line(str(text))
    line = line.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    line = strip_accents(line.lower())
    return " ".join(line.split())


def _unglue(token: str) -> str:
    """`25dec` -> `25 dec`, `1ermai` -> `1 mai`: a day glued to a month word, else unchanged."""
    match = _GLUED_DAY_MONTH.fullmatch(token)
    if match is None:
        return token
    month = _FRENCH.get(match[2], match[2]).rstrip(".")
    if month not in _MONTH_NUMBERS:
        return token
    return " ".join(part for part in (match[1], month, match[3]) if part)


def _translate(words: str, *, french: bool) -> list[str]:
    """French and multi-word phrases to the English tokens the rest of the grammar knows.

    ``french``: the interface speaks French, so a lone `mar` is mardi, not March.
    """
    for pattern, repl in _PHRASES:
        words = pattern.sub(repl, words)
    raw = " ".join(_unglue(token) for token in words.split()).split()
    out: list[str] = []
    for index, token in enumerate(raw):
        if token in ("mar", "mar.") and french:
            near = raw[max(0, index - 1) : index] + raw[index + 1 : index + 2]
            # `25 mar` is a date in March; `mar` or `mar 9h` alone is a Tuesday.
            token = "mar" if any(_DAY_NUMBER.fullmatch(t) for t in near) else "tue"
        token = _FRENCH.get(token, token)
        if token.endswith(".") and token[:-1] in _NAMES:
            token = token[:-1]
        out.append(token)
    return out


def _parse(words: str, now: datetime, reading: _Reading) -> Deadline:
    today = now.date()
    shown, several_words = reading.shown, reading.several_words
    tokens = _translate(words, french=reading.day_first)
    if several_words or len(tokens) > 1:
        tokens = [t for t in tokens if t not in _CONNECTORS] or tokens  # "next fri", "le 25 dec"
    found = _structured(tokens, now, reading)
    if found is not None:
        return found
    letters = set(re.findall(r"[a-z]+", " ".join(tokens)))
    if several_words and letters & _MONTH_WORDS:
        return _free_form(" ".join(tokens), now, shown)
    if re.fullmatch(r"[0-9]+", words):
        if several_words:
            example = _("'{text}' is just a number; write a date like {year}-12-05, 5 dec or +5d")
        else:
            example = _("'{text}' is just a number; write a date like {year}-12-05, 5dec or +5d")
        raise DeadlineError(example.format(text=shown, year=today.year))
    if re.fullmatch(r"\+[0-9]+", words):
        raise DeadlineError(_("'{text}' needs a unit: +3d, +2w, +4h or +1m").format(text=shown))
    if not letters and re.search(r"[0-9]", words):
        if several_words:
            ambiguous = _("'{text}' is ambiguous; write the date as YYYY-MM-DD or like 12 mar")
        else:
            ambiguous = _("'{text}' is ambiguous; write the date as YYYY-MM-DD or like 12mar")
        raise DeadlineError(ambiguous.format(text=shown))
    raise DeadlineError(
        _("'{text}' is not a date; {hint}").format(text=shown, hint=_hint(several_words))
    )


def _structured(tokens: list[str], now: datetime, reading: _Reading) -> Deadline | None:
    """A day (a word, `25 dec`, `25/12`) and at most one time of day, in either order:
    `tomorrow 09:00`, `demain à 17h`, `25 dec 17:00`, `sam 10:00`; or a time alone."""
    shown = reading.shown
    clocks = [t for t in tokens if _time_of_day(t, shown) is not None]
    rest = [t for t in tokens if t not in clocks]
    if len(clocks) > 1 or len(rest) > 3:
        return None
    clock = _time_of_day(clocks[0], shown) if clocks else None
    if not rest:
        if clock is None:
            return None
        # A bare time that has already passed today means the next one: "17:00" typed at 18:00.
        moment = _local(now.date(), clock, now.tzinfo)
        if moment <= now:
            moment = _local(now.date() + timedelta(days=1), clock, now.tzinfo)
        return _timed(moment, now)
    if len(rest) == 1 and clock is None:
        instant = _timed_word(rest[0], now, shown)  # `+4h`, an ISO datetime
        if instant is not None:
            return _timed(instant, now)
    day = _calendar_day(rest, now.date(), reading)
    if day is None:
        return None
    if clock is None:
        return _all_day(day, now)
    return _timed(_local(day, clock, now.tzinfo), now)


def _calendar_day(tokens: list[str], today: date, reading: _Reading) -> date | None:
    """The day named by one word (`fri`, `25/12`) or a day and month (`25 dec`, `dec 25 2027`)."""
    if len(tokens) == 1:
        day = _day_word(tokens[0], today, reading.week_start, reading.shown)
        if day is None:
            day = _numeric_date(tokens[0], today, reading)
        return day
    numbers = [t for t in tokens if _DAY_NUMBER.fullmatch(t)]
    months = [t for t in tokens if t in _MONTH_NUMBERS]
    years = [t for t in tokens if _YEAR.fullmatch(t)]
    if len(numbers) != 1 or len(months) != 1 or len(years) + 2 != len(tokens):
        return None
    if years and tokens[-1] != years[0]:
        return None  # the year comes last: `25 dec 2027`
    year = int(years[0]) if years else None
    return _dated(year, _MONTH_NUMBERS[months[0]], int(numbers[0]), today, reading.shown)


def _numeric_date(token: str, today: date, reading: _Reading) -> date | None:
    """`25/12` (French: day first) or `12/25` (English: month first); `2026/12/25` is ISO."""
    match = _SLASH_ISO.fullmatch(token)
    if match:
        return _make_date(int(match[1]), int(match[2]), int(match[3]), reading.shown)
    match = _SLASH_DATE.fullmatch(token)
    if match is None:
        return None
    first, second = int(match[1]), int(match[2])
    day, month = (first, second) if reading.day_first else (second, first)
    if not 1 <= month <= 12:
        if reading.day_first:
            hint = _("'{text}' has no month {month}: write the day first, like 25/12, or 25 dec")
        else:
            hint = _("'{text}' has no month {month}: write the month first, like 12/25, or 25 dec")
        raise DeadlineError(hint.format(text=reading.shown, month=month))
    year = None
    if match[3]:
        year = int(match[3]) + (2000 if len(match[3]) == 2 else 0)
    return _dated(year, month, day, today, reading.shown)


def _dated(year: int | None, month: int, day: int, today: date, shown: str) -> date:
    """A day and month; without a year, the next one to come ("25 mar" typed in November)."""
    if year is None:
        year = today.year + (1 if (month, day) < (today.month, today.day) else 0)
    return _make_date(year, month, day, shown)


def _day_word(token: str, today: date, week_start: int, shown: str) -> date | None:
    """Words that name a whole day; None when the token is not one of them."""
    if token in ("today", "eod"):
        return today
    if token == "tomorrow":
        return today + timedelta(days=1)
    if token in _WEEKDAYS:
        # The next occurrence, never today: on a Friday, `fri` is a week away.
        return today + timedelta(days=(_WEEKDAYS[token] - today.weekday()) % 7 or 7)
    if token == "eow":
        last = (week_start - 1) % 7
        return today + timedelta(days=(last - today.weekday()) % 7)
    if token == "eom":
        return today.replace(day=calendar.monthrange(today.year, today.month)[1])
    match = _RELATIVE.fullmatch(token)
    if match and _UNITS.get(match[2]) in ("d", "w", "m"):
        count, unit = int(match[1]), _UNITS[match[2]]
        if unit == "m":
            return _add_months(today, count, shown)
        return today + timedelta(days=count * (7 if unit == "w" else 1))
    match = _ISO_DATE.fullmatch(token)
    if match:
        return _make_date(int(match[1]), int(match[2]), int(match[3]), shown)
    return None


def _timed_word(token: str, now: datetime, shown: str) -> datetime | None:
    """`+4h`, `+30min` and ISO datetimes; None when the token is none of them."""
    match = _RELATIVE.fullmatch(token)
    if match and _UNITS.get(match[2]) in ("h", "min"):
        count = int(match[1])
        step = timedelta(hours=count) if _UNITS[match[2]] == "h" else timedelta(minutes=count)
        # Absolute time: `+4h` across a DST change is four real hours, not four on the clock.
        return (now.astimezone(UTC) + step).astimezone(now.tzinfo)
    match = _ISO_DATETIME.fullmatch(token)
    if match is None:
        return None
    day = _make_date(int(match[1]), int(match[2]), int(match[3]), shown)
    clock = _make_time(int(match[4]), int(match[5]), int(match[6] or 0), shown)
    offset = match[7]
    if offset is None:
        return _local(day, clock, now.tzinfo)
    if offset == "z":
        zone: tzinfo = UTC
    else:
        digits = offset[1:].replace(":", "")
        minutes = int(digits[:2]) * 60 + int(digits[2:] or 0)
        zone = timezone(timedelta(minutes=minutes if offset[0] == "+" else -minutes))
    return datetime.combine(day, clock, tzinfo=zone).astimezone(now.tzinfo)


def _time_of_day(token: str, shown: str) -> time | None:
    if token == "noon":
        return time(12, 0)
    match = _TIME_24.fullmatch(token)
    if match:
        return _make_time(int(match[1]), int(match[2]), int(match[3] or 0), shown)
    match = _TIME_12.fullmatch(token)
    if match:
        hour, minute = int(match[1]), int(match[2] or 0)
        if not 1 <= hour <= 12:
            raise DeadlineError(
                _("'{text}' has no hour {hour}; use 1-12 with am/pm").format(
                    text=shown, hour=f"{hour}{match[3]}"
                )
            )
        hour = hour % 12 + (12 if match[3] == "pm" else 0)
        return _make_time(hour, minute, 0, shown)
    return None


def _free_form(words: str, now: datetime, shown: str) -> Deadline:
    """Whatever dateutil understands (`25 dec 17:00`, `dec 25 2027`), with the year rolled on.

    We read dateutil's raw fields (``_parse``) rather than a filled-in datetime so we know what
    the user actually wrote: whether there was a time, whether there was a year.
    """
    from dateutil import parser as dateutil_parser

    try:
        res, _skipped = dateutil_parser.parser()._parse(words)  # type: ignore[attr-defined]
    except Exception:  # dateutil raises assorted types on hostile text; all mean "not a date"
        res = None
    if res is None or res.month is None:
        raise DeadlineError(
            _("'{text}' is not a date; {hint}").format(text=shown, hint=_hint(several_words=True))
        )
    today = now.date()
    day_of_month = res.day if res.day is not None else 1
    year = res.year
    if year is None:
        year = today.year
        if (res.month, day_of_month) < (today.month, today.day):
            year += 1  # "25 mar" typed in November means next March
    day = _make_date(year, res.month, day_of_month, shown)
    if res.weekday is not None and res.day is not None and day.weekday() != res.weekday:
        raise DeadlineError(
            _("'{text}': {date} is a {weekday}, not a {expected}").format(
                text=shown,
                date=day.isoformat(),
                weekday=_day_name(day.weekday()),
                expected=_day_name(res.weekday),
            )
        )
    if res.hour is None and res.minute is None:
        return _all_day(day, now)
    clock = _make_time(res.hour or 0, res.minute or 0, res.second or 0, shown)
    if res.tzoffset is not None:
        fixed = timezone(timedelta(seconds=res.tzoffset))
        return _timed(datetime.combine(day, clock, tzinfo=fixed).astimezone(now.tzinfo), now)
    return _timed(_local(day, clock, now.tzinfo), now)


# --- building blocks --------------------------------------------------------------------------


def _make_date(year: int, month: int, day: int, shown: str) -> date:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise DeadlineError(
            _("'{text}': the year {year} is outside {first}-{last}").format(
                text=shown, year=year, first=MIN_YEAR, last=MAX_YEAR
            )
        )
    try:
        return date(year, month, day)
    except ValueError:
        stamp = f"{year:04d}-{month:02d}-{day:02d}"
        if shown == stamp:
            raise DeadlineError(_("{date} does not exist").format(date=stamp)) from None
        raise DeadlineError(
            _("'{text}': {date} does not exist").format(text=shown, date=stamp)
        ) from None


def _make_time(hour: int, minute: int, second: int, shown: str) -> time:
    try:
        return time(hour, minute, second)
    except ValueError:
        raise DeadlineError(
            _("'{text}' is not a time of day; use 00:00 to 23:59").format(text=shown)
        ) from None


def _add_months(start: date, count: int, shown: str) -> date:
    """Calendar months, the day clamped to the month's end (31 Jan + 1m = 28/29 Feb)."""
    total = start.year * 12 + start.month - 1 + count
    year, month = divmod(total, 12)
    if year > MAX_YEAR:
        raise DeadlineError(
            _("'{text}' is too far ahead; the last possible year is {year}").format(
                text=shown, year=MAX_YEAR
            )
        )
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(start.day, last))


def _year_outside(year: int) -> str:
    return _("the year {year} is outside {first}-{last}").format(
        year=year, first=MIN_YEAR, last=MAX_YEAR
    )


def _local(day: date, clock: time, zone: tzinfo | None) -> datetime:
    """Wall-clock time in ``zone``; a time skipped by a DST change moves forward past the gap."""
    return dtz.resolve_imaginary(datetime.combine(day, clock, tzinfo=zone))


def _midnight(day: date, zone: tzinfo | None) -> datetime:
    return _local(day, time(0), zone)


def _all_day(day: date, now: datetime) -> Deadline:
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise DeadlineError(_year_outside(day.year))
    return Deadline(
        due=day.isoformat(),
        all_day=True,
        in_past=day < now.date(),
        when=_midnight(day, now.tzinfo),
    )


def _timed(moment: datetime, now: datetime) -> Deadline:
    moment = moment.replace(microsecond=0)
    if not MIN_YEAR <= moment.year <= MAX_YEAR:
        raise DeadlineError(_year_outside(moment.year))
    return Deadline(
        due=moment.isoformat(timespec="seconds"),
        all_day=False,
        in_past=moment.timestamp() <= now.timestamp(),
        when=moment,
    )


# --- showing ----------------------------------------------------------------------------------

# Translated through the catalogue like every interface text (scripts/i18n.py lists these tables),
# never from the C locale: the output must not depend on the machine's settings.
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _read_due(due: object, now: datetime) -> tuple[date, datetime | None] | None:
    """(local date, instant or None for all-day) of a stored deadline; None if unreadable."""
    if not isinstance(due, str):
        return None
    try:
        if len(due) == 10:
            return date.fromisoformat(due), None
        moment = datetime.fromisoformat(due)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=now.tzinfo)
        moment = moment.astimezone(now.tzinfo)
        return moment.date(), moment
    except (ValueError, OverflowError):
        return None


def _span(days: int) -> str:
    """A count of days, coarser as it grows: 3d, 2w, 4mo, 2y."""
    if days < 14:
        return _("{n}d").format(n=days)
    if days < 63:
        return _("{n}w").format(n=days // 7)
    if days < 365:
        return _("{n}mo").format(n=days // 30)
    years = days // 365
    return ngettext("{n}y", "{n}y", years).format(n=years)


def _overdue(seconds: float) -> str:
    if seconds < 3600:
        amount = _("{n}min").format(n=max(1, int(seconds // 60)))
    elif seconds < 86400:
        amount = _("{n}h").format(n=int(seconds // 3600))
    else:
        amount = _span(int(seconds // 86400))
    return _("overdue {amount}").format(amount=amount)


def _ahead(days: int) -> str:
    if days == 0:
        return _("today")
    if days == 1:
        return _("tomorrow")
    return _("in {span}").format(span=_span(days))


def _short_date(day: date, now: datetime) -> str:
    text = _("{day} {month}").format(day=day.day, month=_(_MONTHS[day.month - 1]))
    return text if day.year == now.year else f"{text} {day.year}"


def humanize_due(due: str, now: datetime) -> str:
    """What a task row shows: short, relative, read at a glance (`today 17:00`, `overdue 2h`)."""
    now = _aware(now)
    read = _read_due(due, now)
    if read is None:
        return sanitize_line(str(due))[:20]
    day, moment = read
    days = (day - now.date()).days
    if moment is None:
        if days < 0:
            return _overdue(-days * 86400)
        if days < 63:
            return _ahead(days)
        return _short_date(day, now)
    seconds = moment.timestamp() - now.timestamp()
    if seconds <= 0:
        return _overdue(-seconds)
    if days <= 1:
        return f"{_ahead(days)} {moment:%H:%M}"
    if days < 63:
        return _ahead(days)
    return _short_date(day, now)


def _relative(day: date, moment: datetime | None, now: datetime) -> str:
    """The precise relative part of a description: `in 7h` today, `tomorrow`, `in 3mo`."""
    days = (day - now.date()).days
    if moment is None:
        return _overdue(-days * 86400) if days < 0 else _ahead(days)
    seconds = moment.timestamp() - now.timestamp()
    if seconds <= 0:
        return _overdue(-seconds)
    if seconds < 3600:
        return _("in {n}min").format(n=max(1, int(seconds // 60)))
    if days == 0:
        return _("in {n}h").format(n=int(seconds // 3600))
    return _ahead(days)


def describe_due(due: str, now: datetime, *, mark_all_day: bool = True) -> str:
    """The deadline box preview: the absolute date and the relative one, so a typo shows.

    ``mark_all_day=False`` drops "(all day)" for the narrower quick-add preview line.
    """
    now = _aware(now)
    read = _read_due(due, now)
    if read is None:
        return sanitize_line(str(due))[:40]
    day, moment = read
    text = f"{_(_DAYS[day.weekday()])} {_short_date(day, now)}"
    if moment is not None:
        text += f" {moment:%H:%M}"
    elif mark_all_day:
        text += " " + _("(all day)")
    return f"{text} - {_relative(day, moment, now)}"


def due_closeness(due: str | None, now: datetime, horizon: timedelta) -> str:
    """How close a deadline is, for colouring: overdue, day (24 h), horizon, later or none."""
    if not due:
        return "none"
    now = _aware(now)
    read = _read_due(due, now)
    if read is None:
        return "none"
    day, moment = read
    if moment is None:
        try:
            moment = _midnight(day + timedelta(days=1), now.tzinfo)  # the day has ended
        except OverflowError:
            return "later"
    seconds = moment.timestamp() - now.timestamp()
    if seconds <= 0:
        return "overdue"
    if seconds <= 86400:
        return "day"
    if seconds <= horizon.total_seconds():
        return "horizon"
    return "later"
