"""skopeo and the docker client authenticate with what regtui stores, and stop after logout.

A real distribution registry with htpasswd on 127.0.0.1; credentials in gnome-keyring
behind docker-credential-regtui, or in plaintext until `regtui migrate` moves them.
"""

from __future__ import annotations

import base64
import json
import subprocess
from pathlib import Path

import pytest

from tests.conftest import require
from tests.support.realparts import REGISTRY_PASSWORD, REGISTRY_USER, Registry


def skopeo_inspect(env: dict[str, str], ref: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["skopeo", "inspect", "--tls-verify=false", "--no-tags", f"docker://{ref}"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def docker_inspect(env: dict[str, str], ref: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["docker", "manifest", "inspect", "--insecure", ref], capture_output=True, text=True, env=env, timeout=60
    )


def regtui(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["regtui", *args], capture_output=True, text=True, env=env, timeout=60)


@pytest.fixture
def consumers() -> None:
    require("skopeo")
    require("docker")


def store_with_helper(env: dict[str, str], server: str) -> None:
    payload = json.dumps({"ServerURL": server, "Username": REGISTRY_USER, "Secret": REGISTRY_PASSWORD})
    subprocess.run(["docker-credential-regtui", "store"], input=payload, text=True, env=env, check=True)


def test_helper_credentials_serve_skopeo_and_docker_until_logout(
    consumers: None, registry: Registry, image: str, real_env: dict[str, str], docker_dir: Path
) -> None:
    config = docker_dir / "config.json"
    config.write_text(json.dumps({"auths": {registry.host: {}}, "credHelpers": {registry.host: "regtui"}}))
    # Anonymous first: the registry really refuses.
    store_less = skopeo_inspect(real_env, image)
    assert store_less.returncode != 0 and "authentication required" in store_less.stderr

    store_with_helper(real_env, registry.host)
    ok = skopeo_inspect(real_env, image)
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["Name"] == image.rsplit(":", 1)[0]
    ok = docker_inspect(real_env, image)
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["schemaVersion"] == 2

    listed = json.loads(regtui(real_env, "registries", "--json").stdout)["registries"]
    assert [(r["registry"], r["username"], r["store"], r["logged_in"]) for r in listed] == [
        (registry.host, REGISTRY_USER, "helper:regtui", True)
    ]
    assert "SecretService" in listed[0]["secret_location"]

    out = regtui(real_env, "logout", registry.host)
    assert out.returncode == 0 and "Removed login credentials" in out.stdout
    assert json.loads(config.read_text())["auths"] == {}
    refused = skopeo_inspect(real_env, image)
    assert refused.returncode != 0 and "authentication required" in refused.stderr
    refused = docker_inspect(real_env, image)
    assert refused.returncode != 0 and "no basic auth credentials" in refused.stderr


def test_migrate_moves_plaintext_into_the_keyring_and_both_still_work(
    consumers: None, registry: Registry, image: str, real_env: dict[str, str], docker_dir: Path
) -> None:
    config = docker_dir / "config.json"
    auth = base64.b64encode(f"{REGISTRY_USER}:{REGISTRY_PASSWORD}".encode()).decode()
    config.write_text(json.dumps({"auths": {registry.host: {"auth": auth}}, "psFormat": "keep me"}, indent="\t"))
    assert skopeo_inspect(real_env, image).returncode == 0

    out = regtui(real_env, "migrate")
    assert out.returncode == 0, out.stderr
    text = config.read_text()
    assert REGISTRY_PASSWORD not in text and auth not in text
    data = json.loads(text)
    assert data == {"auths": {registry.host: {}}, "psFormat": "keep me", "credHelpers": {registry.host: "regtui"}}
    assert oct(config.stat().st_mode & 0o777) == "0o644"  # the mode the file had is kept

    ok = skopeo_inspect(real_env, image)
    assert ok.returncode == 0, ok.stderr
    ok = docker_inspect(real_env, image)
    assert ok.returncode == 0, ok.stderr
    regtui(real_env, "logout", registry.host)
