"""Carry out a Plan as one transaction (see journal.py), through sudo for root-owned files; undo it.

Without permission and without ``sudo``, PermissionNeeded carries the exact command to run
and says which files, if any, were already written. Through sudo, see sudo.py.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from regtui.core import fileio
from regtui.core.errors import FileChangedError, PermissionNeeded, RegtuiError
from regtui.core.mirrors import journal
from regtui.core.mirrors.model import FileChange, Plan
from regtui.core.mirrors.sudo import sudo_run
from regtui.core.settings import State


def _snapshot(change: FileChange) -> fileio.FileSnapshot:
    return fileio.FileSnapshot(change.path, fileio.resolve_target(change.path), change.before, change.digest)


def _permission(change: FileChange, verb: str = "write") -> PermissionNeeded:
    return PermissionNeeded(
        f"cannot {verb} {change.path}: permission denied",
        where=change.path,
        fix="run the same command again with --sudo (the change is shown above), or as root",
    )


def _write(change: FileChange, use_sudo: bool) -> None:
    """fileio's safe write (it creates missing directories 0755 and clears a killed writer's temp files)."""
    if change.before == change.after and change.before is not None:
        return  # only regtui's records change (the journal item carries them)
    try:
        fileio.write_atomic(_snapshot(change), change.after, new_mode=0o644, dir_mode=0o755)
    except PermissionNeeded as exc:
        if not use_sudo:
            raise _permission(change) from exc
        sudo_run("write", change)


def _remove(change: FileChange, use_sudo: bool) -> None:
    try:
        fileio.resolve_target(change.path).unlink(missing_ok=True)
    except PermissionError as exc:
        if not use_sudo:
            raise _permission(change, "remove") from exc
        sudo_run("remove", change)


def _run(  # noqa: PLR0913
    state: State,
    runtime: str,
    op: str,
    changes: list[FileChange],
    items: list[dict[str, Any]],
    previous: list[dict[str, Any]],
    carried: list[dict[str, Any]],
    do: Callable[[FileChange], None],
) -> list[Path]:
    """Journal, write each change with ``do``, finish; a failure part-way names what was written."""
    journal.begin(state, runtime, op, items, previous, carried)
    done: list[bool] = []
    failure: Exception | None = None
    for change in changes:
        try:
            do(change)
        except (RegtuiError, OSError) as exc:
            failure = exc
            break
        done.append(True)
    done += [False] * (len(changes) - len(done))
    journal.finish(state, done)
    written = [c.path for c, ok in zip(changes, done, strict=True) if ok]
    try:
        journal.save(state, written=written)
    except journal.StateNotSaved:
        if failure is None:  # the journal begin() saved still holds everything: reconcile() finishes it
            raise
    if failure is not None:
        raise journal.failed_part_way(failure, written, runtime) from failure
    return written


def _begin_locked(state: State) -> None:
    state.reload()
    if journal.reconcile(state):  # a transaction a crash interrupted
        journal.save(state, written=[])


def apply(plan: Plan, state: State, *, use_sudo: bool = False) -> list[Path]:
    """Write every file of the plan that changes, as one transaction; return the paths written."""
    with journal.mirrors_lock():
        _begin_locked(state)
        state_file = plan.state_update["disabled"][0] if "disabled" in plan.state_update else None
        # Only regtui's disabled records change for this file (a disabled mirror moved): journalled, not written.
        records_only = [c for c in plan.changes if c.before == c.after and c.before is not None and _is(c, state_file)]
        changes = [c for c in plan.changes if c.before != c.after]
        # A retry after a failure part-way: files already holding their new content are done.
        already = {str(c.path) for c in changes if journal.digest_of(c.path) == journal.text_digest(c.after)}
        changes = [c for c in changes if str(c.path) not in already] + records_only
        for change in changes:
            journal.check_unchanged(change.path, change.digest)
        if not changes:
            return []
        items: list[dict[str, Any]] = [
            {
                "path": str(c.path),
                "from": c.digest,
                "to": journal.text_digest(c.after),
                "disabled": None,
                "activation": c.activation,  # the undo says the same: what to run after writing
            }
            for c in changes
        ]
        if "disabled" in plan.state_update:
            file, registry, entries = plan.state_update["disabled"]
            for item in items:
                if fileio.resolve_target(Path(item["path"])) == fileio.resolve_target(Path(file)):
                    item["disabled"] = [file, registry, state.disabled(Path(file), registry), entries]
        previous = state.last_write(plan.runtime)
        carried = [r for r in previous if r["path"] in already]
        written = _run(state, plan.runtime, "apply", changes, items, previous, carried, lambda c: _write(c, use_sudo))
        return [p for p in written if all(p != c.path for c in records_only)]


def _is(change: FileChange, file: str | None) -> bool:
    return file is not None and fileio.resolve_target(change.path) == fileio.resolve_target(Path(file))


def activation_of(runtime: str, path: Path) -> str:
    """What makes ``runtime`` read ``path`` again, as a change to it says (for undo records
    written before they kept it): dockerd reloads, containerd's config.toml needs a restart,
    hosts.toml and podman's files are read on every pull."""
    from regtui.core.mirrors import containerd, docker, hosts_dir, podman

    if runtime == "docker":
        return docker.ACTIVATION
    if runtime == "podman":
        return podman.ACTIVATION
    if runtime == "containerd":
        return hosts_dir.ACTIVATION if path.name == hosts_dir.HOSTS_FILE else containerd.RESTART
    return ""


