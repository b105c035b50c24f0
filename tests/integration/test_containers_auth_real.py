"""The containers tools' auth.json beside docker's config.json, with the real skopeo.

skopeo (containers/image) writes ``${XDG_RUNTIME_DIR}/containers/auth.json`` or
``$REGISTRY_AUTH_FILE``; regtui lists, logs out of, logs in to and migrates that file, and
skopeo then really is refused or really authenticates. The keyring is the real gnome-keyring
behind docker-credential-regtui. podman and buildah are not installed here; they share
skopeo's containers/image code for these files.
"""

from __future__ import annotations

import base64
import json
import subprocess
from pathlib import Path

import pytest

from tests.conftest import require
from tests.integration.test_real_consumers import regtui, skopeo_inspect
from tests.support.realparts import REGISTRY_PASSWORD, REGISTRY_USER, Registry


@pytest.fixture
def runtime_env(real_env: dict[str, str], tmp_path: Path) -> dict[str, str]:
    require("skopeo")
    runtime = tmp_path / "run-user"
    runtime.mkdir(mode=0o700)
    env = {**real_env, "XDG_RUNTIME_DIR": str(runtime)}
    # With $DOCKER_CONFIG set, skopeo's first file is docker's config.json (see test_docker_config_first)
    del env["DOCKER_CONFIG"]  # docker's file stays ~/.docker/config.json, the test's docker_dir
    return env


def auth_json(env: dict[str, str]) -> Path:
    return Path(env.get("REGISTRY_AUTH_FILE") or Path(env["XDG_RUNTIME_DIR"], "containers", "auth.json"))


