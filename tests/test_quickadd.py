"""Quick-add grammar: tokens, titles, hostile text and the preview line."""

from __future__ import annotations

import pytest
from clock import NOW
from hypothesis import given, settings
from hypothesis import strategies as st

from eisenhower_tui.dates import DeadlineError
from eisenhower_tui.i18n import using_language
from eisenhower_tui.model import MAX_TITLE, InvalidTask, Quadrant
from eisenhower_tui.quickadd import (
    Draft,
    parse_quick_add,
    preview,
    preview_or_error,
    quadrant_name,
)

Q = Quadrant

# text, title, quadrant, from_tokens, tags, delegate, due
CASES = [
    ("Buy milk", "Buy milk", Q.SCHEDULE, False, [], None, None),
    ("Call Bob !u", "Call Bob", Q.DELEGATE, True, [], None, None),
    ("x !i", "x", Q.SCHEDULE, True, [], None, None),
    ("!u !i x", "x", Q.DO, True, [], None, None),
    ("x !I !U", "x", Q.DO, True, [], None, None),
    ("x !ui", "x", Q.DO, True, [], None, None),
    ("x !1", "x", Q.DO, True, [], None, None),
    ("!2 x", "x", Q.SCHEDULE, True, [], None, None),
    ("x !3", "x", Q.DELEGATE, True, [], None, None),
    ("x !4", "x", Q.ELIMINATE, True, [], None, None),
    ("x !1 !4", "x", Q.ELIMINATE, True, [], None, None),  # the last !N wins
    ("x !u !4", "x", Q.ELIMINATE, True, [], None, None),  # !N beats !u/!i
    ("x !4 !u !i", "x", Q.ELIMINATE, True, [], None, None),
    ("x !5 !x !", "x !5 !x !", Q.SCHEDULE, False, [], None, None),
    ("Report #work #q4", "Report", Q.SCHEDULE, False, ["work", "q4"], None, None),
    ("#a Report #b #a", "Report", Q.SCHEDULE, False, ["a", "b"], None, None),
    ("Report #home #Home", "Report", Q.SCHEDULE, False, ["home"], None, None),
    ("Report # ## #", "Report # ## #", Q.SCHEDULE, False, [], None, None),
    ("Ask @alice then @Bob", "Ask then", Q.SCHEDULE, False, [], "Bob", None),
    ("mail bob@example.com", "mail bob@example.com", Q.SCHEDULE, False, [], None, None),
    ("reply @ lunch", "reply @ lunch", Q.SCHEDULE, False, [], None, None),
    ("Fix \\#1 now", "Fix #1 now", Q.SCHEDULE, False, [], None, None),
    ("\\@home \\!1 \\due:x", "@home !1 due:x", Q.SCHEDULE, False, [], None, None),
    ("Pay rent due:fri", "Pay rent", Q.SCHEDULE, False, [], None, "2026-11-27"),
    ("Pay rent DUE:tomorrow", "Pay rent", Q.SCHEDULE, False, [], None, "2026-11-27"),
    ("due:+4h Ping", "Ping", Q.SCHEDULE, False, [], None, "2026-11-26T14:00:00+01:00"),
    ("x due:2026-12-01T17:00", "x", Q.SCHEDULE, False, [], None, "2026-12-01T17:00:00+01:00"),
    ("x due:fri due:eom", "x", Q.SCHEDULE, False, [], None, "2026-11-30"),
    ("Réunion due:demain !1", "Réunion", Q.DO, True, [], None, "2026-11-27"),
    ("x due:après-demain", "x", Q.SCHEDULE, False, [], None, "2026-11-28"),
    (
        "  Call   Bob  !u #admin   due:fri @Bob  ",
        "Call Bob",
        Q.DELEGATE,
        True,
        ["admin"],
        "Bob",
        "2026-11-27",
    ),
    ("due x", "due x", Q.SCHEDULE, False, [], None, None),
    ("overdue: stuff", "overdue: stuff", Q.SCHEDULE, False, [], None, None),
    ("日本語のタスク 🎉 #日本", "日本語のタスク 🎉", Q.SCHEDULE, False, ["日本"], None, None),
    # a tag starts with a letter: numbers stay in the title, `\#` escapes a word
    ("Fix PR #123 review", "Fix PR #123 review", Q.SCHEDULE, False, [], None, None),
    ("Fix #123 #bug", "Fix #123", Q.SCHEDULE, False, ["bug"], None, None),
    ("Call \\#work now #Été", "Call #work now", Q.SCHEDULE, False, ["Été"], None, None),
    ("Pay #1st #_x", "Pay #1st #_x", Q.SCHEDULE, False, [], None, None),
    # a time of day in the one token, or several words in quotes
    ("x due:tomorrow@9am", "x", Q.SCHEDULE, False, [], None, "2026-11-27T09:00:00+01:00"),
    ("x due:fri@17h", "x", Q.SCHEDULE, False, [], None, "2026-11-27T17:00:00+01:00"),
    ("x due:25dec@17:00", "x", Q.SCHEDULE, False, [], None, "2026-12-25T17:00:00+01:00"),
    ("x due:demain@9h", "x", Q.SCHEDULE, False, [], None, "2026-11-27T09:00:00+01:00"),
    ('Party due:"25 décembre" !2', "Party", Q.SCHEDULE, True, [], None, "2026-12-25"),
    ('x due:"fri 5pm" now', "x now", Q.SCHEDULE, False, [], None, "2026-11-27T17:00:00+01:00"),
    ("x due:\u201cfri 5pm\u201d", "x", Q.SCHEDULE, False, [], None, "2026-11-27T17:00:00+01:00"),
    ('x due:"fri"', "x", Q.SCHEDULE, False, [], None, "2026-11-27"),
]


