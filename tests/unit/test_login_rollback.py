"""A keyring login whose config.json save fails puts the keyring back, or says what it stored.

The failures are real: config.json changed on disk between read and write, and a
config.json that the user (nobody, through setpriv) may read but not write.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from regtui.core.credentials.helper_client import HelperClient
from regtui.core.credentials.model import Credential
from regtui.core.docker_config import load_docker_config
from regtui.core.errors import RegtuiError
from regtui.core.registry.login import StoreChoice, store_login
from tests.conftest import VENV_BIN
from tests.support.helpers import path_with, write_helper

KEYRING = StoreChoice.parse("keyring")


def edited_behind_regtuis_back(docker_dir: Path):
    path = docker_dir / "config.json"
    path.write_text('{"auths": {}}')
    config = load_docker_config()
    path.write_text('{"auths": {}, "psFormat": "edited meanwhile"}')
    return config, path.read_bytes()


def test_a_new_keyring_item_is_erased_again_when_config_json_cannot_be_saved(docker_dir: Path) -> None:
    config, edited = edited_behind_regtuis_back(docker_dir)
    with pytest.raises(RegtuiError) as info:
        store_login(config, "ghcr.io", "al", "new-pw", KEYRING)
    message = str(info.value)
    assert "changed on disk" in message and "the item stored a moment ago was erased again" in message
    assert "new-pw" not in message
    assert HelperClient("regtui").get("ghcr.io") is None
    assert (docker_dir / "config.json").read_bytes() == edited


def test_the_previous_keyring_item_is_put_back(docker_dir: Path) -> None:
    HelperClient("regtui").store(Credential("ghcr.io", "earlier", "old-pw"))
    config, _ = edited_behind_regtuis_back(docker_dir)
    with pytest.raises(RegtuiError, match="the item it held before was put back"):
        store_login(config, "ghcr.io", "al", "new-pw", KEYRING)
    assert HelperClient("regtui").get("ghcr.io") == Credential("ghcr.io", "earlier", "old-pw")


STICKY = """
store = os.environ["STICKY_FILE"]
if verb == "store":
    open(store, "w").write(data)
elif verb == "get":
    print("credentials not found in native keychain"); sys.exit(1)
elif verb == "erase":
    print("erase is refused by policy"); sys.exit(1)
"""


def test_when_the_store_cannot_be_undone_the_error_says_exactly_what_is_stored(
    docker_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_helper(tmp_path / "bin", "sticky", STICKY)
    monkeypatch.setenv("PATH", path_with(tmp_path / "bin"))
    monkeypatch.setenv("STICKY_FILE", str(tmp_path / "sticky.json"))
    config, _ = edited_behind_regtuis_back(docker_dir)
    with pytest.raises(RegtuiError) as info:
        store_login(config, "ghcr.io", "al", "new-pw", StoreChoice.parse("helper:sticky"))
    assert "the new credentials for ghcr.io ARE stored in docker-credential-sticky" in info.value.what
    assert "erase is refused by policy" in info.value.what
    assert info.value.fix.startswith("erase them with: printf %s ghcr.io | docker-credential-sticky erase")
    assert json.loads((tmp_path / "sticky.json").read_text())["Secret"] == "new-pw"


@pytest.fixture
def nobody_base() -> Iterator[Path]:
    """A world-readable base outside pytest's 0700 tmp root, so nobody can reach what it may."""
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        pytest.fail("this test needs root and setpriv (util-linux) to drop to nobody")
    base = Path(tempfile.mkdtemp(prefix="regtui-nobody-"))
    base.chmod(0o755)
    yield base
    shutil.rmtree(base)


def as_nobody(base: Path, *args: str, stdin: str = "", path: str | None = None) -> subprocess.CompletedProcess[str]:
    home = base / "home"
    home.mkdir(exist_ok=True)
    os.chown(home, 65534, 65534)
    env = {
        **os.environ,
        "HOME": str(home),
        "REGTUI_CONFIG_DIR": str(home / "state"),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "REGTUI_TEST_KEYRING_FILE": str(home / "keyring.json"),
        "DOCKER_CONFIG": str(base / "docker"),
        "PATH": path or os.environ["PATH"],
    }
    argv = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", sys.executable, "-m", "regtui", *args]
    return subprocess.run(argv, input=stdin, capture_output=True, text=True, env=env, cwd=home, timeout=60)


