"""Safe reads and writes for files users care about.

A write never loses data: it refuses when the file changed on disk since it was read,
writes a temp file in the same directory, fsyncs it, keeps the mode and owner, keeps one
``.bak`` of the previous content and swaps the new file in with ``os.replace`` on the
symlink's target (so a symlinked config stays a symlink). Stdlib only: the credential
helper imports this module.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from regtui.core.errors import FileChangedError, PermissionNeeded, RegtuiError


@dataclass(frozen=True)
class FileSnapshot:
    """What a file held when it was read; ``text`` is None when the file did not exist."""

    path: Path
    target: Path
    text: str | None
    digest: str | None

    @property
    def exists(self) -> bool:
        return self.text is not None


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def resolve_target(path: Path) -> Path:
    """The file a write really replaces: the end of a symlink chain, even a dangling one."""
    path = Path(path)
    try:
        return path.resolve(strict=False)
    except (OSError, RuntimeError):  # a symlink loop
        return path


def read_snapshot(path: str | Path) -> FileSnapshot:
    """Read a text file for a later ``write_atomic``. A missing file is an empty snapshot."""
    path = Path(path)
    target = resolve_target(path)
    try:
        is_dir = target.is_dir()
    except PermissionError as exc:  # is_dir() only hides ENOENT and the like, not EACCES
        raise PermissionNeeded(
            "cannot reach the file: permission denied on a directory above it",
            where=path,
            fix="run with the needed permission (sudo), or point regtui elsewhere",
        ) from exc
    if is_dir:
        raise RegtuiError(
            "is a directory, not a file", where=path, fix="point regtui at the file itself, or move the directory away"
        )
    try:
        data = target.read_bytes()
    except FileNotFoundError:
        return FileSnapshot(path, target, None, None)
    except PermissionError as exc:
        raise PermissionNeeded(
            "cannot read the file: permission denied", where=path, fix="run with the needed permission (sudo)"
        ) from exc
    except OSError as exc:
        raise RegtuiError(f"cannot read the file: {exc.strerror}", where=path) from exc
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RegtuiError(
            f"is not UTF-8 text (bad byte at offset {exc.start})",
            where=path,
            fix="save the file as UTF-8",
        ) from exc
    return FileSnapshot(path, target, text, _digest(data))


@contextlib.contextmanager
def _locked(target: Path) -> Iterator[None]:
    """An advisory lock on the file being replaced, so two regtui writers serialise."""
    try:
        fd = os.open(target, os.O_RDONLY)
    except FileNotFoundError:
        yield
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _current_digest(target: Path) -> str | None:
    try:
        return _digest(target.read_bytes())
    except FileNotFoundError:
        return None


def _write_temp(directory: Path, name: str, data: bytes, mode: int, owner: tuple[int, int] | None) -> Path:
    import tempfile  # only writers need it; the credential helper's `get` does not

    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fchmod(handle.fileno(), mode)
            if owner is not None:
                with contextlib.suppress(PermissionError):
                    os.fchown(handle.fileno(), *owner)
            os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return Path(tmp)


def _fsync_dir(directory: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def backup_path(path: str | Path) -> Path:
    target = resolve_target(Path(path))
    return target.with_name(target.name + ".bak")


def write_atomic(
    snapshot: FileSnapshot,
    text: str,
    *,
    new_mode: int = 0o600,
    backup: bool = True,
    create_parents: bool = True,
) -> Path:
    """Replace the file ``snapshot`` was read from with ``text``.

    Raises FileChangedError if the file changed since the snapshot, PermissionNeeded if
    the directory or file is not writable. Returns the path written.
    """
    target = snapshot.target
    directory = target.parent
    try:
        if create_parents and not directory.exists():
            directory.mkdir(parents=True, mode=0o700)
        with _locked(target):
            if _current_digest(target) != snapshot.digest:
                raise FileChangedError(
                    "the file changed on disk since regtui read it; nothing was written",
                    where=snapshot.path,
                    fix="run the command again so regtui works on the current content",
                )
            mode, owner = new_mode, None
            if snapshot.exists:
                st = target.stat()
                mode, owner = st.st_mode & 0o7777, (st.st_uid, st.st_gid)
                if backup:
                    old = target.read_bytes()
                    bak = _write_temp(directory, target.name, old, mode, owner)
                    os.replace(bak, backup_path(target))
            tmp = _write_temp(directory, target.name, text.encode("utf-8"), mode, owner)
            os.replace(tmp, target)
            _fsync_dir(directory)
    except PermissionError as exc:
        raise PermissionNeeded(
            f"cannot write: permission denied ({exc.filename or directory})",
            where=snapshot.path,
            fix="run as a user who may write it, or with --sudo where the command offers it",
        ) from exc
    except OSError as exc:
        if exc.errno == errno.EXDEV:
            raise RegtuiError(
                "cannot replace the file across file systems", where=snapshot.path, fix="replace the symlink by a file"
            ) from exc
        if isinstance(exc, RegtuiError):
            raise
        raise RegtuiError(f"cannot write: {exc.strerror}", where=snapshot.path) from exc
    return target
