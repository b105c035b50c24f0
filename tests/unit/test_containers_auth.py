"""auth.json of the containers tools: keys, lookup order, who reads which entry, writes."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from regtui.cli import main
from regtui.core.credentials.authfile import (
    choose_file,
    containers_source,
    list_all,
    load_auth_files,
    lookup_chain,
    winners,
)
from regtui.core.credentials.containers_keys import containers_host, containers_key
from regtui.core.credentials.logout import logout
from regtui.core.credentials.migrate import plan_migration
from regtui.core.docker_config import encode_auth, load_docker_config
from regtui.core.errors import ConfigError
from regtui.core.paths import containers_auth_file, containers_auth_files


def invoke(*args: str, stdin: str | None = None):
    return CliRunner().invoke(main, list(args), input=stdin, catch_exceptions=False)


@pytest.fixture
def runtime(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """XDG_RUNTIME_DIR set and $DOCKER_CONFIG unset, as on a desktop session."""
    run = tmp_path / "run"
    run.mkdir()
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(run))
    monkeypatch.delenv("DOCKER_CONFIG")
    return run / "containers" / "auth.json"


def write(path: Path, data: dict) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data))
    return path


def auth(user: str = "al", password: str = "TOPSECRET") -> dict:
    return {"auth": encode_auth(user, password)}


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("docker.io", "docker.io"),
        ("https://index.docker.io/v1/", "docker.io"),
        ("index.docker.io", "docker.io"),
        ("registry-1.docker.io/library", "docker.io/library"),
        ("quay.io/org/", "quay.io/org"),
        ("https://quay.io/org", "quay.io"),  # a URL key is its host (normalizeAuthFileKey)
        ("127.0.0.1:5000", "127.0.0.1:5000"),
        (None, "docker.io"),
    ],
)
def test_containers_keys(raw: str | None, key: str) -> None:
    assert containers_key(raw) == key
    assert containers_host(raw) == key.partition("/")[0]


def test_paths_follow_the_containers_tools(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, isolated: Path) -> None:
    config_home = isolated / ".config" / "containers" / "auth.json"
    assert containers_auth_file() == Path(os.environ["DOCKER_CONFIG"], "config.json")  # skopeo 1.9's default
    monkeypatch.delenv("DOCKER_CONFIG")
    assert containers_auth_file() == Path(f"/run/containers/{os.getuid()}/auth.json")
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))
    assert containers_auth_files() == [tmp_path / "containers" / "auth.json", config_home]
    monkeypatch.setenv("REGISTRY_AUTH_FILE", str(tmp_path / "mine.json"))
    assert containers_auth_files() == [tmp_path / "mine.json", config_home]


def test_who_reads_what(runtime: Path, isolated: Path) -> None:
    write(isolated / ".docker" / "config.json", {"auths": {"ghcr.io": auth(), "example.com": auth()}})
    write(
        runtime,
        {"auths": {"ghcr.io": auth("bo"), "quay.io/org": auth("bo"), "docker.io": auth("bo")}, "credsStore": "x"},
    )
    write(isolated / ".config" / "containers" / "auth.json", {"auths": {"quay.io": auth("cy"), "ghcr.io": auth()}})
    docker = load_docker_config()
    states = load_auth_files(docker)
    rows = {(s.registry, Path(s.file).name, s.username): s for s in list_all(docker, states)}
    tools = {k: v.tools for k, v in rows.items()}
    assert tools == {
        ("docker.io", "auth.json", "bo"): "containers tools",
        ("ghcr.io", "auth.json", "bo"): "containers tools",
        ("quay.io/org", "auth.json", "bo"): "containers tools",
        ("ghcr.io", "auth.json", "al"): "none (shadowed)",
        ("quay.io", "auth.json", "cy"): "containers tools",
        ("example.com", "config.json", "al"): "both",
        ("ghcr.io", "config.json", "al"): "docker",
    }
    shadowed = rows[("ghcr.io", "auth.json", "al")]
    assert [d.code for d in shadowed.diagnostics] == ["plaintext", "shadowed"]
    assert str(runtime) in shadowed.diagnostics[1].message
    chain = lookup_chain(docker, states)
    assert containers_source(chain, "quay.io/org/app") is chain[0]  # the namespace key, most specific first
    assert containers_source(chain, "quay.io/other") is chain[1]
    assert {
        w["registry"]: (w["docker"] is not None, w["containers"]) for w in winners(docker, states, [*rows.values()])
    }["ghcr.io"] == (True, str(runtime))
    out = invoke("registries")
    assert out.exit_code == 0 and "TOPSECRET" not in out.output
    assert "credsStore, which the containers tools never read" in out.output
    assert "fix: regtui migrate --auth-file containers ghcr.io" in out.output


def test_docker_hub_credhelper_of_docker_is_not_read_by_the_containers_tools(runtime: Path, isolated: Path) -> None:
    """docker keys Hub's helper by its /v1/ URL; containers/image asks credHelpers["docker.io"]."""
    write(isolated / ".docker" / "config.json", {"auths": {}, "credHelpers": {"https://index.docker.io/v1/": "x"}})
    docker = load_docker_config()
    [status] = list_all(docker, load_auth_files(docker))
    assert status.read_by == ("docker",)


