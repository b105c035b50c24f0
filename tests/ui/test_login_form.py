"""The login form against a real registry (docker-registry with htpasswd on 127.0.0.1): the file
it writes to, and what the form does on success and failure."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Input, Select

from regtui.app.real import RealWorkstation
from regtui.ui.app import RegTUI
from regtui.ui.screens.login import LoginModal
from regtui.ui.widgets.registries_table import RegistriesTable
from tests.conftest import require
from tests.support.realparts import REGISTRY_PASSWORD, REGISTRY_USER, Registry
from tests.ui.waits import settle

SIZE = (130, 30)


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Registry]:
    for binary in ("docker-registry", "htpasswd"):
        require(binary)
    reg = Registry(tmp_path_factory.mktemp("registry")).start()
    yield reg
    reg.close()


async def open_login(pilot) -> LoginModal:  # noqa: ANN001
    await pilot.press("l")
    for _ in range(200):
        if isinstance(pilot.app.screen, LoginModal):
            return pilot.app.screen
        await pilot.pause(0.02)
    raise AssertionError("no login form")


def fill(form: LoginModal, **values: str) -> None:
    for name, value in values.items():
        widget = form.query_one(f"#login-{name}")
        if isinstance(widget, Select):
            widget.value = value
        else:
            assert isinstance(widget, Input)
            widget.value = value


async def until(pilot, predicate, what: str) -> None:  # noqa: ANN001
    for _ in range(1000):
        if predicate():
            return
        await pilot.pause(0.02)
    notes = [(n.title, n.message) for n in pilot.app._notifications]
    raise AssertionError(f"timed out waiting for {what}; notifications: {notes}")


async def test_login_into_the_containers_auth_json(
    registry: Registry, isolated: Path, docker_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DOCKER_CONFIG")  # set, skopeo's first file would be docker's config.json
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(isolated / "run"))
    auth_json = isolated / "run" / "containers" / "auth.json"
    app = RegTUI(RealWorkstation())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        form = await open_login(pilot)
        fill(form, registry=registry.host, username=REGISTRY_USER, password=REGISTRY_PASSWORD, file="containers")
        await pilot.press("enter")
        await until(pilot, lambda: auth_json.exists() and app.query_one(RegistriesTable).row_count == 1, "the row")
        await settle(pilot)
        [status] = app.query_one("RegistriesPane").statuses.values()
        assert (status.registry, status.file, status.read_by) == (registry.host, str(auth_json), ("containers",))
        assert (status.store.label, status.logged_in) == ("helper:regtui", True)
    assert json.loads(auth_json.read_text())["credHelpers"] == {registry.host: "regtui"}
    assert REGISTRY_PASSWORD not in auth_json.read_text()
    assert not (docker_dir / "config.json").exists()  # docker's file was not written


def form_error(form: LoginModal) -> str:
    return str(form.query_one(".form-error").render())


async def test_a_refused_login_keeps_the_input_and_says_which_step_failed(registry: Registry, docker_dir: Path) -> None:
    app = RegTUI(RealWorkstation())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        form = await open_login(pilot)
        fill(form, registry=registry.host, username=REGISTRY_USER, password="wrong-password")
        await pilot.press("enter")
        await until(pilot, lambda: "failed at" in form_error(form), "the refusal in the form")
        assert app.screen is form  # still open, everything typed still there
        values = [form.query_one(f"#login-{n}", Input).value for n in ("registry", "username", "password")]
        assert values == [registry.host, REGISTRY_USER, "wrong-password"]
        assert "✗ failed at: " in form_error(form) and registry.host in form_error(form)
        assert not (docker_dir / "config.json").exists()  # nothing stored
        assert app.focused is form.query_one("#login-password")
        form.query_one("#login-password", Input).value = REGISTRY_PASSWORD
        await pilot.press("enter")
        await until(pilot, lambda: app.screen is not form, "the form to close")
        await settle(pilot)
        assert any(n.title == "Login Succeeded" for n in app._notifications)
    assert json.loads((docker_dir / "config.json").read_text())["credHelpers"] == {registry.host: "regtui"}


async def test_plaintext_is_warned_before_anything_is_written(registry: Registry, docker_dir: Path) -> None:
    app = RegTUI(RealWorkstation())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        form = await open_login(pilot)
        fill(form, registry=registry.host, username=REGISTRY_USER, password=REGISTRY_PASSWORD, store="file")
        await pilot.press("enter")
        await pilot.pause()
        assert "UNENCRYPTED" in form_error(form) and str(form.query_one("#login").label) == "Store in plaintext"
        assert not (docker_dir / "config.json").exists() and app.screen is form
        await pilot.press("enter")
        await until(pilot, lambda: app.screen is not form, "the login")
        await settle(pilot)
    entry = json.loads((docker_dir / "config.json").read_text())["auths"][registry.host]
    assert "auth" in entry  # in plaintext, as asked twice


async def test_without_a_keyring_the_store_selector_says_so(monkeypatch: pytest.MonkeyPatch, docker_dir: Path) -> None:
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    app = RegTUI(RealWorkstation())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        form = await open_login(pilot)
        await pilot.pause()
        note = str(form.query_one("#login-store-note").render())
        assert "Not available here: OS keyring" in note and "no OS keyring is available" in note
        store = form.query_one("#login-store", Select)
        values = [value for _, value in store._options]
        assert "keyring" not in values and values[-1] == "file" and store.value == values[0]


async def test_the_form_starts_from_the_selected_row(docker_dir: Path) -> None:
    (docker_dir / "config.json").write_text(json.dumps({"auths": {"ghcr.io": {}, "quay.io": {}}}))
    app = RegTUI(RealWorkstation())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("down")
        form = await open_login(pilot)
        assert form.query_one("#login-registry", Input).value == "quay.io"
        assert form.query_one("#login-file", Select).value == "docker"


async def test_at_60x20_a_refusal_is_read_in_full_above_the_buttons(registry: Registry, docker_dir: Path) -> None:
    """The fields scroll in what the buttons leave: the error (several lines at 60 columns) is
    scrolled into view whole, and Cancel and Log in stay on screen."""
    app = RegTUI(RealWorkstation())
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        form = await open_login(pilot)
        fill(form, registry=registry.host, username=REGISTRY_USER, password="wrong-password")
        await pilot.press("enter")
        await until(pilot, lambda: "failed at" in form_error(form), "the refusal in the form")
        await pilot.pause(0.1)
        error, fields = form.query_one(".form-error"), form.query_one(".form-fields")
        buttons = [form.query_one("#cancel"), form.query_one("#login")]
        assert error.region.height >= 3  # the step, the server's answer and the fix: wrapped
        assert fields.region.y <= error.region.y and error.region.bottom <= fields.region.bottom
        assert all(b.region.y >= fields.region.bottom and b.region.bottom <= 20 for b in buttons)
        assert error.region.bottom <= min(b.region.y for b in buttons)