def skopeo_login(env: dict[str, str], host: str) -> None:
    done = subprocess.run(
        ["skopeo", "login", "--tls-verify=false", "-u", REGISTRY_USER, "--password-stdin", host],
        input=REGISTRY_PASSWORD,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr


def listed(env: dict[str, str]) -> dict:
    out = regtui(env, "registries", "--json")
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_skopeo_login_is_listed_and_regtui_logout_removes_it(
    registry: Registry, image: str, runtime_env: dict[str, str], docker_dir: Path
) -> None:
    skopeo_login(runtime_env, registry.host)
    path = auth_json(runtime_env)
    assert REGISTRY_USER in base64.b64decode(json.loads(path.read_text())["auths"][registry.host]["auth"]).decode()
    data = listed(runtime_env)
    [entry] = data["registries"]
    assert (entry["registry"], entry["username"], entry["file"], entry["read_by"], entry["tools"]) == (
        registry.host,
        REGISTRY_USER,
        str(path),
        ["containers"],
        "containers tools",
    )
    assert [d["code"] for d in entry["diagnostics"]] == ["plaintext"]
    assert "--auth-file containers" in entry["diagnostics"][0]["fix"]
    assert data["lookup"]["containers"][0] == str(path)
    assert data["winners"] == [{"registry": registry.host, "docker": None, "containers": str(path)}]
    assert REGISTRY_PASSWORD not in json.dumps(data)
    assert skopeo_inspect(runtime_env, image).returncode == 0

    out = regtui(runtime_env, "logout", registry.host)  # default: the file that has it
    assert out.returncode == 0 and str(path) in out.stdout, out.stderr
    assert json.loads(path.read_text())["auths"] == {}
    refused = skopeo_inspect(runtime_env, image)
    assert refused.returncode != 0 and "authentication required" in refused.stderr
    assert not (docker_dir / "config.json").exists()  # docker's file was never touched


def test_regtui_login_into_auth_json_serves_skopeo_through_the_keyring(
    registry: Registry, image: str, runtime_env: dict[str, str], docker_dir: Path
) -> None:
    args = ("login", registry.host, "--auth-file", "containers", "-u", REGISTRY_USER, "--password-stdin")
    done = subprocess.run(
        ["regtui", *args], input=REGISTRY_PASSWORD, capture_output=True, text=True, env=runtime_env, timeout=60
    )
    assert done.returncode == 0, done.stderr
    path = auth_json(runtime_env)
    assert f"credHelpers in {path}" in done.stdout
    text = path.read_text()
    assert REGISTRY_PASSWORD not in text
    assert json.loads(text) == {"auths": {registry.host: {}}, "credHelpers": {registry.host: "regtui"}}
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert oct(path.parent.stat().st_mode & 0o777) == "0o700"

    ok = skopeo_inspect(runtime_env, image)  # skopeo asks docker-credential-regtui, named in auth.json
    assert ok.returncode == 0, ok.stderr
    [entry] = listed(runtime_env)["registries"]
    assert (entry["store"], entry["logged_in"], entry["read_by"]) == ("helper:regtui", True, ["containers"])

    out = regtui(runtime_env, "logout", registry.host, "--auth-file", "containers")
    assert out.returncode == 0 and "docker-credential-regtui" in out.stdout, out.stderr
    refused = skopeo_inspect(runtime_env, image)
    assert refused.returncode != 0 and "authentication required" in refused.stderr


def test_migrate_moves_a_skopeo_plaintext_login_into_the_keyring(
    registry: Registry, image: str, real_env: dict[str, str], tmp_path: Path, docker_dir: Path
) -> None:
    require("skopeo")
    env = {**real_env, "REGISTRY_AUTH_FILE": str(tmp_path / "elsewhere" / "auth.json")}
    skopeo_login(env, registry.host)
    path = auth_json(env)
    assert listed(env)["registries"][0]["file"] == str(path)

    out = regtui(env, "migrate", "--auth-file", "containers")
    assert out.returncode == 0, out.stderr
    text = path.read_text()
    assert REGISTRY_PASSWORD not in text and base64.b64encode(REGISTRY_PASSWORD.encode()).decode() not in text
    assert json.loads(text)["credHelpers"] == {registry.host: "regtui"}
    ok = skopeo_inspect(env, image)
    assert ok.returncode == 0, ok.stderr
    regtui(env, "logout", registry.host)
    assert skopeo_inspect(env, image).returncode != 0


def test_docker_entries_are_listed_beside_a_broken_auth_json(runtime_env: dict[str, str], docker_dir: Path) -> None:
    auth = base64.b64encode(b"al:pw").decode()
    (docker_dir / "config.json").write_text(json.dumps({"auths": {"ghcr.io": {"auth": auth}}}))
    path = auth_json(runtime_env)
    path.parent.mkdir()
    path.write_text('{"auths": {"quay.io": {"auth": "x"}')
    out = regtui(runtime_env, "registries", "--json")
    assert out.returncode == 2
    data = json.loads(out.stdout)
    assert [(r["registry"], r["tools"]) for r in data["registries"]] == [("ghcr.io", "both")]
    assert data["auth_files"][0]["error"].startswith(f"{path}:1:")
    text = regtui(runtime_env, "registries")
    assert text.returncode == 2 and "ghcr.io" in text.stdout and f"✗ {path}:1:" in text.stdout


def test_docker_config_first_when_docker_config_is_set(
    registry: Registry, image: str, real_env: dict[str, str], docker_dir: Path
) -> None:
    """skopeo 1.9 (containers/common GetDefaultAuthFile) logs in to $DOCKER_CONFIG/config.json."""
    require("skopeo")
    skopeo_login(real_env, registry.host)
    assert registry.host in json.loads((docker_dir / "config.json").read_text())["auths"]
    data = listed(real_env)
    assert data["auth_files"] == [
        {"path": str(Path(real_env["XDG_CONFIG_HOME"], "containers", "auth.json")), "exists": False, "error": None}
    ]
    assert data["lookup"]["containers"][0] == str(docker_dir / "config.json")
    [entry] = data["registries"]
    assert (entry["file"], entry["tools"]) == (str(docker_dir / "config.json"), "both")


def test_skopeo_ignores_docker_credsstore_as_regtui_says(
    registry: Registry, image: str, runtime_env: dict[str, str], docker_dir: Path
) -> None:
    """credsStore serves docker alone: skopeo is refused, and regtui lists the entry as docker's."""
    from tests.integration.test_real_consumers import store_with_helper

    (docker_dir / "config.json").write_text(json.dumps({"auths": {registry.host: {}}, "credsStore": "regtui"}))
    store_with_helper(runtime_env, registry.host)
    [entry] = listed(runtime_env)["registries"]
    assert (entry["store"], entry["logged_in"], entry["tools"]) == ("helper:regtui", True, "docker")
    refused = skopeo_inspect(runtime_env, image)
    assert refused.returncode != 0 and "authentication required" in refused.stderr
    (docker_dir / "config.json").write_text(json.dumps({"auths": {}, "credHelpers": {registry.host: "regtui"}}))
    [entry] = listed(runtime_env)["registries"]
    assert entry["tools"] == "both"  # credHelpers[host] is read by both
    ok = skopeo_inspect(runtime_env, image)
    assert ok.returncode == 0, ok.stderr
    regtui(runtime_env, "logout", registry.host)
