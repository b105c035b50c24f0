"""The TUI's write flows driven with Pilot against recording fakes."""

from __future__ import annotations

from textual.widgets import Input

from regtui.app.demo import DemoWorkstation
from regtui.app.workstation import LoginResult, LoginWarning
from regtui.core.errors import PermissionNeeded
from regtui.core.mirrors.model import Plan
from regtui.ui.screens.confirm import ConfirmModal
from regtui.ui.screens.login import LoginModal
from tests.ui.apps import demo_app, override


def notes(app) -> list[str]:  # noqa: ANN001
    return [n.message for n in app._notifications]


async def settle(pilot) -> None:  # noqa: ANN001
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_mirror_toggle_writes_only_after_yes() -> None:
    applied: list[tuple[Plan, bool]] = []
    app = demo_app(apply_mirror_plan=lambda plan, sudo: applied.append((plan, sudo)) or [])
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("down", "space")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("escape")
        await settle(pilot)
        assert applied == []
        await pilot.press("space")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
    [(plan, sudo)] = applied
    assert plan.summary == "enable Docker Hub mirror https://hub-cache.corp.example" and sudo is False
    assert '"https://hub-cache.corp.example"' in plan.changes[0].after


async def test_a_root_owned_file_asks_before_using_sudo() -> None:
    def refuse(plan, sudo):  # noqa: ANN001, ANN202
        raise PermissionNeeded("cannot write /etc/docker/daemon.json: permission denied")

    app = demo_app(apply_mirror_plan=refuse)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("space")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        assert "sudo" in app.screen.title_text
        await pilot.press("escape")
        await settle(pilot)


async def test_read_only_blocks_every_write() -> None:
    called: list[str] = []
    app = demo_app(
        read_only=True, logout=lambda r, **_: called.append(r), apply_mirror_plan=lambda p, s: called.append("apply")
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        shown = {b.binding.description for b in app.active_bindings.values() if b.binding.show}
        assert {"Check", "Quit"} <= shown and not {"Log in", "Log out", "Migrate", "Fix"} & shown
        await pilot.press("d", "l", "m", "f")
        await settle(pilot)
        assert app.screen is app.screen_stack[0]  # no form, no confirmation
        await pilot.press("3")
        await settle(pilot)
        shown = {b.binding.description for b in app.active_bindings.values() if b.binding.show}
        assert "Test" in shown and not {"On/off", "Add", "Remove"} & shown
        await pilot.press("space", "a", "x")
        await settle(pilot)
        assert app.screen is app.screen_stack[0]
        assert app.sub_title == "read-only"
        palette = {c.title for c in app.get_system_commands(app.screen)}
        assert {"Check all", "Report", "Theme"} <= palette
        assert not {"Log in", "Log out", "Migrate", "Add mirror", "Fix"} & palette
    assert called == []


async def test_without_read_only_the_writes_are_offered() -> None:
    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        shown = {b.binding.description for b in app.active_bindings.values() if b.binding.show}
        assert {"Log in", "Log out", "Migrate"} <= shown
        assert {"Log in", "Log out", "Migrate", "Add mirror"} <= {c.title for c in app.get_system_commands(app.screen)}


async def test_login_sends_what_was_typed_and_reloads() -> None:
    seen: list[tuple[str, str, str, str]] = []

    async def login(registry, user, password, store, **options):  # noqa: ANN001, ANN003, ANN202
        seen.append((registry, user, password, store))
        return LoginResult("the OS keyring (docker-credential-regtui)")

    loads: list[int] = []
    app = demo_app(login=login)
    original = app.workstation.list_registries
    override(app.workstation, list_registries=lambda: loads.append(1) or original())
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("down", "down", "down", "l")
        await pilot.pause()
        assert isinstance(app.screen, LoginModal)
        app.screen.query_one("#login-username", Input).value = "bob"
        app.screen.query_one("#login-password", Input).value = "s3cret"
        await pilot.press("enter")
        await settle(pilot)
        assert any("Login Succeeded" in (n.title or "") for n in app._notifications)
    assert seen == [("quay.io", "bob", "s3cret", "keyring")]
    assert loads, "the registries are reloaded after a login"


async def test_a_login_with_a_warning_is_a_warning_notification() -> None:
    async def login(registry, user, password, store, **options):  # noqa: ANN001, ANN003, ANN202
        return LoginResult(
            "config.json (plaintext)", (LoginWarning("your password goes in clear text to http://reg.example/v2/"),)
        )

    app = demo_app(login=login)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("down", "down", "down", "l")
        await pilot.pause()
        app.screen.query_one("#login-username", Input).value = "bob"
        app.screen.query_one("#login-password", Input).value = "s3cret"
        await pilot.press("enter")
        await settle(pilot)
        [done] = [n for n in app._notifications if "Login Succeeded" in (n.title or "")]
        assert done.severity == "warning" and "clear text to http://reg.example/v2/" in done.message


async def test_logout_asks_then_logs_out() -> None:
    out: list[str] = []
    app = demo_app(logout=lambda r, **_: out.append(r) or DemoWorkstation().logout(r))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("down", "d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal) and "ghcr.io" in app.screen.title_text
        await pilot.press("y")
        await settle(pilot)
    assert out == ["ghcr.io"]


async def test_check_from_the_registries_tab_opens_the_ladder() -> None:
    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("down", "c")
        await settle(pilot)
        from textual.widgets import TabbedContent

        assert app.query_one(TabbedContent).active == "checks"
        pane = app.query_one("ChecksPane")
        assert list(pane.results) == ["ghcr.io"]
        assert pane.results["ghcr.io"].failure.cause == "bad-credentials"
        from regtui.ui.widgets.registries_table import RegistriesTable

        table = app.query_one(RegistriesTable)
        assert str(table.get_cell("ghcr.io", list(table.columns)[5])) == "310 ms ✗"
