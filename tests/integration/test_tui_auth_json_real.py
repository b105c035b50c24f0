"""The TUI's Registries pane over the real skopeo's auth.json: `skopeo login` writes the file, the
pane lists the entry as a row of its own (read by the containers tools), `d` on that row logs it
out of that file, and skopeo is then refused by the loopback registry."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from regtui.app.real import RealWorkstation
from regtui.ui.app import RegTUI
from regtui.ui.screens.confirm import ConfirmModal
from regtui.ui.widgets.registries_pane import RegistriesPane
from regtui.ui.widgets.registries_table import RegistriesTable
from tests.integration.test_containers_auth_real import auth_json, skopeo_login
from tests.integration.test_real_consumers import skopeo_inspect
from tests.support.realparts import REGISTRY_USER, Registry


@pytest.fixture
def runtime_env(real_env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """skopeo's environment, and the same for the TUI running in this process."""
    from tests.conftest import require

    require("skopeo")
    runtime = tmp_path / "run-user"
    runtime.mkdir(mode=0o700)
    env = {**real_env, "XDG_RUNTIME_DIR": str(runtime)}
    del env["DOCKER_CONFIG"]  # with it set, skopeo's first file would be docker's config.json
    monkeypatch.delenv("DOCKER_CONFIG")
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    return env


async def test_skopeo_login_is_a_row_and_the_tui_logs_it_out(
    registry: Registry, image: str, runtime_env: dict[str, str], docker_dir: Path
) -> None:
    skopeo_login(runtime_env, registry.host)
    path = auth_json(runtime_env)
    assert skopeo_inspect(runtime_env, image).returncode == 0
    app = RegTUI(RealWorkstation())
    async with app.run_test(size=(130, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = app.query_one(RegistriesTable)
        key = f"{registry.host} in {path}"
        assert [k.value for k in table.rows] == [key]
        [status] = app.query_one(RegistriesPane).statuses.values()
        assert (status.username, status.file, status.tools) == (REGISTRY_USER, str(path), "containers tools")
        assert [str(c) for c in table.get_row(key)][-2:] == ["auth.json", "containers"]
        await pilot.press("d")
        for _ in range(200):
            if isinstance(app.screen, ConfirmModal):
                break
            await pilot.pause(0.02)
        assert isinstance(app.screen, ConfirmModal) and str(path) in str(app.screen.query_one("#confirm-body").render())
        await pilot.press("y")
        for _ in range(3):
            await app.workers.wait_for_complete()
            await pilot.pause()
        assert table.row_count == 0
    assert json.loads(path.read_text())["auths"] == {}
    refused = skopeo_inspect(runtime_env, image)
    assert refused.returncode != 0 and "authentication required" in refused.stderr
    assert not (docker_dir / "config.json").exists()  # docker's file was never touched


async def test_a_token_login_in_the_tui_shows_the_user_name(
    token_registry: Registry, token_server, docker_dir: Path
) -> None:
    """The token server issues an identity token, which is what is stored (user <token> for docker);
    the row still shows who logged in, from regtui's state."""
    from textual.widgets import Input

    from regtui.core.settings import State
    from regtui.ui.screens.login import LoginModal
    from tests.support.realparts import REGISTRY_PASSWORD

    app = RegTUI(RealWorkstation())
    async with app.run_test(size=(130, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("l")
        for _ in range(200):
            if isinstance(app.screen, LoginModal):
                break
            await pilot.pause(0.02)
        form = app.screen
        for name, value in (
            ("registry", token_registry.host),
            ("username", REGISTRY_USER),
            ("password", REGISTRY_PASSWORD),
        ):
            form.query_one(f"#login-{name}", Input).value = value
        await pilot.press("enter")
        for _ in range(1500):
            if app.screen is not form and app.query_one(RegistriesTable).row_count:
                break
            await pilot.pause(0.02)
        for _ in range(3):
            await app.workers.wait_for_complete()
            await pilot.pause()
        [status] = app.query_one(RegistriesPane).statuses.values()
        assert (status.username, status.identity_token, status.logged_in) == (REGISTRY_USER, True, True)
        cells = [str(c) for c in app.query_one(RegistriesTable).get_row(status.key)]
        assert cells[1] == REGISTRY_USER and cells[3] == "logged in (token)"
        [done] = [n for n in app._notifications if n.title == "Login Succeeded"]
        assert "as an identity token" in done.message
    config = json.loads((docker_dir / "config.json").read_text())
    assert config["credHelpers"] == {token_registry.host: "regtui"}
    assert State().token_users() == {(str(docker_dir / "config.json"), token_registry.host): REGISTRY_USER}
