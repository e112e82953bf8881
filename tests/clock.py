"""The one clock of the tests: a fixed Thursday morning in Paris (TZ is Europe/Paris too)."""

from __future__ import annotations

from datetime import datetime

from dateutil import tz

PARIS = tz.gettz("Europe/Paris")
NOW = datetime(2026, 11, 26, 10, 0, tzinfo=PARIS)  # a Thursday, 09:00 UTC