def test_cli_keyring_login_whose_config_json_changes_meanwhile_erases_the_item(
    docker_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The real helper and keyring; another tool edits config.json while the helper stores."""
    path = docker_dir / "config.json"
    path.write_text('{"auths": {}}')
    real = VENV_BIN / "docker-credential-regtui"
    write_helper(
        tmp_path / "bin",
        "regtui",
        f"if verb == 'store':\n    open({str(path)!r}, 'a').write(' ')\n"
        f"proc = __import__('subprocess').run([{str(real)!r}, verb], input=data, text=True)\n"
        "sys.exit(proc.returncode)",
    )
    monkeypatch.setenv("PATH", path_with(tmp_path / "bin"))
    result = subprocess.run(
        [sys.executable, "-m", "regtui", "login", "127.0.0.1:5000", "-u", "al", "--password-stdin", "--no-verify"],
        input="cli-pw",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1, result.stderr
    assert "changed on disk" in result.stderr and "the item stored a moment ago was erased again" in result.stderr
    assert "Traceback" not in result.stderr and "cli-pw" not in result.stderr + result.stdout
    assert HelperClient("regtui").get("127.0.0.1:5000") is None
    assert "cli-pw" not in (tmp_path / "keyring.json").read_text()
    assert path.read_text() == '{"auths": {}} '


SH_HELPER = """#!/bin/sh
case "$1" in
  store) cat > "$HOME/helper-item" ;;
  get) echo "credentials not found in native keychain"; exit 1 ;;
  erase) rm "$HOME/helper-item" ;;
esac
"""


def test_a_helper_login_into_an_unwritable_config_takes_the_item_back(nobody_base: Path) -> None:
    """A real permission refusal: nobody may read config.json, not write it."""
    docker = nobody_base / "docker"
    docker.mkdir(mode=0o755)
    (docker / "config.json").write_text('{"auths": {}}')
    (docker / "config.json").chmod(0o644)
    bin_dir = nobody_base / "bin"
    bin_dir.mkdir(mode=0o755)
    (bin_dir / "docker-credential-shstore").write_text(SH_HELPER)
    (bin_dir / "docker-credential-shstore").chmod(0o755)
    args = ("login", "127.0.0.1:5000", "-u", "al", "--password-stdin", "--no-verify", "--store", "helper:shstore")
    result = as_nobody(nobody_base, *args, stdin="pw", path=f"{bin_dir}:{os.environ['PATH']}")
    assert result.returncode == 3, result.stderr
    assert "permission denied" in result.stderr
    assert "docker-credential-shstore: the item stored a moment ago was erased again" in result.stderr
    assert "Traceback" not in result.stderr and "Login Succeeded" not in result.stdout
    assert not (nobody_base / "home" / "helper-item").exists()
    assert (docker / "config.json").read_text() == '{"auths": {}}'


def test_an_unreadable_docker_config_dir_is_a_clear_error(nobody_base: Path) -> None:
    docker = nobody_base / "docker"
    docker.mkdir(mode=0o700)  # root's, as after `sudo docker login` with DOCKER_CONFIG shared
    (docker / "config.json").write_text('{"auths": {}}')
    for args in (["registries"], ["registries", "--json"], ["logout", "ghcr.io"], ["migrate"]):
        result = as_nobody(nobody_base, *args)
        assert result.returncode == 3, (args, result.stderr)
        assert f"{docker / 'config.json'}: cannot reach the file: permission denied" in result.stderr
        assert "fix: " in result.stderr and "Traceback" not in result.stderr


def test_the_docker_config_dir_regtui_creates_is_0700_its_parents_0755(nobody_base: Path) -> None:
    home = nobody_base / "home"
    regtui = [sys.executable, "-m", "regtui", "--config", str(home / "a" / "docker")]
    login = ["login", "127.0.0.1:5000", "-u", "al", "--password-stdin", "--no-verify", "--store", "file"]
    umask_000 = ["sh", "-c", 'umask 000 && exec "$@"', "sh"]
    result = subprocess.run([*umask_000, *regtui, *login], input="pw", capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert oct((home / "a").stat().st_mode & 0o777) == "0o755"
    assert oct((home / "a" / "docker").stat().st_mode & 0o777) == "0o700"
    assert oct((home / "a" / "docker" / "config.json").stat().st_mode & 0o777) == "0o600"
