"""Safe reads and writes for files users care about.

A write never loses data: it refuses when the file changed on disk since it was read,
writes a temp file in the same directory, fsyncs it, keeps the mode and owner, keeps one
``.bak`` of the previous content (or of what the caller says the backup should hold, so a
removed secret is not kept) and swaps the new file in with ``os.replace`` on the symlink's
target (so a symlinked config stays a symlink). A temp file left by a writer that was
killed is removed by the next write of the same file. Stdlib only: the credential helper
imports this module.
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


def _write_temp(directory: Path, name: str, data: bytes, mode: int, owner: tuple[int, int] | None) -> Path:
    import tempfile  # only writers need it; the credential helper's `get` does not

    # The writer's pid is in the name, so a later write can tell a temp file whose writer
    # was killed (kill -9 between this and os.replace) from one that is still being written.
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{name}.{os.getpid()}.", suffix=".tmp")
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


# -- leftovers of interrupted writes ---------------------------------------------------------
STALE_TEMP_SECONDS = 600.0
"""A temp file whose writer still runs is left alone until it is this old (a write takes ms)."""
UNNAMED_TEMP_SECONDS = 60.0
"""Temp files of older regtui versions carry no pid: stale once this old."""
_MKSTEMP_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_")


def _temp_writer(entry_name: str, target_name: str) -> int | None:
    """The writer's pid in a regtui temp file name, 0 when the name has none, None if not regtui's."""
    prefix = f".{target_name}."
    if not (entry_name.startswith(prefix) and entry_name.endswith(".tmp")):
        return None
    middle = entry_name[len(prefix) : -len(".tmp")]
    pid, dot, rest = middle.partition(".")
    if dot and pid.isascii() and pid.isdigit() and len(rest) == 8 and set(rest) <= _MKSTEMP_CHARS:
        return int(pid)
    if not dot and len(middle) == 8 and set(middle) <= _MKSTEMP_CHARS:
        return 0
    return None


def _pid_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, OverflowError):  # no such process (or no such pid at all)
        return False
    except OSError:  # EPERM: running, as another user
        return True
    return True


def stale_temps(target: Path) -> list[Path]:
    """regtui's temp files beside ``target`` that no running write can still need.

    Stale: the writer's pid is not running (it was killed), or the file is older than
    STALE_TEMP_SECONDS. A pid from another PID namespace sharing the directory may look dead;
    its write then fails cleanly at os.replace, and nothing is lost.
    """
    import stat
    import time

    try:
        entries = list(os.scandir(target.parent))
    except OSError:
        return []
    now, found = time.time(), []
    for entry in entries:
        pid = _temp_writer(entry.name, target.name)
        if pid is None:
            continue
        try:
            st = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if not stat.S_ISREG(st.st_mode):
            continue
        age = now - st.st_mtime
        if pid == 0:
            stale = age > UNNAMED_TEMP_SECONDS
        else:
            stale = age > STALE_TEMP_SECONDS or (pid != os.getpid() and not _pid_running(pid))
        if stale:
            found.append(Path(entry.path))
    return found


def _remove_stale_temps(target: Path) -> None:
    for path in stale_temps(target):
        with contextlib.suppress(OSError):
            os.unlink(path)


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
            _remove_stale_temps(target)
            mode, owner = new_mode, None
            if snapshot.exists:
                st = target.stat()
                mode, owner = st.st_mode & 0o7777, (st.st_uid, st.st_gid)
                if backup:
                    old = target.read_bytes() if backup_text is None else backup_text.encode("utf-8")
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


@contextlib.contextmanager
def hold_lock(path: str | Path, *, timeout: float = 60.0, what: str = "this file") -> Iterator[None]:
    """Hold an exclusive ``flock`` on the lock file ``path`` (created 0600 if missing) until the block ends.

    Self-contained: callers wrap a whole read-modify-write in it so that concurrent regtui
    processes take turns instead of refusing each other. The lock dies with its process, so
    a ``kill -9`` never leaves it held. Raises RegtuiError after ``timeout`` seconds.
    """

    path = Path(path)
    flags = os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC
    try:
        try:
            fd = os.open(path, os.O_RDWR | flags, 0o600)
        except OSError as exc:  # a read-only directory still lets an existing lock file be locked
            if exc.errno not in (errno.EACCES, errno.EROFS, errno.EPERM):
                raise
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError as exc:
        raise RegtuiError(
            f"cannot open the lock file that guards {what}: {exc.strerror}",
            where=path,
            fix=f"make {path.parent} writable for you (it holds no secrets), or remove a symlink there",
        ) from exc
    try:
        if not flock_within(fd, timeout):
            raise RegtuiError(
                f"another regtui process has held the lock on {what} for {timeout:.0f} s",
                where=path,
                fix="let the other regtui finish (it may be waiting for a sudo password), then run this again",
            )
        yield
    finally:
        os.close(fd)


def flock_within(fd: int, timeout: float) -> bool:
    """Take an exclusive flock on ``fd``, trying again (2 ms, doubling up to 50 ms) for ``timeout``
    seconds. False when another process held it all that time. The lock dies with its holder."""
    import time

    deadline = time.monotonic() + timeout
    delay = 0.002
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if time.monotonic() >= deadline:
                return False
            time.sleep(delay)
            delay = min(delay * 2, 0.05)
