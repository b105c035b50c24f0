"""A mirror change is one transaction: a lock, a journal in regtui's state, the files, a commit.

1. ``mirrors_lock()`` serialises every regtui process of the user across read, plan and write,
   so parallel ``regtui mirrors add`` commands take turns instead of overwriting each other.
2. ``begin()`` saves the state first: the disabled-mirror records the change makes and a
   ``pending`` journal naming each file with the digest it has now and the digest it will have.
   If that save fails, no mirror file has been touched.
3. The files are written.
4. ``finish()`` keeps only what really happened: undo records for the files written, the
   disabled records of the files written; the rest is rolled back. After a crash (kill -9)
   between 2 and 4, ``reconcile()`` looks at each file's digest and finishes the same way.
"""

from __future__ import annotations

import contextlib
import hashlib
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from regtui.core import fileio
from regtui.core.errors import FileChangedError, PermissionNeeded, RegtuiError
from regtui.core.paths import regtui_state_dir
from regtui.core.settings import State, state_path

LOCK_FILE = "mirrors.lock"
UNREADABLE = "unreadable"
_local = threading.local()


class StateNotSaved(RegtuiError):
    """regtui's own state file could not be written (sudo would not help: it is the user's)."""


def digest_of(path: str | Path) -> str | None:
    """sha256 of the file's bytes now; None when missing; UNREADABLE when regtui may not read it."""
    try:
        snapshot = fileio.read_snapshot(path)  # regular files only, size-capped: the path comes from a file
    except RegtuiError:
        return UNREADABLE
    return snapshot.digest


def text_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _state_fix() -> str:
    return (
        f"make {regtui_state_dir()} writable for you (it holds no secrets), "
        "or set REGTUI_CONFIG_DIR to a directory you own"
    )


@contextlib.contextmanager
def mirrors_lock() -> Iterator[None]:
    """The lock every writing mirror command holds; re-entrant within one thread."""
    depth = getattr(_local, "depth", 0)
    if depth:
        _local.depth = depth + 1
        try:
            yield
        finally:
            _local.depth = depth
        return
    directory = regtui_state_dir()
    try:
        directory.mkdir(parents=True, mode=0o700, exist_ok=True)
    except OSError as exc:
        raise StateNotSaved(
            f"cannot create regtui's state directory: {exc.strerror}; nothing was written",
            where=directory,
            fix=_state_fix(),
        ) from exc
    with contextlib.ExitStack() as stack:
        try:
            stack.enter_context(fileio.hold_lock(directory / LOCK_FILE, what="regtui's mirror changes"))
        except RegtuiError as exc:
            fix = _state_fix() if "cannot open" in exc.what else exc.fix
            raise StateNotSaved(exc.what + "; nothing was written", where=exc.where, fix=fix) from exc
        _local.depth = 1
        try:
            yield
        finally:
            _local.depth = 0


def save(state: State, *, written: list[Path]) -> None:
    """Save the state; a failure names what was already written (or says nothing was)."""
    try:
        state.save()
    except RegtuiError as exc:
        done = f"already written: {', '.join(map(str, written))}" if written else "nothing was written"
        raise StateNotSaved(
            f"cannot save regtui's state, which keeps disabled mirrors and undo records "
            f"({exc.what.split(';')[0]}); {done}",
            where=state_path(),
            fix=_state_fix(),
        ) from exc


def begin(
    state: State,
    runtime: str,
    op: str,
    items: list[dict[str, Any]],
    previous: list[dict[str, Any]],
    carried: list[dict[str, Any]],
) -> None:
    """Record the transaction before any mirror file is touched; its disabled records take effect now.

    ``previous``: the runtime's undo records now (apply: kept if nothing gets written; undo: one
    per item). ``carried``: records of files a failed run already wrote, which a retry keeps.
    """
    for item in items:
        if item.get("disabled"):
            file, registry, _, after = item["disabled"]
            state.set_disabled(Path(file), registry, after)
    pending = {"runtime": runtime, "op": op, "items": items, "previous": previous, "carried": carried}
    state.data["pending"] = pending
    save(state, written=[])


def _record(item: dict[str, Any]) -> dict[str, Any]:
    record = {
        "path": item["path"],
        "created": item["from"] is None,
        "digest": item["to"],
        "before_digest": item["from"],
    }
    if item.get("activation"):
        record["activation"] = item["activation"]  # what the undo of this file says to run after
    if item.get("disabled"):
        file, registry, before, _ = item["disabled"]
        record["disabled_before"] = [file, registry, before]
    return record


def finish(state: State, done: list[bool]) -> None:
    """Keep what happened (``done[i]``: item i reached its new content), roll back the rest."""
    pending = state.data.pop("pending")
    items, runtime = pending["items"], pending["runtime"]
    for item, ok in zip(items, done, strict=True):
        if not ok and item.get("disabled"):
            file, registry, before, _ = item["disabled"]
            state.set_disabled(Path(file), registry, before)
    if pending["op"] == "apply":
        records = pending.get("carried", []) + [_record(i) for i, ok in zip(items, done, strict=True) if ok]
        state.set_last_write(runtime, records or pending["previous"])
    else:  # undo: what was not undone stays to undo
        state.set_last_write(runtime, [r for r, ok in zip(pending["previous"], done, strict=True) if not ok])


def reconcile(state: State) -> bool:
    """Finish a transaction a crash interrupted, by the digest each file has now. True if there was one."""
    pending = state.data.get("pending")
    if not pending:
        return False
    finish(state, [digest_of(i["path"]) in (i["to"], UNREADABLE) for i in pending["items"]])
    return True


def check_unchanged(path: Path, expected: str | None) -> None:
    if digest_of(path) != expected:
        raise FileChangedError(
            "the file changed on disk since regtui read it; nothing was written",
            where=path,
            fix="run the command again so regtui works on the current content",
        )


def failed_part_way(exc: Exception, written: list[Path], runtime: str) -> RegtuiError:
    """The error of a write that failed, saying exactly which files were written before it."""
    what = exc.what if isinstance(exc, RegtuiError) else f"cannot write: {exc}"
    where = exc.where if isinstance(exc, RegtuiError) else None
    fix = exc.fix if isinstance(exc, RegtuiError) else None
    what = what.replace("; nothing was written", "")
    if written:
        what += f"; already written: {', '.join(map(str, written))} (undo: regtui mirrors undo --runtime {runtime})"
    else:
        what += "; nothing was written"
    cls = type(exc) if isinstance(exc, PermissionNeeded | FileChangedError | StateNotSaved) else RegtuiError
    error = cls(what, where=where, fix=fix)
    if isinstance(exc, RegtuiError):
        error.exit_code = exc.exit_code
    return error
