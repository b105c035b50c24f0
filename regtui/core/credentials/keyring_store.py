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
usernames (no secrets). Writers hold an flock on ``<index>.lock`` across the whole
read-modify-write and replace the index atomically; a server missing from the index is
still looked up in the keyring.

``get`` is on the hot path of every pull: when keyring would pick the Secret Service anyway,
the item is read directly over D-Bus (secret_service.py), using keyring's own attributes.
Every write goes through ``keyring`` itself, with only the backend in use loaded (keyring's
backend detection imports every backend, and the macOS one runs ``ldconfig``, ``gcc`` and
``ld`` through ``ctypes.util.find_library``). The module imports only the stdlib and
regtui's lightest modules; the rest is imported late.
"""

from __future__ import annotations

import os
import sys

from regtui.core.credentials import lean_json
from regtui.core.credentials.model import Credential
from regtui.core.errors import CredentialStoreError, KeyringUnavailable, RegtuiError

# ``typing`` and keyring stay out of the helper's hot path: mypy treats any ``TYPE_CHECKING`` as true.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from contextlib import AbstractContextManager
    from typing import Any

    from keyring.backend import KeyringBackend

SERVICE_PREFIX = "docker-credential-regtui:"
INDEX_FILE = "credential-index.json"
LOCK_TIMEOUT = 30.0
MAX_INDEX = 16 << 20
NO_KEYRING_FIX = (
    "start a Secret Service on the D-Bus session bus (gnome-keyring-daemon, KeePassXC), "
    "or pick another keyring backend with PYTHON_KEYRING_BACKEND (for example pass via keyring-pass), "
    "or choose plaintext storage in config.json explicitly with --store file"
)


def default_index_path() -> str:
    """regtui's state dir (README.md, "Files and overrides").

    Computed with os.path: pathlib costs the hot path ~4 ms."""
    state = os.environ.get("REGTUI_CONFIG_DIR")
    if not state:
        config_home = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
        state = os.path.join(config_home, "regtui")
    return os.path.join(os.path.expanduser(state), INDEX_FILE)


def _keyring_config_present() -> bool:
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return os.path.exists(os.path.join(base, "python_keyring", "keyringrc.cfg"))


def _fast_path_allowed() -> bool:
    """True when keyring itself would use the Secret Service: no override, a session bus."""
    return (
        "PYTHON_KEYRING_BACKEND" not in os.environ
        and bool(os.environ.get("DBUS_SESSION_BUS_ADDRESS"))
        and not _keyring_config_present()
    )


def _parse_index(text: str) -> dict[str, str] | None:
    try:
        servers = lean_json.loads(text)["servers"]  # type: ignore[index]
        if not isinstance(servers, dict):
            raise TypeError
    except (ValueError, KeyError, TypeError):
        return None  # a damaged index: the keyring is asked instead
    return {str(k): str(v) for k, v in servers.items() if isinstance(v, str)}


def root_form(server: str) -> str | None:
    """The registry a ServerURL names when it names a registry root, else None.

    ``docker.io``, ``https://index.docker.io/v1/`` and ``https://host:5000/`` name a root (the
    result is registry_names.registry_key's: Hub's key, else host[:port]);
    ``https://index.docker.io/v1/access-token`` or ``host/some/path`` do not, so they only
    ever match themselves. Parsed by hand: urllib.parse costs the helper's ``get`` ~10 ms.
    """
    from regtui.core.registry_names import HUB_HOSTS, HUB_KEY, is_web_login_key

    if not server or is_web_login_key(server):
        return None
    prefix, scheme, rest = server.partition("://")
    if scheme and not (prefix.isascii() and prefix[:1].isalpha() and all(c.isalnum() or c in "+-." for c in prefix)):
        return None  # not a URL scheme (RFC 3986 §3.1): no root either
    host, _, path = (rest if scheme else server).partition("/")
    if "?" in host or "#" in host:
        return None
    if scheme:
        host = host.rsplit("@", 1)[-1]
    if not host:
        return None
    hub = host.lower() in HUB_HOSTS
    if path == "" or (hub and path in ("v1", "v1/")):
        return HUB_KEY if hub else host
    return None


def find_key(servers: dict[str, str], server: str) -> str | None:
    """The index key that serves ``server``: itself, else another spelling of the same root."""
    if server in servers:
        return server
    root = root_form(server)
    if root is None:
        return None
    if root in servers:
        return root
    return next((key for key in sorted(servers) if root_form(key) == root), None)


def _keyring_names(server: str) -> list[str]:
    """Where to look in the keyring when the index does not know ``server``."""
    root = root_form(server)
    return [server] if root is None or root == server else [server, root]


def _translate(exc: Exception) -> KeyringUnavailable:
    """Turn keyring's exceptions into a message that says what is missing and what to do."""
    import keyring.errors as kerr

    backend = _backend_label()
    if isinstance(exc, kerr.KeyringLocked):
        return KeyringUnavailable(
            f"the OS keyring is locked and could not be unlocked ({backend}): {exc}",
            fix="unlock the login keyring (log in to the desktop, or unlock it in your keyring manager), then retry",
        )
    if isinstance(exc, kerr.NoKeyringError):
        bus = "" if os.environ.get("DBUS_SESSION_BUS_ADDRESS") else " (DBUS_SESSION_BUS_ADDRESS is not set)"
        return KeyringUnavailable(f"no OS keyring is available{bus}; keyring backend: {backend}", fix=NO_KEYRING_FIX)
    if isinstance(exc, kerr.InitError):
        return KeyringUnavailable(
            f"the OS keyring could not be opened ({backend}): {exc}",
            fix="a dismissed unlock prompt or a keyring with no login collection: create or unlock it, "
            "or " + NO_KEYRING_FIX.split(", or ", 1)[1],
        )
    return KeyringUnavailable(f"the OS keyring failed ({backend}): {exc}", fix=NO_KEYRING_FIX)


