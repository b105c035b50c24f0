"""The Checks tab with no login at all: Docker Hub (the loopback stand-in) is healthy anonymously,
and the ladder shows the anonymous note with its fix instead of a "not-logged-in" failure."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable, Static

from regtui.app.real import RealWorkstation
from regtui.ui.app import RegTUI
from tests.support.fake_hub import FakeHub


async def test_checks_tab_shows_anonymous_hub_as_healthy(isolated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    hub = FakeHub(public={"library/hello-world"}).start()
    monkeypatch.setenv("REGTUI_HUB_REGISTRY_URL", hub.url)
    monkeypatch.setenv("REGTUI_HUB_AUTH_URL", f"{hub.url}/token")
    try:
        app = RegTUI(RealWorkstation())
        async with app.run_test(size=(120, 36)) as pilot:
            await app.workers.wait_for_complete()
            await pilot.press("2")
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            pane = app.query_one("ChecksPane")
            result = pane.results["docker.io"]
            verdict = str(pane.query_one(DataTable).get_row("docker.io")[1])
            detail = str(pane.query_one("#check-detail", Static).render())
    finally:
        hub.close()
    assert result.healthy and result.anonymous and verdict == "healthy"
    assert "! GET /v2/ (anonymous token)" in detail
    assert "not logged in; anonymous access possible (no repository named to test)" in detail
    assert "cause: anonymous" in detail and "regtui check docker.io --repo NAME" in detail
    assert any(path.startswith("/token") for _, path in hub.requests)
