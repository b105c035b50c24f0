"""The plaintext ``auths`` of docker's config.json (or an auth.json) as a credential store.

docker stores a password as ``auth`` (base64 of ``user:password``) and an identity token as
``identitytoken`` beside an ``auth`` of "user:" (docker/cli cli/config/configfile/file.go).
Every write saves the file at once (fileio.write_atomic: refused if the file changed since
it was read, a ``.bak`` without secrets).
"""

from __future__ import annotations

from regtui.core.credentials.model import Credential
from regtui.core.docker_config import DockerConfig
from regtui.core.registry_names import is_web_login_key


class FileStore:
    """One parsed file. ``get`` and ``erase`` take any spelling of a registry (``keys_for``)."""

    def __init__(self, config: DockerConfig) -> None:
        self.config = config

    def get(self, server: str) -> Credential | None:
        return self.credential_among(self.config.canonical_key(server), self.config.keys_for(server))

    def credential_among(self, key: str, raw_keys: list[str]) -> Credential | None:
        """The usable plaintext credential among ``raw_keys`` (auths keys that name ``key``'s
        registry), as docker reads it; the web login's pseudo-keys are not credentials."""
        for raw_key in raw_keys:
            entry = self.config.entry(raw_key)
            if entry is not None and not is_web_login_key(raw_key):
                found = entry.credential(key)
                if found is not None:
                    return found
        return None

    def store(self, credential: Credential) -> None:
        key = self.config.canonical_key(credential.server)  # the key this file's readers look up
        if credential.is_identity_token and credential.account:
            self.config.set_identity_token(key, credential.account, credential.secret)
        else:
            self.config.set_plaintext(key, credential.username, credential.secret)
        self.config.save()

    def erase(self, server: str) -> bool:
        """Remove every key that names the registry (scheme, path and Hub aliases included)."""
        removed = [raw for raw in self.config.keys_for(server) if self.config.remove_auth(raw)]
        self.config.save()
        return bool(removed)

    def list(self) -> dict[str, str]:
        found = {}
        for raw in self.config.auths:
            entry = self.config.entry(raw)
            credential = entry.credential(raw) if entry is not None else None
            if credential is not None:
                found[raw] = credential.username
        return found
