"""Exclusive locks that make concurrent regtui processes take turns (``flock``, bounded waits).

A lock dies with its process, so a ``kill -9`` never leaves it held. Stdlib only.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

from regtui.core.errors import RegtuiError


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
