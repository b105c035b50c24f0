"""f on a Registries row runs the fix of its problem, from the detail pane, against real files:
the detail names the action (f) and keeps the CLI command as the second line."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

from textual.widgets import Static

from regtui.app.real import RealWorkstation
from regtui.core.credentials.helper_client import HelperClient
from regtui.core.docker_config import encode_auth
from regtui.ui.app import RegTUI
from regtui.ui.screens.action_menu import ActionMenu
from regtui.ui.screens.confirm import ConfirmModal
from regtui.ui.widgets.registries_table import RegistriesTable
from regtui.ui.widgets.registry_detail import RegistryDetail
from tests.ui.waits import done, screen, settle

SIZE = (120, 36)
HUB = "https://index.docker.io/v1/"


async def select(pilot, key: str) -> None:  # noqa: ANN001
    table = pilot.app.query_one(RegistriesTable)
    table.move_cursor(row=table.get_row_index(key))
    await pilot.pause()


def detail(app: RegTUI) -> str:
    return str(app.query_one(RegistryDetail).render())


async def pick(pilot, label: str) -> None:  # noqa: ANN001
    menu = await screen(pilot, ActionMenu)
    [action] = [a for a in menu.actions if label in a.description]
    await pilot.press(action.key)


async def test_plaintext_f_migrates_after_the_confirmation(docker_dir: Path) -> None:
    config = docker_dir / "config.json"
    config.write_text(json.dumps({"auths": {"ghcr.io": {"auth": encode_auth("alice", "pw")}}}))
    config.chmod(0o600)
    app = RegTUI(RealWorkstation())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = detail(app)
        assert "f: move the secret to the OS keyring (migrate)" in text and "fix: regtui migrate ghcr.io" in text
        await pilot.press("f")
        confirm = await screen(pilot, ConfirmModal)
        assert "ghcr.io (alice)" in str(confirm.query_one("#confirm-body", Static).render())
        await pilot.press("y")
        await done(pilot)
        assert "No problems found." in detail(app)
    assert json.loads(config.read_text())["credHelpers"] == {"ghcr.io": "regtui"}
    assert HelperClient("regtui").get("ghcr.io").secret == "pw"


async def test_f_removes_stray_hub_keys_naming_them_first(docker_dir: Path) -> None:
    config = docker_dir / "config.json"
    auths = {HUB: {}, "docker.io": {"auth": encode_auth("old", "leaked")}, "ghcr.io": {}}
    config.write_text(json.dumps({"auths": auths, "credHelpers": {"docker.io": "regtui", "ghcr.io": "regtui"}}))
    app = RegTUI(RealWorkstation())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await select(pilot, HUB)
        assert "f: remove the Docker Hub keys docker never reads" in detail(app)
        await pilot.press("f")
        menu_or_confirm = await screen(pilot, (ActionMenu, ConfirmModal))  # type: ignore[arg-type]
        if isinstance(menu_or_confirm, ActionMenu):
            await pick(pilot, "Docker Hub keys")
        confirm = await screen(pilot, ConfirmModal)
        assert 'auths["docker.io"] (holds a secret)' in str(confirm.query_one("#confirm-body", Static).render())
        await pilot.press("y")
        await done(pilot)
    data = json.loads(config.read_text())
    assert set(data["auths"]) == {HUB, "ghcr.io"}


async def test_f_tightens_a_readable_files_mode(docker_dir: Path) -> None:
    config = docker_dir / "config.json"
    config.write_text(json.dumps({"auths": {"ghcr.io": {"auth": encode_auth("alice", "pw")}}}))
    config.chmod(0o644)
    app = RegTUI(RealWorkstation())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "f: tighten the file's mode (chmod 600)" in detail(app) and "fix: chmod 600" in detail(app)
        await pilot.press("f")
        await pick(pilot, "chmod 600")
        confirm = await screen(pilot, ConfirmModal)
        assert confirm.confirm == "chmod 600"
        await pilot.press("y")
        await done(pilot)
        assert "chmod 600" not in detail(app)
    assert stat.S_IMODE(os.stat(config).st_mode) == 0o600


async def test_f_on_a_dangling_helper_shows_the_entries_then_removes_them(docker_dir: Path) -> None:
    config = docker_dir / "config.json"
    config.write_text(json.dumps({"auths": {"quay.io": {}}, "credHelpers": {"quay.io": "nosuchhelper"}}))
    app = RegTUI(RealWorkstation())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "f: remove the entries naming the missing helper" in detail(app)
        await pilot.press("f")
        confirm = await screen(pilot, ConfirmModal)
        assert 'credHelpers["quay.io"]: "nosuchhelper"' in str(confirm.query_one("#confirm-body", Static).render())
        await pilot.press("y")
        await done(pilot)
        assert app.query_one(RegistriesTable).row_count == 0
    assert json.loads(config.read_text()) == {"auths": {}, "credHelpers": {}}


async def test_f_on_a_dangling_helper_shows_the_files_diff_without_any_secret(docker_dir: Path) -> None:
    """The confirmation shows config.json's change as a diff: the credHelpers line and quay.io's
    auths entry removed, ghcr.io's plaintext entry as context, and no secret anywhere in it."""
    config = docker_dir / "config.json"
    data = {
        "auths": {
            "ghcr.io": {"auth": encode_auth("alice", "ghcr-secret-1")},
            "quay.io": {"auth": encode_auth("bob", "quay-secret-2"), "identitytoken": "quay-token-3"},
        },
        "credHelpers": {"quay.io": "nosuchhelper", "ghcr.io": "alsomissing"},
    }
    original = json.dumps(data, indent=2) + "\n"
    config.write_text(original)
    config.chmod(0o600)
    secrets = ("ghcr-secret-1", "quay-secret-2", "quay-token-3", encode_auth("alice", "ghcr-secret-1"))
    app = RegTUI(RealWorkstation())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await select(pilot, "quay.io")
        await pilot.press("f")
        await pick(pilot, "missing helper")  # its plaintext secret has a fix too (migrate)
        confirm = await screen(pilot, ConfirmModal)
        body = str(confirm.query_one("#confirm-body", Static).render())
        assert f"--- {config} (now)" in body and f"+++ {config} (after)" in body
        assert '-    "quay.io": "nosuchhelper"' in body
        assert '-    "quay.io": {' in body and '-      "auth": "<redacted>",' in body
        assert '-      "identitytoken": "<redacted>"' in body
        assert '"ghcr.io": "alsomissing"' in body  # the other helper entry stays (context)
        assert not any(secret in body for secret in secrets)
        assert config.read_text() == original  # nothing written before the answer
        await pilot.press("y")
        await done(pilot)
    after = json.loads(config.read_text())
    assert after["credHelpers"] == {"ghcr.io": "alsomissing"} and set(after["auths"]) == {"ghcr.io"}
    backup = (docker_dir / "config.json.bak").read_text()
    assert "nosuchhelper" in backup and not any(secret in backup for secret in secrets)
    assert stat.S_IMODE(os.stat(config).st_mode) == 0o600


