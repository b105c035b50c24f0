"""regtui's own state under $REGTUI_CONFIG_DIR (default $XDG_CONFIG_HOME/regtui): no secrets.

Holds what regtui must remember between runs: mirrors disabled out of a JSON or TOML array
(so enabling them again restores them in place) and the files each runtime's last change
wrote (for ``regtui mirrors undo``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from regtui.core import fileio
from regtui.core.errors import ConfigError
from regtui.core.paths import regtui_state_dir

STATE_FILE = "state.json"


def state_path() -> Path:
    return regtui_state_dir() / STATE_FILE


class State:
    """Load, change, save; a change made by another regtui in between is refused, not lost."""

    def __init__(self) -> None:
        self.snapshot = fileio.read_snapshot(state_path())
        try:
            data = json.loads(self.snapshot.text) if self.snapshot.text else {}
        except json.JSONDecodeError as exc:
            raise ConfigError(
                f"is not valid JSON: {exc.msg}",
                path=state_path(),
                line=exc.lineno,
                column=exc.colno,
                fix="fix or delete the file (it holds no secrets)",
            ) from exc
        self.data: dict[str, Any] = data if isinstance(data, dict) else {}

    def disabled(self, file: Path, registry: str) -> list[dict[str, Any]]:
        return list(self.data.get("disabled", {}).get(str(file), {}).get(registry, []))

    def set_disabled(self, file: Path, registry: str, entries: list[dict[str, Any]]) -> None:
        per_file = self.data.setdefault("disabled", {}).setdefault(str(file), {})
        if entries:
            per_file[registry] = entries
        else:
            per_file.pop(registry, None)

    def last_write(self, runtime: str) -> list[dict[str, Any]]:
        return list(self.data.get("last_write", {}).get(runtime, []))

    def set_last_write(self, runtime: str, files: list[dict[str, Any]]) -> None:
        self.data.setdefault("last_write", {})[runtime] = files

    def save(self) -> None:
        text = json.dumps(self.data, indent=2, sort_keys=True) + "\n"
        if text != (self.snapshot.text or ""):
            fileio.write_atomic(self.snapshot, text, new_mode=0o600, backup=False)
            self.snapshot = fileio.read_snapshot(state_path())
