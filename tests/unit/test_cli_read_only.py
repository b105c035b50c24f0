"""``regtui --read-only COMMAND``: every command that writes refuses with exit 2 before it reads a
password, and no file (config.json, mirror files, regtui's state) nor the keyring changes."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from regtui.cli import main
from regtui.core.credentials.helper_client import HelperClient
from regtui.core.credentials.model import Credential
from regtui.core.docker_config import encode_auth

WRITERS = [
    ["login", "ghcr.io", "-u", "al", "--password-stdin", "--no-verify"],
    ["login", "ghcr.io", "-u", "al", "--password-stdin", "--no-verify", "--store", "file"],
    ["logout", "ghcr.io"],
    ["logout", "quay.io"],
    ["logout"],
    ["migrate"],
    ["migrate", "ghcr.io"],
    ["mirrors", "add", "https://new.example"],
    ["mirrors", "remove", "https://a.example"],
    ["mirrors", "disable", "https://a.example"],
    ["mirrors", "enable", "https://b.example"],
    ["mirrors", "add", "https://c.example", "--runtime", "podman"],
    ["mirrors", "undo", "--runtime", "docker"],
    ["mirrors", "move", "https://a.example", "--to", "2"],
    ["mirrors", "set-url", "https://a.example", "https://a2.example"],
]


def invoke(*args: str, stdin: str = "pw-Canary-8c1\n"):
    return CliRunner().invoke(main, list(args), input=stdin, catch_exceptions=False)


@pytest.fixture
def machine(tmp_path: Path, docker_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """config.json with a plaintext and a keyring login, a keyring item, mirror files, regtui state."""
    (docker_dir / "config.json").write_text(
        json.dumps(
            {
                "auths": {
                    "ghcr.io": {"auth": encode_auth("al", "pw")},
                    "quay.io": {},
                    "https://index.docker.io/v1/": {"auth": encode_auth("hub", "pw")},
                },
                "credHelpers": {"quay.io": "regtui"},
            }
        )
    )
    os.chmod(docker_dir / "config.json", 0o600)
    HelperClient("regtui").store(Credential("quay.io", "bob", "kept"))
    daemon = tmp_path / "daemon.json"
    daemon.write_text('{\n  "registry-mirrors": ["https://a.example"]\n}\n')
    conf = tmp_path / "registries.conf"
    conf.write_text('unqualified-search-registries = ["docker.io"]\n')
    for name, value in (
        ("REGTUI_DAEMON_JSON", daemon),
        ("REGTUI_CONTAINERD_CONFIG", tmp_path / "none.toml"),
        ("REGTUI_CONTAINERD_CERTS_D", tmp_path / "certs.d"),
        ("REGTUI_REGISTRIES_CONF", conf),
        ("REGTUI_DOCKER_CERTS_D", tmp_path / "docker-certs.d"),
    ):
        monkeypatch.setenv(name, str(value))
    # a real change first, so that `mirrors undo` has something it would undo
    assert invoke("mirrors", "add", "https://b.example").exit_code == 0
    assert invoke("mirrors", "disable", "https://b.example").exit_code == 0
    return tmp_path


def everything(root: Path) -> dict[str, tuple[bytes, int] | None]:
    """Every file and directory under the test's tmp dir (HOME, mirror files, keyring file)."""
    found: dict[str, tuple[bytes, int] | None] = {}
    for path in sorted(root.rglob("*")):
        found[str(path)] = (path.read_bytes(), path.stat().st_mode) if path.is_file() else None
    return found


@pytest.mark.parametrize("args", WRITERS, ids=lambda a: " ".join(a[:3]))
def test_read_only_refuses_and_writes_nothing(machine: Path, args: list[str]) -> None:
    before = everything(machine)
    result = invoke("--read-only", *args)
    assert result.exit_code == 2, result.output
    assert "--read-only" in result.stderr and "nothing was written" in result.stderr
    command = " ".join(args[:2]) if args[0] == "mirrors" else args[0]
    assert f"`regtui {command}` writes" in result.stderr
    assert "pw-Canary-8c1" not in result.output and "Password" not in result.stderr
    assert everything(machine) == before
    assert HelperClient("regtui").get("quay.io").secret == "kept"


@pytest.mark.parametrize("args", WRITERS, ids=lambda a: " ".join(a[:3]))
def test_without_read_only_the_same_commands_do_write(machine: Path, args: list[str]) -> None:
    """The refusal above is what stops each write: without the flag, something changes."""
    before = everything(machine)
    result = invoke(*args)
    assert result.exit_code == 0, result.output + result.stderr
    assert everything(machine) != before


def test_read_only_allows_the_dry_runs_and_the_readers(machine: Path) -> None:
    before = everything(machine)
    for args in (
        ["migrate", "--dry-run"],
        ["mirrors", "add", "https://x.example", "--dry-run"],
        ["mirrors", "undo", "--runtime", "docker", "--dry-run"],
        ["registries"],
        ["mirrors", "list"],
    ):
        result = invoke("--read-only", *args)
        assert result.exit_code == 0, (args, result.output, result.stderr)
    assert everything(machine) == before
