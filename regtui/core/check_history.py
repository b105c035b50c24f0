"""The last check result of each registry, kept between runs in regtui's state directory
(``checks.json`` beside state.json; $REGTUI_CONFIG_DIR moves both): the TUI shows them at start,
marked with the time they were checked, until each registry is checked again.

Only what the ladder concluded is kept: the verdict, the endpoint (without any user info), the
cause, each step's name, status and time, and when. Never a step's detail (it may quote a
server or name a user), never a user name, a secret or a token.

The file is read as hostile input: at most MAX_BYTES of a regular file; bad JSON, a wrong
shape or a bad entry is ignored with a message (``problem``), never raised.
"""

from __future__ import annotations

import json
import os
import stat
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from regtui.core import fileio
from regtui.core.errors import FileChangedError, RegtuiError
from regtui.core.paths import regtui_state_dir
from regtui.core.registry.model import CheckResult, Step, StepName, StepStatus
from regtui.core.safetext import printable

CHECKS_FILE = "checks.json"
MAX_BYTES = 256 * 1024
"""A kept result takes about 1 KiB: far more than any workstation's registries."""
MAX_KEPT = 200
"""Registries kept (the most recently checked stay)."""
_MAX_STEPS = 24
_STEPS = {s.value: s for s in StepName}
_STATUSES = {s.value: s for s in StepStatus}


def checks_path() -> Path:
    return regtui_state_dir() / CHECKS_FILE


@dataclass(frozen=True)
class KeptCheck:
    """A result from an earlier run and when it was checked (ISO 8601 with its UTC offset)."""

    result: CheckResult
    at: str


def _endpoint(url: str) -> str:
    """The URL without user info (a config.json key may carry one)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


def entry(result: CheckResult, at: str) -> dict[str, Any]:
    """What is kept of one result: no detail, user name, secret or token."""
    failure = result.failure
    return {
        "at": at,
        "endpoint": _endpoint(result.endpoint),
        "healthy": result.healthy,
        "cause": str(failure.cause) if failure is not None and failure.cause else None,
        "ms": round(result.ms, 1),
        "steps": [
            {"step": str(s.name), "status": str(s.status), "ms": round(s.ms, 1), "cause": str(s.cause) or None}
            for s in result.steps
        ],
    }


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value < 1e9


def _short(value: object, most: int) -> bool:
    return isinstance(value, str) and len(value) <= most


def _step(raw: object) -> Step | None:
    if not isinstance(raw, dict) or not _number(raw.get("ms")):
        return None
    name, status, cause = raw.get("step"), raw.get("status"), raw.get("cause")
    if name not in _STEPS or status not in _STATUSES or not (cause is None or _short(cause, 64)):
        return None
    return Step(_STEPS[str(name)], _STATUSES[str(status)], float(raw["ms"]), cause=cause or "")


def _kept(registry: str, raw: object) -> KeptCheck | None:
    """One kept result, or None when anything in it is not what ``entry`` writes."""
    if not _short(registry, 255) or printable(registry) != registry or not isinstance(raw, dict):
        return None
    at, endpoint, steps = raw.get("at"), raw.get("endpoint"), raw.get("steps")
    if not _short(at, 40) or not _short(endpoint, 2048) or not _number(raw.get("ms")):
        return None
    try:
        datetime.fromisoformat(str(at))
    except ValueError:
        return None
    if not isinstance(steps, list) or len(steps) > _MAX_STEPS:
        return None
    parsed = [_step(s) for s in steps]
    if any(s is None for s in parsed):
        return None
    result = CheckResult(registry, str(endpoint), tuple(s for s in parsed if s is not None), ms=float(raw["ms"]))
    return KeptCheck(result, str(at))


def as_kept(result: CheckResult, at: str) -> KeptCheck | None:
    """``result`` as a later run reads it back: only what ``entry`` keeps."""
    return _kept(result.registry, entry(result, at))


def _read(path: Path) -> tuple[str | None, str]:
    """The file's text (None when missing or refused) and what is wrong with it."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        return None, ""
    except OSError as exc:
        return None, f"{path}: cannot read it ({exc.strerror}); the results of earlier runs are not shown"
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None, f"{path}: not a regular file; ignored"
        data = handle.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        return None, f"{path}: larger than {MAX_BYTES // 1024} KiB, far more than regtui writes; ignored"
    try:
        return data.decode("utf-8"), ""
    except UnicodeDecodeError:
        return None, f"{path}: not UTF-8 text; ignored"


def parse(text: str, path: Path) -> tuple[dict[str, KeptCheck], str]:
    """The kept results in ``text``, and what was ignored (an empty string when nothing was)."""
    fix = f"it holds no secrets: delete it, or check again (C) and regtui rewrites it ({path})"
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return {}, f"{path}:{exc.lineno}:{exc.colno}: not valid JSON ({exc.msg}); ignored. {fix}"
    except (RecursionError, ValueError):
        return {}, f"{path}: nested too deeply or holds a number too long; ignored. {fix}"
    checks = data.get("checks") if isinstance(data, dict) else None
    if not isinstance(checks, dict):
        return {}, f"{path}: not the checks regtui keeps (no `checks` object); ignored. {fix}"
    kept = {registry: _kept(registry, raw) for registry, raw in list(checks.items())[:MAX_KEPT]}
    good = {registry: k for registry, k in kept.items() if k is not None}
    bad = len(checks) - len(good)
    return good, (f"{path}: {bad} kept result{'s' if bad != 1 else ''} not understood; ignored" if bad else "")


def load() -> tuple[list[KeptCheck], str]:
    """Every kept result, and a message when some or all of the file was ignored. Never raises."""
    path = checks_path()
    text, problem = _read(path)
    if text is None or not text.strip():
        return [], problem
    kept, problem = parse(text, path)
    return list(kept.values()), problem


def keep(results: list[CheckResult], at: str) -> str:
    """Keep ``results`` (checked at ``at``) over the earlier ones; "" or what went wrong."""
    if not results:
        return ""
    path = checks_path()
    for _ in range(2):  # another regtui may write between the read and the write: read again once
        try:
            snapshot = fileio.read_snapshot(path)
        except RegtuiError:  # not text, not a file: regtui's own file, holding no secret, is replaced
            try:
                path.unlink()
                snapshot = fileio.read_snapshot(path)
            except (OSError, RegtuiError) as exc:
                return f"{path}: cannot replace it ({exc}); this run's results are not kept"
        text = snapshot.text if snapshot.text is not None and len(snapshot.text) <= MAX_BYTES else ""
        earlier = parse(text, path)[0] if text.strip() else {}
        data = {r: entry(k.result, k.at) for r, k in earlier.items()}
        data.update({r.registry: entry(r, at) for r in results})
        newest = sorted(data, key=lambda r: str(data[r]["at"]), reverse=True)[:MAX_KEPT]
        document = {"checks": {r: data[r] for r in sorted(newest)}}
        try:
            text = json.dumps(document, indent=1) + "\n"
            fileio.write_atomic(snapshot, text, new_mode=0o600, backup=False, dir_mode=0o700)
        except FileChangedError:
            continue
        except RegtuiError as exc:
            return exc.render()
        return ""
    return f"{path}: another regtui kept writing it; this run's results are not kept"
