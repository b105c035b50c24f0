"""A canary password goes through every command that handles a secret, against a real registry
and the real keyring; it must show up nowhere it should not: not on stdout or stderr (plain or
--json), not in any child process's argv, and, once config.json no longer holds it, in no file
under HOME (backups and temp files included).
"""

from __future__ import annotations

import base64
import os
import secrets
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import require
from tests.support.realparts import Registry, htpasswd_registry

USER = "canary-user"
CANARY = "Cn4ry-" + secrets.token_hex(8)
WRONG = "Wr0ng-" + secrets.token_hex(8)

# Every child regtui starts goes through subprocess.Popen (asyncio's too); log each argv.
ARGV_LOGGER = """
import os, subprocess
_init = subprocess.Popen.__init__
def _logged(self, args, *rest, **kw):
    with open(os.environ["REGTUI_TEST_ARGV_LOG"], "a", encoding="utf-8") as log:
        log.write(repr(args) + "\\n")
    _init(self, args, *rest, **kw)
subprocess.Popen.__init__ = _logged
"""


def forms(secret: str) -> list[str]:
    """The secret as it could leak: itself, and base64 of user:secret (docker's `auth`) and of itself."""
    return [
        secret,
        base64.b64encode(f"{USER}:{secret}".encode()).decode(),
        base64.b64encode(secret.encode()).decode().rstrip("="),
    ]


def leaks(text: str, secret: str = CANARY) -> list[str]:
    return [form for form in forms(secret) if form in text]


@pytest.fixture(scope="module")
def canary_registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Registry]:
    for binary in ("docker-registry", "htpasswd"):
        require(binary)
    registry = htpasswd_registry(tmp_path_factory.mktemp("canary-registry"), USER, CANARY)
    yield registry
    registry.close()


@pytest.fixture
def env(real_env: dict[str, str], tmp_path: Path) -> dict[str, str]:
    hook = tmp_path / "argv-hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(ARGV_LOGGER)
    return {
        **real_env,
        "PYTHONPATH": os.pathsep.join([str(hook), real_env.get("PYTHONPATH", "")]),
        "REGTUI_TEST_ARGV_LOG": str(tmp_path / "argv.log"),
    }


def regtui(env: dict[str, str], *argv: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(["regtui", *argv], input=stdin, capture_output=True, text=True, env=env, timeout=90)
    assert "Traceback" not in result.stderr, result.stderr
    for secret in (CANARY, WRONG):
        assert not leaks(result.stdout + result.stderr, secret), (argv, result.stdout, result.stderr)
    return result


def files_holding(root: Path, secret: str = CANARY) -> list[Path]:
    found = []
    for path in root.rglob("*"):
        if path.is_file() and not path.is_symlink():
            text = path.read_bytes().decode("utf-8", "replace")
            if leaks(text, secret):
                found.append(path)
    return found


def test_the_canary_password_leaks_nowhere(
    canary_registry: Registry, env: dict[str, str], docker_dir: Path, isolated: Path, tmp_path: Path
) -> None:
    host = canary_registry.host
    config = docker_dir / "config.json"
    config.write_text("{}\n")

    # A refused login: the wrong password appears in no message and no file.
    refused = regtui(env, "login", host, "-u", USER, "--password-stdin", "--store", "file", stdin=WRONG)
    assert refused.returncode == 1
    assert not files_holding(isolated, WRONG)

    # Plaintext on purpose, then everything that reads it.
    assert regtui(env, "login", host, "-u", USER, "--password-stdin", "--store", "file", stdin=CANARY).returncode == 0
    assert files_holding(isolated) == [config]  # the one place the user asked for
    for argv in (["registries"], ["registries", "--json"], ["check", host], ["check", host, "--json"]):
        assert regtui(env, *argv).returncode == 0, argv

    # Into the keyring: config.json stops holding it, and so must every other file.
    assert regtui(env, "migrate").returncode == 0
    assert files_holding(isolated) == []
    assert regtui(env, "check", host, "--json").returncode == 0  # served by docker-credential-regtui now
    assert regtui(env, "logout", host).returncode == 0

    # Straight into the keyring, replacing a plaintext entry; then out again.
    assert regtui(env, "login", host, "-u", USER, "--password-stdin", "--store", "file", stdin=CANARY).returncode == 0
    assert regtui(env, "login", host, "-u", USER, "--password-stdin", stdin=CANARY).returncode == 0
    assert files_holding(isolated) == []
    assert regtui(env, "logout", host).returncode == 0
    assert files_holding(isolated) == []

    argv_log = Path(env["REGTUI_TEST_ARGV_LOG"]).read_text()
    assert "docker-credential-regtui" in argv_log  # the recorder saw the helper calls
    assert not leaks(argv_log) and not leaks(argv_log, WRONG)
