"""The one-line quick-add grammar shared by `eisenhower add`, the capture popup and the add box.

Pure: no I/O, no Textual, no Rich. ``parse_quick_add`` turns ``Call Bob !u #admin due:fri`` into a
:class:`Draft`; ``preview`` renders a draft as the plain-text line shown under the input while the
user types, so they see exactly what will be saved before pressing Enter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from .dates import Deadline, DeadlineError, describe_due, looks_like_time, parse_deadline
from .domain.escalation import escalates_on_save
from .domain.recurrence import Rule, parse_every
from .i18n import _
from .model import InvalidTask, Quadrant, clean_delegate, clean_tag, clean_title, cut, sanitize_line

__all__ = ["Draft", "parse_quick_add", "preview", "preview_or_error", "quadrant_name"]

_QUADRANT_TOKEN = re.compile(r"![1-4]")
_FLAG_TOKEN = re.compile(r"!(?:u|i|ui|iu)", re.IGNORECASE)
_ESCAPABLE = ("#", "@", "!", "\\", "due:", "every", "chaque", "wait:", "follow:")
# Version 0.2 tokens: recurrence (`every!:` counts from the day it is done), hide until, follow up.
_EVERY = {"every:": "fixed", "chaque:": "fixed", "every!:": "after", "chaque!:": "after"}
_WAIT = ("wait:", "attendre:")
_FOLLOW = ("follow:", "relance:")
# `due:"25 dec"`: straight or typographic quotes (a phone or macOS may turn one into the other).
_OPEN_QUOTES = {'"': '"', "\u201c": "\u201d", "\u201d": "\u201d", "\u00ab": "\u00bb"}


@dataclass(slots=True)
class Draft:
    """What a quick-add line will save; the caller may still override fields from options."""

    title: str
    quadrant: Quadrant
    quadrant_from_tokens: bool
    deadline: Deadline | None
    tags: list[str]
    delegate: str | None
    # What the user probably did not mean (a time of day left in the title): shown, not fatal.
    warnings: list[str] = field(default_factory=list)
    every: Rule | None = None
    wait: Deadline | None = None
    follow: Deadline | None = None


def parse_quick_add(
    text: str,
    default_quadrant: Quadrant = Quadrant.SCHEDULE,
    now: datetime | None = None,
    *,
    week_start: int = 0,
) -> Draft:
    """Split a quick-add line into tokens and title.

    Raises only :class:`InvalidTask` (an empty or too long title) or its subclass
    :class:`DeadlineError` (a ``due:`` token that is not a date), for any input string.
    """
    # Sanitise before splitting so an escape sequence cannot hide a token or smuggle a space.
    words: list[str] = []
    tags: list[str] = []
    warnings: list[str] = []
    delegate: str | None = None
    deadline: Deadline | None = None
    numbered: Quadrant | None = None
    urgent = important = flagged = False
    practice: dict[str, object] = {}
    tokens = sanitize_line(str(text)).split()
    index = 0
    while index < len(tokens):
        token = tokens[index]
        index += 1
        lower = token.lower()
        if _practice_token(token, lower, practice, now, week_start):
            continue
        if token.startswith("\\") and token[1:].lower().startswith(_ESCAPABLE):
            words.append(token[1:])  # `\#1` is a literal `#1` in the title
        elif _QUADRANT_TOKEN.fullmatch(token):
            numbered = Quadrant(int(token[1]))  # the last `!N` wins
        elif _FLAG_TOKEN.fullmatch(token):
            flagged = True
            urgent = urgent or "u" in lower
            important = important or "i" in lower
        elif _is_tag(token):
            tag = clean_tag(token)
            if tag.casefold() not in {t.casefold() for t in tags}:
                tags.append(tag)  # `#home #Home` is one tag, spelt as first typed
        elif token.startswith("@") and clean_delegate(token):
            delegate = clean_delegate(token)  # the last `@name` wins
        elif lower.startswith("due:") and token[4:5] in _OPEN_QUOTES:
            quoted, index = _quoted_due(tokens, index - 1)
            deadline = _due_token(quoted, now, week_start, several_words=True)
        elif lower.startswith("due:"):
            deadline = _due_token(token, now, week_start)
            if index < len(tokens) and looks_like_time(tokens[index]):
                warnings.append(_time_left_in_title(token, tokens[index]))
        else:
            words.append(token)
    if numbered is not None:
        quadrant, from_tokens = numbered, True
    elif flagged:
        # `!u` alone means "urgent, not important": the flag not given is false (SPEC 5).
        quadrant, from_tokens = Quadrant.from_flags(urgent, important), True
    else:
        quadrant, from_tokens = default_quadrant, False
    return Draft(
        title=clean_title(" ".join(words)),
        quadrant=quadrant,
        quadrant_from_tokens=from_tokens,
        deadline=deadline,
        tags=tags,
        delegate=delegate,
        warnings=warnings,
        every=practice.get("every"),  # type: ignore[arg-type]
        wait=practice.get("wait"),  # type: ignore[arg-type]
        follow=practice.get("follow"),  # type: ignore[arg-type]
    )


def _practice_token(
    token: str, lower: str, found: dict[str, object], now: datetime | None, week_start: int
) -> bool:
    """The 0.2 tokens (``every:fri``, ``chaque:lundi``, ``every!:2w``, ``wait:WHEN``,
    ``follow:WHEN``): True when ``token`` was one of them and is now in ``found``."""
    for prefix, mode in _EVERY.items():
        if lower.startswith(prefix):
            rule = token[len(prefix) :]
            if not rule:
                raise InvalidTask(
                    _("'{token}' needs a rule right after the colon, like every:fri").format(
                        token=token
                    )
                )
            found["every"] = parse_every(rule, mode)
            return True
    for prefixes, name in ((_WAIT, "wait"), (_FOLLOW, "follow")):
        for prefix in prefixes:
            if lower.startswith(prefix):
                found[name] = _due_token(token, now, week_start, len(prefix))
                return True
    return False


def _is_tag(token: str) -> bool:
    """`#work` is a tag; `#123`, `#` and `##` stay in the title (a tag starts with a letter)."""
    return len(token) > 1 and token[0] == "#" and token[1].isalpha() and bool(clean_tag(token))


def _quoted_due(tokens: list[str], start: int) -> tuple[str, int]:
    """`due:"25 dec 17:00"` spread over several tokens: the whole quoted token and where the
    next token starts."""
    opening = tokens[start][4]
    closing = _OPEN_QUOTES[opening]
    for end in range(start, len(tokens)):
        word = tokens[end] if end > start else tokens[end][5:]
        if word.endswith(closing) and (end > start or len(word) > 0):
            return " ".join(tokens[start : end + 1]), end + 1
    shown = " ".join(tokens[start:])
    shown = cut(shown, 40)
    raise DeadlineError(
        _("in '{token}': the quote is not closed; write due:\"25 dec 17:00\"").format(token=shown)
    )


def _due_token(
    token: str,
    now: datetime | None,
    week_start: int,
    skip: int = 4,
    *,
    several_words: bool = False,
) -> Deadline:
    when = token[skip:]
    if several_words:
        when = when[1:-1]  # the quotes
    if not when.strip():
        raise DeadlineError(
            _("'{token}' needs a date right after the colon, like due:fri").format(token=token)
        )
    try:
        return parse_deadline(when, now, several_words=several_words, week_start=week_start)
    except DeadlineError as exc:
        raise DeadlineError(_("in '{token}': {error}").format(token=token, error=exc)) from None


def _time_left_in_title(token: str, word: str) -> str:
    """`due:tomorrow 9am`: the 9am is not part of the deadline; say how to join it."""
    return _("'{word}' stays in the title; for a time write {token}@{word}").format(
        word=word, token=token
    )


def quadrant_name(quadrant: Quadrant) -> str:
    """The quadrant's display name in the interface language."""
    return _(quadrant.label)