@pytest.mark.parametrize(
    ("text", "title", "quadrant", "from_tokens", "tags", "delegate", "due"), CASES
)
def test_tokens(
    text: str,
    title: str,
    quadrant: Quadrant,
    from_tokens: bool,
    tags: list[str],
    delegate: str | None,
    due: str | None,
) -> None:
    draft = parse_quick_add(text, now=NOW)
    assert draft.title == title
    assert draft.quadrant is quadrant
    assert draft.quadrant_from_tokens is from_tokens
    assert draft.tags == tags
    assert draft.delegate == delegate
    assert (draft.deadline.due if draft.deadline else None) == due


@pytest.mark.parametrize("default", list(Quadrant))
def test_default_quadrant_is_used_without_tokens(default: Quadrant) -> None:
    draft = parse_quick_add("Water plants #home", default, NOW)
    assert (draft.quadrant, draft.quadrant_from_tokens) == (default, False)
    assert parse_quick_add("Water plants !i", default, NOW).quadrant is Q.SCHEDULE


def test_week_start_reaches_the_deadline() -> None:
    assert parse_quick_add("x due:eow", now=NOW, week_start=6).deadline.due == "2026-11-28"  # type: ignore[union-attr]
    assert parse_quick_add("x due:eow", now=NOW).deadline.due == "2026-11-29"  # type: ignore[union-attr]


def test_past_due_is_kept_and_flagged() -> None:
    draft = parse_quick_add("x due:2026-11-01", now=NOW)
    assert draft.deadline is not None and draft.deadline.in_past


# --- errors -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("x due:someday", "due:someday"),
        ("x due:5", "due:5"),
        ("x due:2026-02-30", "due:2026-02-30"),
        ("x due:+99999999999d", "due:+99999999999d"),
        ("x due:", "due:"),
        ("x due:dec25", "due:dec25"),  # one token: no free-form fallback
        ('x due:"25 dec', 'due:"25 dec'),  # the quote is not closed
        ('x due:"someday soon"', 'due:"someday soon"'),
        ('x due:""', 'due:""'),
    ],
)
def test_bad_due_names_the_token(text: str, named: str) -> None:
    with pytest.raises(DeadlineError) as caught:
        parse_quick_add(text, now=NOW)
    assert named in str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_time_after_a_due_token_stays_in_the_title_with_a_warning() -> None:
    draft = parse_quick_add("Call Bob due:tomorrow 9am", now=NOW)
    assert draft.title == "Call Bob 9am"
    assert draft.deadline is not None and draft.deadline.due == "2026-11-27"
    [warning] = draft.warnings
    assert "due:tomorrow@9am" in warning
    assert "⚠ " + warning in preview(draft, NOW)
    assert parse_quick_add("Call Bob due:tomorrow@9am", now=NOW).warnings == []
    assert parse_quick_add("Call due:fri review", now=NOW).warnings == []