def plan_undo(state: State, runtime: str) -> Plan:
    """Put back the ``.bak`` of each file the runtime's last change wrote (or remove a file it created)."""
    journal.reconcile(state)  # in memory: the lock holder saves it
    changes = []
    update: list[Any] | None = None
    for entry in state.last_write(runtime):
        path = Path(entry["path"])
        activation = entry.get("activation") or activation_of(runtime, path)
        current = fileio.read_snapshot(path)
        if entry.get("disabled_before") and entry.get("digest") == entry.get("before_digest") == current.digest:
            changes.append(FileChange(path, current.text, current.text or "", activation, current.digest))
            update = entry["disabled_before"]
            continue  # the change touched only regtui's disabled records: undo puts them back
        if current.digest == entry.get("before_digest") and "before_digest" in entry:
            continue  # never written, or put back already
        if current.digest != entry.get("digest"):
            raise FileChangedError(
                "the file changed since regtui wrote it; undo would lose those edits; nothing was written",
                where=path,
                fix="restore it by hand from " + str(fileio.backup_path(path)),
            )
        if entry.get("created"):
            changes.append(FileChange(path, current.text, "", activation, current.digest))
            continue
        backup = fileio.read_snapshot(fileio.backup_path(path))
        if backup.text is None:
            raise RegtuiError(f"no backup to restore: {fileio.backup_path(path)} is missing", where=path)
        if "before_digest" in entry and backup.digest != entry["before_digest"]:
            raise RegtuiError(
                f"{fileio.backup_path(path)} no longer holds the content from before regtui's change "
                "(a later write replaced it); nothing was written",
                where=path,
                fix="restore the file by hand",
            )
        changes.append(FileChange(path, current.text, backup.text, activation, current.digest))
    if not changes:
        raise RegtuiError(
            f"regtui has no change to undo for {runtime}",
            fix="undo restores the .bak of regtui's last write for this runtime",
        )
    state_update = {"disabled": (update[0], update[1], update[2])} if update else {}
    return Plan(runtime, f"undo the last {runtime} change", tuple(changes), state_update)


def apply_undo(plan: Plan, state: State, *, use_sudo: bool = False) -> list[Path]:
    with journal.mirrors_lock():
        _begin_locked(state)
        records = {r["path"]: r for r in state.last_write(plan.runtime)}
        changes = list(plan.changes)
        items: list[dict[str, Any]] = []
        previous: list[dict[str, Any]] = []
        for change in changes:
            record = records.get(str(change.path))
            if record is None or record.get("digest") != change.digest:
                raise FileChangedError(
                    "regtui's undo record changed since the undo was planned; nothing was written",
                    where=change.path,
                    fix="run regtui mirrors undo again",
                )
            journal.check_unchanged(change.path, change.digest)
            to = None if record.get("created") else journal.text_digest(change.after)
            item: dict[str, Any] = {"path": str(change.path), "from": change.digest, "to": to, "disabled": None}
            if record.get("disabled_before"):
                file, registry, before = record["disabled_before"]
                item["disabled"] = [file, registry, state.disabled(Path(file), registry), before]
            items.append(item)
            previous.append(record)

        def undo_one(change: FileChange) -> None:
            if records[str(change.path)].get("created"):
                _remove(change, use_sudo)
            else:
                _write(change, use_sudo)

        written = _run(state, plan.runtime, "undo", changes, items, previous, [], undo_one)
        return [c.path for c in changes if c.path in written and c.before != c.after]
