"""User settings from ``config.toml``: bad values warn and fall back, never stop the app."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from .i18n import _, using_language
from .model import DEFAULT_HORIZON, InvalidTask, Quadrant
from .paths import default_config_path

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
LANGUAGES = ("en", "fr")


@dataclass(slots=True)
class Config:
    path: Path
    theme: str = "textual-dark"
    escalation_hours: float | None = 48.0
    language: str = "en"
    week_start: int = 0  # 0 = Monday ... 6 = Sunday; the week ends the day before
    confirm_delete: bool = False
    keys: dict[str, str] = field(default_factory=dict)
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
    return config


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
        elif key in ("follow_up_days", "sweep_days", "limits"):
            _apply_practice(config, key, value)
        else:
            warn(_("unknown setting '{key}' in the config; ignored").format(key=key))


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
