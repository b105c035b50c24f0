"""An exclusive flock on a lock file beside docker-credential-regtui's index.

The index itself is replaced atomically (a new inode each time), so it cannot carry the
lock; a separate, never-replaced ``<index>.lock`` does. Every writer holds it across the
whole read-modify-write of the index (and the keyring change that goes with it), so
parallel ``store`` calls all land. Waiting is bounded: a helper stuck holding the lock
turns into a clear error instead of a hung ``docker login``.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator

from regtui.core.errors import CredentialStoreError
from regtui.core.filelock import flock_within


@contextlib.contextmanager
def index_lock(path: str, timeout: float) -> Iterator[None]:
    directory = os.path.dirname(path)
    try:
        if directory:
            os.makedirs(directory, mode=0o700, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    except OSError as exc:
        raise CredentialStoreError(
            f"cannot open the credential index lock: {exc.strerror}",
            where=path,
            fix="make regtui's state directory writable (REGTUI_CONFIG_DIR or ~/.config/regtui)",
        ) from exc
    try:
        if not flock_within(fd, timeout):
            raise CredentialStoreError(
                f"another docker-credential-regtui held the credential index lock for over {timeout:g} s",
                where=path,
                fix="a helper may be waiting for a keyring unlock prompt; unlock the keyring, "
                "or end the stuck docker-credential-regtui process, then retry",
            )
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock
