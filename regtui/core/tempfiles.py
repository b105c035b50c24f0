"""The temp files of a safe write: how a writer names and fills one, and how a later
write finds the leftovers of a writer that was killed.

A temp file is ``.<name>.<pid>.<8 mkstemp chars>.tmp`` in the target's directory: the
writer's pid in the name lets a later write tell a temp file whose writer was killed
(``kill -9`` between the write and ``os.replace``) from one that is still being written.
Stdlib only.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


def write_temp(directory: Path, name: str, data: bytes, mode: int, owner: tuple[int, int] | None) -> Path:
    """A new temp file for the file ``name`` in ``directory``, holding ``data`` (fsynced, ``mode``, ``owner``)."""
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


def remove_stale_temps(target: Path) -> None:
    for path in stale_temps(target):
        with contextlib.suppress(OSError):
            os.unlink(path)
