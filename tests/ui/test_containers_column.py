"""The Registries table says which tools read each of docker's entries (podman/skopeo's auth.json first)."""

from __future__ import annotations

import json
from pathlib import Path

from regtui.app.real import RealWorkstation
from regtui.core.docker_config import encode_auth
from regtui.ui.app import RegTUI
from regtui.ui.widgets.registries_table import RegistriesTable
from regtui.ui.widgets.registry_detail import RegistryDetail


async def test_read_by_column_and_detail_line(docker_dir: Path, isolated: Path, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.delenv("DOCKER_CONFIG")  # set, it would make config.json skopeo's first file; ~/.docker is the same
    auth = {"auth": encode_auth("alice", "pw")}
    (docker_dir / "config.json").write_text(json.dumps({"auths": {"ghcr.io": auth, "quay.io": auth}}))
    containers = isolated / ".config" / "containers" / "auth.json"  # read before config.json by skopeo
    containers.parent.mkdir(parents=True)
    containers.write_text(json.dumps({"auths": {"quay.io": {"auth": encode_auth("bob", "pw")}}}))
    app = RegTUI(RealWorkstation())
    async with app.run_test(size=(110, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = app.query_one(RegistriesTable)
        assert table.row_count == 2  # docker's entries; the auth.json ones are listed by `regtui registries`
        column = list(table.columns)[len(RegistriesTable.COLUMNS)]
        assert str(table.columns[column].label) == "Read by"
        assert [str(table.get_cell(key, column)) for key in ("ghcr.io", "quay.io")] == ["both", "docker"]
        detail = str(app.query_one(RegistryDetail).render())
        assert f"{docker_dir / 'config.json'} · read by: both" in detail


async def test_no_read_by_column_when_every_row_is_docker_only(docker_dir: Path) -> None:
    config = {"auths": {"ghcr.io": {}}, "credsStore": "nope"}  # the containers tools never read credsStore
    (docker_dir / "config.json").write_text(json.dumps(config))
    app = RegTUI(RealWorkstation())
    async with app.run_test() as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = app.query_one(RegistriesTable)
        assert [str(c.label) for c in table.columns.values()] == list(RegistriesTable.COLUMNS)
