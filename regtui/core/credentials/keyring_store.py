"""Credentials in the OS keyring through Python ``keyring``: what docker-credential-regtui serves.

One keyring item per server URL: service ``docker-credential-regtui:<ServerURL>``, the
registry username as username, the secret as password. As docker-credential-secretservice
does (docker/docker-credential-helpers, secretservice_linux.c: items keyed by the exact
``server`` attribute), every distinct ServerURL is its own item: docker's web login stores
``https://index.docker.io/v1/access-token`` and ``…/refresh-token`` beside the Hub login
``https://index.docker.io/v1/``, and neither may overwrite or erase it. Reading is kinder:
a ServerURL that names a registry root (no path; Hub's ``/v1/``) also finds an item stored
under another spelling of the same registry (``docker.io``, ``https://host:port``), which
keeps items stored by older regtui versions (keyed by the normalised name) readable.

Keyring cannot enumerate items, so an index file in regtui's state dir maps server URLs to
usernames (no secrets; keyring_index.py). Writers hold an flock on ``<index>.lock`` across the whole
read-modify-write and replace the index atomically; a server missing from the index is
still looked up in the keyring.

``get`` is on the hot path of every pull: when keyring would pick the Secret Service anyway,
the item is read directly over D-Bus (secret_service.py), using keyring's own attributes.
Every write goes through ``keyring`` itself, with only the backend in use loaded
(keyring_backends.py). The module imports only the stdlib and
regtui's lightest modules; the rest is imported late.
"""

from __future__ import annotations

import os
import sys

from regtui.core.credentials.keyring_backends import backend_label, fast_path_allowed, keyring_backend, translate
from regtui.core.credentials.keyring_index import default_index_path, find_key, keyring_names, read_index
from regtui.core.credentials.keyring_index import root_form as root_form  # re-exported: its old home
from regtui.core.credentials.model import Credential
from regtui.core.errors import CredentialStoreError, RegtuiError

# ``typing`` and keyring stay out of the helper's hot path: mypy treats any ``TYPE_CHECKING`` as true.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from contextlib import AbstractContextManager
    from typing import Any

SERVICE_PREFIX = "docker-credential-regtui:"
LOCK_TIMEOUT = 30.0
ORIGIN = "keyring"


class KeyringStore:
    """Blocking. ``index_path`` defaults to regtui's state dir."""

    def __init__(self, index_path: str | os.PathLike[str] | None = None) -> None:
        self.index_path = os.fspath(index_path) if index_path is not None else default_index_path()

    # -- index -----------------------------------------------------------------------------
    def read_index(self) -> dict[str, str] | None:
        """server URL -> username (no secrets); None when there is no usable index."""
        return self._read_index()

    def _read_index(self) -> dict[str, str] | None:
        return read_index(self.index_path)

    def _locked(self) -> AbstractContextManager[None]:
        from regtui.core.credentials.index_lock import index_lock

        return index_lock(self.index_path + ".lock", LOCK_TIMEOUT)

    def _write_index(self, servers: dict[str, str]) -> None:
        """Replace the index atomically. Callers hold the lock, so nobody else writes it meanwhile."""
        import json

        from regtui.core import fileio

        snapshot = fileio.read_snapshot(self.index_path)
        text = json.dumps({"version": 1, "servers": servers}, indent=2, sort_keys=True) + "\n"
        fileio.write_atomic(snapshot, text, new_mode=0o600, backup=False)

    # -- the store -------------------------------------------------------------------------
    @staticmethod
    def backend_name() -> str:
        """The backend's dotted name, for messages and listings; cheap where it can be.

        ``regtui registries`` shows it for every registry the helper serves, and loading
        keyring costs ~100 ms: an environment override is its own answer, and on a session
        bus where the Secret Service runs (or can be activated) that is the backend.
        """
        name = os.environ.get("PYTHON_KEYRING_BACKEND")
        if name:
            return name
        if fast_path_allowed() and "keyring" not in sys.modules:
            from regtui.core.credentials import secret_service

            if secret_service.available():
                return "keyring.backends.SecretService.Keyring"
        return backend_label()

    def get(self, server: str) -> Credential | None:
        server = server.strip()
        servers = self._read_index() or {}
        key = find_key(servers, server)
        if key is not None:
            secret = self._secret(SERVICE_PREFIX + key, servers[key])
            if secret is not None:
                return Credential(key, servers[key], secret, ORIGIN)
        for name in keyring_names(server):  # a miss in the index: the keyring may still hold it
            found = self._any_item(SERVICE_PREFIX + name)
            if found is not None:
                return Credential(name, *found, ORIGIN)
        return None

    def store(self, credential: Credential) -> None:
        key = credential.server.strip()
        service = SERVICE_PREFIX + key
        with self._locked():
            servers = self._read_index() or {}
            previous = servers.get(key)
            if previous is None:
                found = self._call("get_credential", service, None)
                previous = found.username if found is not None else None
            if previous is not None and previous != credential.username:
                self._delete_quietly(service, previous)
            self._call("set_password", service, credential.username, credential.secret)
            servers[key] = credential.username
            try:
                self._write_index(servers)
            except RegtuiError as exc:
                raise CredentialStoreError(
                    f"the secret for {key} is in the OS keyring, but the index of stored servers "
                    f"could not be written: {exc.what}",
                    where=exc.where,
                    fix=exc.fix or "make regtui's state directory writable, then store the credential again",
                ) from exc

    def erase(self, server: str) -> bool:
        server = server.strip()
        with self._locked():
            servers = self._read_index() or {}
            key = find_key(servers, server)
            if key is not None:
                self._delete_quietly(SERVICE_PREFIX + key, servers.pop(key))
                self._write_index(servers)
                return True
            for name in keyring_names(server):
                found = self._call("get_credential", SERVICE_PREFIX + name, None)
                if found is not None and self._delete_quietly(SERVICE_PREFIX + name, found.username):
                    return True
        return False

    def list(self) -> dict[str, str]:
        return dict(self._read_index() or {})

    # -- keyring calls ---------------------------------------------------------------------
    def _secret(self, service: str, username: str) -> str | None:
        if fast_path_allowed():
            from regtui.core.credentials import secret_service

            try:
                found = secret_service.lookup({"username": username, "service": service})
            except secret_service.Unavailable:
                pass
            else:
                return found[1] if found is not None else None
        secret: str | None = self._call("get_password", service, username)
        return secret

    def _any_item(self, service: str) -> tuple[str, str] | None:
        """(username, secret) of the item keyring's get_credential(service, None) would return."""
        if fast_path_allowed():
            from regtui.core.credentials import secret_service

            try:
                found = secret_service.lookup({"service": service}, with_attributes=True)
            except secret_service.Unavailable:
                pass
            else:
                if found is None:
                    return None
                attributes, secret = found
                if "username" in attributes:
                    return attributes["username"], secret
        item = self._call("get_credential", service, None)
        return (item.username, item.password) if item is not None else None

    def _delete_quietly(self, service: str, username: str) -> bool:
        import keyring.errors

        try:
            self._call("delete_password", service, username, passthrough=(keyring.errors.PasswordDeleteError,))
        except keyring.errors.PasswordDeleteError:
            return False
        return True

    @staticmethod
    def _call(name: str, *args: object, passthrough: tuple[type[Exception], ...] = ()) -> Any:
        """Call the backend's method ``name``; what it returns depends on the method."""
        import keyring.errors

        try:
            return getattr(keyring_backend(), name)(*args)
        except passthrough:
            raise
        except (keyring.errors.KeyringError, RuntimeError) as exc:
            raise translate(exc) from exc
