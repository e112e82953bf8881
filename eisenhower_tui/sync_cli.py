"""`eisenhower sync`: one sync, its one-line summary, and the exit code."""

from __future__ import annotations

import sys
from typing import Any

from .sync import SyncError, sync_once


def cmd_sync(store: Any, config: Any) -> int:
    try:
        report = sync_once(store, config)
    except SyncError as exc:
        print(f"eisenhower: {exc}", file=sys.stderr)
        return exc.exit_code
    print(report.summary())
    return 0
