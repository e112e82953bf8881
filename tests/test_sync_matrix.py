"""The matrix syncs in the background (at open, on `S`), shows when, and never blocks a key."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_cli
from tui_helpers import THEME, matrix, settle, titles

from eisenhower_tui.app import EisenhowerApp
from eisenhower_tui.config import load_config
from eisenhower_tui.dates import local_now
from eisenhower_tui.model import Quadrant as Q
from eisenhower_tui.store import Store
from tests.radicale_server import RadicaleServer, use_config

SIZE = (100, 30)


@pytest.fixture
def config_file(tmp_path: Path, server: RadicaleServer, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = use_config(tmp_path / "config.toml", server, monkeypatch, extra=f'theme = "{THEME}"\n')
    path.write_text(path.read_text() + "every_minutes = 0\n")
    return path


def app_on(db: Path) -> EisenhowerApp:
    app = EisenhowerApp(
        Store(db),
        config=load_config(),
        clock=local_now,
        poll_interval=None,
        remember_theme=False,
    )
    app.animation_level = "none"
    return app


async def wait_synced(pilot, app: EisenhowerApp, timeout: float = 30.0) -> None:
    import time

    deadline = time.monotonic() + timeout
    while "synced" not in matrix(app).sync_status and "failed" not in matrix(app).sync_status:
        assert time.monotonic() < deadline, "no sync ended"
        await pilot.pause(0.05)
    await settle(pilot)


async def test_the_matrix_syncs_at_open_and_on_s_and_says_when(tmp_path, config_file, server):
    phone = tmp_path / "phone.json"  # another device, through the same server
    laptop = tmp_path / "laptop.json"
    run_cli("add", "From the laptop !2", db=laptop)
    app = app_on(laptop)
    async with app.run_test(size=SIZE) as pilot:
        await wait_synced(pilot, app)
        assert "synced" in matrix(app).sync_status
        assert run_cli("sync", db=phone, timeout=120).returncode == 0
        assert run_cli("add", "From the phone !1", db=phone).returncode == 0
        assert run_cli("sync", db=phone, timeout=120).returncode == 0

        matrix(app).sync_status = ""
        await pilot.press("S")
        await pilot.press("2")  # keys still work while the sync runs
        await wait_synced(pilot, app)
        await settle(pilot)
        assert titles(app, Q.DO) == ["From the phone"]
        assert titles(app, Q.SCHEDULE) == ["From the laptop"]
    assert {t.title for t in Store(phone).read().tasks} == {"From the laptop", "From the phone"}


async def test_a_sync_with_the_server_down_shows_the_error_and_keys_keep_working(
    tmp_path, config_file, server
):
    laptop = tmp_path / "laptop.json"
    run_cli("add", "Offline work !1", db=laptop)
    server.stop()
    app = app_on(laptop)
    async with app.run_test(size=SIZE) as pilot:
        await wait_synced(pilot, app)
        assert "sync failed" in matrix(app).sync_status
        await pilot.press("x")
        await settle(pilot)
        assert Store(laptop).read().tasks[0].done is not None
