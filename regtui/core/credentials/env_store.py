"""DOCKER_AUTH_CONFIG: credentials docker reads before any store (docker/cli ≥ 28.3,
cli/config/configfile/file.go getAuthConfigsFromEnv). Read-only: regtui never sets it."""

from __future__ import annotations

import os

from regtui.core import jsonfile
from regtui.core.auth_entries import decode_auth
from regtui.core.credentials.model import Credential
from regtui.core.errors import ConfigError, InputError
from regtui.core.registry_names import registry_key

ENV_AUTH_CONFIG = "DOCKER_AUTH_CONFIG"
ORIGIN = "env"
_BOM = "\ufeff"


def env_auth_config(environ: dict[str, str] | None = None) -> list[Credential]:
    """Parse DOCKER_AUTH_CONFIG as docker ≥ 28.3 does: only ``auth`` fields are allowed.
    Each credential's ``server`` is its key in the variable."""
    raw = (environ if environ is not None else os.environ).get(ENV_AUTH_CONFIG, "")
    if not raw.strip():
        return []
    where = f"${ENV_AUTH_CONFIG}"
    fix = (
        f"docker ignores a {ENV_AUTH_CONFIG} it cannot parse and uses config.json instead; set it to UTF-8 JSON"
        f' such as {{"auths": {{"HOST": {{"auth": "BASE64"}}}}}}, or unset it'
    )
    try:
        raw.encode("utf-8")
    except UnicodeEncodeError as exc:  # os.environ keeps bytes that are not UTF-8 as lone surrogates
        raise ConfigError(f"is not UTF-8 text (bad byte at offset {exc.start})", path=where, fix=fix) from exc
    if raw.startswith(_BOM):
        raise ConfigError("starts with a UTF-8 byte order mark (BOM), which docker cannot read", path=where, fix=fix)
    data = jsonfile.loads(raw, where, fix=fix)
    auths = data.get("auths") if isinstance(data, dict) else None
    if not isinstance(auths, dict):
        raise ConfigError("must be an object with an `auths` object", path=where)
    result = []
    for key, entry in auths.items():
        if not isinstance(entry, dict) or set(entry) != {"auth"} or not isinstance(entry["auth"], str):
            raise ConfigError(f"entry {key!r} must hold exactly one `auth` string", path=where)
        try:
            user, password = decode_auth(entry["auth"])
        except ValueError as exc:
            raise ConfigError(f"entry {key!r}: {exc}", path=where) from exc
        result.append(Credential(key, user, password, ORIGIN))
    return result


class EnvStore:
    """The credentials of DOCKER_AUTH_CONFIG as a store: ``get`` and ``list``; writes are refused."""

    def __init__(self, credentials: list[Credential]) -> None:
        self.credentials = credentials

    def _find(self, server: str) -> Credential | None:
        key = registry_key(server)
        return next((c for c in self.credentials if registry_key(c.server) == key), None)

    def serves(self, server: str) -> bool:
        return self._find(server) is not None

    def get(self, server: str) -> Credential | None:
        found = self._find(server)
        return None if found is None else Credential(registry_key(server), found.username, found.secret, ORIGIN)

    def list(self) -> dict[str, str]:
        return {c.server: c.username for c in self.credentials}

    def store(self, credential: Credential) -> None:
        raise _read_only()

    def erase(self, server: str) -> bool:
        raise _read_only()


def _read_only() -> InputError:
    return InputError(
        f"{ENV_AUTH_CONFIG} is read-only for regtui: it comes from the environment",
        where=f"${ENV_AUTH_CONFIG}",
        fix=f"change or unset {ENV_AUTH_CONFIG} where it is set (a CI secret, a shell profile)",
    )
