"""~/.docker/config.json: parse, inspect and edit without losing anything.

The document is kept as the parsed JSON (dicts keep key order), so unknown keys and their
order survive. Saving re-uses the file's own indentation (docker writes tabs) and, when
nothing changed, writes back the original bytes.
"""

from __future__ import annotations

import json
import shlex
from enum import StrEnum
from pathlib import Path
from typing import Any

from regtui.core import fileio, jsonfile
from regtui.core.auth_entries import (
    SECRET_FIELDS,
    AuthEntry,
    decode_auth,
    encode_auth,
    parse_entry,
    secret_keys,
    without_secrets,
)
from regtui.core.credentials.containers_keys import containers_host, containers_key
from regtui.core.credentials.env_store import ENV_AUTH_CONFIG, env_auth_config
from regtui.core.credentials.model import TOKEN_USERNAME
from regtui.core.docker_config_shape import validate
from regtui.core.errors import ConfigError
from regtui.core.registry_names import (
    HUB_KEY,
    display_name,
    is_web_login_key,
    registry_key,
)

__all__ = [  # besides what it defines, the names callers have long imported from here
    "ENV_AUTH_CONFIG",
    "SECRET_FIELDS",
    "AuthEntry",
    "DockerConfig",
    "ToolFamily",
    "decode_auth",
    "encode_auth",
    "env_auth_config",
    "load_docker_config",
    "parse_docker_config",
    "secret_keys",
    "without_secrets",
]


def _detect_indent(text: str) -> str | int:
    for line in text.splitlines()[1:]:
        stripped = line.lstrip(" \t")
        if stripped and len(stripped) != len(line):
            lead = line[: len(line) - len(stripped)]
            return "\t" if lead.startswith("\t") else len(lead)
    return "\t"


class ToolFamily(StrEnum):
    """Who reads a credentials file: docker, or the containers tools (podman, skopeo, buildah
    through containers/image), whose auth.json has its own keys (containers-auth.json(5))."""

    DOCKER = "docker"
    CONTAINERS = "containers"