def preview(
    draft: Draft,
    now: datetime,
    *,
    default_label: str | None = None,
    horizon: timedelta | None = None,
    explicit: bool = False,
) -> str:
    """One plain-text line (never Rich markup) saying where and how the task will be saved.

    With ``horizon``, a default placement that escalation will make urgent on save shows the
    quadrant it will really land in.
    """
    default_label = default_label or _("default")
    quadrant = draft.quadrant
    due = draft.deadline.due if draft.deadline else None
    chosen = explicit or draft.quadrant_from_tokens
    if escalates_on_save(quadrant, due, chosen, now, horizon):
        quadrant = Quadrant.from_flags(True, quadrant.important)
        default_label = _("deadline close")
    head = f"→ {int(quadrant)} {quadrant_name(quadrant)}"
    if not draft.quadrant_from_tokens:
        head += f" ({default_label})"
    parts = [head]
    if draft.deadline is not None:
        when = describe_due(draft.deadline.due, now, mark_all_day=False)
        # French drops the label: "échéance" would push the date out of a 60-column popup.
        parts.append(_("due {when}").format(when=when))
        if draft.deadline.in_past:
            parts.append("⚠ " + _("in the past"))
    if draft.tags:
        parts.append(" ".join(f"#{tag}" for tag in draft.tags))
    if draft.delegate:
        parts.append(f"@{draft.delegate}")
    parts += _practice_preview(draft, now)
    parts.extend("⚠ " + warning for warning in draft.warnings)
    return " · ".join(parts)


def preview_or_error(
    text: str,
    default_quadrant: Quadrant,
    now: datetime,
    *,
    default_label: str | None = None,
    week_start: int = 0,
) -> tuple[Draft | None, str]:
    """For live previews: the draft and its preview line, or None and the reason, prefixed ⚠."""
    try:
        draft = parse_quick_add(text, default_quadrant, now, week_start=week_start)
    except InvalidTask as exc:
        return None, f"⚠ {exc}"
    return draft, preview(draft, now, default_label=default_label)


def _practice_preview(draft: Draft, now: datetime) -> list[str]:
    parts = []
    if draft.every is not None:
        every = "↻ " + draft.every.rrule
        parts.append(every + (" " + _("(after done)") if draft.every.mode == "after" else ""))
    if draft.wait is not None:
        when = describe_due(draft.wait.due, now, mark_all_day=False)
        parts.append(_("hidden until {when}").format(when=when))
    if draft.follow is not None:
        when = describe_due(draft.follow.due, now, mark_all_day=False)
        parts.append(_("follow up {when}").format(when=when))
    return parts
