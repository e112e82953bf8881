"""User settings from ``config.toml``: bad values warn and fall back, never stop the app."""

from __future__ import annotations

import os
import stat
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import time, timedelta
from pathlib import Path
from typing import Any

from .i18n import _, using_language
from .model import DEFAULT_HORIZON, InvalidTask, Quadrant, sanitize_line
from .paths import default_config_path

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
LANGUAGES = ("en", "fr")

# The actions `[keys]` may rebind: binding id -> its default keys, for the app, the matrix screen
# and the task lists. A table here rather than a look at the classes, so `eisenhower config`
# never imports Textual; tests/test_config.py compares it with the real bindings.
KEY_ACTIONS: dict[str, str] = {
    # app
    "quit": "q",
    "palette": "ctrl+p",
    # matrix screen
    "focus-1": "1",
    "focus-2": "2",
    "focus-3": "3",
    "focus-4": "4",
    "add": "a",
    "edit": "e,enter",
    "deadline": "d",
    "clear-deadline": "D",
    "move": "m",
    "move-left": "shift+left,H",
    "move-right": "shift+right,L",
    "move-up": "shift+up,K",
    "move-down": "shift+down,J",
    "done": "x,space",
    "delete": "delete",
    "undo": "u,ctrl+z",
    "redo": "ctrl+y",
    "filter": "slash",
    "zoom": "z",
    "completed": "c",
    "help": "question_mark",
    "merge": "M",
    "sync": "S",
    "details": "i",
    "mark": "v",
    "tag": "t",
    "reorder-up": "ctrl+up,less_than_sign",
    "reorder-down": "ctrl+down,greater_than_sign",
    "review": "R",
    "abandon": "A",
    "check-in": "f",
    "people": "P",
    "waiting": "W",
    # task lists
    "cursor-up": "up,k",
    "cursor-down": "down,j",
    "pane-left": "left,h",
    "pane-right": "right,l",
    "cursor-first": "home,g",
    "cursor-last": "end,G",
    "page-up": "pageup",
    "page-down": "pagedown",
}
# Textual's own keys (focus, quit, copy): an action moved onto one would hide it.
TEXTUAL_KEYS = ("tab", "shift+tab", "ctrl+q", "ctrl+c")
# As textual.keys names single characters (`?` is question_mark): a keymap is not normalised
# by Textual, so `filter = "/"` would never fire without this.
_KEY_NAME_REPLACEMENTS = {
    "solidus": "slash",
    "reverse_solidus": "backslash",
    "commercial_at": "at",
    "hyphen_minus": "minus",
    "plus_sign": "plus",
    "low_line": "underscore",
}


@dataclass(slots=True)
class CaldavConfig:
    """``[caldav]``: one task list (a VTODO calendar) on a CalDAV server. No password here: it
    comes from ``password_command`` or ``$EISENHOWER_CALDAV_PASSWORD`` when a sync runs."""

    url: str = ""
    username: str = ""
    calendar: str = ""
    password_command: str = ""
    timeout: float = 30.0  # seconds per request; a phone hotspot can be slow, a dead link is not
    every_minutes: float = 15.0  # the matrix syncs at open and then this often; 0: only on `S`


