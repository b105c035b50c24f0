"""A mirror change and regtui's state are one transaction; real failures, real processes.

Permission failures are real: regtui runs as nobody (setpriv) against files and directories
it may not write. Crashes are real: the process kills itself with SIGKILL mid-change.
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

from regtui.core.settings import State
from tests.unit import test_mirrors_files as _base
from tests.unit.test_mirrors_files import DAEMON_JSON, mirrors, ok

files = _base.files
NOBODY = 65534
# Runs the CLI with containerd's default hosts dir moved (argv[1]), as a user would run `regtui ...`.
WITH_HOSTS_DIR = (
    "import sys, pathlib; import regtui.core.mirrors.containerd as c; "
    "c.DEFAULT_HOSTS_DIR = pathlib.Path(sys.argv[1]); from regtui.cli import main; "
    "main(sys.argv[2:], prog_name='regtui')"
)


@pytest.fixture
def nobody_base() -> Iterator[Path]:
    """A directory tree nobody can reach (pytest's own tmp root is 0700)."""
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        pytest.fail("these tests need root and setpriv (util-linux) to drop to nobody")
    base = Path(tempfile.mkdtemp(prefix="regtui-txn-"))
    base.chmod(0o755)
    os.chown(base, NOBODY, NOBODY)
    yield base
    shutil.rmtree(base)


def as_nobody(base: Path, *argv: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    own = {"HOME": str(base), "XDG_CONFIG_HOME": str(base), "REGTUI_CONFIG_DIR": str(base / "state")}
    full_env = {**os.environ, **own, **(env or {})}
    command = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", sys.executable, *argv]
    return subprocess.run(command, capture_output=True, text=True, env=full_env, cwd=base, timeout=120)


def nobody_file(path: Path, text: str) -> Path:
    path.write_text(text)
    os.chown(path, NOBODY, NOBODY)
    return path


def test_a_state_dir_that_cannot_be_written_writes_nothing_and_says_so(nobody_base: Path) -> None:
    daemon = nobody_file(nobody_base / "daemon.json", DAEMON_JSON)
    state = nobody_base / "state"
    state.mkdir(mode=0o755)
    os.chown(state, NOBODY, NOBODY)
    env = {"REGTUI_DAEMON_JSON": str(daemon)}
    for lock_exists in (False, True):  # refused at the lock, then at the journal save
        if lock_exists:
            nobody_file(state / "mirrors.lock", "")
        state.chmod(0o555)
        result = as_nobody(nobody_base, "-m", "regtui", "mirrors", "disable", "https://mirror.gcr.io", env=env)
        assert result.returncode == 1, result.stderr
        assert "nothing was written" in result.stderr and str(state) in result.stderr
        assert "REGTUI_CONFIG_DIR" in result.stderr and "--sudo" not in result.stderr
        assert "Traceback" not in result.stderr
        assert daemon.read_text() == DAEMON_JSON, "the disabled mirror would be lost with no record of it"
        state.chmod(0o755)
    assert (
        as_nobody(nobody_base, "-m", "regtui", "mirrors", "disable", "https://mirror.gcr.io", env=env).returncode == 0
    )
    assert json.loads(daemon.read_text())["registry-mirrors"] == []
    assert as_nobody(nobody_base, "-m", "regtui", "mirrors", "enable", "https://mirror.gcr.io", env=env).returncode == 0
    assert daemon.read_text() == DAEMON_JSON


CONTAINERD_V2 = 'version = 2\n\n[plugins."io.containerd.grpc.v1.cri"]\n  sandbox_image = "pause:3.9"\n'


def test_a_plan_that_fails_part_way_names_what_was_written_and_undo_puts_it_back(nobody_base: Path) -> None:
    """config.toml is nobody's, the hosts dir is root's: the second file of the plan cannot be written."""
    config = nobody_file(nobody_base / "config.toml", CONTAINERD_V2)
    hosts = nobody_base / "certs.d"
    hosts.mkdir(mode=0o755)  # root's: nobody cannot create docker.io/ in it
    env = {"REGTUI_CONTAINERD_CONFIG": str(config)}
    result = as_nobody(
        nobody_base,
        "-c",
        WITH_HOSTS_DIR,
        str(hosts),
        *("mirrors", "add", "https://m.example", "--runtime", "containerd"),
        env=env,
    )
    assert result.returncode == 3, result.stderr
    assert "permission denied" in result.stderr and "nothing was written" not in result.stderr
    assert f"already written: {config} (undo: regtui mirrors undo --runtime containerd)" in result.stderr
    assert f'config_path = "{hosts}"' in config.read_text()
    assert not (hosts / "docker.io").exists()
    assert "Traceback" not in result.stderr

    undo = as_nobody(
        nobody_base, "-c", WITH_HOSTS_DIR, str(hosts), "mirrors", "undo", "--runtime", "containerd", env=env
    )
    assert undo.returncode == 0, undo.stderr
    assert config.read_text() == CONTAINERD_V2


def test_a_failure_part_way_in_process_keeps_the_undo_record(
    files: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An immutable hosts dir (chattr +i): even root cannot create docker.io/ in it, after config.toml was written."""
    files["containerd"].write_text(CONTAINERD_V2)
    hosts = tmp_path / "immutable-certs.d"
    hosts.mkdir()
    monkeypatch.setattr("regtui.core.mirrors.containerd.DEFAULT_HOSTS_DIR", hosts)
    if subprocess.run(["chattr", "+i", str(hosts)], capture_output=True).returncode != 0:
        pytest.fail("chattr +i is needed (e2fsprogs, an ext4 /tmp)")
    try:
        result = mirrors("add", "https://m.example", "--runtime", "containerd")
    finally:
        subprocess.run(["chattr", "-i", str(hosts)], check=True)
    assert result.exit_code == 3
    assert f"already written: {files['containerd']}" in result.stderr and "nothing was written" not in result.stderr
    state = State()
    assert [r["path"] for r in state.last_write("containerd")] == [str(files["containerd"])]
    assert "pending" not in state.data
    ok("undo", "--runtime", "containerd")
    assert files["containerd"].read_text() == CONTAINERD_V2
    # A retry once the directory is writable: both files land and one undo takes both back.
    umask = os.umask(0o077)  # regtui's directories are 0755 whatever the umask: containerd must read them
    try:
        ok("add", "https://m.example", "--runtime", "containerd")
    finally:
        os.umask(umask)
    assert (hosts / "docker.io" / "hosts.toml").exists()
    assert oct((hosts / "docker.io").stat().st_mode & 0o777) == "0o755"
    ok("undo", "--runtime", "containerd")
    assert files["containerd"].read_text() == CONTAINERD_V2 and not (hosts / "docker.io" / "hosts.toml").exists()


KILL_AFTER_WRITE = (
    "import os, signal, sys; import regtui.core.mirrors.apply as a; real = a._write\n"
    "def write(change, sudo):\n"
    "    if sys.argv[1] == 'after': real(change, sudo)\n"
    "    os.kill(os.getpid(), signal.SIGKILL)\n"
    "a._write = write\n"
    "from regtui.cli import main; main(sys.argv[2:], prog_name='regtui')"
)


@pytest.mark.parametrize("when", ["before", "after"])
def test_a_crash_inside_the_transaction_is_finished_by_the_next_command(files: dict[str, Path], when: str) -> None:
    """SIGKILL between the journal and its commit: the next regtui reads each file's digest and finishes."""
    result = subprocess.run(
        [sys.executable, "-c", KILL_AFTER_WRITE, when, "mirrors", "disable", "https://mirror.gcr.io"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == -9
    assert "pending" in State().data, "the journal is saved before any mirror file is touched"
    listed = json.loads(ok("list", "--runtime", "docker", "--json"))["mirror_sets"][0]["mirrors"]
    assert listed == [{"url": "https://mirror.gcr.io", "enabled": when == "before"}]
    ok("add", "https://other.example")  # the next write finishes the journal for good
    state = State()
    assert "pending" not in state.data
    if when == "after":
        ok("enable", "https://mirror.gcr.io")
        assert json.loads(files["docker"].read_text())["registry-mirrors"] == [
            "https://mirror.gcr.io",
            "https://other.example",
        ]
    else:
        assert state.disabled(files["docker"], "docker.io") == []
