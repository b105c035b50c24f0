"""The Rate limit tab over time (issue 10, item 7): read at, auto-refresh (HEAD requests only),
and a sparkline of the readings kept in regtui's state file between runs; against the loopback Hub."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime
from pathlib import Path

import pytest
from textual.widgets import Sparkline, Static

from regtui.app.real import RealWorkstation
from regtui.core.errors import ConfigError
from regtui.core.settings import PULL_HISTORY_KEPT, State, parse_state, state_path
from regtui.ui.app import RegTUI
from regtui.ui.widgets import ratelimit_pane
from tests.support.fake_hub import FakeHub, limited
from tests.ui.test_navigation import settle, until


@pytest.fixture
def hub(isolated: Path, monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201
    hub = FakeHub().start()
    hub.answers["anonymous"] = limited(100, 42)
    monkeypatch.setenv("REGTUI_HUB_AUTH_URL", f"{hub.url}/token")
    monkeypatch.setenv("REGTUI_HUB_REGISTRY_URL", hub.url)
    yield hub
    hub.close()


def text(app: RegTUI, selector: str) -> str:
    return str(app.query_one(selector, Static).render())


async def test_readings_are_timestamped_kept_between_runs_and_drawn(hub: FakeHub) -> None:
    times = iter([datetime(2026, 11, 30, 9, 15, 0), datetime(2026, 11, 30, 9, 16, 30), datetime(2026, 11, 30, 10, 0)])
    app = RegTUI(RealWorkstation())
    app.clock = lambda: next(times)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("4")
        await until(pilot, lambda: "read at" in text(app, "#ratelimit-read-at"))
        assert text(app, "#ratelimit-read-at").startswith("read at 09:15:00")
        hub.answers["anonymous"] = limited(100, 40)
        await pilot.press("r")
        await until(pilot, lambda: "09:16:30" in text(app, "#ratelimit-read-at"))
        assert app.query_one(Sparkline).data == [42, 40]
        assert "42 of 100 pulls left" not in text(app, "#anonymous-card .figure")
    kept = json.loads(state_path().read_text())["pull_history"]
    assert [(r["remaining"], r["limit"], r["mode"]) for r in kept] == [(42, 100, "anonymous"), (40, 100, "anonymous")]
    assert kept[0]["at"].startswith("2026-11-30T09:15:00")
    assert [m for m, _ in hub.requests if "/manifests/" in _] == ["HEAD", "HEAD"]  # never a GET: no pull counted

    second = RegTUI(RealWorkstation())  # the next run draws the earlier readings too
    second.clock = lambda: next(times)
    async with second.run_test(size=(100, 30)) as pilot:
        await pilot.press("4")
        await until(pilot, lambda: "10:00:00" in text(second, "#ratelimit-read-at"))
        assert second.query_one(Sparkline).data == [42, 40, 40]
        assert "3 readings since 2026-11-30 09:15" in text(second, "#pull-history")


async def test_a_auto_refreshes_with_head_requests_until_pressed_again(
    hub: FakeHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ratelimit_pane, "AUTO_REFRESH_SECONDS", 0.2)
    app = RegTUI(RealWorkstation())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("4")
        await until(pilot, lambda: "read at" in text(app, "#ratelimit-read-at"))
        assert "auto-refresh off (a: on)" in text(app, "#ratelimit-read-at")
        await pilot.press("a")
        assert "auto-refresh every 0.2 s: on (a: off)" in text(app, "#ratelimit-read-at")
        await until(pilot, lambda: len(app.state.pull_history) >= 3)
        await pilot.press("a")
        await settle(pilot)
        count = len(app.state.pull_history)
        await asyncio.sleep(0.6)
        await settle(pilot)
        assert len(app.state.pull_history) == count
    assert {m for m, path in hub.requests if "/manifests/" in path} == {"HEAD"}


def test_the_kept_history_is_bounded_and_checked(isolated: Path) -> None:
    state = State()
    for i in range(PULL_HISTORY_KEPT + 5):
        state.add_pull_reading(f"2026-11-30T09:{i % 60:02d}:00+00:00", "anonymous", i, 100)
    state.save()
    history = State().pull_history()
    assert len(history) == PULL_HISTORY_KEPT and history[-1]["remaining"] == PULL_HISTORY_KEPT + 4
    for bad in (
        '{"pull_history": {}}',
        '{"pull_history": [{"at": 1}]}',
        '{"pull_history": [{"at": "x", "mode": "a", "remaining": -1, "limit": 1}]}',
    ):
        with pytest.raises(ConfigError, match="pull_history"):
            parse_state(bad)