@dataclass(slots=True)
class Config:
    path: Path
    theme: str = "textual-dark"
    escalation_hours: float | None = 48.0
    language: str = "en"
    week_start: int = 0  # 0 = Monday ... 6 = Sunday; the week ends the day before
    confirm_delete: bool = False
    keys: dict[str, str] = field(default_factory=dict)
    caldav: CaldavConfig | None = None
    feed_path: Path | None = None  # [feed] path: an .ics of open tasks written after each write
    notify_lead: timedelta = timedelta(minutes=15)  # [notify] lead_minutes, timed deadlines
    notify_all_day_at: time = time(9, 0)  # [notify] all_day_at, all-day deadlines
    follow_up_days: int = 3  # working days from delegating to the first follow-up
    sweep_days: int = 30  # Eliminate tasks older than this are offered to the sweep
    limits: dict[Quadrant, int] = field(default_factory=dict)  # [limits] do = 8
    warnings: list[str] = field(default_factory=list)

    @property
    def horizon(self) -> timedelta | None:
        if self.escalation_hours is None:
            return None
        return timedelta(hours=self.escalation_hours)

    @property
    def horizon_or_default(self) -> timedelta:
        """The closeness colours use the horizon even when escalation is off."""
        return self.horizon or DEFAULT_HORIZON

    def effective(self) -> dict[str, Any]:
        return {
            "theme": self.theme,
            "escalation_hours": self.escalation_hours if self.escalation_hours else "off",
            "language": self.language,
            "week_start": WEEKDAYS[self.week_start],
            "confirm_delete": self.confirm_delete,
            "keys": dict(self.keys),
            "follow_up_days": self.follow_up_days,
            "sweep_days": self.sweep_days,
            "limits": {q.key: n for q, n in sorted(self.limits.items())},
        }

    def to_toml(self) -> str:
        """The effective settings as a config file that loads back to the same values; the
        action ids `[keys]` accepts are listed in comments, with their default keys."""
        lines = []
        tables = {}
        for key, value in self.effective().items():
            if isinstance(value, dict):
                tables[key] = value  # after the plain keys: a table ends the top level
            else:
                lines.append(f"{key} = {toml_value(value)}")
        for key, table in tables.items():
            if key != "keys":
                lines += ["", f"[{toml_key(key)}]"]
                lines += [
                    f"{toml_key(name)} = {toml_value(value)}" for name, value in table.items()
                ]
        lines += [
            "",
            "# " + _("[keys] rebinds an action by its id; the ids and their default keys:"),
        ]
        lines += [f"#   {action} = {toml_value(keys)}" for action, keys in KEY_ACTIONS.items()]
        lines.append("[keys]")
        lines += [f"{toml_key(action)} = {toml_value(keys)}" for action, keys in self.keys.items()]
        return "\n".join(lines) + "\n"


