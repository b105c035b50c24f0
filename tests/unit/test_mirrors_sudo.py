"""The sudo path, attacked as root: planted symlinks and writable directories never make root write a victim.

A stand-in `sudo` on PATH runs the root script as we are (root, here) and records its argv.
Stand-in `sync` and `chcon` record what the script asks of them, so the temp file's mode and
name and the SELinux call are observed, not assumed. Permission refusals for the non-sudo
write are simulated by making regtui's own write raise PermissionNeeded for the target.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from regtui.cli import main
from regtui.core.errors import PermissionNeeded
from tests.unit.test_mirrors_files import DAEMON_JSON

VICTIM = "root:x:0:0:the file an attacker wants root to overwrite\n"


@pytest.fixture
def standin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    logs = {name: tmp_path / f"{name}.log" for name in ("sudo", "sync", "chcon")}
    scripts = {
        "sudo": f'printf "%s\\n" "$*" >> {logs["sudo"]}\n[ "$1" = "--" ] && shift\nexec "$@"\n',
        "sync": f'[ "$1" = "--" ] && shift\nstat -c "%a %n" -- "$1" >> {logs["sync"]}\n',
        "chcon": f'printf "%s\\n" "$*" >> {logs["chcon"]}\n',
    }
    for name, body in scripts.items():
        (bin_dir / name).write_text("#!/bin/sh\n" + body)
        (bin_dir / name).chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}:{os.environ['PATH']}")
    return logs


@pytest.fixture
def etc(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A root-owned 0755 directory standing in for /etc/docker, with daemon.json and a victim beside it."""
    directory = tmp_path / "etc-docker"
    directory.mkdir(mode=0o755)
    directory.chmod(0o755)
    (directory / "daemon.json").write_text(DAEMON_JSON)
    (tmp_path / "victim").write_text(VICTIM)
    monkeypatch.setenv("REGTUI_DAEMON_JSON", str(directory / "daemon.json"))
    monkeypatch.setenv("REGTUI_DOCKER_CERTS_D", str(directory / "certs.d"))
    monkeypatch.setenv("REGTUI_CONTAINERD_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.setenv("REGTUI_REGISTRIES_CONF", str(tmp_path / "none.conf"))
    from regtui.core.mirrors import apply as apply_module

    real_write = apply_module.fileio.write_atomic

    def root_owned(snapshot, text, **kwargs):  # noqa: ANN001, ANN202 - every file under etc is root's, say
        if str(snapshot.path).startswith(str(directory)):
            raise PermissionNeeded("permission denied", where=snapshot.path)
        return real_write(snapshot, text, **kwargs)

    monkeypatch.setattr(apply_module.fileio, "write_atomic", root_owned)
    return directory


def mirrors(*args: str):
    return CliRunner().invoke(main, ["mirrors", *args], catch_exceptions=False)


def test_a_symlinked_target_is_refused_and_the_victim_is_unchanged(standin: dict, etc: Path, tmp_path: Path) -> None:
    target = etc / "daemon.json"
    target.unlink()
    target.symlink_to(tmp_path / "victim")
    (tmp_path / "victim").write_text("{}\n")  # parses as a daemon.json, so regtui plans a change
    result = mirrors("add", "https://m.example", "--sudo")
    assert result.exit_code == 1
    assert "refused to write it as root" in result.stderr and "is a symbolic link" in result.stderr
    assert (tmp_path / "victim").read_text() == "{}\n" and target.is_symlink()
    assert "nothing was written" in result.stderr


def test_planted_backup_and_temp_symlinks_are_replaced_never_written_through(
    standin: dict, etc: Path, tmp_path: Path
) -> None:
    victim = tmp_path / "victim"
    (etc / "daemon.json.bak").symlink_to(victim)
    (etc / "daemon.json.regtui-new").symlink_to(victim)  # the name the old script used
    etc.joinpath("daemon.json").chmod(0o640)
    result = mirrors("add", "https://m.example", "--sudo")
    assert result.exit_code == 0, result.stderr
    assert victim.read_text() == VICTIM
    assert json.loads((etc / "daemon.json").read_text())["registry-mirrors"][-1] == "https://m.example"
    assert oct((etc / "daemon.json").stat().st_mode & 0o777) == "0o640"
    bak = etc / "daemon.json.bak"
    assert not bak.is_symlink() and bak.read_text() == DAEMON_JSON and oct(bak.stat().st_mode & 0o777) == "0o640"
    assert sorted(p.name for p in etc.iterdir()) == ["daemon.json", "daemon.json.bak", "daemon.json.regtui-new"]
    # The content temp: 0600 while its content is written, an unpredictable name in the target's directory.
    [line] = standin["sync"].read_text().splitlines()
    mode, name = line.split(" ", 1)
    assert mode == "600" and Path(name).parent == etc
    assert Path(name).name.startswith(".daemon.json.") and Path(name).name != "daemon.json.regtui-new"
    assert standin["chcon"].read_text().split() == [f"--reference={etc / 'daemon.json'}", "--", name]
    argv = standin["sudo"].read_text()
    assert "m.example" not in argv.split(" sh ", 1)[-1], "the content travels on stdin, never in argv"


@pytest.mark.parametrize("mode", [0o775, 0o757, 0o777, 0o1777])
def test_a_directory_others_can_write_is_refused(standin: dict, etc: Path, tmp_path: Path, mode: int) -> None:
    (etc / "daemon.json.bak").symlink_to(tmp_path / "victim")  # what such a directory lets anyone plant
    etc.chmod(mode)
    result = mirrors("add", "https://m.example", "--sudo")
    assert result.exit_code == 1 and "writable by group or others" in result.stderr
    assert (tmp_path / "victim").read_text() == VICTIM
    assert (etc / "daemon.json").read_text() == DAEMON_JSON
    assert "chmod go-w" in result.stderr


def test_a_directory_owned_by_another_user_is_refused(standin: dict, etc: Path) -> None:
    os.chown(etc, 65534, 65534)
    result = mirrors("add", "https://m.example", "--sudo")
    assert result.exit_code == 1 and "belongs to uid 65534, not root" in result.stderr
    assert (etc / "daemon.json").read_text() == DAEMON_JSON


def test_a_file_created_through_sudo_gets_0755_directories_and_undo_sudo_removes_it(
    standin: dict, etc: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hosts = etc / "certs.d" / "ghcr.io" / "hosts.toml"
    umask = os.umask(0o077)
    try:
        result = mirrors("add", "https://ghcr-mirror.example", "--for", "ghcr.io", "--sudo")
    finally:
        os.umask(umask)
    assert result.exit_code == 0, result.stderr
    for directory in (etc / "certs.d", hosts.parent):
        assert oct(directory.stat().st_mode & 0o777) == "0o755"
    assert oct(hosts.stat().st_mode & 0o777) == "0o644" and hosts.stat().st_uid == 0

    real_unlink = Path.unlink

    def root_owned(self: Path, missing_ok: bool = False) -> None:
        if self == hosts:
            raise PermissionError(13, "Permission denied", str(self))
        real_unlink(self, missing_ok=missing_ok)

    monkeypatch.setattr(Path, "unlink", root_owned)
    monkeypatch.setattr("sys.argv", ["regtui", "mirrors", "undo", "--runtime", "docker"])  # for the re-run hint
    refused = mirrors("undo", "--runtime", "docker")
    assert refused.exit_code == 3 and "mirrors undo --runtime docker --sudo" in refused.stderr
    assert "nothing was written" in refused.stderr and hosts.exists()
    done = mirrors("undo", "--runtime", "docker", "--sudo")
    assert done.exit_code == 0, done.stderr
    assert not hosts.exists()
    assert " remove " in standin["sudo"].read_text().splitlines()[-1]
    again = mirrors("undo", "--runtime", "docker", "--sudo")
    assert again.exit_code == 1 and "no change to undo" in again.stderr


def test_sudo_refuses_when_the_file_changed_since_the_plan(standin: dict, etc: Path) -> None:
    from regtui.core.mirrors.model import FileChange
    from regtui.core.mirrors.sudo import sudo_run

    target = etc / "daemon.json"
    stale = hashlib.sha256(b"what regtui read earlier").hexdigest()
    with pytest.raises(Exception, match="changed on disk"):
        sudo_run("write", FileChange(target, "x", "new", "", stale))
    assert target.read_text() == DAEMON_JSON


@pytest.mark.parametrize("how", ["group-writable", "not-root's"])
def test_a_target_others_may_write_is_refused(standin: dict, etc: Path, how: str) -> None:
    target = etc / "daemon.json"
    if how == "group-writable":
        target.chmod(0o664)
    else:
        os.chown(target, 65534, 0)
    result = mirrors("add", "https://m.example", "--sudo")
    assert result.exit_code == 1 and "refused to write it as root" in result.stderr
    assert ("writable by group or others" if how == "group-writable" else "does not belong to root") in result.stderr
    assert target.read_text() == DAEMON_JSON


def test_temp_files_of_a_killed_root_run_are_removed_by_the_next(standin: dict, etc: Path) -> None:
    """SIGKILL skips the script's trap: its temps are removed once a minute old, a fresh one is left alone."""
    old = [etc / ".daemon.json.AbCdEfGhIj", etc / ".daemon.json.bak.KlMnOpQrSt"]
    fresh = etc / ".daemon.json.UvWxYz0123"
    for path in [*old, fresh]:
        path.write_text("partial")
    for path in old:
        os.utime(path, (os.path.getmtime(path) - 120,) * 2)
    assert mirrors("add", "https://m.example", "--sudo").exit_code == 0
    assert [p.exists() for p in old] == [False, False] and fresh.exists()
