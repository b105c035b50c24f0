"""Safe writes: no lost update, atomic replace, backup, mode and symlinks kept."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from regtui.core import fileio
from regtui.core.errors import ConfigError, FileChangedError, PermissionNeeded, RegtuiError


def test_write_keeps_mode_and_makes_a_backup(tmp_path: Path) -> None:
    path = tmp_path / "f.json"
    path.write_text("old")
    path.chmod(0o640)
    fileio.write_atomic(fileio.read_snapshot(path), "new")
    assert path.read_text() == "new"
    assert oct(path.stat().st_mode & 0o777) == "0o640"
    assert (tmp_path / "f.json.bak").read_text() == "old"
    assert oct((tmp_path / "f.json.bak").stat().st_mode & 0o777) == "0o640"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_refuses_when_the_file_changed_since_it_was_read(tmp_path: Path) -> None:
    path = tmp_path / "f.json"
    path.write_text("one")
    snapshot = fileio.read_snapshot(path)
    path.write_text("someone else")
    with pytest.raises(FileChangedError, match="changed on disk"):
        fileio.write_atomic(snapshot, "mine")
    assert path.read_text() == "someone else"


def test_refuses_when_a_file_appeared_since_it_was_read(tmp_path: Path) -> None:
    path = tmp_path / "f.json"
    snapshot = fileio.read_snapshot(path)
    path.write_text("appeared")
    with pytest.raises(FileChangedError):
        fileio.write_atomic(snapshot, "mine")


def test_a_symlink_stays_a_symlink_and_its_target_is_replaced(tmp_path: Path) -> None:
    real = tmp_path / "real" / "config.json"
    real.parent.mkdir()
    real.write_text("old")
    link = tmp_path / "config.json"
    link.symlink_to(real)
    fileio.write_atomic(fileio.read_snapshot(link), "new")
    assert link.is_symlink() and real.read_text() == "new"


def test_a_directory_is_not_a_file(tmp_path: Path) -> None:
    with pytest.raises(RegtuiError, match="is a directory"):
        fileio.read_snapshot(tmp_path)


def test_an_unwritable_directory_needs_permission(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Root may write anywhere, so the refusal is simulated where the OS would raise it."""
    path = tmp_path / "f.json"
    path.write_text("x")
    snapshot = fileio.read_snapshot(path)

    def denied(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied", str(tmp_path))

    monkeypatch.setattr("tempfile.mkstemp", denied)
    with pytest.raises(PermissionNeeded) as info:
        fileio.write_atomic(snapshot, "y")
    assert info.value.exit_code == 3 and "permission denied" in str(info.value)
    assert path.read_text() == "x"


def test_not_utf8_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "f.json"
    path.write_bytes(b'{"a": "\xff"}')
    with pytest.raises(RegtuiError, match="not UTF-8"):
        fileio.read_snapshot(path)


def test_not_utf8_is_exit_2_with_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "f.json"
    path.write_bytes(b'{\n  "a": "\xff"}')
    with pytest.raises(ConfigError) as info:
        fileio.read_snapshot(path)
    assert info.value.exit_code == 2 and info.value.line == 2 and info.value.column == 9
    assert "bad byte 0xff" in str(info.value)


def test_a_fifo_is_refused_not_waited_on(tmp_path: Path) -> None:
    path = tmp_path / "f.json"
    os.mkfifo(path)
    with pytest.raises(ConfigError, match="not a regular file"):
        fileio.read_snapshot(path)  # blocks for ever if the fifo were opened for a blocking read


def test_a_huge_file_is_refused_unread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fileio, "MAX_READ_BYTES", 1000)
    path = tmp_path / "f.json"
    path.write_bytes(b" " * 1001)
    with pytest.raises(ConfigError, match="larger than"):
        fileio.read_snapshot(path)
    path.write_bytes(b" " * 1000)
    assert fileio.read_snapshot(path).text == " " * 1000


def test_backup_text_replaces_the_old_bytes_in_the_bak(tmp_path: Path) -> None:
    path = tmp_path / "f.json"
    path.write_text("old with SECRET")
    fileio.write_atomic(fileio.read_snapshot(path), "new", backup_text="old without it")
    assert (tmp_path / "f.json.bak").read_text() == "old without it"


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_stale_temp_files_of_killed_writers_go_on_the_next_write(tmp_path: Path) -> None:
    """Only regtui's own pattern, only stale ones: a dead pid, or too old, or an unnamed old one."""
    path = tmp_path / "f.json"
    path.write_text("old")
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    old = time.time() - fileio.STALE_TEMP_SECONDS - 5
    try:
        names = {
            f".f.json.{_dead_pid()}.abcd1234.tmp": True,  # its writer was killed
            f".f.json.{live.pid}.abcd1234.tmp": False,  # its writer may still be writing
            f".f.json.{live.pid}.zzzz9999.tmp": True,  # running, but far too old to be a write in flight
            ".f.json.k2j4_x9q.tmp": True,  # an older regtui's unnamed temp, 10 minutes old
            ".f.json.k2j4_x9r.tmp": False,  # unnamed and fresh: maybe an older regtui writing now
            ".f.json.99999999999999999999999.abcd1234.tmp": True,  # no such pid can exist
            ".f.json.notours.tmp": False,  # not regtui's pattern
            ".other.json.1.abcd1234.tmp": False,  # another file's temp
            "f.json.tmp": False,
        }
        for name in names:
            (tmp_path / name).write_text("SECRET")
        for name in (f".f.json.{live.pid}.zzzz9999.tmp", ".f.json.k2j4_x9q.tmp"):
            os.utime(tmp_path / name, (old, old))
        fileio.write_atomic(fileio.read_snapshot(path), "new")
        left = {p.name for p in tmp_path.iterdir()}
        for name, stale in names.items():
            assert (name not in left) == stale, name
    finally:
        live.kill()
        live.wait()


def test_created_directories_are_0755_and_the_last_one_as_asked(tmp_path: Path) -> None:
    """Exact modes whatever the umask (sudo and shells differ): chmod after mkdir."""
    previous = os.umask(0o077)
    try:
        target = tmp_path / "a" / "b" / "docker" / "config.json"
        fileio.write_atomic(fileio.read_snapshot(target), "{}", dir_mode=0o700)
        other = tmp_path / "c" / "d" / "f.toml"
        os.umask(0o000)
        fileio.write_atomic(fileio.read_snapshot(other), "x")
    finally:
        os.umask(previous)
    modes = {p: oct((tmp_path / p).stat().st_mode & 0o777) for p in ("a", "a/b", "a/b/docker", "c", "c/d")}
    assert modes == {"a": "0o755", "a/b": "0o755", "a/b/docker": "0o700", "c": "0o755", "c/d": "0o755"}
    assert oct(target.stat().st_mode & 0o777) == "0o600"


def test_an_unreachable_user_registries_conf_is_chosen_so_reading_it_says_why(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Path.exists() raises on EACCES: the user's file is still the one podman would read."""
    from regtui.core import paths

    monkeypatch.delenv("REGTUI_REGISTRIES_CONF", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))

    def denied(self: Path) -> bool:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "exists", denied)
    assert paths.registries_conf() == tmp_path / "containers" / "registries.conf"
