"""A real Radicale CalDAV server on 127.0.0.1, for the sync and reminder tests.

Storage, users (plain htpasswd) and the config file all live in the test's tmp_path; the server
listens on a free loopback port only, and can be stopped and started again on the same port and
storage (the "server gone mid-sync" test).
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

USER, PASSWORD = "alice", "s3cret-pass"
CALENDAR = "tasks"
START_TIMEOUT = 30.0  # seconds: Radicale starts in well under a second; a loaded CI is slower


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class RadicaleServer:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.process: subprocess.Popen[bytes] | None = None
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "users").write_text(f"{USER}:{PASSWORD}\n")
        self.config = folder / "radicale.conf"
        self.config.write_text(
            "[server]\n"
            f"hosts = 127.0.0.1:{self.port}\n"
            "[auth]\n"
            "type = htpasswd\n"
            f"htpasswd_filename = {folder / 'users'}\n"
            "htpasswd_encryption = plain\n"
            "delay = 0\n"
            "[storage]\n"
            f"filesystem_folder = {folder / 'collections'}\n"
            "[logging]\n"
            "level = warning\n"
        )

    def start(self) -> None:
        log = open(self.folder / "radicale.log", "ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "radicale", "--config", str(self.config)],
            stdout=log,
            stderr=log,
            stdin=subprocess.DEVNULL,
        )
        log.close()
        deadline = time.monotonic() + START_TIMEOUT
        while True:  # wait until it answers HTTP (any status: 401 means it is up)
            try:
                urllib.request.urlopen(self.url, timeout=2)
                break
            except urllib.error.HTTPError:
                break
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        "Radicale did not start: " + (self.folder / "radicale.log").read_text()
                    ) from None
                time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=120)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    # a second client, as a phone app would be

    def client(self) -> Any:
        import caldav

        return caldav.DAVClient(url=self.url, username=USER, password=PASSWORD, timeout=120)

    def make_calendar(self) -> None:
        self.client().principal().make_calendar(
            name="Tasks", cal_id=CALENDAR, supported_calendar_component_set=["VTODO"]
        )

    def calendar(self) -> Any:
        return self.client().calendar(url=f"{self.url}{USER}/{CALENDAR}/")

    def objects(self) -> dict[str, tuple[str, str]]:
        """UID -> (href, calendar data, unfolded with LF line ends) of every object."""
        from icalendar import Calendar

        calendar = self.calendar()
        listed = calendar.get_objects_by_sync_token(None, load_objects=False)
        found = {}
        for obj in calendar.multiget([o.url for o in listed.objects]) if listed.objects else []:
            if not obj.data:
                continue
            uid = str(Calendar.from_ical(obj.data).walk("VTODO")[0]["UID"])
            # One spelling for assertions: LF line ends, folded lines joined.
            text = str(obj.data).replace("\r\n", "\n").replace("\n ", "").replace("\n\t", "")
            found[uid] = (str(obj.url), text)
        return found

    def etags(self) -> dict[str, str]:
        calendar = self.calendar()
        listed = calendar.get_objects_by_sync_token(None, load_objects=False)
        return {str(o.url): str(o.props.get("{DAV:}getetag")) for o in listed.objects}

    def put(self, uid: str, ics: str) -> None:
        """Write a VTODO as a phone app would: PUT to <list>/<uid>.ics."""
        response = self.client().put(
            f"{self.url}{USER}/{CALENDAR}/{uid}.ics",
            ics,
            {"Content-Type": "text/calendar; charset=utf-8"},
        )
        assert response.status in (201, 204), response.status

    def put_many(self, calendars: Any) -> None:
        """Fill the list in one request: Radicale takes a PUT of a whole VCALENDAR on the
        collection (its bulk upload); each VTODO becomes one object."""
        todos = []
        for ics in calendars:
            body = ics.split("BEGIN:VTODO", 1)[1].rsplit("END:VTODO", 1)[0]
            todos.append("BEGIN:VTODO" + body + "END:VTODO\r\n")
        calendar = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
        calendar += "".join(todos) + "END:VCALENDAR\r\n"
        response = self.client().put(
            f"{self.url}{USER}/{CALENDAR}/", calendar, {"Content-Type": "text/calendar"}
        )
        assert response.status in (201, 204), response.status

    def delete(self, href: str) -> None:
        response = self.client().delete(href)
        assert response.status in (200, 204), response.status


@pytest.fixture
def server(tmp_path: Path) -> Iterator[RadicaleServer]:
    """A Radicale on 127.0.0.1 with the task list made, stopped at the end of the test."""
    radicale = RadicaleServer(tmp_path / "radicale")
    radicale.start()
    try:
        radicale.make_calendar()
        yield radicale
    finally:
        radicale.stop()


def use_config(
    path: Path, server: RadicaleServer, monkeypatch: pytest.MonkeyPatch, extra: str = ""
) -> Path:
    """A private config pointing at ``server``, and the password in the environment."""
    path.write_text(
        f'{extra}[caldav]\nurl = "{server.url}"\nusername = "{USER}"\ncalendar = "{CALENDAR}"\n'
    )
    path.chmod(0o600)
    monkeypatch.setenv("EISENHOWER_CONFIG", str(path))
    monkeypatch.setenv("EISENHOWER_CALDAV_PASSWORD", PASSWORD)
    return path
