"""No secret left behind beside config.json, and secrets other users may read are reported.

After logout, migrate or a keyring login that replaces a plaintext entry, no file under the
Docker config directory holds a secret that config.json no longer holds (config.json.bak
keeps the structure, never a secret). `regtui registries` reports leftovers of older runs
or other tools, and a config.json with secrets that group or others may read.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from regtui.cli import main
from regtui.core.credentials.helper_client import HelperClient
from regtui.core.docker_config import encode_auth

SECRET = "leftover-canary-7f3a"
AUTH = encode_auth("al", SECRET)


def invoke(*args: str, stdin: str | None = None):
    return CliRunner().invoke(main, list(args), input=stdin, catch_exceptions=False)


def files_holding_the_secret(docker_dir: Path) -> list[str]:
    return sorted(
        str(p.relative_to(docker_dir))
        for p in docker_dir.rglob("*")
        if p.is_file() and (SECRET.encode() in p.read_bytes() or AUTH.encode() in p.read_bytes())
    )


def plaintext_config(docker_dir: Path) -> Path:
    path = docker_dir / "config.json"
    path.write_text(json.dumps({"auths": {"ghcr.io": {"auth": AUTH}, "quay.io": {}}, "x-keep": 1}, indent="\t"))
    path.chmod(0o600)
    return path


def test_logout_leaves_no_copy_of_the_secret(docker_dir: Path) -> None:
    plaintext_config(docker_dir)
    assert invoke("logout", "ghcr.io").exit_code == 0
    assert files_holding_the_secret(docker_dir) == []
    backup = json.loads((docker_dir / "config.json.bak").read_text())
    assert backup == {"auths": {"ghcr.io": {}, "quay.io": {}}, "x-keep": 1}


def test_migrate_leaves_no_copy_of_the_secret(docker_dir: Path) -> None:
    plaintext_config(docker_dir)
    assert invoke("migrate").exit_code == 0
    assert files_holding_the_secret(docker_dir) == []
    assert HelperClient("regtui").get("ghcr.io").secret == SECRET


def test_a_keyring_login_replacing_a_plaintext_entry_leaves_no_copy(docker_dir: Path) -> None:
    plaintext_config(docker_dir)
    result = invoke("login", "ghcr.io", "-u", "al", "--password-stdin", "--no-verify", stdin="new-pw\n")
    assert result.exit_code == 0, result.output
    assert files_holding_the_secret(docker_dir) == []
    assert "new-pw" not in "".join(p.read_text() for p in docker_dir.iterdir())


def test_registries_reports_secret_leftovers_and_never_prints_the_secret(docker_dir: Path) -> None:
    path = plaintext_config(docker_dir)
    text = path.read_text()
    old = time.time() - 3600
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    leftovers = {
        "config.json.bak": text,  # an older regtui kept the secrets in its backup
        f".config.json.{dead.pid}.a1b2c3d4.tmp": text[: len(text) // 2 + 20],  # torn by a kill -9
        "config.json2180380217": text.replace("ghcr.io", "old.example"),  # docker's os.CreateTemp name
    }
    for name, content in leftovers.items():
        (docker_dir / name).write_text(content)
    os.utime(docker_dir / "config.json2180380217", (old, old))
    (docker_dir / "config.json999").write_text(text)  # docker may be writing it right now: too fresh to report
    (docker_dir / ".config.json.x.tmp").write_text(text)  # not a regtui name
    (docker_dir / "unrelated.bak").write_text(text)

    data = json.loads(invoke("registries", "--json").stdout)
    found = {Path(d["path"]).name: d for d in data["file_diagnostics"]}
    assert set(found) == set(leftovers)
    assert all(d["code"] == "secret-leftover" and d["fix"].startswith("rm -- ") for d in found.values())
    assert "for ghcr.io" in found["config.json.bak"]["message"]
    assert "interrupted regtui write" in found[f".config.json.{dead.pid}.a1b2c3d4.tmp"]["message"]
    assert "old.example (some no longer in config.json)" in found["config.json2180380217"]["message"]

    human = invoke("registries")
    assert human.exit_code == 0
    for name in leftovers:
        assert f"{docker_dir / name} is " in human.output
    for output in (human.output, json.dumps(data)):
        assert SECRET not in output and AUTH not in output

    # The fixes work, and regtui's next write removes its own stale temp on its own.
    invoke("logout", "quay.io")
    assert not (docker_dir / f".config.json.{dead.pid}.a1b2c3d4.tmp").exists()
    assert json.loads(invoke("registries", "--json").stdout)["file_diagnostics"][0]["path"].endswith("2180380217")


def test_a_backup_without_secrets_is_not_reported(docker_dir: Path) -> None:
    plaintext_config(docker_dir)
    (docker_dir / "config.json.bak").write_text('{"auths": {"ghcr.io": {"auth": "' + encode_auth("al", "") + '"}}}')
    assert json.loads(invoke("registries", "--json").stdout)["file_diagnostics"] == []


@pytest.mark.parametrize(
    ("mode", "secret", "reported"),
    [
        (0o644, True, "its group and every user (mode 0644)"),
        (0o640, True, "its group (mode 0640)"),
        (0o600, True, None),
        (0o644, False, None),
    ],
)
def test_a_config_with_secrets_others_may_read_is_reported(
    docker_dir: Path, mode: int, secret: bool, reported: str | None
) -> None:
    path = docker_dir / "config.json"
    path.write_text(json.dumps({"auths": {"ghcr.io": {"auth": AUTH} if secret else {}}}))
    path.chmod(mode)
    findings = json.loads(invoke("registries", "--json").stdout)["file_diagnostics"]
    if reported is None:
        assert findings == []
        return
    [finding] = findings
    assert finding["code"] == "config-readable" and reported in finding["message"]
    assert finding["fix"] == f"chmod 600 {path}"
    assert f"fix: chmod 600 {path}" in invoke("registries").output


def test_login_to_the_file_warns_before_writing_into_a_readable_config(docker_dir: Path) -> None:
    path = docker_dir / "config.json"
    path.write_text('{"auths": {}}')
    path.chmod(0o644)
    args = ("login", "127.0.0.1:5000", "-u", "al", "--password-stdin", "--no-verify", "--store", "file")
    result = invoke(*args, stdin="pw\n")
    assert result.exit_code == 0
    assert f"WARNING! {path} may be read by its group and every user (mode 0644)" in result.stderr
    assert result.stderr.index("may be read by") < result.stderr.index("stored unencrypted")
    path.chmod(0o600)
    assert "may be read by" not in invoke(*args, stdin="pw\n").stderr


def test_names_from_a_leftover_reach_the_terminal_without_controls_and_bounded(docker_dir: Path) -> None:
    auths = {f"r{i}.example": {"auth": AUTH} for i in range(40)}
    auths = {"\x1b]0;pwned\x07evil.example": {"auth": AUTH}, **auths}
    (docker_dir / "config.json.bak").write_text(json.dumps({"auths": auths}))
    output = invoke("registries").output
    assert "\x1b" not in output and "\x07" not in output
    assert "?]0;pwned?evil.example, r0.example, r1.example, r2.example, r3.example and 36 more" in output
