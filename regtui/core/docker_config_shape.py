"""The shape config.json must have before regtui reads or edits it.

docker/cli decodes config.json into typed Go structs (cli/config/configfile/file.go), so a
value of the wrong JSON type makes docker ignore the file; regtui refuses it with the line.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from regtui.core.auth_entries import SECRET_FIELDS
from regtui.core.errors import ConfigError


def line_of_key(text: str, key: str) -> int | None:
    """The line where ``key`` first appears as an object key in ``text``, or None."""
    match = re.search(r'"' + re.escape(json.dumps(key)[1:-1]) + r'"\s*:', text)
    return text.count("\n", 0, match.start()) + 1 if match else None


def _expect_type(
    value: Any, kind: type[dict[str, Any]] | type[str], what: str, path: Path, text: str, key: str
) -> None:
    if not isinstance(value, kind):
        names = {dict: "an object", str: "a string"}
        raise ConfigError(
            f"{what} must be {names[kind]}, not {type(value).__name__.replace('dict', 'object')}",
            path=path,
            line=line_of_key(text, key),
            fix="correct the value by hand (regtui will not rewrite a file it cannot understand)",
        )


def validate(data: Any, path: Path, text: str) -> None:
    """Raise ConfigError (with the line) unless ``data`` has the types docker decodes it into."""
    if not isinstance(data, dict):
        raise ConfigError("the top level must be a JSON object", path=path, line=1)
    for name in ("auths", "credHelpers"):
        if name in data:
            _expect_type(data[name], dict, f"`{name}`", path, text, name)
    if "credsStore" in data:
        _expect_type(data["credsStore"], str, "`credsStore`", path, text, "credsStore")
    for key, entry in data.get("auths", {}).items():
        _expect_type(entry, dict, f"auths entry {key!r}", path, text, key)
        for name, value in entry.items():
            if name in SECRET_FIELDS + ("username", "serveraddress", "email"):
                _expect_type(value, str, f"`{name}` of auths entry {key!r}", path, text, key)
    for key, helper in data.get("credHelpers", {}).items():
        _expect_type(helper, str, f"credHelpers entry {key!r}", path, text, key)
