"""Which store serves each registry, logout everywhere, and all-or-nothing migrate."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from regtui.core.credentials.helper_client import HelperClient
from regtui.core.credentials.logout import logout
from regtui.core.credentials.migrate import migrate, plan_migration
from regtui.core.credentials.model import Credential
from regtui.core.credentials.resolve import list_registries, read_credential
from regtui.core.docker_config import encode_auth, env_auth_config, load_docker_config
from regtui.core.errors import FileChangedError, HelperNotFound
from regtui.core.registry_names import HUB_KEY
from tests.support.helpers import FAILS_DBUS, path_with, write_helper


def write(docker_dir: Path, data: dict) -> Path:
    path = docker_dir / "config.json"
    path.write_text(json.dumps(data, indent="\t"))
    return path


def by_name(statuses):
    return {s.registry: s for s in statuses}


def test_registries_show_store_user_and_diagnostics(docker_dir: Path, tmp_path: Path, monkeypatch) -> None:
    bin_dir = tmp_path / "bin"
    write_helper(bin_dir, "nodbus", FAILS_DBUS)
    monkeypatch.setenv("PATH", path_with(bin_dir))
    HelperClient("regtui").store(Credential("quay.io", "qa", "pw"))
    write(
        docker_dir,
        {
            "auths": {
                "ghcr.io": {"auth": encode_auth("alice", "pw")},
                "docker.io": {},
                HUB_KEY: {},
                "quay.io": {},
                "masked.example": {"auth": encode_auth("old", "pw")},
                "bad.example": {"auth": "%%%"},
            },
            "credHelpers": {
                "quay.io": "regtui",
                "gone.example": "nothere",
                "dbus.example": "nodbus",
                "masked.example": "regtui",
            },
        },
    )
    statuses = by_name(list_registries(load_docker_config(), keyring_backend=lambda: "test backend"))
    assert statuses["ghcr.io"].store.label == "file" and statuses["ghcr.io"].username == "alice"
    assert [d.code for d in statuses["ghcr.io"].diagnostics] == ["plaintext"]
    assert statuses["quay.io"].username == "qa" and statuses["quay.io"].logged_in is True
    assert statuses["quay.io"].secret_location == "OS keyring via docker-credential-regtui (test backend)"
    assert statuses["gone.example"].logged_in is None
    assert [d.code for d in statuses["gone.example"].diagnostics] == ["dangling-helper"]
    dbus = statuses["dbus.example"].diagnostics[0]
    assert dbus.code == "helper-failed" and "Cannot autolaunch D-Bus" in dbus.message
    assert "stray-hub-alias" in [d.code for d in statuses["docker.io"].diagnostics]
    assert [d.code for d in statuses["masked.example"].diagnostics] == ["masked-plaintext"]
    assert [d.code for d in statuses["bad.example"].diagnostics] == ["invalid-entry"]
    assert list(statuses)[0] == "docker.io"
    assert "pw" not in json.dumps([s.to_json() for s in statuses.values()]).replace('pw"', "")


def test_env_auth_config_comes_first(docker_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(docker_dir, {"auths": {"ghcr.io": {"auth": encode_auth("file-user", "pw")}}})
    monkeypatch.setenv("DOCKER_AUTH_CONFIG", json.dumps({"auths": {"ghcr.io": {"auth": encode_auth("ci", "pat")}}}))
    config, env = load_docker_config(), env_auth_config()
    assert read_credential(config, "ghcr.io", env_auths=env).username == "ci"
    status = by_name(list_registries(config, env_auths=env))["ghcr.io"]
    assert status.store.label == "env" and "env-override" in [d.code for d in status.diagnostics]


def test_logout_hub_removes_every_alias_and_the_helper_entry(docker_dir: Path) -> None:
    HelperClient("regtui").store(Credential(HUB_KEY, "alice", "pat"))
    path = write(
        docker_dir,
        {
            "auths": {
                "docker.io": {},
                HUB_KEY: {},
                "index.docker.io": {"auth": encode_auth("a", "b")},
                HUB_KEY + "access-token": {},
                "ghcr.io": {},
            },
            "credHelpers": {HUB_KEY: "regtui"},
            "psFormat": "x",
        },
    )
    result = logout(load_docker_config(), "docker.io")
    assert result.erased_from_helper and len(result.removed_keys) == 4
    data = json.loads(path.read_text())
    assert data == {"auths": {"ghcr.io": {}}, "credHelpers": {HUB_KEY: "regtui"}, "psFormat": "x"}
    assert HelperClient("regtui").get(HUB_KEY) is None


def test_logout_leaves_the_file_alone_when_the_helper_fails(docker_dir: Path, tmp_path: Path, monkeypatch) -> None:
    bin_dir = tmp_path / "bin"
    write_helper(bin_dir, "nodbus", FAILS_DBUS)
    monkeypatch.setenv("PATH", path_with(bin_dir))
    path = write(docker_dir, {"auths": {"ghcr.io": {}}, "credsStore": "nodbus"})
    before = path.read_bytes()
    with pytest.raises(Exception, match="Cannot autolaunch D-Bus"):
        logout(load_docker_config(), "ghcr.io")
    assert path.read_bytes() == before


def test_migrate_moves_secrets_and_leaves_markers(docker_dir: Path) -> None:
    path = write(
        docker_dir,
        {
            "auths": {
                "https://127.0.0.1:5001": {"auth": encode_auth("regtui", "s3")},
                HUB_KEY: {"auth": encode_auth("al", "pat")},
                "tok.example": {"auth": encode_auth("u", ""), "identitytoken": "rt-9"},
            },
            "x-keep": True,
        },
    )
    config = load_docker_config()
    steps = plan_migration(config)
    assert [s.action for s in steps] == ["move", "move", "move"]
    migrate(config, steps)
    data = json.loads(path.read_text())
    assert data["auths"] == {"127.0.0.1:5001": {}, HUB_KEY: {}, "tok.example": {}}
    assert data["credHelpers"] == {"127.0.0.1:5001": "regtui", HUB_KEY: "regtui", "tok.example": "regtui"}
    assert data["x-keep"] is True
    for secret in ("s3", "pat", "rt-9", encode_auth("regtui", "s3")):
        assert secret not in path.read_text().replace('"x-keep"', "")
    assert HelperClient("regtui").get("127.0.0.1:5001") == Credential("127.0.0.1:5001", "regtui", "s3")
    assert HelperClient("regtui").get("tok.example") == Credential("tok.example", "<token>", "rt-9")


def test_migrate_is_all_or_nothing(docker_dir: Path) -> None:
    HelperClient("regtui").store(Credential("b.example", "earlier", "old"))
    path = write(
        docker_dir,
        {"auths": {"a.example": {"auth": encode_auth("u", "1")}, "b.example": {"auth": encode_auth("u", "2")}}},
    )
    config = load_docker_config()
    steps = plan_migration(config)
    path.write_text(path.read_text() + " ")  # someone edits the file while regtui works
    edited = path.read_bytes()
    with pytest.raises(FileChangedError):
        migrate(config, steps)
    assert path.read_bytes() == edited
    assert HelperClient("regtui").get("a.example") is None
    assert HelperClient("regtui").get("b.example") == Credential("b.example", "earlier", "old")


def test_migrate_refuses_without_the_helper_on_path(docker_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    path = write(docker_dir, {"auths": {"a.example": {"auth": encode_auth("u", "1")}}})
    before = path.read_bytes()
    config = load_docker_config()
    with pytest.raises(HelperNotFound, match="docker-credential-regtui is not on PATH"):
        migrate(config, plan_migration(config))
    assert path.read_bytes() == before


def test_migrate_skips_what_docker_does_not_read_from_the_file(docker_dir: Path) -> None:
    write(
        docker_dir,
        {
            "auths": {
                "masked.example": {"auth": encode_auth("u", "1")},
                "bad.example": {"auth": "!!"},
                "marker.example": {},
            },
            "credHelpers": {"masked.example": "regtui"},
        },
    )
    steps = {s.registry: s for s in plan_migration(load_docker_config())}
    assert set(steps) == {"masked.example", "bad.example"}
    assert all(s.action == "skip" for s in steps.values())


def test_regtui_served_registries_are_listed_from_the_index_without_a_helper_process(
    docker_dir: Path, isolated: Path, tmp_path: Path, monkeypatch
) -> None:
    """credsStore/credHelpers = regtui: who is logged in comes from docker-credential-regtui's index
    (server URL -> username, no secrets) in-process; the helper is never run and no secret read."""
    servers = {f"reg{i}.example": f"user{i}" for i in range(40)}
    servers[HUB_KEY] = "<token>"
    index = isolated / ".config" / "regtui" / "credential-index.json"
    index.parent.mkdir(parents=True)
    index.write_text(json.dumps({"version": 1, "servers": servers}))
    bin_dir, calls = tmp_path / "bin", tmp_path / "calls"
    bin_dir.mkdir()
    fake = bin_dir / "docker-credential-regtui"  # answers wrongly, and records that it ran
    fake.write_text(f'#!/bin/sh\necho "$1" >> {calls}\necho \'{{"Username":"WRONG","Secret":"x"}}\'\n')
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", path_with(bin_dir))
    auths = dict.fromkeys([*servers, "https://index.docker.io/v1/access-token", "absent.example"], {})
    write(docker_dir, {"auths": auths, "credsStore": "regtui", "credHelpers": {"helped.example": "regtui"}})
    statuses = by_name(list_registries(load_docker_config(), keyring_backend=lambda: "test backend"))
    assert not calls.exists()
    for server, user in servers.items():
        if server != HUB_KEY:
            assert (statuses[server].username, statuses[server].logged_in) == (user, True)
    assert statuses["docker.io"].identity_token is True and statuses["docker.io"].logged_in is True
    assert statuses["absent.example"].logged_in is False and statuses["helped.example"].logged_in is False
    # Without an index (nothing stored through this version yet), the helper itself is asked.
    index.unlink()
    statuses = by_name(list_registries(load_docker_config(), keyring_backend=lambda: "test backend"))
    assert calls.exists() and statuses["reg1.example"].username == "WRONG"