class DockerConfig:
    """A parsed config.json. Create it with ``load_docker_config``; it never exists unparsed."""

    def __init__(
        self, snapshot: fileio.FileSnapshot, data: dict[str, Any], flavor: ToolFamily = ToolFamily.DOCKER
    ) -> None:
        self.flavor = flavor
        """"docker" (config.json) or "containers" (auth.json: its own keys, no credsStore)."""
        self.snapshot = snapshot
        self.data = data
        self._original = json.loads(json.dumps(data))
        self._indent = _detect_indent(snapshot.text) if snapshot.text else "\t"

    @property
    def path(self) -> Path:
        return self.snapshot.path

    # -- reading ---------------------------------------------------------------------------
    @property
    def auths(self) -> dict[str, dict[str, Any]]:
        auths: dict[str, dict[str, Any]] = self.data.get("auths", {})  # shape checked by load()
        return auths

    @property
    def creds_store(self) -> str:
        if self.is_auth_json:  # the containers tools never read it: see stray_keys()
            return ""
        return str(self.data.get("credsStore", "") or "")

    @property
    def cred_helpers(self) -> dict[str, str]:
        helpers: dict[str, str] = self.data.get("credHelpers", {})  # shape checked by load()
        return helpers

    @property
    def is_auth_json(self) -> bool:
        return self.flavor == ToolFamily.CONTAINERS

    def canonical_key(self, server: str | None) -> str:
        """The key this file's readers use: docker's registry key, or auth.json's (namespaces kept)."""
        return containers_key(server) if self.is_auth_json else registry_key(server)

    def display(self, key: str) -> str:
        return key if self.is_auth_json else display_name(key)

    def entry(self, key: str) -> AuthEntry | None:
        raw = self.auths.get(key)
        return None if raw is None else parse_entry(key, raw)

    def entries(self) -> list[AuthEntry]:
        return [parse_entry(key, raw) for key, raw in self.auths.items()]

    def keys_for(self, server: str) -> list[str]:
        """Every ``auths`` key that names this registry (scheme, path and Hub aliases included)."""
        if self.is_auth_json:
            want_c = containers_key(server)
            return [key for key in self.auths if containers_key(key) == want_c]
        want = registry_key(server)
        found = []
        for key in self.auths:
            if is_web_login_key(key):
                if want == HUB_KEY:
                    found.append(key)
            elif registry_key(key) == want:
                found.append(key)
        return found

    def helper_for(self, server: str) -> str | None:
        """The helper that serves this registry, as docker picks it: credHelpers, then credsStore.

        docker looks credHelpers up by the canonical key only (Hub: the /v1/ URL), so a
        ``docker.io`` key there is ignored by docker, and by regtui (regclient/regclient#245).
        """
        if self.is_auth_json:  # credHelpers by registry host; credsStore is not read (containers-auth.json(5))
            return self.cred_helpers.get(containers_host(server)) or None
        return self.cred_helpers.get(registry_key(server)) or self.creds_store or None

    @property
    def changed(self) -> bool:
        return bool(self.data != self._original)

    # -- editing ---------------------------------------------------------------------------
    def _auths_for_write(self) -> dict[str, Any]:
        auths: dict[str, Any] = self.data.setdefault("auths", {})
        return auths

    def set_plaintext(self, key: str, username: str, secret: str) -> None:
        """Store a secret in the file; ``<token>`` as username means an identity token."""
        entry = {k: v for k, v in self.auths.get(key, {}).items() if k not in SECRET_FIELDS + ("username",)}
        if username == TOKEN_USERNAME:
            entry["identitytoken"] = secret
        else:
            entry["auth"] = encode_auth(username, secret)
        self._auths_for_write()[key] = entry

    def set_identity_token(self, key: str, username: str, token: str) -> None:
        """What docker writes after a token login: ``auth`` of "user:" beside the identity token."""
        self.set_plaintext(key, TOKEN_USERNAME, token)
        self.auths[key]["auth"] = encode_auth(username, "")

    def set_marker(self, key: str) -> None:
        """Leave docker's ``{}`` note that the secret lives in a helper."""
        self._auths_for_write()[key] = {}

    def remove_auth(self, key: str) -> bool:
        return self._auths_for_write().pop(key, None) is not None

    def set_cred_helper(self, key: str, helper: str) -> None:
        self.data.setdefault("credHelpers", {})[key] = helper

    # -- writing ---------------------------------------------------------------------------
    def _dump(self, data: dict[str, Any]) -> str:
        """``data`` in the file's own style: indentation, final newline and line endings (CRLF kept)."""
        text = json.dumps(data, indent=self._indent, ensure_ascii=False)
        before = self.snapshot.text
        if before is not None and before.endswith("\n"):
            text += "\n"
        if before is not None and "\r\n" in before:
            text = text.replace("\n", "\r\n")  # JSON escapes newlines inside strings: only line ends change
        return text

    def render(self) -> str:
        """The file's new text: the original bytes when nothing changed."""
        if not self.changed and self.snapshot.text is not None:
            return self.snapshot.text
        return self._dump(self.data)

    def backup_text(self) -> str | None:
        """What config.json.bak gets: the file as it was, with every secret field removed.

        docker keeps no backup of config.json, so a secret that regtui removes (logout, migrate,
        a keyring login replacing a plaintext entry) must not live on in a copy. Everything
        else (credHelpers, credsStore, every other key and entry) stays restorable.
        """
        if self.snapshot.text is None or not secret_keys(self._original):
            return self.snapshot.text
        return self._dump(without_secrets(self._original))

    def save(self) -> Path | None:
        """Write the file safely if anything changed. Returns the path, or None if unchanged."""
        if not self.changed:
            return None
        text = self.render()
        path = fileio.write_atomic(self.snapshot, text, new_mode=0o600, backup_text=self.backup_text(), dir_mode=0o700)
        self.snapshot = fileio.written(self.snapshot, text)  # no re-read: a save that wrote never fails after
        self._original = json.loads(json.dumps(self.data))
        return path


BOM = "\ufeff"
_HAND_FIX = "fix the file by hand (regtui never rewrites a file it cannot parse)"


def parse_docker_config(snapshot: fileio.FileSnapshot, flavor: ToolFamily = ToolFamily.DOCKER) -> DockerConfig:
    """Parse config.json, or with ``flavor="containers"`` an auth.json (the same format)."""
    text = snapshot.text
    if text is None or not text.strip():
        return DockerConfig(snapshot, {}, flavor)
    if text.startswith(BOM):
        # docker/cli decodes config.json with Go's encoding/json, which rejects a BOM ("invalid
        # character 'ï' looking for beginning of value"): docker warns and ignores the whole file.
        raise ConfigError(
            "starts with a UTF-8 byte order mark (BOM): docker cannot read it and ignores the whole file",
            path=snapshot.path,
            line=1,
            column=1,
            fix=f"remove the first three bytes: sed -i '1s/^\\xEF\\xBB\\xBF//' {shlex.quote(str(snapshot.path))}",
        )
    data = jsonfile.loads(text, snapshot.path, fix=_HAND_FIX)
    validate(data, snapshot.path, text)
    return DockerConfig(snapshot, data, flavor)


def load_docker_config(config_dir: str | Path | None = None) -> DockerConfig:
    """Load config.json from --config DIR, $DOCKER_CONFIG or ~/.docker. A missing file is empty."""
    from regtui.core.paths import docker_config_file

    return parse_docker_config(fileio.read_snapshot(docker_config_file(config_dir)))
