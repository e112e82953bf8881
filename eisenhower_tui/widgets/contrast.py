"""Readable colours for any theme: a foreground pushed until it meets WCAG contrast.

Built-in themes pair their colours for large areas, not for our rows: light grey on the orange
accent reads at about 1.3:1 in one of them, `$error` on `$surface` at 1.9:1 in another. The app
adds CSS variables (``$cursor-text``, ``$overdue-text``) computed here from the theme's own
colours, so every theme, a user's own included, reads at >= 4.5:1 (WCAG AA for normal text).
"""

from __future__ import annotations

from rich.color import Color as RichColor
from textual.color import BLACK, WHITE, Color

MIN_CONTRAST = 4.5
# Aimed a little above the bar: the terminal rounds blended colours to whole RGB steps.
TARGET_CONTRAST = 5.0


def _channel(value: int) -> float:
    v = value / 255
    return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4


def luminance(color: Color) -> float:
    r, g, b = color.rgb
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast(a: Color, b: Color) -> float:
    """The WCAG contrast ratio of two opaque colours, 1 to 21."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def readable(foreground: Color, background: Color, minimum: float = TARGET_CONTRAST) -> Color:
    """``foreground`` as it is if it reads on ``background``, else blended towards black or
    white (whichever end reads better) just far enough: the hue stays recognisable."""
    if contrast(foreground, background) >= minimum:
        return foreground
    end = WHITE if contrast(WHITE, background) >= contrast(BLACK, background) else BLACK
    for step in range(1, 21):
        candidate = foreground.blend(end, step / 20)
        if contrast(candidate, background) >= minimum:
            return candidate
    return end


def _opaque(text: str | None) -> Color | None:
    """A theme colour we can compute with; None for ANSI colours (the terminal picks those)."""
    if not text or text.startswith("ansi"):
        return None
    try:
        color = Color.parse(text)
    except Exception:
        return None
    return color if color.a == 1 else None


def _ansi_text_on(background: str) -> str:
    """ansi_black or ansi_bright_white, whichever reads better on an ANSI colour."""
    try:
        r, g, b = RichColor.parse(background.removeprefix("ansi_")).get_truecolor()
    except Exception:
        return "ansi_default"
    shade = Color(r, g, b)
    return "ansi_black" if contrast(BLACK, shade) >= contrast(WHITE, shade) else "ansi_bright_white"


def readable_variables(variables: dict[str, str]) -> dict[str, str]:
    """``$cursor-text`` and ``$overdue-text`` for a theme's CSS variables.

    An ANSI theme's palette is the terminal's, unknown here: it gets ANSI colours back, black
    or bright white on the accent (whichever reads better in the standard palette) and bright red.
    """
    surface = _opaque(variables.get("surface")) or _opaque(variables.get("background"))
    accent = _opaque(variables.get("accent"))
    foreground = _opaque(variables.get("foreground"))
    error = _opaque(variables.get("text-error")) or _opaque(variables.get("error"))
    out = {
        "cursor-text": _ansi_text_on(variables.get("accent", "")),
        "overdue-text": "ansi_bright_red",
    }
    if accent is not None and foreground is not None:
        out["cursor-text"] = readable(foreground, accent).hex
    if surface is not None and error is not None:
        out["overdue-text"] = readable(error, surface).hex
    return out
