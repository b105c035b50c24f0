"""A hostile or broken config.json / DOCKER_AUTH_CONFIG through the real CLI (a subprocess).

Each case: exit 2, the place (file:line:column or $DOCKER_AUTH_CONFIG), a fix, no traceback,
and the file left as it was.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from regtui.core.docker_config import encode_auth

SECRET = "hostile-canary-pw"


def regtui(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "regtui", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=60,
    )


def assert_clean_refusal(result: subprocess.CompletedProcess[str], where: str, message: str) -> None:
    assert result.returncode == 2, result.stderr
    assert where in result.stderr and message in result.stderr and "fix: " in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert SECRET not in result.stderr + result.stdout


FILE_CASES = [
    pytest.param(b"[" * 100_000, ":1:101:", "more than 100 levels deep", id="deep-nesting"),
    pytest.param(b'{"auths": {},\n "n": ' + b"1" * 5000 + b"}", ":2:7:", "more than 4300 digits", id="5000-digits"),
    pytest.param(b'{"auths": {\n"a": {"auth": "\xff"}}}', ":2:16:", "is not UTF-8 text", id="not-utf8"),
    pytest.param(b'\xef\xbb\xbf{"auths": {}}', ":1:1:", "byte order mark (BOM): docker cannot read it", id="bom"),
    pytest.param(b'{"auths": {}, "n": NaN}', ":1:20:", "`NaN` is not a JSON value", id="nan"),
    pytest.param(b'{"auths": {"\\udc00": {}}}', ":1:13:", "half a UTF-16 surrogate pair", id="lone-surrogate"),
]


@pytest.mark.parametrize(("content", "place", "message"), FILE_CASES)
@pytest.mark.parametrize("command", [["registries"], ["registries", "--json"], ["logout", "ghcr.io"]])
def test_a_hostile_config_json_is_exit_2_with_place_and_fix(
    docker_dir: Path, content: bytes, place: str, message: str, command: list[str]
) -> None:
    path = docker_dir / "config.json"
    path.write_bytes(content)
    result = regtui(*command)
    assert_clean_refusal(result, f"{path}{place}", message)
    assert path.read_bytes() == content and sorted(p.name for p in docker_dir.iterdir()) == ["config.json"]


def test_the_bom_fix_is_a_command_that_works(docker_dir: Path) -> None:
    path = docker_dir / "config.json"
    path.write_bytes(b'\xef\xbb\xbf{"auths": {"ghcr.io": {}}}')
    fix = regtui("registries").stderr.split("fix: ", 1)[1].split(": ", 1)[1].strip()
    subprocess.run(fix, shell=True, check=True)
    assert path.read_bytes() == b'{"auths": {"ghcr.io": {}}}'
    assert "ghcr.io" in regtui("registries").stdout


ENV_CASES = [
    pytest.param("[" * 100_000, "$DOCKER_AUTH_CONFIG:1:101:", "more than 100 levels deep", id="deep-nesting"),
    pytest.param('{"auths": ' + "1" * 5000 + "}", "$DOCKER_AUTH_CONFIG:1:11:", "4300 digits", id="5000-digits"),
    pytest.param(
        '{"auths": {"\udcff": {"auth": "' + encode_auth("u", SECRET) + '"}}}',
        "$DOCKER_AUTH_CONFIG:",
        "is not UTF-8 text",
        id="not-utf8",
    ),
    pytest.param("\ufeff{}", "$DOCKER_AUTH_CONFIG:", "byte order mark", id="bom"),
]


@pytest.mark.parametrize(("value", "place", "message"), ENV_CASES)
def test_a_hostile_docker_auth_config_is_exit_2_with_place_and_fix(
    docker_dir: Path, value: str, place: str, message: str
) -> None:
    result = regtui("registries", env={"DOCKER_AUTH_CONFIG": value})
    assert_clean_refusal(result, place, message)


def test_crlf_survives_a_logout_and_the_backup_holds_no_secret(docker_dir: Path) -> None:
    path = docker_dir / "config.json"
    auth = encode_auth("al", SECRET)
    text = '{\r\n\t"auths": {\r\n\t\t"ghcr.io": {"auth": "' + auth + '"},\r\n\t\t"q.io": {}\r\n\t}\r\n}'
    path.write_bytes(text.encode())
    result = regtui("logout", "ghcr.io")
    assert result.returncode == 0 and "Removed login credentials for ghcr.io" in result.stdout
    assert path.read_bytes() == b'{\r\n\t"auths": {\r\n\t\t"q.io": {}\r\n\t}\r\n}'
    backup = (docker_dir / "config.json.bak").read_bytes()
    assert b"\r\n" in backup and auth.encode() not in backup and b'"ghcr.io": {}' in backup
