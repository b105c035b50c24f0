"""Remove the config.json entries that name a credential helper which is not installed.

docker cannot read, store or erase credentials through a missing ``docker-credential-NAME``
(docker/cli: credentials.NewNativeStore runs the binary), so ``docker logout`` fails too; the
only way out is to edit config.json. This names every entry it removes and shows the file's
change as a unified diff (every secret value in it redacted) before it writes, through the
safe config.json write (atomic, with a backup that holds no secret).
"""

from __future__ import annotations

import difflib
import json
import re
import shutil
from typing import Any

from regtui.app.credential_types import DanglingRemoval
from regtui.core.auth_entries import SECRET_FIELDS
from regtui.core.credentials.helper_client import helper_binary
from regtui.core.docker_config import DockerConfig
from regtui.core.errors import FileChangedError, InputError
from regtui.core.registry_names import display_name, registry_key

REDACTED = '"<redacted>"'
_JSON_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"')


def _missing(helper: str) -> bool:
    return shutil.which(helper_binary(helper)) is None


def remove_dangling_helper(config: DockerConfig, registry: str, write: bool) -> list[str]:
    """The entries (``credHelpers["quay.io"]``, ``credsStore``, ``auths[...]``) naming a missing
    helper for ``registry``, removed from ``config`` in memory (its ``render()`` is the new text);
    saved when ``write``. Raises InputError if there are none."""
    key = registry_key(registry)
    entries: list[str] = []
    helpers = config.cred_helpers
    for raw, name in list(helpers.items()):
        if registry_key(raw) == key and isinstance(name, str) and _missing(name):
            entries.append(f'credHelpers["{raw}"]: "{name}" ({helper_binary(name)} is not installed)')
            del helpers[raw]
    if not entries and config.creds_store and _missing(config.creds_store) and key not in helpers:
        store = config.creds_store
        entries.append(
            f'credsStore: "{store}" ({helper_binary(store)} is not installed; '
            "docker uses credsStore for every registry without a credHelpers entry)"
        )
        config.data.pop("credsStore", None)
    if not entries:
        raise InputError(
            f"{display_name(key)}: no config.json entry names a credential helper that is missing",
            where=config.path,
            fix="reload (r): the helper may have been installed since",
        )
    for raw in config.keys_for(key):
        entry = config.entry(raw)
        entries.append(f'auths["{raw}"]' + (" (holds a secret)" if entry is not None and entry.has_secret else ""))
        config.remove_auth(raw)
    if write:
        config.save()
    return entries


def plan_removal(config: DockerConfig, registry: str, auth_file: str | None) -> DanglingRemoval:
    """What removing ``registry``'s dangling helper would change, as a diff; nothing is written."""
    before = config.snapshot.text or ""
    secrets = _secret_values(config.data)  # before the removal: the entries removed hold some
    entries = remove_dangling_helper(config, registry, write=False)
    diff = redacted_diff(str(config.path), before, config.render(), secrets | _secret_values(config.data))
    return DanglingRemoval(registry, config.path, tuple(entries), diff, config.snapshot.digest, auth_file)


def apply_removal(config: DockerConfig, plan: DanglingRemoval) -> list[str]:
    """Write the change ``plan`` showed, if the file still holds what it was planned from."""
    if config.snapshot.digest != plan.digest:
        raise FileChangedError(
            "the file changed since the change was shown; nothing was written",
            where=config.path,
            fix="press f again to see the change to the file as it is now",
        )
    return remove_dangling_helper(config, plan.registry, write=True)


def _secret_values(data: Any) -> set[str]:
    """Every secret field's value in the ``auths`` entries (docker matches JSON keys without case)."""
    auths = data.get("auths") if isinstance(data, dict) else None
    if not isinstance(auths, dict):
        return set()
    names = {n.lower() for n in SECRET_FIELDS}
    return {
        value
        for entry in auths.values()
        if isinstance(entry, dict)
        for field, value in entry.items()
        if isinstance(value, str) and value and str(field).lower() in names
    }


def _redact(line: str, secrets: set[str]) -> str:
    """``line`` with every JSON string whose value is a secret replaced by "<redacted>"."""

    def one(found: re.Match[str]) -> str:
        try:
            value = json.loads(found.group(0))
        except ValueError:
            return found.group(0)
        return REDACTED if value in secrets else found.group(0)

    return _JSON_STRING.sub(one, line)


def redacted_diff(label: str, before: str, after: str, secrets: set[str]) -> str:
    """The unified diff of a credential file's change (as the mirror changes show theirs), with no
    secret in it: context and removed lines alike."""
    lines = difflib.unified_diff(
        before.splitlines(keepends=True), after.splitlines(keepends=True), f"{label} (now)", f"{label} (after)"
    )
    text = "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)
    return "".join(_redact(line, secrets) for line in text.splitlines(keepends=True))
