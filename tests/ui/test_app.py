"""The TUI driven with Pilot against real files in a temporary HOME."""

from __future__ import annotations

import json
from pathlib import Path

from textual.widgets import Static

from regtui.app.real import RealWorkstation
from regtui.core.docker_config import encode_auth
from regtui.ui.app import RegTUI
from regtui.ui.widgets.registries_table import RegistriesTable
from regtui.ui.widgets.registry_detail import RegistryDetail


async def test_starts_and_quits_with_no_docker_dir_at_all(isolated: Path) -> None:
    assert not (isolated / ".docker").exists()
    app = RegTUI(RealWorkstation())
    async with app.run_test() as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.query_one(RegistriesTable).row_count == 0
        assert "No registries" in str(app.query_one(RegistryDetail).render())
        await pilot.press("q")
    assert app.return_code == 0
    assert not (isolated / ".docker").exists()


async def test_rows_and_detail_follow_the_cursor(docker_dir: Path) -> None:
    (docker_dir / "config.json").write_text(
        json.dumps(
            {"auths": {"ghcr.io": {"auth": encode_auth("alice", "pw")}, "quay.io": {"auth": encode_auth("bob", "pw")}}}
        )
    )
    app = RegTUI(RealWorkstation())
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = app.query_one(RegistriesTable)
        assert table.row_count == 2
        assert "ghcr.io" in str(app.query_one(RegistryDetail).render())
        await pilot.press("down")
        detail = str(app.query_one(RegistryDetail).render())
        assert "quay.io" in detail and "fix: regtui migrate quay.io" in detail


async def test_a_malformed_config_is_shown_not_crashed_on(docker_dir: Path) -> None:
    path = docker_dir / "config.json"
    path.write_text('{"auths": [}')
    app = RegTUI(RealWorkstation())
    async with app.run_test() as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        error = app.query_one("#registries-error", Static)
        assert error.display and f"{path}:1:" in str(error.render())
        assert not app.query_one(RegistriesTable).display
    assert path.read_text() == '{"auths": [}'


async def test_preloaded_rows_are_there_at_mount_without_a_worker() -> None:
    """build_app starts loading before Textual is imported; once mounted, the table is already full."""
    from regtui.ui.launch import build_app

    app = build_app(demo=True)
    app.preloaded.result(timeout=10)
    async with app.run_test():
        assert app.query_one(RegistriesTable).row_count == 4
        assert not [w for w in app.workers if w.group == "registries"]


async def test_mirrors_tab_edits_the_real_daemon_json(tmp_path: Path, monkeypatch) -> None:
    """The real workstation: space, y writes daemon.json through the safe path (a .bak appears)."""
    daemon = tmp_path / "daemon.json"
    daemon.write_text('{\n  "registry-mirrors": ["https://a.example", "https://b.example"]\n}\n')
    for name, value in (
        ("REGTUI_DAEMON_JSON", daemon),
        ("REGTUI_CONTAINERD_CONFIG", tmp_path / "none.toml"),
        ("REGTUI_REGISTRIES_CONF", tmp_path / "none.conf"),
        ("REGTUI_DOCKER_CERTS_D", tmp_path / "c"),
    ):
        monkeypatch.setenv(name, str(value))
    app = RegTUI(RealWorkstation())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("3")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("space")
        await pilot.pause()
        await pilot.pause()
        await pilot.press("y")
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert json.loads(daemon.read_text())["registry-mirrors"] == ["https://b.example"]
    assert (tmp_path / "daemon.json.bak").exists()


async def test_checks_tab_checks_a_real_loopback_registry(docker_dir: Path) -> None:
    from tests.support.fault_servers import FaultServer

    server = FaultServer("open").start()
    host = server.host
    (docker_dir / "config.json").write_text(json.dumps({"auths": {host: {}}}))
    try:
        app = RegTUI(RealWorkstation())
        async with app.run_test(size=(100, 30)) as pilot:
            await app.workers.wait_for_complete()
            await pilot.press("2")
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            result = app.query_one("ChecksPane").results[host]
    finally:
        server.close()
    assert result.healthy and [s.name for s in result.steps][:3] == ["dns", "tcp", "tls"]


async def test_rate_limit_tab_reads_the_loopback_hub(monkeypatch) -> None:
    from tests.support.fake_hub import FakeHub, limited

    hub = FakeHub().start()
    hub.answers["anonymous"] = limited(100, 42)
    monkeypatch.setenv("REGTUI_HUB_AUTH_URL", f"{hub.url}/token")
    monkeypatch.setenv("REGTUI_HUB_REGISTRY_URL", hub.url)
    try:
        app = RegTUI(RealWorkstation())
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.press("4")
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            figure = str(app.query_one("#anonymous-card .figure", Static).render())
    finally:
        hub.close()
    assert "42 of 100 pulls left" in figure
    assert hub.manifest_gets == []
