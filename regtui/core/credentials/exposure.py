"""Secrets of config.json (or an auth.json) exposed beyond what the user sees: modes and leftover copies.

- config.json holds plaintext secrets and other users may read it (fix: ``chmod 600``).
- A copy beside it holds secrets: a ``config.json.bak`` (regtui's own backup of config.json
  holds no secret, older versions kept them), the temp file of an interrupted regtui write
  (``.config.json.PID.XXXXXXXX.tmp``) or of an interrupted docker write (``config.jsonNNNN``:
  docker/cli's ConfigFile.Save writes through ``os.CreateTemp(dir, "config.json")``).

No network, nothing written, and never a secret in a message: only registry names and paths.
"""

from __future__ import annotations

import os
import re
import shlex
import stat
import time
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from regtui.core import fileio, jsonfile, tempfiles
from regtui.core.auth_entries import SECRET_FIELDS, secret_keys
from regtui.core.credentials.status import Severity
from regtui.core.docker_config import DockerConfig
from regtui.core.errors import ConfigError

DOCKER_TEMP_SECONDS = 5.0
"""docker writes config.json in milliseconds: an older ``config.jsonNNNN`` is a leftover."""
_SECRET_FIELD = re.compile(r'"(?:auth|password|identitytoken|registrytoken)"\s*:\s*"[^"]')


class FindingCode(StrEnum):
    """What is wrong with a credentials file (``findings[].code`` in ``regtui registries --json``)."""

    CONFIG_READABLE = "config-readable"  # it holds plaintext secrets and others may read it
    SECRET_LEFTOVER = "secret-leftover"  # a backup or temp copy beside it holds secrets
    STRAY_KEY = "stray-key"  # an auth.json key its readers ignore (credsStore)


@dataclass(frozen=True)
class FileFinding:
    """A problem with a file (not with one registry), with its fix."""

    code: FindingCode
    severity: Severity
    path: str
    message: str
    fix: str

    def to_json(self) -> dict[str, str]:
        return {k: getattr(self, k) for k in ("code", "severity", "path", "message", "fix")}


def _readers(mode: int) -> str | None:
    who = [name for bit, name in ((stat.S_IRGRP, "its group"), (stat.S_IROTH, "every user")) if mode & bit]
    return f"{' and '.join(who)} (mode {stat.S_IMODE(mode):04o})" if who else None


def readable_by_others(path: Path) -> str | None:
    """Who besides the owner may read ``path``, as "its group (mode 0640)", or None."""
    try:
        return _readers(os.stat(path).st_mode)
    except OSError:
        return None


def _mode_finding(config: DockerConfig) -> list[FileFinding]:
    if not config.snapshot.exists or not secret_keys(config.data):
        return []
    try:
        mode = os.stat(config.snapshot.target).st_mode
    except OSError:
        return []
    who = _readers(mode)
    if who is None:
        return []
    path = str(config.path)
    return [
        FileFinding(
            FindingCode.CONFIG_READABLE,
            Severity.WARNING,
            path,
            f"{path} holds plaintext credentials and {who} may read it",
            f"chmod 600 {shlex.quote(path)}",
        )
    ]


def _read_leftover(path: Path) -> str | None:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        data = handle.read(fileio.MAX_READ_BYTES + 1)
    return data.decode("utf-8", errors="replace")


def _secrets_in(text: str) -> tuple[list[str], dict[str, Any]] | None:
    """(registries whose secret the text holds, its auths), or None when it holds none."""
    try:
        data = jsonfile.loads(text, "leftover", fix="")
    except ConfigError:  # a torn or foreign file: look for a non-empty secret field
        return (["(unreadable entries)"], {}) if _SECRET_FIELD.search(text) else None
    keys = secret_keys(data)
    return (keys, data["auths"]) if keys else None


def _no_longer_held(config: DockerConfig, auths: dict[str, Any]) -> bool:
    def secrets(entry: Any) -> dict[str, Any]:
        return {k: v for k, v in entry.items() if k in SECRET_FIELDS} if isinstance(entry, dict) else {}

    return any(secrets(entry) != secrets(config.auths.get(key)) for key, entry in auths.items() if secrets(entry))


def _candidates(config: DockerConfig) -> list[tuple[Path, str, str]]:
    """(path, what it is, fix) of each leftover beside config.json that may hold secrets."""
    target = config.snapshot.target
    found = []
    bak = fileio.backup_path(target)
    found.append((bak, f"a backup of {config.path.name}", f"rm -- {shlex.quote(str(bak))}"))
    for temp in tempfiles.stale_temps(target):
        found.append(
            (
                temp,
                "the temp file of an interrupted regtui write",
                f"rm -- {shlex.quote(str(temp))} (regtui also removes it on its next write of {config.path.name})",
            )
        )
    now = time.time()
    for directory in dict.fromkeys((target.parent, config.path.parent)):
        try:
            entries = list(os.scandir(directory))
        except OSError:
            continue
        for entry in entries:
            rest = entry.name[len(target.name) :] if entry.name.startswith(target.name) else ""
            if not (rest.isdigit() and rest.isascii()):
                continue
            try:
                old = now - entry.stat(follow_symlinks=False).st_mtime > DOCKER_TEMP_SECONDS
            except OSError:
                continue
            if old:
                path = Path(entry.path)
                found.append((path, "the temp file of an interrupted docker write", f"rm -- {shlex.quote(str(path))}"))
    return found


def _shown(names: list[str], most: int = 5) -> str:
    """Registry names from a file as safe one-line text: no terminal controls, a bounded list."""
    safe = ["".join(ch if ch.isprintable() else "?" for ch in name[:100]) for name in names[:most]]
    return ", ".join(safe) + (f" and {len(names) - most} more" if len(names) > most else "")


def _leftover_findings(config: DockerConfig) -> list[FileFinding]:
    findings = []
    for path, what, fix in _candidates(config):
        text = _read_leftover(path)
        held = _secrets_in(text) if text is not None else None
        if held is None:
            continue
        names, auths = held
        stale = f" (some no longer in {config.path.name})" if _no_longer_held(config, auths) else ""
        findings.append(
            FileFinding(
                FindingCode.SECRET_LEFTOVER,
                Severity.WARNING,
                str(path),
                f"{path} is {what} and holds plaintext credentials for {_shown(names)}{stale}",
                fix,
            )
        )
    return findings


def file_findings(config: DockerConfig) -> list[FileFinding]:
    """Every file-level exposure of config.json's secrets. Reads only the Docker config directory."""
    return _mode_finding(config) + _leftover_findings(config)
