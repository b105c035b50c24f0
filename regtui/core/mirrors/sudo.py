"""Writing or removing a root-owned mirror file through sudo, as carefully as sudoedit does.

The new content travels on sudo's stdin (never in argv, never in a file another user could
swap). A small root shell script then refuses a target that is a symbolic link or lies in a
directory that anyone but root may change (that directory and every one above it; a sticky
directory such as /tmp is fine above the target's own) or a target root does not own alone,
re-checks the file's digest, removes temp files of a run killed outright, writes
unpredictable temp names (mktemp) in the target's directory, keeps the content 0600 until it
is complete, keeps mode, owner and SELinux context (``chcon --reference``), keeps a ``.bak``
by renaming over that name (never writing through it) and renames the new file into place.
Directories it creates are 0755. Compare sudoedit in sudo(8): "will not follow symbolic
links" and refuses "directories writable by the invoking user".
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path

from regtui.core.errors import FileChangedError, PermissionNeeded, RegtuiError
from regtui.core.mirrors.model import FileChange

CHANGED_ON_DISK = 75
UNSAFE = 76

SCRIPT = r"""
set -eu
umask 077
op=$1 target=$2 expected=$3 content=$4
fail() { printf '%s\n' "$1" >&2; exit 76; }
safe_dir() {
  d=$1 own=$1
  while :; do
    [ -L "$d" ] && fail "$d is a symbolic link"
    [ -d "$d" ] || fail "$d is not a directory"
    uid=$(stat -c %u -- "$d"); perm=$((0$(stat -c %a -- "$d")))
    [ "$uid" = 0 ] || fail "$d belongs to uid $uid, not root: its owner could swap files in it"
    if [ $((perm & 022)) -ne 0 ]; then
      if [ "$d" = "$own" ] || [ $((perm & 01000)) -eq 0 ]; then
        fail "$d is writable by group or others: anyone in it could plant a symbolic link"
      fi
    fi
    [ "$d" = / ] && break
    d=$(dirname -- "$d")
  done
}
dir=$(dirname -- "$target"); base=$(basename -- "$target")
top=$dir
while [ ! -e "$top" ] && [ ! -L "$top" ]; do top=$(dirname -- "$top"); done
safe_dir "$top"
if [ "$top" != "$dir" ]; then
  umask 022; mkdir -p -- "$dir"; umask 077
fi
safe_dir "$dir"
[ -L "$target" ] && fail "$target is a symbolic link: regtui will not write through it as root"
if [ -e "$target" ]; then
  [ -f "$target" ] || fail "$target is not a regular file"
  [ "$(stat -c %u -- "$target")" = 0 ] || fail "$target does not belong to root"
  [ $((0$(stat -c %a -- "$target") & 022)) -eq 0 ] || fail "$target is writable by group or others"
  actual=$(sha256sum < "$target" | cut -d' ' -f1)
elif [ -n "$expected" ]; then
  actual=missing
else
  actual=
fi
[ "$actual" = "$expected" ] || exit 75
new= bak=
trap 'rm -f -- "$new" "$bak"' EXIT
# Temp files of a run killed outright (no trap runs on SIGKILL): a minute old is long dead.
find -P "$dir" -maxdepth 1 -type f -user 0 -mmin +1 \
  \( -name ".$base.??????????" -o -name ".$base.bak.??????????" \) -delete 2>/dev/null || true
if [ "$op" = remove ]; then
  rm -f -- "$target"
  exit 0
fi
if [ -e "$target" ]; then
  mode=$(stat -c %a -- "$target"); owner=$(stat -c %u:%g -- "$target")
  bak=$(mktemp -- "$dir/.$base.bak.XXXXXXXXXX")
  cat -- "$target" > "$bak"
  chown -- "$owner" "$bak"; chmod -- "$mode" "$bak"
  mv -fT -- "$bak" "$target.bak"; bak=
else
  mode=644 owner=0:0
fi
new=$(mktemp -- "$dir/.$base.XXXXXXXXXX")
cat > "$new"
[ "$(sha256sum < "$new" | cut -d' ' -f1)" = "$content" ] || fail "the new content arrived incomplete"
sync -- "$new" 2>/dev/null || true
chown -- "$owner" "$new"
if [ -e "$target" ] && command -v chcon >/dev/null 2>&1; then
  chcon --reference="$target" -- "$new" 2>/dev/null || true
fi
chmod -- "$mode" "$new"
mv -fT -- "$new" "$target"; new=
if [ -z "$expected" ] && command -v restorecon >/dev/null 2>&1; then
  restorecon -- "$target" 2>/dev/null || true
fi
"""


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def root_target(path: Path) -> Path:
    """The path root works on: its directory resolved now, its name kept (a symlink there is refused)."""
    path = Path(os.path.abspath(path))
    return Path(os.path.realpath(path.parent)) / path.name


def sudo_run(op: str, change: FileChange, sudo: str = "sudo") -> None:
    """``op`` is ``write`` (``change.after`` replaces the file) or ``remove``; both check ``change.digest``."""
    target = root_target(change.path)
    data = change.after.encode("utf-8") if op == "write" else b""
    argv = [sudo, "--", "sh", "-c", SCRIPT, "sh", op, str(target), change.digest or "", _digest(data)]
    try:
        result = subprocess.run(argv, input=data, capture_output=True, timeout=600)
    except FileNotFoundError as exc:
        raise PermissionNeeded(
            "sudo is not installed", where=change.path, fix="run regtui as root, or install sudo"
        ) from exc
    except subprocess.TimeoutExpired as exc:
        raise RegtuiError("sudo did not finish within 10 minutes; nothing was written", where=change.path) from exc
    stderr = result.stderr.decode("utf-8", "replace").strip()[:300]
    if result.returncode == CHANGED_ON_DISK:
        raise FileChangedError(
            "the file changed on disk since regtui read it", where=change.path, fix="run the command again"
        )
    if result.returncode == UNSAFE:
        raise RegtuiError(
            f"refused to {op} it as root: {stderr}",
            where=change.path,
            fix="make the directory root-owned and writable by root only (chmod go-w), replace a "
            "symbolic link by the real path, or make the change by hand",
        )
    if result.returncode != 0:
        raise RegtuiError(f"{op} through sudo failed (exit {result.returncode}): {stderr}", where=change.path)
