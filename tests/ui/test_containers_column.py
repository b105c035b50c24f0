"""The Registries pane lists the containers tools' auth.json entries as rows of their own, beside
docker's config.json rows, says which file each row is and which tools read it, and logs out of
and migrates the selected row's own file. Real files; the keyring is the test's file keyring
behind the real docker-credential-regtui."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.widgets import Static

from regtui.app.real import RealWorkstation
from regtui.core.credentials.helper_client import HelperClient
from regtui.core.docker_config import encode_auth
from regtui.ui.app import RegTUI
from regtui.ui.screens.confirm import ConfirmModal
from regtui.ui.widgets.registries_pane import RegistriesPane
from regtui.ui.widgets.registries_table import RegistriesTable
from regtui.ui.widgets.registry_detail import RegistryDetail
from tests.ui.waits import done, screen, settle

SIZE = (130, 30)


@pytest.fixture
def files(docker_dir: Path, isolated: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """docker's config.json (ghcr.io, quay.io) and ~/.config/containers/auth.json (quay.io as bob)."""
    monkeypatch.delenv("DOCKER_CONFIG")  # set, it would make config.json skopeo's first file; ~/.docker is the same
    auth = {"auth": encode_auth("alice", "pw")}
    config = docker_dir / "config.json"
    config.write_text(json.dumps({"auths": {"ghcr.io": auth, "quay.io": auth}}))
    containers = isolated / ".config" / "containers" / "auth.json"  # read before config.json by skopeo
    containers.parent.mkdir(parents=True)
    containers.write_text(json.dumps({"auths": {"quay.io": {"auth": encode_auth("bob", "pw2")}}}))
    return config, containers


def cells(table: RegistriesTable, key: str) -> list[str]:
    return [str(c) for c in table.get_row(key)]


def detail(app: RegTUI) -> str:
    return str(app.query_one(RegistryDetail).render())


async def select(pilot, key: str) -> None:  # noqa: ANN001
    table = pilot.app.query_one(RegistriesTable)
    table.move_cursor(row=table.get_row_index(key))
    await pilot.pause()


async def test_auth_json_entries_are_rows_of_their_own(files: tuple[Path, Path]) -> None:
    config, containers = files
    app = RegTUI(RealWorkstation())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.query_one(RegistriesTable)
        auth_row = f"quay.io in {containers}"
        assert [k.value for k in table.rows] == ["ghcr.io", "quay.io", auth_row]
        assert [str(c.label) for c in table.columns.values()][-2:] == ["File", "Read by"]
        assert cells(table, "ghcr.io")[-2:] == ["config.json", "both"]  # no auth.json entry: skopeo falls back
        assert cells(table, "quay.io")[-2:] == ["config.json", "docker"]  # auth.json wins for skopeo
        assert cells(table, auth_row)[:2] == ["quay.io", "bob"] and cells(table, auth_row)[-2:] == [
            "auth.json",
            "containers",
        ]
        await select(pilot, "quay.io")
        assert f"{config} · read by: docker" in detail(app)
        assert f"podman, skopeo, buildah read {containers} (it comes first)" in detail(app)
        await select(pilot, auth_row)
        assert f"{containers} · read by: containers tools" in detail(app)
        assert f"docker reads {config}" in detail(app) and "auth.json keys: quay.io" in detail(app)
        # the plaintext fix names the file: the containers tools' auth.json, not docker's
        assert f"regtui migrate --auth-file {containers} quay.io" in detail(app)


async def test_logout_acts_on_the_selected_rows_file(files: tuple[Path, Path]) -> None:
    config, containers = files
    app = RegTUI(RealWorkstation())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await select(pilot, f"quay.io in {containers}")
        await pilot.press("d")
        await screen(pilot, ConfirmModal)
        assert str(containers) in str(app.screen.query_one("#confirm-body", Static).render())
        await pilot.press("y")
        await done(pilot)
        assert [k.value for k in app.query_one(RegistriesTable).rows] == ["ghcr.io", "quay.io"]
        assert app.query_one(RegistriesPane).selected.file == str(config)
    assert json.loads(containers.read_text())["auths"] == {}
    assert set(json.loads(config.read_text())["auths"]) == {"ghcr.io", "quay.io"}  # docker's file untouched


async def test_logout_of_dockers_row_leaves_the_auth_json(files: tuple[Path, Path]) -> None:
    config, containers = files
    app = RegTUI(RealWorkstation())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await select(pilot, "quay.io")
        await pilot.press("d")
        await screen(pilot, ConfirmModal)
        await pilot.press("y")
        await done(pilot)
        table = app.query_one(RegistriesTable)
        assert [k.value for k in table.rows] == ["ghcr.io", f"quay.io in {containers}"]
    assert set(json.loads(config.read_text())["auths"]) == {"ghcr.io"}
    assert set(json.loads(containers.read_text())["auths"]) == {"quay.io"}


async def test_migrate_moves_the_auth_json_rows_secret_into_the_keyring(files: tuple[Path, Path]) -> None:
    config, containers = files
    before = config.read_text()
    app = RegTUI(RealWorkstation())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await select(pilot, f"quay.io in {containers}")
        await pilot.press("m")
        await screen(pilot, ConfirmModal)
        body = str(app.screen.query_one("#confirm-body", Static).render())
        assert "quay.io (bob)" in body and f"{containers}: removes auths quay.io" in body
        await pilot.press("y")
        await done(pilot)
        row = app.query_one(RegistriesPane).statuses[f"quay.io in {containers}"]
        assert (row.store.label, row.username, row.logged_in) == ("helper:regtui", "bob", True)
    data = json.loads(containers.read_text())
    assert data["credHelpers"] == {"quay.io": "regtui"} and "auth" not in data["auths"].get("quay.io", {})
    assert HelperClient("regtui").get("quay.io").secret == "pw2"
    assert config.read_text() == before  # docker's quay.io (alice) stays where it was


async def test_a_check_marks_dockers_row_only(files: tuple[Path, Path]) -> None:
    from regtui.core.registry.model import CheckResult, Step

    _, containers = files

    async def check(names: list[str], **options: object):  # noqa: ANN202
        for name in names:
            yield CheckResult(name, f"https://{name}", (Step("ping", "ok", 12.0, "ok"),), None, None, 12.0)

    workstation = RealWorkstation()
    workstation.check = check  # type: ignore[method-assign]
    app = RegTUI(workstation)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")  # checks every registry once, though quay.io has two rows
        await settle(pilot)
        assert list(app.query_one("ChecksPane").results) == ["ghcr.io", "quay.io"]
        latency = app.query_one(RegistriesTable).latency
        assert set(latency) == {"ghcr.io", "quay.io"}  # the check sent docker's credentials: docker's rows


async def test_no_file_columns_when_every_row_is_docker_only(docker_dir: Path) -> None:
    config = {"auths": {"ghcr.io": {}}, "credsStore": "nope"}  # the containers tools never read credsStore
    (docker_dir / "config.json").write_text(json.dumps(config))
    app = RegTUI(RealWorkstation())
    async with app.run_test() as pilot:
        await settle(pilot)
        table = app.query_one(RegistriesTable)
        assert [str(c.label) for c in table.columns.values()] == list(RegistriesTable.COLUMNS)
