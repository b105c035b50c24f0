"""Fake docker-credential-NAME programs for tests of the helper client and of diagnostics."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path


def write_helper(bin_dir: Path, name: str, body: str) -> Path:
    """Write ``docker-credential-<name>``: a Python script whose body sees ``verb`` and ``data``."""
    bin_dir.mkdir(parents=True, exist_ok=True)
    path = bin_dir / f"docker-credential-{name}"
    path.write_text(
        f"#!{sys.executable}\nimport sys, json, time, os\nverb = sys.argv[1]\n"
        "data = sys.stdin.read() if verb != 'list' else ''\n" + body + "\n"
    )
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return path


def path_with(bin_dir: Path) -> str:
    return f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"


GARBAGE = "print('this is not json, ' + 'and it is long ' * 3)"
HANGS = "time.sleep(30)"
FAILS_DBUS = "print('Cannot autolaunch D-Bus without X11 $DISPLAY'); sys.exit(1)"
NOT_FOUND = "print('credentials not found in native keychain'); sys.exit(1)"
