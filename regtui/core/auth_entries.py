"""The ``auths`` entries of docker's config.json (and auth.json, the same format).

An entry holds ``auth`` (base64 of ``user:password``), or ``username``/``password``, an
``identitytoken`` or a ``registrytoken`` (docker/cli: cli/config/types/authconfig.go,
cli/config/configfile/file.go decodeAuth). This module decodes and encodes them, and finds
and strips their secrets (for backups and exposure checks); it never reads a file.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, field
from typing import Any

from regtui.core.credentials.model import TOKEN_USERNAME, Credential

SECRET_FIELDS = ("auth", "password", "identitytoken", "registrytoken")


@dataclass(frozen=True)
class AuthEntry:
    """One ``auths`` entry as the file holds it: the file store's record, not a credential.

    It may be docker's ``{}`` marker, an entry that does not decode (``problem``), or hold a
    ``registrytoken``; ``credential()`` is the Credential a usable entry yields. Secrets are
    kept out of repr so they never reach a log.
    """

    key: str
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    identity_token: str | None = field(default=None, repr=False)
    registry_token: str | None = field(default=None, repr=False)
    problem: str | None = None
    """Why the entry cannot be used (bad base64, no colon...), or None."""

    @property
    def is_marker(self) -> bool:
        """A ``{}`` entry: docker's note that the secret lives in a credential helper."""
        return not (self.username or self.password or self.identity_token or self.registry_token or self.problem)

    @property
    def has_secret(self) -> bool:
        return bool(self.password or self.identity_token or self.registry_token)

    def credential(self, server: str) -> Credential | None:
        """The credential docker reads from this entry for ``server``, or None (a marker, an invalid entry).
        An identity token comes with the account docker keeps beside it."""
        if self.problem is not None or not self.has_secret:
            return None
        if self.identity_token:
            return Credential(server, TOKEN_USERNAME, self.identity_token, "file", self.username)
        return Credential(server, self.username or "", self.password or self.registry_token or "", "file")


def decode_auth(value: str) -> tuple[str, str]:
    """Decode an ``auth`` field into (username, password), as docker's decodeAuth does."""
    try:
        raw = base64.b64decode(value.strip(), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError("its `auth` value is not valid base64") from exc
    try:
        decoded = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError("its `auth` value does not decode to UTF-8 text") from exc
    user, sep, password = decoded.partition(":")
    if not sep or not user:
        raise ValueError("its `auth` value is not `username:password` (invalid auth configuration file)")
    return user, password.rstrip("\x00")


def encode_auth(username: str, password: str) -> str:
    return base64.b64encode(f"{username}:{password}".encode()).decode("ascii")


def parse_entry(key: str, raw: dict[str, Any]) -> AuthEntry:
    username, password = raw.get("username") or None, raw.get("password") or None
    problem = None
    if raw.get("auth"):
        try:
            username, password = decode_auth(raw["auth"])
        except ValueError as exc:
            problem = str(exc)
    return AuthEntry(
        key=key,
        username=username,
        password=password or None,
        identity_token=raw.get("identitytoken") or None,
        registry_token=raw.get("registrytoken") or None,
        problem=problem,
    )


def _entry_has_secret(entry: Any) -> bool:
    if not isinstance(entry, dict):
        return False
    if any(isinstance(entry.get(name), str) and entry[name] for name in ("password", "identitytoken", "registrytoken")):
        return True
    auth = entry.get("auth")
    if not isinstance(auth, str) or not auth:
        return False
    try:
        return bool(decode_auth(auth)[1])
    except ValueError:
        return True  # bytes that do not decode may still be a secret


def secret_keys(data: Any) -> list[str]:
    """The ``auths`` keys of parsed config.json data that hold a secret (an ``auth`` of "user:" holds none)."""
    auths = data.get("auths") if isinstance(data, dict) else None
    if not isinstance(auths, dict):
        return []
    return [key for key, entry in auths.items() if _entry_has_secret(entry)]


def without_secrets(data: dict[str, Any]) -> dict[str, Any]:
    """A copy of parsed config.json data with the secret fields of every ``auths`` entry removed."""
    copy: dict[str, Any] = json.loads(json.dumps(data))
    auths = copy.get("auths")
    if isinstance(auths, dict):
        for entry in auths.values():
            if isinstance(entry, dict):
                for name in SECRET_FIELDS:
                    entry.pop(name, None)
    return copy
