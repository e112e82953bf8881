"""Where data and config live: ``--db``, then ``EISENHOWER_DB``, then the platform data folder."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "eisenhower-tui"
DB_ENV = "EISENHOWER_DB"
CONFIG_ENV = "EISENHOWER_CONFIG"


def default_data_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


def default_config_path() -> Path:
    override = os.environ.get(CONFIG_ENV)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP_NAME, appauthor=False)) / "config.toml"


def resolve_db_path(option: str | None = None) -> Path:
    """The first that is set: the ``--db`` option, ``$EISENHOWER_DB``, the platform default."""
    if option:
        return Path(option).expanduser()
    env = os.environ.get(DB_ENV)
    if env:
        return Path(env).expanduser()
    return default_data_dir() / "tasks.json"
