"""Markdown, to paste in a note: four ``## N · Name (count)`` sections of ``- [ ]`` items.

The characters that would change the rendering of a title, tag or name are escaped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime, tzinfo

from ..model import Quadrant, Task, parse_stamp
from .common import in_zone, local_zone

__all__ = ["export_markdown", "markdown_escape"]

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>~|])")


def markdown_escape(text: str) -> str:
    """Backslash the few characters that would turn a title into emphasis, a link or HTML."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def _due_for_humans(due: str, zone: tzinfo) -> str:
    if len(due) == 10:
        return due
    moment = parse_stamp(due)
    return in_zone(moment, zone).strftime("%Y-%m-%d %H:%M") if moment else due


def export_markdown(tasks: Sequence[Task], now: datetime) -> bytes:
    zone = local_zone(now)
    lines = [f"# Eisenhower matrix ({in_zone(now, zone).date().isoformat()})", ""]
    for quadrant in Quadrant:
        rows = [t for t in tasks if t.quadrant == quadrant]
        lines += [f"## {int(quadrant)} · {quadrant.label} ({len(rows)})", ""]
        if not rows:
            lines += ["_(empty)_", ""]
            continue
        for task in rows:
            parts = [f"- [{'x' if task.done else ' '}] {markdown_escape(task.title)}"]
            if task.due:
                parts.append(f"— due {_due_for_humans(task.due, zone)}")
            parts += [f"#{markdown_escape(tag)}" for tag in task.tags]
            if task.delegate:
                parts.append(f"@{markdown_escape(task.delegate)}")
            lines.append(" ".join(parts))
        lines.append("")
    return "\n".join(lines).encode()