def test_a_broken_auth_json_is_named_and_docker_is_still_listed(runtime: Path, isolated: Path) -> None:
    write(isolated / ".docker" / "config.json", {"auths": {"ghcr.io": auth()}})
    runtime.parent.mkdir()
    runtime.write_text('{"auths": {"quay.io": 5}}')
    docker = load_docker_config()
    [state, _home] = load_auth_files(docker)
    assert isinstance(state.error, ConfigError) and str(runtime) in state.error.render()
    assert [s.registry for s in list_all(docker, [state, _home])] == ["ghcr.io"]
    out = invoke("registries")
    assert out.exit_code == 2 and "ghcr.io" in out.output and f"✗ {runtime}:1:" in out.output
    with pytest.raises(ConfigError):  # a write to the broken file is refused, naming it
        choose_file("containers", "quay.io", load_docker_config)


def test_login_logout_migrate_choose_the_file(runtime: Path, isolated: Path) -> None:
    docker_file = isolated / ".docker" / "config.json"
    out = invoke("login", "quay.io", "--auth-file", "containers", "--store", "file", "--no-verify", "-u", "al",
                 "--password-stdin", stdin="pw1")  # fmt: skip
    assert out.exit_code == 0, out.output
    assert "regtui migrate --auth-file containers quay.io" in out.output
    assert json.loads(runtime.read_text()) == {"auths": {"quay.io": {"auth": encode_auth("al", "pw1")}}}
    assert stat.S_IMODE(runtime.stat().st_mode) == 0o600 and stat.S_IMODE(runtime.parent.stat().st_mode) == 0o700
    assert not docker_file.exists()
    # without --auth-file: where the registry already is
    assert choose_file(None, "quay.io", load_docker_config).path == runtime
    assert choose_file(None, "ghcr.io", load_docker_config).path == docker_file
    out = invoke("login", "docker.io", "--auth-file", "containers", "--store", "file", "--no-verify", "-u", "al",
                 "--password-stdin", stdin="pw2")  # fmt: skip
    assert "docker.io" in json.loads(runtime.read_text())["auths"]  # Hub is docker.io here, not the /v1/ URL
    steps = plan_migration(choose_file("containers", None, load_docker_config))
    assert [(s.registry, s.action) for s in steps] == [("quay.io", "move"), ("docker.io", "move")]
    out = invoke("logout", "quay.io")
    assert out.exit_code == 0 and f"from {runtime} (quay.io)" in out.output
    assert list(json.loads(runtime.read_text())["auths"]) == ["docker.io"]


def test_namespace_keys_stay_in_the_file(runtime: Path) -> None:
    write(runtime, {"auths": {"quay.io/org": auth(), "quay.io": auth("bo")}, "credHelpers": {"quay.io": "nope"}})
    config = choose_file("containers", "quay.io/org", load_docker_config)
    [step_org, step_host] = sorted(plan_migration(config), key=lambda s: s.key, reverse=True)
    assert step_org.action == "skip" and "namespace" in step_org.reason
    assert step_host.action == "skip" and "the containers tools read this registry from helper:nope" in step_host.reason
    result = logout(config, "quay.io/org")  # only the namespace entry; no helper is asked
    assert result.removed_keys == ("quay.io/org",) and result.helper is None
    assert json.loads(runtime.read_text())["auths"] == {"quay.io": auth("bo")}
    out = invoke("login", "quay.io/team", "--auth-file", "containers", "--no-verify", "-u", "al",
                 "--password-stdin", stdin="pw")  # fmt: skip
    assert out.exit_code == 2 and "namespace" in out.output


def test_read_only_refuses_auth_json_writes(runtime: Path) -> None:
    write(runtime, {"auths": {"quay.io": auth()}})
    before = runtime.read_bytes()
    for args in (["logout", "quay.io", "--auth-file", "containers"], ["migrate", "--auth-file", "containers"]):
        out = invoke("--read-only", *args)
        assert out.exit_code == 2 and "--read-only" in out.output
    out = invoke("--read-only", "login", "q.io", "--auth-file", "containers", "--no-verify", "-u", "a",
                 "--password-stdin", stdin="pw")  # fmt: skip
    assert out.exit_code == 2
    assert runtime.read_bytes() == before


def test_containers_file_is_docker_config_when_docker_config_is_set(isolated: Path) -> None:
    out = invoke("login", "q.io", "--auth-file", "containers", "--store", "file", "--no-verify", "-u", "al",
                 "--password-stdin", stdin="pw")  # fmt: skip
    assert out.exit_code == 0, out.output
    assert "q.io" in json.loads((isolated / ".docker" / "config.json").read_text())["auths"]


def test_a_broken_docker_config_does_not_block_auth_json(runtime: Path, isolated: Path) -> None:
    (isolated / ".docker").mkdir()
    (isolated / ".docker" / "config.json").write_text("{broken")
    write(runtime, {"auths": {"quay.io": auth()}})
    out = invoke("logout", "quay.io", "--auth-file", "containers")
    assert out.exit_code == 0 and f"from {runtime}" in out.output
    assert json.loads(runtime.read_text())["auths"] == {}


def test_exposure_diagnostics_cover_auth_json(runtime: Path) -> None:
    write(runtime, {"auths": {"quay.io": auth()}})
    runtime.chmod(0o644)
    (runtime.parent / "auth.json.bak").write_text(json.dumps({"auths": {"ghcr.io": auth()}}))
    data = json.loads(invoke("registries", "--json").stdout)
    found = {(f["code"], f["path"]) for f in data["file_diagnostics"]}
    assert found == {("config-readable", str(runtime)), ("secret-leftover", str(runtime) + ".bak")}
    assert "TOPSECRET" not in json.dumps(data)
