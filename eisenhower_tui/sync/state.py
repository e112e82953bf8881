"""The sync state file beside the task file: ``<tasks>.caldav-state.json``.

Per task id: the server object's href, the ETag of the server copy our file has taken in, that
copy's calendar data (so a rewrite keeps the properties a phone added), and the BASE: the synced
fields both sides agreed on at the last sync, which the three-way merge compares against. Plus
the calendar's sync-token. Never a password. Written atomically, 0600, and only when it changed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..i18n import _
from ..store import StoreError, write_atomic

VERSION = 1


def state_path(db: Path) -> Path:
    return db.with_name(db.name + ".caldav-state.json")


@dataclass(slots=True)
class Item:
    href: str
    etag: str | None  # None: unknown, fetch it again on the next sync
    base: dict[str, Any] | None  # None: never agreed (pushed or taken in, not yet both)
    ics: str | None = None
    uid: str | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"href": self.href, "etag": self.etag, "base": self.base}
        if self.ics is not None:
            out["ics"] = self.ics
        if self.uid is not None:
            out["uid"] = self.uid
        return out


@dataclass(slots=True)
class SyncState:
    path: Path
    server: str = ""  # url + calendar: a state for another list is not this one's
    token: str | None = None
    items: dict[str, Item] = field(default_factory=dict)
    _saved: bytes | None = None

    @classmethod
    def load(cls, path: Path, server: str) -> SyncState:
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return cls(path, server)
        except OSError as exc:
            raise StoreError(
                _("Cannot read the sync state {path}: {reason}.").format(
                    path=path, reason=exc.strerror
                )
            ) from None
        try:
            data = json.loads(raw)
            if data.get("version") != VERSION or data.get("server") != server:
                return cls(path, server)  # another list, or an older layout: start afresh
            items = {
                str(task_id): Item(
                    href=str(item["href"]),
                    etag=item.get("etag"),
                    base=item.get("base"),
                    ics=item.get("ics"),
                    uid=item.get("uid"),
                )
                for task_id, item in data.get("items", {}).items()
            }
        except (ValueError, TypeError, KeyError, AttributeError):
            # A damaged state costs a slower sync (everything compared afresh), never data.
            return cls(path, server)
        return cls(path, server, data.get("token"), items, raw)

    def encode(self) -> bytes:
        data = {
            "version": VERSION,
            "server": self.server,
            "token": self.token,
            "items": {task_id: item.to_json() for task_id, item in sorted(self.items.items())},
        }
        return json.dumps(data, ensure_ascii=False, sort_keys=True).encode() + b"\n"

    def save(self) -> bool:
        """Write the state if it changed; True when it did."""
        payload = self.encode()
        if payload == self._saved:
            return False
        write_atomic(self.path, payload, temp_prefix=f".{self.path.name}.")
        self._saved = payload
        return True

    def by_href(self) -> dict[str, str]:
        return {item.href: task_id for task_id, item in self.items.items()}