def toml_value(value: object) -> str:
    """A TOML literal for a setting: a string escaped so any text stays one valid line."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(float(value)) if isinstance(value, float) else str(value)
    out = []
    for char in str(value):
        if char in ('"', "\\"):
            out.append("\\" + char)
        elif unicodedata.category(char) in ("Cc", "Cs") or char == "\x7f":
            # Controls (and lone surrogates, which TOML cannot hold) as escapes, never raw.
            out.append(f"\\u{ord(char):04x}" if ord(char) < 0xD800 else "\\ufffd")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def toml_key(key: str) -> str:
    return (
        key
        if key and all(c.isascii() and (c.isalnum() or c in "-_") for c in key)
        else (toml_value(key))
    )


def language_from_env(environ: Mapping[str, str] | None = None) -> str:
    """The interface language as gettext would choose it: ``LANGUAGE`` first (a priority list
    such as ``fr:en``) unless the locale is C/POSIX, then LC_ALL, LC_MESSAGES, LANG."""
    env = os.environ if environ is None else environ
    locale = next((env[var] for var in ("LC_ALL", "LC_MESSAGES", "LANG") if env.get(var)), "")
    name = locale.split(".")[0].split("@")[0]
    if name and name not in ("C", "POSIX") and env.get("LANGUAGE"):
        for entry in env["LANGUAGE"].split(":"):
            code = entry.strip().lower()[:2]
            if code in LANGUAGES:
                return code
        return "en"  # gettext finds none of the listed catalogues: untranslated text
    return "fr" if locale.lower().startswith("fr") else "en"


def key_name(key: str) -> str:
    """A key as Textual names it: `?` -> question_mark, `/` -> slash; names pass unchanged."""
    key = key.strip()
    if len(key) != 1 or key.isalnum():
        return key
    try:
        name = unicodedata.name(key).lower().replace("-", "_").replace(" ", "_")
    except ValueError:
        return key
    return _KEY_NAME_REPLACEMENTS.get(name, name)


def load_config(path: Path | None = None) -> Config:
    """Read the config file if there is one; every problem becomes a warning naming it.

    The warnings are in the language the settings choose, though none is set globally here,
    and hold no escape sequence: they quote keys and values from a file anyone may have written.
    """
    config = _load_config(path)
    config.warnings = [sanitize_line(warning) for warning in config.warnings]
    return config


def _load_config(path: Path | None) -> Config:
    path = path or default_config_path()
    config = Config(path=path, language=language_from_env())
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return config
    except OSError as exc:
        with using_language(config.language):
            why = _("cannot read {path}: {reason}; using defaults")
            config.warnings.append(why.format(path=path, reason=exc.strerror))
        return config
    import tomllib  # 5 ms of imports that a user without a config file never needs

    try:
        data = tomllib.loads(raw.decode("utf-8", errors="replace"))
    except tomllib.TOMLDecodeError as exc:
        with using_language(config.language):
            why = _("{path} is not valid TOML ({error}); using defaults")
            config.warnings.append(why.format(path=path, error=exc))
        return config
    chosen = data.get("language")
    with using_language(chosen if chosen in LANGUAGES else config.language):
        _apply(config, data)
        if config.caldav is not None and _readable_by_others(path):
            config.warnings.append(
                _(
                    "{path} can be read by other users and names your CalDAV account; "
                    "run `chmod 600 {path}`"
                ).format(path=path)
            )
    return config


def _readable_by_others(path: Path) -> bool:
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return bool(mode & (stat.S_IRGRP | stat.S_IROTH))


def _apply(config: Config, data: dict[str, Any]) -> None:
    warn = config.warnings.append
    for key, value in data.items():
        if key == "theme":
            if isinstance(value, str) and value:
                config.theme = value
            else:
                warn(_("theme must be a theme name; using the default"))
        elif key in ("escalation_hours", "escalation"):
            if value is False or value == "off":
                config.escalation_hours = None
            elif isinstance(value, int | float) and not isinstance(value, bool) and 0 < value < 1e5:
                config.escalation_hours = float(value)
            else:
                warn(_('{key} must be a number of hours or "off"; using 48').format(key=key))
        elif key == "language":
            if value in LANGUAGES:
                config.language = value
            else:
                warn(
                    _("language must be one of {choices}; using {language}").format(
                        choices=", ".join(LANGUAGES), language=config.language
                    )
                )
        elif key == "week_start":
            name = str(value).lower()
            matches = [i for i, day in enumerate(WEEKDAYS) if day.startswith(name[:3])]
            if len(name) >= 3 and matches:
                config.week_start = matches[0]
            else:
                warn(_("week_start must be a weekday name such as monday or sunday; using monday"))
        elif key == "confirm_delete":
            if isinstance(value, bool):
                config.confirm_delete = value
            else:
                warn(_("confirm_delete must be true or false; using false"))
        elif key == "keys":
            if isinstance(value, dict):
                _read_keys(config, value)
            else:
                warn(_("[keys] must be a table of binding id = key; ignored"))
        elif key == "caldav":
            config.caldav = _caldav_section(value, warn)
        elif key == "feed":
            config.feed_path = _feed_section(value, warn)
        elif key == "notify":
            _notify_section(config, value, warn)
        elif key in ("follow_up_days", "sweep_days", "limits"):
            _apply_practice(config, key, value)
        else:
            warn(_("unknown setting '{key}' in the config; ignored").format(key=key))


def _caldav_section(value: Any, warn: Any) -> CaldavConfig | None:
    if not isinstance(value, dict):
        warn(_("[caldav] must be a table with url, username and calendar; ignored"))
        return None
    section = CaldavConfig()
    for name, item in value.items():
        if name in ("url", "username", "calendar", "password_command"):
            if isinstance(item, str):
                setattr(section, name, item.strip())
            else:
                warn(_("caldav.{key} must be text; ignored").format(key=name))
        elif name == "timeout":
            if isinstance(item, int | float) and not isinstance(item, bool) and 0 < item <= 600:
                section.timeout = float(item)
            else:
                warn(_("caldav.timeout must be a number of seconds up to 600; using 30"))
        elif name == "every_minutes":
            if isinstance(item, int | float) and not isinstance(item, bool) and 0 <= item <= 1440:
                section.every_minutes = float(item)
            else:
                warn(_("caldav.every_minutes must be a number of minutes up to 1440; using 15"))
        elif name == "password":
            # A password written in the config would sit in a file that backups and dotfile
            # repositories copy around; it is refused rather than silently used.
            warn(
                _(
                    "caldav.password is not read: use password_command or the "
                    "EISENHOWER_CALDAV_PASSWORD variable"
                )
            )
        else:
            warn(_("unknown setting 'caldav.{key}' in the config; ignored").format(key=name))
    return section


def _feed_section(value: Any, warn: Any) -> Path | None:
    path = value.get("path") if isinstance(value, dict) else None
    if isinstance(path, str) and path.strip():
        return Path(path.strip()).expanduser()
    warn(_('[feed] must be a table with path = "..."; ignored'))
    return None


def _notify_section(config: Config, value: Any, warn: Any) -> None:
    if not isinstance(value, dict):
        warn(_("[notify] must be a table; ignored"))
        return
    for name, item in value.items():
        if name == "lead_minutes":
            if isinstance(item, int | float) and not isinstance(item, bool) and 0 <= item <= 10080:
                config.notify_lead = timedelta(minutes=item)
            else:
                warn(_("notify.lead_minutes must be a number of minutes; using 15"))
        elif name == "all_day_at":
            try:
                hour, minute = (int(part) for part in str(item).split(":"))
                config.notify_all_day_at = time(hour, minute)
            except ValueError:
                warn(_('notify.all_day_at must be a time such as "09:00"; using 09:00'))
        else:
            warn(_("unknown setting 'notify.{key}' in the config; ignored").format(key=name))


def _read_keys(config: Config, table: dict[str, Any]) -> None:
    """`[keys]`: known ids with key names, then no key left to two actions (one would vanish)."""
    warn = config.warnings.append
    for binding_id, keys in table.items():
        if binding_id not in KEY_ACTIONS:
            warn(
                _(
                    "[keys] has no action '{id}'; ignored (`eisenhower config` lists the ids)"
                ).format(id=binding_id)
            )
            continue
        names = [key_name(k) for k in keys.split(",")] if isinstance(keys, str) else []
        names = [n for n in dict.fromkeys(names) if n]
        if names:
            config.keys[binding_id] = ",".join(names)
        else:
            warn(_('keys.{id} must be a key name such as "ctrl+n"; ignored').format(id=binding_id))
    _refuse_clashes(config)


def _refuse_clashes(config: Config) -> None:
    """A key given to two actions would hide one of them: the rebinding that causes it is
    refused (its action keeps its default keys) and the warning names both actions.

    Between two rebindings onto the same key the first in the file wins. Refusing one gives
    its action back its default keys, which may clash in turn, so this runs to a fixed point;
    the defaults never clash among themselves, so it ends.
    """
    while True:
        owners: dict[str, list[str]] = {}
        for action, default in KEY_ACTIONS.items():
            for key in config.keys.get(action, default).split(","):
                owners.setdefault(key, []).append(action)
        refused = None
        order = list(config.keys)
        for action, keys in config.keys.items():
            for key in keys.split(","):
                # Held by default, or rebound onto it earlier in the file: that one keeps it.
                others = [
                    other
                    for other in owners[key]
                    if other != action
                    and (other not in config.keys or order.index(other) < order.index(action))
                ]
                if key in TEXTUAL_KEYS:
                    why = _(
                        "[keys]: {key} is one of Textual's own keys; {action} keeps {default}"
                    ).format(key=key, action=action, default=KEY_ACTIONS[action])
                elif others:
                    why = _(
                        "[keys]: {key} is given to both {action} and {other}; "
                        "{action} keeps {default}"
                    ).format(key=key, action=action, other=others[0], default=KEY_ACTIONS[action])
                else:
                    continue
                refused = action
                break
            if refused:
                break
        if refused is None:
            return
        del config.keys[refused]
        config.warnings.append(why)


def _days(value: Any) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value <= 3650:
        return value
    return None


def _apply_practice(config: Config, key: str, value: Any) -> None:
    """The settings of the practice over weeks: follow-up and sweep days, quadrant limits."""
    warn = config.warnings.append
    if key == "follow_up_days":
        days = _days(value)
        if days is None:
            warn(_("follow_up_days must be a number of working days; using 3"))
        else:
            config.follow_up_days = days
    elif key == "sweep_days":
        days = _days(value)
        if days is None:
            warn(_("sweep_days must be a number of days; using 30"))
        else:
            config.sweep_days = days
    elif not isinstance(value, dict):
        warn(_("[limits] must be a table such as do = 8; ignored"))
    else:
        for name, limit in value.items():
            try:
                quadrant = Quadrant.parse(str(name))
            except InvalidTask:
                quadrant = None
            count = _days(limit)
            if quadrant is None or count is None:
                warn(
                    _("limits.{name} must be a quadrant name = a number of tasks; ignored").format(
                        name=name
                    )
                )
            else:
                config.limits[quadrant] = count
