"""Fixtures that start real components. In CI a missing component fails the test."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import VENV_BIN, require
from tests.support.realparts import KeyringSession, Registry, make_oci_layout, push_image


@pytest.fixture(scope="session")
def keyring_session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KeyringSession]:
    for binary in ("dbus-daemon", "dbus-send", "gnome-keyring-daemon"):
        require(binary)
    session = KeyringSession(tmp_path_factory.mktemp("keyring-home")).start()
    yield session
    session.close()


@pytest.fixture(scope="session")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Registry]:
    for binary in ("docker-registry", "htpasswd", "skopeo"):
        require(binary)
    reg = Registry(tmp_path_factory.mktemp("registry")).start()
    yield reg
    reg.close()


@pytest.fixture(scope="session")
def image(registry: Registry, tmp_path_factory: pytest.TempPathFactory) -> str:
    layout = make_oci_layout(tmp_path_factory.mktemp("oci") / "layout")
    return push_image(layout, registry)


@pytest.fixture
def real_env(keyring_session: KeyringSession, isolated: Path) -> dict[str, str]:
    """The environment docker, skopeo and regtui see: the real keyring, the test's HOME."""
    env = keyring_session.base_env()
    env.update(
        {
            "HOME": str(isolated),
            "DOCKER_CONFIG": os.environ["DOCKER_CONFIG"],
            "REGTUI_CONFIG_DIR": os.environ["REGTUI_CONFIG_DIR"],
            "XDG_CONFIG_HOME": os.environ["XDG_CONFIG_HOME"],
            "PATH": f"{VENV_BIN}{os.pathsep}{os.environ['PATH']}",
        }
    )
    for name in ("XDG_RUNTIME_DIR", "REGISTRY_AUTH_FILE", "PYTHON_KEYRING_BACKEND"):
        env.pop(name, None)
    return env


# -- issue 3: a TLS registry, a token registry, fault servers ------------------------------------
@pytest.fixture(scope="session")
def test_ca():
    import trustme

    return trustme.CA(organization_name="regtui test CA")


def _write_leaf(leaf, directory: Path) -> tuple[Path, Path]:
    directory.mkdir(parents=True, exist_ok=True)
    cert, key = directory / "server.pem", directory / "server.key"
    leaf.cert_chain_pems[0].write_to_path(str(cert))
    leaf.private_key_pem.write_to_path(str(key))
    return cert, key


@pytest.fixture(scope="session")
def tls_registry(test_ca, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Registry]:
    for binary in ("docker-registry", "htpasswd", "skopeo"):
        require(binary)
    root = tmp_path_factory.mktemp("tls-registry")
    reg = Registry(root, tls=_write_leaf(test_ca.issue_cert("127.0.0.1"), root / "certs")).start()
    yield reg
    reg.close()


@pytest.fixture(scope="session")
def token_server(tmp_path_factory: pytest.TempPathFactory):
    from tests.support.token_server import TokenServer

    server = TokenServer(tmp_path_factory.mktemp("token-server")).start()
    yield server
    server.close()


@pytest.fixture(scope="session")
def token_registry(token_server, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Registry]:
    for binary in ("docker-registry", "skopeo"):
        require(binary)
    reg = Registry(tmp_path_factory.mktemp("token-registry"), auth_yaml=token_server.registry_auth_yaml()).start()
    layout = make_oci_layout(tmp_path_factory.mktemp("oci-token") / "layout")
    push_image(layout, reg, repo="regtui/hello")
    push_image(layout, reg, repo="private/secret")
    push_image(layout, reg, repo="public/hello")  # the token server lets anonymous pull public/
    yield reg
    reg.close()


@pytest.fixture
def certs_d(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty docker certs.d, so the machine's own /etc/docker/certs.d never leaks in."""
    path = tmp_path / "certs.d"
    path.mkdir()
    monkeypatch.setenv("REGTUI_DOCKER_CERTS_D", str(path))
    monkeypatch.setenv("REGTUI_DAEMON_JSON", str(tmp_path / "daemon.json"))
    return path


@pytest.fixture
def loopback_secure(monkeypatch: pytest.MonkeyPatch) -> None:
    """Judge a registry on 127.0.0.1 as docker judges a remote one. dockerd always counts
    127.0.0.0/8 as insecure (TLS unverified), so only this shows TLS failures on loopback."""
    monkeypatch.setattr("regtui.core.registry.target.LOOPBACK_CIDRS", ())


# -- issue 4: a pull-through mirror and a containerd daemon --------------------------------------
@pytest.fixture(scope="session")
def mirror(registry: Registry, image: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Registry]:
    from tests.support.realparts import pull_through_mirror

    proxy = pull_through_mirror(tmp_path_factory.mktemp("mirror"), registry)
    yield proxy
    proxy.close()


@pytest.fixture(scope="session")
def containerd_daemon(tmp_path_factory: pytest.TempPathFactory):
    from tests.support.realparts import Containerd

    for binary in ("containerd", "ctr"):
        require(binary)
    daemon = Containerd(tmp_path_factory.mktemp("ctd")).start()
    yield daemon
    daemon.close()
