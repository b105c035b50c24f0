"""regtui's own state under $REGTUI_CONFIG_DIR (default $XDG_CONFIG_HOME/regtui): no secrets.

Holds what regtui must remember between runs: mirrors disabled out of a JSON or TOML array
(so enabling them again restores them in place), the files each runtime's last change
wrote (for ``regtui mirrors undo``), the image each registry's mirrors are tested with
(``test_images``, named once in the TUI) and, while a mirror change is being written, its
journal (``pending``; see regtui/core/mirrors/journal.py). The file is read as hostile input: a
wrong shape, deep nesting or a huge number is a ConfigError, never a traceback.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from regtui.core import fileio
from regtui.core.errors import ConfigError
from regtui.core.paths import regtui_state_dir

STATE_FILE = "state.json"
_FIX = "delete the file (it holds no secrets; regtui forgets disabled mirrors, undo records and test images)"


def state_path() -> Path:
    return regtui_state_dir() / STATE_FILE


def _bad(what: str, line: int | None = None, column: int | None = None) -> ConfigError:
    return ConfigError(what, path=state_path(), line=line, column=column, fix=_FIX)


def parse_state(text: str) -> dict[str, Any]:
    """The state document, checked for the shapes regtui relies on."""
    if not text.strip():
        return {}
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _bad(f"is not valid JSON: {exc.msg}", exc.lineno, exc.colno) from exc
    except RecursionError as exc:
        raise _bad("is nested too deeply to be regtui's state") from exc
    except ValueError as exc:  # an integer past Python's digit limit
        found = re.search(r"[0-9]{4301,}", text)
        raise _bad(
            f"holds a number too long to read ({str(exc).split(';')[0]})",
            text.count("\n", 0, found.start()) + 1 if found else None,
        ) from exc
    if not isinstance(data, dict):
        raise _bad("the top level must be a JSON object", 1)
    _check_disabled(data.get("disabled", {}))
    last_write = data.get("last_write", {})
    if not isinstance(last_write, dict) or not all(_is_records(v) for v in last_write.values()):
        raise _bad("`last_write` must map each runtime to a list of file records")
    images = data.get("test_images", {})
    if not isinstance(images, dict) or not all(isinstance(v, str) for v in images.values()):
        raise _bad("`test_images` must map each registry to an image name")
    pending = data.get("pending")
    if pending is not None and not _is_pending(pending):
        raise _bad("`pending` is not a journal regtui wrote")
    _check_ui(data.get("ui", {}))
    if not _is_pull_history(data.get("pull_history", [])):
        raise _bad("`pull_history` must be a list of readings (`at`, `mode`, `remaining`, `limit`)")
    return data


PULL_HISTORY_KEPT = 500
"""Docker Hub readings kept between runs (the oldest go first): the TUI's sparkline."""


def _is_pull_history(value: object) -> bool:
    return isinstance(value, list) and all(
        isinstance(r, dict)
        and isinstance(r.get("at"), str)
        and isinstance(r.get("mode"), str)
        and all(type(r.get(k)) is int and 0 <= r[k] < 10**12 for k in ("remaining", "limit"))
        for r in value
    )


def _check_ui(ui: object) -> None:
    if not isinstance(ui, dict) or not isinstance(ui.get("theme", ""), str):
        raise _bad("`ui` must be an object whose `theme` is a string")
    users = ui.get("token_users", {})
    if not isinstance(users, dict) or not all(
        isinstance(per_file, dict) and all(isinstance(v, str) for v in per_file.values()) for per_file in users.values()
    ):
        raise _bad("`ui.token_users` must map each file to an object of user names")


def _check_disabled(disabled: object) -> None:
    if not isinstance(disabled, dict):
        raise _bad("`disabled` must be an object of files")
    for per_file in disabled.values():
        if not isinstance(per_file, dict):
            raise _bad("`disabled` must map each file to an object of registries")
        for entries in per_file.values():
            if not isinstance(entries, list) or not all(_is_parked(e) for e in entries):
                raise _bad("a disabled mirror must be an object with a string `url` and an integer `position`")


def _is_parked(entry: object) -> bool:
    return (
        isinstance(entry, dict)
        and isinstance(entry.get("url"), str)
        and type(entry.get("position")) is int
        and entry["position"] >= 0
        and all(isinstance(entry.get(k), str | None) for k in ("array_before", "array_after"))
    )


def _is_digest(value: object) -> bool:
    return value is None or isinstance(value, str)


def _is_disabled_triple(value: object) -> bool:
    return (
        isinstance(value, list)
        and len(value) == 3
        and isinstance(value[0], str)
        and isinstance(value[1], str)
        and isinstance(value[2], list)
        and all(_is_parked(e) for e in value[2])
    )


