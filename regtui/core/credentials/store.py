"""One interface for every place a credential can live (docker/cli's credentials.Store:
cli/config/credentials/credentials.go).

Implementations:

- ``FileStore`` (file_store.py): the plaintext ``auths`` of config.json or an auth.json;
- ``HelperClient`` (helper_client.py): any docker-credential-NAME helper, over its protocol;
- ``EnvStore`` (env_store.py): DOCKER_AUTH_CONFIG, read-only;
- ``KeyringStore`` (keyring_store.py): regtui's own store in the OS keyring, what
  docker-credential-regtui serves.

``resolve.store_serving`` picks the one docker would read for a registry. Blocking: a helper
is a subprocess, a keyring call may wait on D-Bus.
"""

from __future__ import annotations

from typing import Protocol

from regtui.core.credentials.model import Credential


class CredentialStore(Protocol):
    def get(self, server: str) -> Credential | None:
        """The credential stored for ``server``, or None."""
        ...

    def store(self, credential: Credential) -> None:
        """Keep ``credential`` under its ``server``, replacing what was there."""
        ...

    def erase(self, server: str) -> bool:
        """Remove what is stored for ``server``; False when there was nothing."""
        ...

    def list(self) -> dict[str, str]:
        """Every server stored, with its username (never a secret)."""
        ...
