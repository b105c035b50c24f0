"""Carry out a Plan: safe writes, or through sudo for root-owned files; and undo the last one.

Without permission and without ``sudo``, nothing is written: PermissionNeeded carries the
diff and the exact command to run. Through sudo, the new content goes in a temp file
(never in argv), and a small shell script re-checks the file's digest, keeps a ``.bak``,
keeps mode and owner, and renames into place.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import subprocess
import tempfile
from pathlib import Path

from regtui.core import fileio
from regtui.core.errors import FileChangedError, PermissionNeeded, RegtuiError
from regtui.core.mirrors.model import FileChange, Plan
from regtui.core.settings import State

_SUDO_SCRIPT = r"""
set -eu
target=$1 tmp=$2 expected=$3
if [ -e "$target" ]; then
  actual=$(sha256sum -- "$target" | cut -d' ' -f1)
elif [ -n "$expected" ]; then
  actual=missing
else
  actual=
fi
[ "$actual" = "$expected" ] || exit 75
mkdir -p -- "$(dirname -- "$target")"
if [ -e "$target" ]; then
  cp -p -- "$target" "$target.bak"
  mode=$(stat -c %a -- "$target"); owner=$(stat -c %u:%g -- "$target")
else
  mode=644; owner=0:0
fi
new="$target.regtui-new"
cat -- "$tmp" > "$new"
chmod "$mode" "$new"
chown "$owner" "$new"
sync -- "$new" 2>/dev/null || true
mv -f -- "$new" "$target"
"""
CHANGED_ON_DISK = 75


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _snapshot(change: FileChange) -> fileio.FileSnapshot:
    return fileio.FileSnapshot(change.path, fileio.resolve_target(change.path), change.before, change.digest)


def sudo_write(change: FileChange, sudo: str = "sudo") -> None:
    """Write one file as root through sudo; the content travels in a temp file, never argv."""
    target = fileio.resolve_target(change.path)
    fd, tmp = tempfile.mkstemp(prefix="regtui-", suffix=".new")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(change.after)
        os.chmod(tmp, 0o644)  # root reads it; it holds no secret (mirror configuration)
        expected = change.digest or ""
        result = subprocess.run(
            [sudo, "--", "sh", "-c", _SUDO_SCRIPT, "sh", str(target), tmp, expected], capture_output=True, text=True
        )
    except FileNotFoundError as exc:
        raise PermissionNeeded(
            "sudo is not installed", where=change.path, fix="run regtui as root, or install sudo"
        ) from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
    if result.returncode == CHANGED_ON_DISK:
        raise FileChangedError(
            "the file changed on disk since regtui read it; nothing was written",
            where=change.path,
            fix="run the command again",
        )
    if result.returncode != 0:
        raise RegtuiError(
            f"writing through sudo failed (exit {result.returncode}): {(result.stderr or result.stdout).strip()[:300]}",
            where=change.path,
        )


def _write(change: FileChange, use_sudo: bool) -> None:
    try:
        fileio.write_atomic(_snapshot(change), change.after, new_mode=0o644)
    except PermissionNeeded as exc:
        if not use_sudo:
            raise PermissionNeeded(
                f"cannot write {change.path}: permission denied; nothing was written",
                where=change.path,
                fix="run the same command again with --sudo (the change is shown above), or as root",
            ) from exc
        sudo_write(change)


def apply(plan: Plan, state: State, *, use_sudo: bool = False) -> list[Path]:
    """Write every file of the plan that changes; then remember what was written, for undo."""
    written = []
    for change in plan.changes:
        if change.before == change.after:
            continue
        _write(change, use_sudo)
        written.append({"path": str(change.path), "created": change.before is None, "digest": _digest(change.after)})
    disabled_before = None
    if "disabled" in plan.state_update:
        file, registry, entries = plan.state_update["disabled"]
        disabled_before = [file, registry, state.disabled(Path(file), registry)]
        state.set_disabled(Path(file), registry, entries)
    if written:
        if disabled_before is not None:
            written[0]["disabled_before"] = disabled_before  # undo puts regtui's own record back too
        state.set_last_write(plan.runtime, written)
    state.save()
    return [Path(w["path"]) for w in written]


def plan_undo(state: State, runtime: str) -> Plan:
    """Put back the ``.bak`` of each file the runtime's last change wrote (or remove a file it created)."""
    entries = state.last_write(runtime)
    if not entries:
        raise RegtuiError(
            f"regtui has no change to undo for {runtime}",
            fix="undo restores the .bak of regtui's last write for this runtime",
        )
    changes = []
    for entry in entries:
        path = Path(entry["path"])
        current = fileio.read_snapshot(path)
        if current.digest != entry.get("digest"):
            raise FileChangedError(
                "the file changed since regtui wrote it; undo would lose those edits",
                where=path,
                fix="restore it by hand from " + str(fileio.backup_path(path)),
            )
        if entry.get("created"):
            changes.append(FileChange(path, current.text, "", "", current.digest))
            continue
        backup = fileio.read_snapshot(fileio.backup_path(path))
        if backup.text is None:
            raise RegtuiError(f"no backup to restore: {fileio.backup_path(path)} is missing", where=path)
        changes.append(FileChange(path, current.text, backup.text, "", current.digest))
    return Plan(runtime, f"undo the last {runtime} change", tuple(changes))


def apply_undo(plan: Plan, state: State, *, use_sudo: bool = False) -> list[Path]:
    written = []
    for change, entry in zip(plan.changes, state.last_write(plan.runtime), strict=True):
        if entry.get("created"):
            try:
                change.path.unlink(missing_ok=True)
            except PermissionError as exc:
                raise PermissionNeeded(
                    "cannot remove the file regtui created", where=change.path, fix="run as root"
                ) from exc
        else:
            _write(change, use_sudo)
        if entry.get("disabled_before"):
            file, registry, entries = entry["disabled_before"]
            state.set_disabled(Path(file), registry, entries)
        written.append(change.path)
    state.set_last_write(plan.runtime, [])
    state.save()
    return written
