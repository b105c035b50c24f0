"""What the TUI keeps between runs in regtui's state: the theme, and who logged in with a token."""

from __future__ import annotations

import json
from pathlib import Path

from regtui.app.real import RealWorkstation
from regtui.core.credentials.helper_client import HelperClient
from regtui.core.credentials.model import TOKEN_USERNAME, Credential
from regtui.core.settings import State, state_path
from regtui.ui.app import RegTUI
from regtui.ui.widgets.registries_table import RegistriesTable
from tests.ui.waits import done


async def test_the_theme_chosen_is_kept_across_runs(docker_dir: Path) -> None:
    app = RegTUI(RealWorkstation())
    assert app.theme == "textual-dark"
    async with app.run_test() as pilot:
        await done(pilot)
        app.theme = "nord"  # what the palette's Theme does
        await done(pilot)
    assert json.loads(state_path().read_text())["ui"]["theme"] == "nord"
    again = RegTUI(RealWorkstation())
    async with again.run_test() as pilot:
        await done(pilot)
        assert again.theme == "nord"


async def test_a_broken_state_file_costs_the_theme_not_the_start(docker_dir: Path) -> None:
    state_path().parent.mkdir(parents=True)
    state_path().write_text('{"ui": {"theme": 7}}')
    app = RegTUI(RealWorkstation())
    async with app.run_test() as pilot:
        await done(pilot)
        assert app.theme == "textual-dark" and app.query_one(RegistriesTable).display


async def test_a_token_login_shows_the_user_name_regtui_noted(docker_dir: Path) -> None:
    config = docker_dir / "config.json"
    config.write_text(json.dumps({"auths": {"ghcr.io": {}}, "credHelpers": {"ghcr.io": "regtui"}}))
    HelperClient("regtui").store(Credential("ghcr.io", TOKEN_USERNAME, "rt-refresh"))  # as after a token login
    app = RegTUI(RealWorkstation())
    async with app.run_test(size=(110, 30)) as pilot:
        await done(pilot)
        table = app.query_one(RegistriesTable)
        assert [str(c) for c in table.get_row("ghcr.io")][1:4] == [
            "-",
            "helper:regtui",
            "logged in (token)",
        ]  # docker keeps no name
        state = State()
        state.set_token_user(str(config), "ghcr.io", "alice")
        state.save()
        await pilot.press("r")
        await done(pilot)
        assert [str(c) for c in table.get_row("ghcr.io")][1:4] == ["alice", "helper:regtui", "logged in (token)"]