async def test_a_config_json_changed_after_the_dangling_diff_was_shown_is_not_written(docker_dir: Path) -> None:
    config = docker_dir / "config.json"
    config.write_text(json.dumps({"auths": {"quay.io": {}}, "credHelpers": {"quay.io": "nosuchhelper"}}))
    app = RegTUI(RealWorkstation())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await screen(pilot, ConfirmModal)
        changed = json.dumps({"auths": {"quay.io": {}}, "credHelpers": {"quay.io": "nosuchhelper"}, "x": 1})
        config.write_text(changed)  # another tool wrote the file while the diff was on screen
        await pilot.press("y")
        await done(pilot)
        assert any("the file changed since the change was shown" in m.text for m in app.message_log)
    assert config.read_text() == changed


async def test_no_problem_no_fix(docker_dir: Path) -> None:
    (docker_dir / "config.json").write_text(
        json.dumps({"auths": {"ghcr.io": {}}, "credHelpers": {"ghcr.io": "regtui"}})
    )
    app = RegTUI(RealWorkstation())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        assert app.screen is app.screen_stack[0]
        assert any("nothing to fix" in n.message for n in app._notifications)


async def test_f_on_an_untrusted_certificate_shows_the_ca_directory_and_copies_it() -> None:
    from regtui.ui.screens.ca_path import CaPathModal
    from tests.ui.apps import demo_app

    app = demo_app()
    copied: list[str] = []
    app.copy_to_clipboard = copied.append  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await done(pilot)
        await pilot.press("down", "down", "f")  # registry.example.com:5000: untrusted CA
        modal = await screen(pilot, CaPathModal)
        assert str(modal.query_one("#ca-path", Static).render()) == "/etc/docker/certs.d/registry.example.com:5000/"
        await pilot.press("enter")  # the focused button: Copy the path
        await pilot.pause()
        assert copied == ["/etc/docker/certs.d/registry.example.com:5000/"]
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("up", "f")  # ghcr.io: the token server refused the credentials: log in again
        from regtui.ui.screens.login import LoginModal

        form = await screen(pilot, LoginModal)
        assert form.registry == "ghcr.io"


def test_the_ca_directory_is_dockers_certs_d(monkeypatch, tmp_path: Path) -> None:  # noqa: ANN001
    monkeypatch.setenv("REGTUI_DOCKER_CERTS_D", str(tmp_path / "certs.d"))
    workstation = RealWorkstation()
    assert workstation.ca_directory("127.0.0.1:5000") == tmp_path / "certs.d" / "127.0.0.1:5000"


async def test_checks_rows_follow_the_order_asked_for_not_the_order_answers_came_in() -> None:
    """A result of an earlier run can reach the Checks pane before it is told of the next run
    (the pane mounts while checks are under way): the run's start puts the rows in order."""
    from regtui.app import demo_data
    from regtui.ui.widgets.checks_pane import ChecksPane
    from regtui.ui.widgets.nav_table import NavTable
    from tests.ui.apps import demo_app

    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await done(pilot)
        pane = app.query_one(ChecksPane)
        table = pane.query_one(NavTable)
        table.clear()
        last = demo_data.CHECKS[-1]
        pane.add(last)  # an answer first
        names = [c.registry for c in demo_data.CHECKS]
        pane.start(names)
        await pilot.pause()
        assert [table.coordinate_to_cell_key((i, 0)).row_key.value for i in range(table.row_count)] == names
        assert table.cursor_row == 0


async def test_a_detail_longer_than_its_room_scrolls_at_80x24(docker_dir: Path) -> None:
    """Two problems (plaintext, a file others may read) and their fixes do not fit the detail's
    share of an 80x24 screen: the rest scrolls into view instead of being cut off, and the
    keyboard stays on the table."""
    from textual import events

    config = docker_dir / "config.json"
    config.write_text(json.dumps({"auths": {"ghcr.io": {"auth": encode_auth("alice", "pw")}}}))
    config.chmod(0o644)
    app = RegTUI(RealWorkstation())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        scroll = app.query_one("#registry-detail-scroll")
        assert "chmod 600" in detail(app)
        assert scroll.max_scroll_y > 0  # it does not fit
        scroll.post_message(events.MouseScrollDown(scroll, 2, 2, 0, 0, 0, False, False, False))
        await pilot.pause(0.1)
        assert scroll.scroll_y > 0
        assert app.focused is app.query_one(RegistriesTable)
