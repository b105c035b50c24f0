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