def _is_records(records: object) -> bool:
    return isinstance(records, list) and all(
        isinstance(r, dict)
        and isinstance(r.get("path"), str)
        and _is_digest(r.get("digest"))
        and _is_digest(r.get("before_digest"))
        and isinstance(r.get("activation", ""), str)
        and (r.get("disabled_before") is None or _is_disabled_triple(r["disabled_before"]))
        for r in records
    )


def _is_pending(pending: object) -> bool:
    if not isinstance(pending, dict) or not isinstance(pending.get("runtime"), str):
        return False
    items = pending.get("items")
    return (
        pending.get("op") in ("apply", "undo")
        and _is_records(pending.get("previous", []))
        and _is_records(pending.get("carried", []))
        and isinstance(items, list)
        and all(
            isinstance(i, dict)
            and isinstance(i.get("path"), str)
            and _is_digest(i.get("from"))
            and _is_digest(i.get("to"))
            and isinstance(i.get("activation", ""), str)
            and (i.get("disabled") is None or _is_disabled_change(i["disabled"]))
            for i in items
        )
    )


def _is_disabled_change(value: object) -> bool:
    """[file, registry, entries before, entries after]."""
    return (
        isinstance(value, list)
        and len(value) == 4
        and _is_disabled_triple(value[:3])
        and isinstance(value[3], list)
        and all(_is_parked(e) for e in value[3])
    )


class State:
    """Load, change, save; a change made by another regtui in between is refused, not lost."""

    def __init__(self) -> None:
        self.reload()

    def reload(self) -> None:
        self.snapshot = fileio.read_snapshot(state_path())
        self.data: dict[str, Any] = parse_state(self.snapshot.text or "")

    def disabled(self, file: Path, registry: str) -> list[dict[str, Any]]:
        return list(self.data.get("disabled", {}).get(str(file), {}).get(registry, []))

    def set_disabled(self, file: Path, registry: str, entries: list[dict[str, Any]]) -> None:
        per_file = self.data.setdefault("disabled", {}).setdefault(str(file), {})
        if entries:
            per_file[registry] = entries
        else:
            per_file.pop(registry, None)
            if not per_file:
                self.data["disabled"].pop(str(file), None)

    def last_write(self, runtime: str) -> list[dict[str, Any]]:
        return list(self.data.get("last_write", {}).get(runtime, []))

    def set_last_write(self, runtime: str, files: list[dict[str, Any]]) -> None:
        self.data.setdefault("last_write", {})[runtime] = files

    # -- the TUI's choices: its theme, and who logged in with a token (docker stores only <token>)
    def theme(self) -> str | None:
        return self.data.get("ui", {}).get("theme") or None

    def set_theme(self, theme: str) -> None:
        self.data.setdefault("ui", {})["theme"] = theme

    def token_users(self) -> dict[tuple[str, str], str]:
        """(file, registry key) -> the user name given at a login that stored an identity token."""
        users = self.data.get("ui", {}).get("token_users", {})
        return {(file, key): name for file, per_file in users.items() for key, name in per_file.items()}

    def set_token_user(self, file: str, key: str, username: str | None) -> None:
        users = self.data.setdefault("ui", {}).setdefault("token_users", {})
        if username:
            users.setdefault(file, {})[key] = username
        else:
            users.get(file, {}).pop(key, None)
            if not users.get(file, True):
                users.pop(file)

    def test_image(self, registry: str) -> str | None:
        """The image the user named for testing ``registry``'s mirrors, if any."""
        image = self.data.get("test_images", {}).get(registry)
        return image if isinstance(image, str) else None

    def set_test_image(self, registry: str, image: str) -> None:
        self.data.setdefault("test_images", {})[registry] = image

    # -- Docker Hub pull readings over time (timestamps, counts: no secrets) ------------------------
    def pull_history(self) -> list[dict[str, Any]]:
        return list(self.data.get("pull_history", []))

    def add_pull_reading(self, at: str, mode: str, remaining: int, limit: int) -> None:
        history = self.data.setdefault("pull_history", [])
        history.append({"at": at, "mode": mode, "remaining": remaining, "limit": limit})
        del history[:-PULL_HISTORY_KEPT]

    def save(self) -> None:
        text = json.dumps(self.data, indent=2, sort_keys=True) + "\n"
        if text != (self.snapshot.text or ""):
            fileio.write_atomic(self.snapshot, text, new_mode=0o600, backup=False)
            self.snapshot = fileio.read_snapshot(state_path())
