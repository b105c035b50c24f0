"""The TUI bugs found by using it as a k9s or lazygit user would (issue 10), each driven with Pilot,
against real files where the bug is about files."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from rich.text import Text
from textual.widgets import DataTable, Input, Static

from regtui.app.demo import DemoWorkstation
from regtui.app.real import RealWorkstation
from regtui.app.workstation import LoginResult, MirrorListing, RateLimitReading
from regtui.core.credentials.helper_client import HelperClient
from regtui.core.credentials.resolve import Diagnostic, RegistryStatus, StoreRef
from regtui.core.docker_config import encode_auth
from regtui.core.mirrors.model import Mirror, MirrorHealth, MirrorSet
from regtui.core.ratelimit import exhausted_fix, network_error
from regtui.core.ratelimit_model import RateLimitStatus
from regtui.core.registry.model import CheckResult, Step
from regtui.core.registry_names import HUB_KEY
from regtui.core.wire import ReadTimeout
from regtui.ui.app import RegTUI
from regtui.ui.screens.confirm import ConfirmModal
from regtui.ui.screens.login import LoginModal
from regtui.ui.widgets.mirrors_pane import MirrorsPane
from regtui.ui.widgets.registries_table import RegistriesTable
from tests.ui.apps import demo_app, rows_app

SIZE = (120, 36)


async def settle(pilot) -> None:  # noqa: ANN001
    others = [w for w in pilot.app.workers if w.group != "write"]
    if others:
        await pilot.app.workers.wait_for_complete(others)
    await pilot.pause()


async def done(pilot) -> None:  # noqa: ANN001
    """After the last answer to a write flow: wait for it (and the reload it starts) to finish."""
    await asyncio.wait_for(pilot.app.workers.wait_for_complete(), 20)  # a flow stuck on a modal fails
    await pilot.pause()
    await asyncio.wait_for(pilot.app.workers.wait_for_complete(), 20)


async def confirm(pilot, *keys: str) -> str:  # noqa: ANN001
    """Press keys that open a confirmation, wait for it, answer yes, wait for the write; the body."""
    await pilot.press(*keys)
    for _ in range(500):
        if isinstance(pilot.app.screen, ConfirmModal):
            break
        await pilot.pause(0.01)
    assert isinstance(pilot.app.screen, ConfirmModal), f"{keys} opened no confirmation"
    body = body_of(pilot.app)
    await pilot.press("y")
    await done(pilot)
    return body


def latency(app: RegTUI, key: str) -> str:
    table = app.query_one(RegistriesTable)
    return str(table.get_cell(key, list(table.columns)[5]))


def cursor_key(table: DataTable) -> str:
    return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value


def body_of(app: RegTUI) -> str:
    return str(app.screen.query_one("#confirm-body", Static).render())


# -- Registries: cursor, latency, issue order ------------------------------------------------------
async def test_reload_login_logout_migrate_keep_the_cursor_row_and_the_latency() -> None:
    async def login(*args: str, **options: object) -> LoginResult:
        return LoginResult("the OS keyring (docker-credential-regtui)")

    app = demo_app(login=login)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.query_one(RegistriesTable)
        await pilot.press("down", "c")  # check ghcr.io: the app switches to the Checks tab
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        assert latency(app, "ghcr.io") == "310 ms ✗"
        await pilot.press("down")
        assert cursor_key(table) == "registry.example.com:5000"
        await pilot.press("r")
        await done(pilot)
        for key in ("r", "d", "m"):
            if key == "r":
                await pilot.press("r")
                await done(pilot)
            else:
                await confirm(pilot, key)
            assert cursor_key(table) == "registry.example.com:5000", key
            assert latency(app, "ghcr.io") == "310 ms ✗", key
            assert "registry.example.com:5000" in str(app.query_one("#registry-detail").render())
        await pilot.press("l")
        await pilot.pause()
        app.screen.query_one("#login-username", Input).value = "bob"
        app.screen.query_one("#login-password", Input).value = "pw"
        await pilot.press("enter")
        await done(pilot)
        assert any(n.title == "Login Succeeded" for n in app._notifications)
        assert cursor_key(table) == "registry.example.com:5000" and latency(app, "ghcr.io") == "310 ms ✗"


async def test_latency_keeps_its_mark_for_slow_checks() -> None:
    async def slow(names: list[str]):  # noqa: ANN202
        for name, ms in zip(names, (10_000.0, 95_432.0, 12_345_678.0, 999.0), strict=False):
            yield CheckResult(name, f"https://{name}", (Step("ping", "fail", ms, "timed out"),), None, None, ms)

    app = demo_app(check=slow)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        table = app.query_one(RegistriesTable)
        width = table.columns[list(table.columns)[5]].width
        shown = [latency(app, key) for key in table.rows]
    assert shown == ["10.0 s ✗", "95.4 s ✗", "9999 s ✗", "999 ms ✗"]
    assert all(Text(s).cell_len <= width for s in shown)


async def test_the_table_and_the_detail_list_issues_in_the_same_order() -> None:
    status = RegistryStatus(
        "ghcr.io",
        "ghcr.io",
        ("ghcr.io",),
        StoreRef("file"),
        "al",
        True,
        False,
        "config.json",
        (
            Diagnostic("plaintext", "warning", "stored in plaintext"),
            Diagnostic("helper-failed", "error", "the helper failed"),
            Diagnostic("env-override", "info", "from the environment"),
        ),
    )
    app = rows_app(lambda: [status], "x")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.query_one(RegistriesTable)
        assert str(table.get_cell("ghcr.io", list(table.columns)[4])) == "helper failed +2"
        detail = str(app.query_one("#registry-detail").render())
    assert detail.index("the helper failed") < detail.index("stored in plaintext") < detail.index("from the env")


# -- Focus -----------------------------------------------------------------------------------------
async def test_tab_never_takes_the_pane_keys_away() -> None:
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for _ in range(3):
            await pilot.press("tab")
        await pilot.press("shift+tab")
        assert app.focused is not None and app.query_one("RegistriesPane") in app.focused.ancestors
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("escape", "3")
        await settle(pilot)
        await pilot.press("tab", "tab", "tab")
        await pilot.press("a")
        await pilot.pause()
        assert type(app.screen).__name__ == "AddMirrorModal"


# -- Credentials: migrate and dangling helpers, on real files ------------------------------------
async def test_migrate_names_every_key_it_removes(docker_dir: Path) -> None:
    path = docker_dir / "config.json"
    auths = {HUB_KEY: {"auth": encode_auth("alice", "pw1")}, "docker.io": {"auth": encode_auth("alice", "stray")}}
    path.write_text(json.dumps({"auths": auths}))
    app = RegTUI(RealWorkstation())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal)
        body = body_of(app)
        assert f"removes auths {HUB_KEY}, docker.io" in body and f"credHelpers {HUB_KEY}: regtui" in body
        await pilot.press("y")
        await done(pilot)
    data = json.loads(path.read_text())
    assert data["auths"] == {HUB_KEY: {}} and data["credHelpers"] == {HUB_KEY: "regtui"}
    assert HelperClient("regtui").get(HUB_KEY).secret == "pw1"


async def test_d_removes_a_dangling_cred_helpers_entry(docker_dir: Path) -> None:
    path = docker_dir / "config.json"
    path.write_text(
        json.dumps(
            {
                "auths": {"quay.io": {}, "ghcr.io": {"auth": encode_auth("al", "pw")}},
                "credHelpers": {"quay.io": "nosuchhelper"},
            }
        )
    )
    app = RegTUI(RealWorkstation())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.query_one(RegistriesTable)
        table.move_cursor(row=table.get_row_index("quay.io"))
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal) and "dangling" in app.screen.title_text
        body = body_of(app)
        assert 'credHelpers["quay.io"]: "nosuchhelper"' in body and 'auths["quay.io"]' in body
        assert "(none)" not in body
        await pilot.press("y")
        await done(pilot)
        assert "quay.io" not in table.rows
    data = json.loads(path.read_text())
    assert data == {"auths": {"ghcr.io": {"auth": encode_auth("al", "pw")}}, "credHelpers": {}}


async def test_d_removes_a_dangling_creds_store(docker_dir: Path) -> None:
    path = docker_dir / "config.json"
    path.write_text(json.dumps({"auths": {"ghcr.io": {}}, "credsStore": "nosuchstore"}))
    app = RegTUI(RealWorkstation())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        body = body_of(app)
        assert 'credsStore: "nosuchstore"' in body and 'auths["ghcr.io"]' in body
        await pilot.press("y")
        await done(pilot)
    assert json.loads(path.read_text()) == {"auths": {}}


# -- Mirrors -----------------------------------------------------------------------------------------
async def test_mirror_health_is_per_row_and_switched_off_rows_are_not_tested() -> None:
    url = "https://shared.example"
    sets = [
        MirrorSet("docker", "docker.io", (Mirror(url), Mirror("https://off.example", enabled=False)), Path("/d")),
        MirrorSet("containerd", "docker.io", (Mirror(url),), Path("/c/docker.io/hosts.toml")),
        MirrorSet("containerd", "quay.io", (Mirror(url),), Path("/c/quay.io/hosts.toml")),
    ]
    asked: list[tuple[str, str, str | None]] = []

    async def test_mirrors(targets):  # noqa: ANN001, ANN202
        asked.extend((t.registry, t.url, t.image) for t in targets)
        return [
            MirrorHealth(t.url, True, 5.0, 6.0, f"for {t.registry}")
            if t.registry == "docker.io"
            else MirrorHealth(t.url, False, None, None, "quay.io/team/app: not found", "not-found")
            for t in targets
        ]

    def images(registries: list[str]) -> dict[str, str | None]:
        return {r: "library/alpine:latest" if r == "docker.io" else "team/app:1" for r in registries}

    app = demo_app(list_mirrors=lambda: MirrorListing(sets), test_mirrors=test_mirrors, test_images=images)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        pane = app.query_one(MirrorsPane)
        table = pane.query_one(DataTable)
        cells = [str(table.get_row_at(i)[5]) for i in range(table.row_count)]
        await pilot.press("down")
        detail = str(pane.query_one("#mirror-detail", Static).render())
    assert asked == [  # one per enabled row: its registry, and that registry's test image
        ("docker.io", url, "library/alpine:latest"),
        ("docker.io", url, "library/alpine:latest"),
        ("quay.io", url, "team/app:1"),
    ]
    assert cells == ["ok 6 ms", "off", "ok 6 ms", "not-found"]
    assert "not tested (switched off)" in detail


async def test_a_broken_daemon_json_is_not_also_no_mirrors(tmp_path: Path, monkeypatch) -> None:
    daemon = tmp_path / "daemon.json"
    daemon.write_text('{\n  "registry-mirrors": [\n')
    for name, value in (
        ("REGTUI_DAEMON_JSON", daemon),
        ("REGTUI_CONTAINERD_CONFIG", tmp_path / "none.toml"),
        ("REGTUI_CONTAINERD_CERTS_D", tmp_path / "certs.d"),
        ("REGTUI_REGISTRIES_CONF", tmp_path / "none.conf"),
    ):
        monkeypatch.setenv(name, str(value))
    app = RegTUI(RealWorkstation())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3")
        await settle(pilot)
        errors = str(app.query_one("#mirrors-errors", Static).render())
        detail = str(app.query_one("#mirror-detail", Static).render())
    assert str(daemon) in errors
    assert "No mirrors configured" not in detail and "fix the file named above" in detail


def test_the_mirror_row_key_names_the_registry() -> None:
    from regtui.ui.widgets.mirrors_pane import row_key

    a = MirrorSet("podman", "docker.io", (Mirror("m.example"),), Path("/r.conf"))
    b = MirrorSet("podman", "quay.io", (Mirror("m.example"),), Path("/r.conf"))
    assert row_key(a, a.mirrors[0]) != row_key(b, b.mirrors[0])


# -- Rate limit ----------------------------------------------------------------------------------------
async def test_rate_limit_cards_say_they_are_loading_then_what_happened() -> None:
    release = asyncio.Event()

    async def read():  # noqa: ANN202
        await release.wait()
        timeout = RateLimitStatus(
            "anonymous",
            "error",
            message=f"Docker Hub (https://registry-1.docker.io) is unreachable: {network_error(ReadTimeout(''))}",
            fix="check the network and any proxy (HTTPS_PROXY, NO_PROXY)",
        )
        exhausted = RateLimitStatus(
            "authenticated",
            "exhausted",
            "alice",
            200,
            0,
            21600,
            ("200;w=21600",),
            message="no pulls left in the window",
            fix=exhausted_fix("authenticated"),
        )
        return RateLimitReading(timeout, exhausted, "")

    app = demo_app(read_ratelimit=read)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        await pilot.pause(0.2)
        figures = [str(f.render()) for f in app.query(".figure").results(Static)]
        assert figures == ["reading Docker Hub…", "reading Docker Hub…"]
        assert not any(bar.display for bar in app.query("ProgressBar"))
        release.set()
        await settle(pilot)
        anonymous = str(app.query_one("#anonymous-card .facts", Static).render())
        logged_in = str(app.query_one("#authenticated-card .facts", Static).render())
    assert "ReadTimeout: no answer before the timeout" in anonymous
    assert "log in" not in logged_in and "fix: wait for pulls to leave the window, pull through a mirror" in logged_in


# -- Demo ------------------------------------------------------------------------------------------------
async def test_demo_says_so_in_the_header_and_after_every_action() -> None:
    app = RegTUI(DemoWorkstation())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "DEMO" in app.sub_title
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, LoginModal)
        app.screen.query_one("#login-password", Input).value = "pw"
        await pilot.press("enter")
        await settle(pilot)
        await confirm(pilot, "d")
        said = [m.message for m in app.message_log if "demo" in m.message]  # (the dialog cleared the toasts)
    assert len(said) == 2 and all(m.startswith("demo: nothing was stored or written") for m in said)
    assert DemoWorkstation().session.demo and not demo_app().workstation.session.demo