def test_error_hints_in_quick_add_show_one_token_forms() -> None:
    with pytest.raises(DeadlineError) as caught:
        parse_quick_add("x due:someday", now=NOW)
    assert "tomorrow@9am" in str(caught.value) and "25 dec" not in str(caught.value)
    with pytest.raises(DeadlineError) as quoted:
        parse_quick_add('x due:"some day"', now=NOW)
    assert "tomorrow 9am" in str(quoted.value)


@pytest.mark.parametrize(
    "text", ["", "   ", "!1 #tag @bob", "due:fri", "\x1b[31m", "\u202e", "\x00", "!u !i"]
)
def test_empty_title(text: str) -> None:
    with pytest.raises(InvalidTask, match="empty"):
        parse_quick_add(text, now=NOW)


def test_title_length_limit() -> None:
    assert len(parse_quick_add("a" * MAX_TITLE, now=NOW).title) == MAX_TITLE
    assert parse_quick_add("a" * MAX_TITLE + " !1 #t", now=NOW).title == "a" * MAX_TITLE
    with pytest.raises(InvalidTask, match="501"):
        parse_quick_add("a" * (MAX_TITLE + 1), now=NOW)


# --- hostile titles -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("[/]", "[/]"),
        ("[bold]x[/bold]", "[bold]x[/bold]"),
        ("[@click=app.quit]x", "[@click=app.quit]x"),
        ("$title", "$title"),
        ("{title} %s %(x)s", "{title} %s %(x)s"),
        ("🎉 party 👨‍👩‍👧", "🎉 party 👨‍👩‍👧"),
        ("会議の準備", "会議の準備"),
        ("\x1b]52;c;aGk=\x07hi", "hi"),  # OSC 52 clipboard write
        ("\x1b[2J\x1b[31mred", "red"),
        ("\x1b]0;title\x1b\\x", "x"),
        ("evil\u202egnp.exe", "evilgnp.exe"),
        ("nul\x00byte", "nulbyte"),
        ("tab\there", "tab here"),
        ("line\nbreak", "line break"),
        ("de\u0301ja\u0300", "déjà"),
        ("\x1b]52;c;aGk=\x07#tag", None),  # the escape cannot hide that this is only a tag
    ],
)
def test_hostile_titles(text: str, title: str | None) -> None:
    if title is None:
        with pytest.raises(InvalidTask):
            parse_quick_add(text, now=NOW)
        return
    assert parse_quick_add(text, now=NOW).title == title


def test_hostile_tags_and_delegate_are_sanitised() -> None:
    draft = parse_quick_add("x #a\u202eb @bo\x1b[31mb", now=NOW)
    assert draft.tags == ["ab"]
    assert draft.delegate == "bob"


# --- preview ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "english", "french"),
    [
        ("Buy milk", "→ 2 Schedule (default)", "→ 2 Planifier (par défaut)"),
        ("Call Bob !u", "→ 3 Delegate", "→ 3 Déléguer"),
        ("x !1", "→ 1 Do first", "→ 1 Faire"),
        ("x !4", "→ 4 Eliminate", "→ 4 Éliminer"),
        (
            "File taxes due:fri #admin @Bob",
            "→ 2 Schedule (default) · due Fri 27 Nov - tomorrow · #admin · @Bob",
            "→ 2 Planifier (par défaut) · ven. 27 nov. - demain · #admin · @Bob",
        ),
        (
            "x !i due:2026-11-30T17:00 #a #b",
            "→ 2 Schedule · due Mon 30 Nov 17:00 - in 4d · #a #b",
            "→ 2 Planifier · lun. 30 nov. 17:00 - dans 4 j · #a #b",
        ),
        (
            "x due:2026-11-01",
            "→ 2 Schedule (default) · due Sun 1 Nov - overdue 3w · ⚠ in the past",
            "→ 2 Planifier (par défaut) · dim. 1 nov. - en retard de 3 sem · ⚠ dans le passé",
        ),
    ],
)
def test_preview(text: str, english: str, french: str) -> None:
    draft = parse_quick_add(text, now=NOW)
    assert preview(draft, NOW) == english
    with using_language("fr"):
        assert preview(draft, NOW) == french