_backends: dict[tuple[str | None, str | None], KeyringBackend] = {}


def keyring_backend() -> KeyringBackend:
    """The keyring backend, loading only the one in use.

    PYTHON_KEYRING_BACKEND, keyring's config file or a backend set in-process win, as in
    ``keyring.get_keyring()``, which loads just that backend. Otherwise keyring would pick
    the Secret Service (priority 5) whenever it is viable, so only that backend is tried;
    full detection is left for machines where it is not viable (then no write succeeds
    through it anyway, and keyring's own choice and error are what the user should see).
    """
    import keyring.core

    if (
        "PYTHON_KEYRING_BACKEND" in os.environ
        or _keyring_config_present()
        or keyring.core._keyring_backend is not None  # set by keyring.set_keyring()
    ):
        return keyring.core.get_keyring()  # keyring keeps it
    bus = os.environ.get("DBUS_SESSION_BUS_ADDRESS")
    cache_key = (bus, os.environ.get("XDG_CONFIG_HOME"))
    if cache_key not in _backends:
        try:
            from keyring.backends import SecretService

            SecretService.Keyring.priority  # noqa: B018 - raises RuntimeError when it is not viable
            _backends[cache_key] = SecretService.Keyring()  # type: ignore[no-untyped-call]  # keyring: untyped __init__
        except Exception:
            _backends[cache_key] = keyring.core.get_keyring()
    return _backends[cache_key]


def _backend_label() -> str:
    try:
        kr = keyring_backend()
        return f"{type(kr).__module__}.{type(kr).__name__}"
    except Exception as exc:  # keyring's own setup can fail; the label is only for messages
        return f"unknown ({exc})"


class KeyringStore:
    """Blocking. ``index_path`` defaults to regtui's state dir."""

    def __init__(self, index_path: str | os.PathLike[str] | None = None) -> None:
        self.index_path = os.fspath(index_path) if index_path is not None else default_index_path()

    # -- index -----------------------------------------------------------------------------
    def read_index(self) -> dict[str, str] | None:
        """server URL -> username (no secrets); None when there is no usable index."""
        return self._read_index()

    def _read_index(self) -> dict[str, str] | None:
        """server URL -> username; None when there is no usable index (then the keyring is asked)."""
        try:
            with open(self.index_path, encoding="utf-8") as handle:
                text = handle.read(MAX_INDEX + 1)
        except (OSError, ValueError):
            return None
        return _parse_index(text) if len(text) <= MAX_INDEX else None

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
        if _fast_path_allowed() and "keyring" not in sys.modules:
            from regtui.core.credentials import secret_service

            if secret_service.available():
                return "keyring.backends.SecretService.Keyring"
        return _backend_label()

    def get(self, server: str) -> Credential | None:
        server = server.strip()
        servers = self._read_index() or {}
        key = find_key(servers, server)
        if key is not None:
            secret = self._secret(SERVICE_PREFIX + key, servers[key])
            if secret is not None:
                return Credential(key, servers[key], secret)
        for name in _keyring_names(server):  # a miss in the index: the keyring may still hold it
            found = self._any_item(SERVICE_PREFIX + name)
            if found is not None:
                return Credential(name, *found)
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
            for name in _keyring_names(server):
                found = self._call("get_credential", SERVICE_PREFIX + name, None)
                if found is not None and self._delete_quietly(SERVICE_PREFIX + name, found.username):
                    return True
        return False

    def list(self) -> dict[str, str]:
        return dict(self._read_index() or {})

    # -- keyring calls ---------------------------------------------------------------------
    def _secret(self, service: str, username: str) -> str | None:
        if _fast_path_allowed():
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
        if _fast_path_allowed():
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
            raise _translate(exc) from exc
