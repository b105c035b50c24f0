"""regtui login to each kind of registry, then skopeo and docker pull metadata with what it stored.

The secret goes to gnome-keyring through docker-credential-regtui (the default store);
for the token registry it is the identity (refresh) token the server issued, which skopeo
and docker then trade with the OAuth2 POST grant.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.conftest import require
from tests.support.realparts import REGISTRY_PASSWORD, REGISTRY_USER, Registry, make_oci_layout, push_image


def run(env: dict[str, str], *argv: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(argv), input=stdin, capture_output=True, text=True, env=env, timeout=90)


@pytest.fixture
def consumers() -> None:
    require("skopeo")
    require("docker")


def login_then_pull_metadata(env: dict[str, str], registry: Registry, ref: str, docker_dir: Path, *extra: str) -> dict:
    (docker_dir / "config.json").write_text("{}")
    login = run(
        env, "regtui", "login", registry.host, "-u", REGISTRY_USER, "--password-stdin", *extra, stdin=REGISTRY_PASSWORD
    )
    assert login.returncode == 0, login.stderr
    assert "Login Succeeded" in login.stdout and "the OS keyring" in login.stdout
    config = json.loads((docker_dir / "config.json").read_text())
    assert config["credHelpers"] == {registry.host: "regtui"} and config["auths"] == {registry.host: {}}
    assert REGISTRY_PASSWORD not in (docker_dir / "config.json").read_text()

    skopeo = run(env, "skopeo", "inspect", "--tls-verify=false", "--no-tags", f"docker://{ref}")
    assert skopeo.returncode == 0, skopeo.stderr
    docker = run(env, "docker", "manifest", "inspect", "--insecure", ref)
    assert docker.returncode == 0, docker.stderr
    check = run(env, "regtui", "check", registry.host, "--json", *extra)
    assert check.returncode == 0, check.stdout
    stored = json.loads(run(env, "docker-credential-regtui", "get", stdin=registry.host).stdout)
    logout = run(env, "regtui", "logout", registry.host)  # leaves the shared session keyring clean
    assert logout.returncode == 0 and "docker-credential-regtui" in logout.stdout
    return {**json.loads(check.stdout)["results"][0], "stored": stored}


def test_login_to_a_basic_auth_registry(consumers, registry: Registry, image: str, real_env, docker_dir) -> None:
    result = login_then_pull_metadata(real_env, registry, image, docker_dir)
    assert result["auth_scheme"] == "basic"


def test_login_to_a_token_registry_keeps_the_identity_token(
    consumers, token_registry: Registry, token_server, real_env, docker_dir
) -> None:
    result = login_then_pull_metadata(real_env, token_registry, f"{token_registry.host}/regtui/hello:v1", docker_dir)
    assert result["auth_scheme"] == "bearer"
    stored = result["stored"]
    assert stored["Username"] == "<token>" and stored["Secret"].startswith("rt-")
    assert any("POST grant=refresh_token client_id=containers/image" in line for line in token_server.log)


def test_login_to_a_tls_registry(
    consumers, tls_registry: Registry, test_ca, real_env, docker_dir, tmp_path: Path
) -> None:
    layout = make_oci_layout(tmp_path / "layout")
    ref = push_image(layout, tls_registry, repo="regtui/tls")
    certs = tmp_path / "certs.d"
    (certs / tls_registry.host).mkdir(parents=True)
    test_ca.cert_pem.write_to_path(str(certs / tls_registry.host / "ca.crt"))
    env = {**real_env, "REGTUI_DOCKER_CERTS_D": str(certs)}
    result = login_then_pull_metadata(env, tls_registry, ref, docker_dir)
    assert result["endpoint"].startswith("https://")


def test_a_wrong_password_stores_nothing(registry: Registry, real_env, docker_dir) -> None:
    (docker_dir / "config.json").write_text('{"psFormat": "x"}')
    before = (docker_dir / "config.json").read_bytes()
    login = run(real_env, "regtui", "login", registry.host, "-u", REGISTRY_USER, "--password-stdin", stdin="nope")
    assert login.returncode == 1 and "refused regtui's password" in login.stderr
    assert (docker_dir / "config.json").read_bytes() == before
    got = run(real_env, "docker-credential-regtui", "get", stdin=registry.host)
    assert got.stdout == "credentials not found in native keychain\n"


def test_no_registry_means_docker_hub(registry: Registry, real_env, docker_dir) -> None:
    """The Hub endpoint is overridable (REGTUI_HUB_REGISTRY_URL); the key is docker's Hub key."""
    env = {**real_env, "REGTUI_HUB_REGISTRY_URL": f"http://{registry.host}"}
    (docker_dir / "config.json").write_text("{}")
    login = run(env, "regtui", "login", "-u", REGISTRY_USER, "--password-stdin", stdin=REGISTRY_PASSWORD)
    assert login.returncode == 0, login.stderr
    assert "at docker.io" in login.stdout
    config = json.loads((docker_dir / "config.json").read_text())
    assert config["credHelpers"] == {"https://index.docker.io/v1/": "regtui"}
    stored = json.loads(run(env, "docker-credential-regtui", "get", stdin="https://index.docker.io/v1/").stdout)
    assert stored["Username"] == REGISTRY_USER
    assert run(env, "regtui", "logout").returncode == 0


def test_no_keyring_stores_nothing_and_says_what_to_do(registry: Registry, real_env, docker_dir) -> None:
    env = {k: v for k, v in real_env.items() if k != "DBUS_SESSION_BUS_ADDRESS"}
    (docker_dir / "config.json").write_text("{}")
    login = run(env, "regtui", "login", registry.host, "-u", REGISTRY_USER, "--password-stdin", stdin=REGISTRY_PASSWORD)
    assert login.returncode == 1
    assert "no OS keyring is available (DBUS_SESSION_BUS_ADDRESS is not set)" in login.stderr
    assert "--store file" in login.stderr and REGISTRY_PASSWORD not in login.stderr
    assert (docker_dir / "config.json").read_text() == "{}"


def test_a_terminal_is_needed_to_prompt(registry: Registry, real_env, docker_dir) -> None:
    login = run(real_env, "regtui", "login", registry.host, "-u", REGISTRY_USER, stdin="")
    assert login.returncode == 2 and "--password-stdin" in login.stderr


def test_the_password_prompt_does_not_echo(registry: Registry, real_env, docker_dir) -> None:
    """On a terminal (a real pty), regtui asks for the password and the typed secret is not shown."""
    import os
    import pty
    import select
    import time

    (docker_dir / "config.json").write_text("{}")
    pid, fd = pty.fork()
    if pid == 0:  # the child: regtui on the pty
        os.execvpe("regtui", ["regtui", "login", registry.host, "-u", REGISTRY_USER, "--store", "file"], real_env)
    screen = b""

    def read_until(marker: bytes, timeout: float = 20) -> None:
        nonlocal screen
        deadline = time.monotonic() + timeout
        while marker not in screen and time.monotonic() < deadline:
            if select.select([fd], [], [], 0.2)[0]:
                try:
                    screen += os.read(fd, 4096)
                except OSError:
                    break

    read_until(b"Password:")
    os.write(fd, REGISTRY_PASSWORD.encode() + b"\r")
    read_until(b"Login Succeeded")
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    assert os.waitstatus_to_exitcode(status) == 0, screen
    assert b"Login Succeeded" in screen and REGISTRY_PASSWORD.encode() not in screen