def test_preview_default_label_and_markup() -> None:
    draft = parse_quick_add("[red]x[/red] #a[b]", Q.DO, NOW)
    line = preview(draft, NOW, default_label="focused pane")
    assert line == "→ 1 Do first (focused pane) · #a[b]"
    assert "\n" not in line


def test_preview_or_error() -> None:
    draft, line = preview_or_error("x due:fri", Q.SCHEDULE, NOW)
    assert isinstance(draft, Draft) and line.startswith("→ 2 Schedule")
    draft, line = preview_or_error("x due:soon", Q.SCHEDULE, NOW)
    assert draft is None and line.startswith("⚠ ") and "due:soon" in line
    draft, line = preview_or_error("", Q.SCHEDULE, NOW)
    assert draft is None and "empty" in line


def test_quadrant_name() -> None:
    assert [quadrant_name(q) for q in Quadrant] == ["Do first", "Schedule", "Delegate", "Eliminate"]
    with using_language("fr"):
        french = [quadrant_name(q) for q in Quadrant]
    assert french == [
        "Faire",
        "Planifier",
        "Déléguer",
        "Éliminer",
    ]


# --- properties --------------------------------------------------------------------------------

TOKENS = st.sampled_from(
    [
        "!1",
        "!4",
        "!u",
        "!i",
        "!x",
        "#",
        "#tag",
        "#123",
        "due:tomorrow@9am",
        'due:"25',
        'dec"',
        "9am",
        "@",
        "@bob",
        "due:",
        "due:fri",
        "due:+4h",
        "due:5",
        "due:+99999999999d",
        "\\#1",
        "\\",
        "word",
        "\x1b]52;c;aGk=\x07",
        "\u202e",
        "\x00",
        "[/]",
        "🎉",
    ]
)


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=120))
def test_any_text_gives_draft_or_invalid_task(text: str) -> None:
    try:
        draft = parse_quick_add(text, now=NOW)
    except InvalidTask as exc:  # DeadlineError is a subclass
        assert "\n" not in str(exc)
        return
    _check(draft)


@settings(max_examples=400, deadline=None)
@given(st.lists(TOKENS | st.text(max_size=8), max_size=10).map(" ".join))
def test_token_soup_gives_draft_or_invalid_task(text: str) -> None:
    try:
        draft = parse_quick_add(text, now=NOW)
    except InvalidTask:
        return
    _check(draft)


@given(st.integers(min_value=0, max_value=10**12), st.sampled_from(["", "x", "-a"]))
def test_a_hash_and_a_number_is_always_title_text(number: int, tail: str) -> None:
    draft = parse_quick_add(f"Fix PR #{number}{tail} now #bug", now=NOW)
    assert draft.title == f"Fix PR #{number}{tail} now"
    assert draft.tags == ["bug"]


def _check(draft: Draft) -> None:
    assert draft.title and draft.title == draft.title.strip()
    assert len(draft.title) <= MAX_TITLE
    assert "\x1b" not in draft.title and "\x00" not in draft.title and "\u202e" not in draft.title
    assert all(tag and not tag.startswith("#") for tag in draft.tags)
    assert len({t.casefold() for t in draft.tags}) == len(draft.tags)
    assert draft.delegate is None or (draft.delegate and not draft.delegate.startswith("@"))
    for lang in ("en", "fr"):
        with using_language(lang):
            line = preview(draft, NOW)
        assert line.startswith("→ ") and "\n" not in line
