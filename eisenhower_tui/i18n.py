"""gettext translations; the catalogues live in the package under ``locale/``."""

from __future__ import annotations

import contextlib
import gettext
from collections.abc import Iterator
from pathlib import Path

DOMAIN = "eisenhower_tui"
LOCALE_DIR = Path(__file__).parent / "locale"
_translation: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def set_language(language: str) -> None:
    global _translation, _language
    _language = language
    if language == "en":
        _translation = gettext.NullTranslations()
    else:
        _translation = gettext.translation(
            DOMAIN, localedir=LOCALE_DIR, languages=[language], fallback=True
        )


def current_language() -> str:
    return _language


@contextlib.contextmanager
def using_language(language: str) -> Iterator[None]:
    """``language`` for the messages made inside the block, the previous one again afterwards.

    For texts written before the caller has chosen the language, such as the config warnings.
    """
    previous = _language
    set_language(language)
    try:
        yield
    finally:
        set_language(previous)


def _(message: str) -> str:
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translation.ngettext(singular, plural, n)
