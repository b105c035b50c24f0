"""Safe reads and writes for files users care about.

A write never loses data: it refuses when the file changed on disk since it was read,
writes a temp file in the same directory, fsyncs it, keeps the mode and owner, keeps one
``.bak`` of the previous content (or of what the caller says the backup should hold, so a
removed secret is not kept) and swaps the new file in with ``os.replace`` on the symlink's
target (so a symlinked config stays a symlink). A temp file left by a writer that was
killed is removed by the next write of the same file (tempfiles.py). Locks that span a
whole read-modify-write are filelock.py's. Stdlib only: the credential helper imports this
module.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from regtui.core.errors import ConfigError, FileChangedError, PermissionNeeded, RegtuiError
from regtui.core.filelock import flock_within as flock_within  # re-exported: callers lock through fileio
from regtui.core.filelock import hold_lock as hold_lock
from regtui.core.tempfiles import STALE_TEMP_SECONDS as STALE_TEMP_SECONDS
from regtui.core.tempfiles import remove_stale_temps, write_temp
from regtui.core.tempfiles import stale_temps as stale_temps

MAX_READ_BYTES = 16 * 1024 * 1024
"""Files regtui reads are small config files; anything larger is refused, not read into memory."""


@dataclass(frozen=True)
class FileSnapshot:
    """What a file held when it was read; ``text`` is None when the file did not exist."""

    path: Path
    target: Path
    text: str | None = field(repr=False)  # may hold secrets (config.json): never in a repr
    digest: str | None

    @property
    def exists(self) -> bool:
        return self.text is not None


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def written(snapshot: FileSnapshot, text: str) -> FileSnapshot:
    """The snapshot of the file after ``write_atomic(snapshot, text)``, without reading it again."""
    return FileSnapshot(snapshot.path, snapshot.target, text, _digest(text.encode("utf-8")))


def resolve_target(path: Path) -> Path:
    """The file a write really replaces: the end of a symlink chain, even a dangling one."""
    path = Path(path)
    try:
        return path.resolve(strict=False)
    except (OSError, RuntimeError):  # a symlink loop
        return path


def _read_regular(target: Path) -> bytes:
    """At most MAX_READ_BYTES + 1 bytes of a regular file; a FIFO or a device is refused, not waited on."""
    import stat

    fd = os.open(target, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise ConfigError("is not a regular file", path=target, fix="point regtui at a regular file")
        return handle.read(MAX_READ_BYTES + 1)


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
        data = _read_regular(target)
    except FileNotFoundError:
        return FileSnapshot(path, target, None, None)
    except PermissionError as exc:
        raise PermissionNeeded(
            "cannot read the file: permission denied", where=path, fix="run with the needed permission (sudo)"
        ) from exc
    except OSError as exc:
        raise RegtuiError(f"cannot read the file: {exc.strerror}", where=path) from exc
    if len(data) > MAX_READ_BYTES:
        raise ConfigError(
            f"is larger than {MAX_READ_BYTES // (1024 * 1024)} MiB, far more than any config file",
            path=path,
            fix="check what the file holds; regtui does not read it",
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ConfigError(
            f"is not UTF-8 text (bad byte 0x{data[exc.start]:02x} at offset {exc.start})",
            path=path,
            line=line,
            column=column,
            fix="save the file as UTF-8 (regtui never rewrites a file it cannot read)",
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


def _make_dirs(directory: Path, mode: int) -> None:
    """Create ``directory`` (``mode``) and its missing parents (0755), whatever the umask or sudo."""
    missing = []
    while not directory.exists():
        missing.append(directory)
        directory = directory.parent
    for index, path in enumerate(reversed(missing)):
        try:
            path.mkdir(mode=0o700)  # private first, then opened up: never wider than asked
        except FileExistsError:  # a concurrent writer made it: its mode stands
            continue
        os.chmod(path, mode if index == len(missing) - 1 else 0o755)


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
    backup_text: str | None = None,
    create_parents: bool = True,
    dir_mode: int = 0o755,
) -> Path:
    """Replace the file ``snapshot`` was read from with ``text``.

    ``backup_text``, when given, is what the ``.bak`` holds instead of the previous bytes
    (config.json passes its previous content without secrets). Missing directories are
    created, the last one with ``dir_mode``. Stale temp files of earlier writes of this
    file are removed. Raises FileChangedError if the file changed since the snapshot,
    PermissionNeeded if the directory or file is not writable. Returns the path written.
    """
    target = snapshot.target
    directory = target.parent
    try:
        if create_parents:
            _make_dirs(directory, dir_mode)
        with _locked(target):
            if _current_digest(target) != snapshot.digest:
                raise FileChangedError(
                    "the file changed on disk since regtui read it; nothing was written",
                    where=snapshot.path,
                    fix="run the command again so regtui works on the current content",
                )
            remove_stale_temps(target)
            mode, owner = new_mode, None
            if snapshot.exists:
                st = target.stat()
                mode, owner = st.st_mode & 0o7777, (st.st_uid, st.st_gid)
                if backup:
                    old = target.read_bytes() if backup_text is None else backup_text.encode("utf-8")
                    bak = write_temp(directory, target.name, old, mode, owner)
                    os.replace(bak, backup_path(target))
            tmp = write_temp(directory, target.name, text.encode("utf-8"), mode, owner)
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
