"""Safe writes: no lost update, atomic replace, backup, mode and symlinks kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from regtui.core import fileio
from regtui.core.errors import FileChangedError, PermissionNeeded, RegtuiError


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
