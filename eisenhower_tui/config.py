"""User settings from ``config.toml``: bad values warn and fall back, never stop the app."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from datetime import time, timedelta
from pathlib import Path
from typing import Any

from .i18n import _, using_language
from .model import DEFAULT_HORIZON
from .paths import default_config_path

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
LANGUAGES = ("en", "fr")


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
        }


def language_from_env() -> str:
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(var, "")
        if value:
            return "fr" if value.lower().startswith("fr") else "en"
    return "en"


def load_config(path: Path | None = None) -> Config:
    """Read the config file if there is one; every problem becomes a warning naming it.

    The warnings are in the language the settings choose, though none is set globally here.
    """
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
                for binding_id, keys in value.items():
                    if isinstance(keys, str) and keys.strip():
                        config.keys[str(binding_id)] = keys.strip()
                    else:
                        warn(
                            _('keys.{id} must be a key name such as "ctrl+n"; ignored').format(
                                id=binding_id
                            )
                        )
            else:
                warn(_("[keys] must be a table of binding id = key; ignored"))
        elif key == "caldav":
            config.caldav = _caldav_section(value, warn)
        elif key == "feed":
            config.feed_path = _feed_section(value, warn)
        elif key == "notify":
            _notify_section(config, value, warn)
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
