"""Every test runs in its own HOME, Docker config dir and regtui state dir."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
IN_CI = os.environ.get("CI", "").lower() == "true"


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.items.get((service, username))

    def set_password(self, service, username, password):
        self.items[(service, username)] = password

    def delete_password(self, service, username):
        from keyring.errors import PasswordDeleteError

        if (service, username) not in self.items:
            raise PasswordDeleteError("No such password!")
        del self.items[(service, username)]

    def get_credential(self, service, username):
        from keyring.credentials import SimpleCredential

        for (svc, user), password in self.items.items():
            if svc == service and (username is None or user == username):
                return SimpleCredential(user, password)
        return None


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("DOCKER_CONFIG", str(home / ".docker"))
    monkeypatch.setenv("REGTUI_CONFIG_DIR", str(home / ".config" / "regtui"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("PATH", f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    for name in ("DBUS_SESSION_BUS_ADDRESS", "DOCKER_AUTH_CONFIG", "XDG_RUNTIME_DIR", "REGISTRY_AUTH_FILE"):
        monkeypatch.delenv(name, raising=False)
    # Subprocesses (the helper) share a file-backed keyring; in-process code uses it too.
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "tests.support.file_keyring.FileKeyring")
    monkeypatch.setenv("REGTUI_TEST_KEYRING_FILE", str(tmp_path / "keyring.json"))
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    from tests.support.file_keyring import FileKeyring

    previous = keyring.get_keyring()
    keyring.set_keyring(FileKeyring())
    yield home
    keyring.set_keyring(previous)


@pytest.fixture
def docker_dir(isolated: Path) -> Path:
    path = isolated / ".docker"
    path.mkdir()
    return path


def require(binary: str) -> str:
    """The path of a real component; a failure in CI, a skip on a machine without it."""
    import shutil

    found = shutil.which(binary)
    if found is None:
        message = f"{binary} is not installed (bash .ci/run installs it)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return found


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test may resolve a made-up name: DNS leaves the machine. Literal IPs and localhost only."""
    import ipaddress
    import socket

    real = socket.getaddrinfo

    def guarded(host, *args, **kwargs):  # noqa: ANN001, ANN202
        name = host.decode() if isinstance(host, bytes) else host
        if name not in (None, "localhost"):
            try:
                ipaddress.ip_address(str(name).strip("[]"))
            except ValueError:
                pytest.fail(f"a test tried to resolve {name!r}: tests touch loopback only")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", guarded)
