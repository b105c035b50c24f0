"""Credentials in the OS keyring through Python ``keyring``: what docker-credential-regtui serves.

One keyring item per registry: service ``docker-credential-regtui:<server>``, the registry
username as username, the secret as password. Keyring cannot enumerate items, so an index
file in regtui's state dir maps servers to usernames (no secrets). It also lets ``get``
answer "not stored" without touching D-Bus, which matters because docker calls the helper
on every pull.

``get`` is on that hot path. Importing ``keyring`` costs ~70 ms on its own (it imports
urllib and scans entry points), so when keyring would pick the Secret Service anyway, the
item is read directly over D-Bus (secret_service.py), using keyring's own attribute schema.
Every write, and every miss of that fast path, goes through ``keyring`` itself. The
module imports only the stdlib and regtui's lightest modules; the rest is imported late.
"""

from __future__ import annotations

import json
import os

from regtui.core.credentials.model import Credential
from regtui.core.errors import FileChangedError, KeyringUnavailable
from regtui.core.registry_names import registry_key

SERVICE_PREFIX = "docker-credential-regtui:"
INDEX_FILE = "credential-index.json"
NO_KEYRING_FIX = (
    "start a Secret Service on the D-Bus session bus (gnome-keyring-daemon, KeePassXC), "
    "or pick another keyring backend with PYTHON_KEYRING_BACKEND (for example pass via keyring-pass), "
    "or choose plaintext storage in config.json explicitly with --store file"
)


def default_index_path() -> str:
    """regtui's state dir (DESIGN.md §3), computed with os.path: pathlib costs the hot path ~4 ms."""
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
        servers = json.loads(text)["servers"]
        if not isinstance(servers, dict):
            raise TypeError
    except (ValueError, KeyError, TypeError):
        return None  # a damaged index: the keyring is asked instead
    return {str(k): str(v) for k, v in servers.items()}


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


def _backend_label() -> str:
    try:
        import keyring

        kr = keyring.get_keyring()
        return f"{type(kr).__module__}.{type(kr).__name__}"
    except Exception as exc:  # keyring's own setup can fail; the label is only for messages
        return f"unknown ({exc})"


class KeyringStore:
    """Blocking. ``index_path`` defaults to regtui's state dir."""

    def __init__(self, index_path: str | os.PathLike[str] | None = None) -> None:
        self.index_path = os.fspath(index_path) if index_path is not None else default_index_path()

    # -- index -----------------------------------------------------------------------------
    def _read_index(self) -> dict[str, str] | None:
        """server -> username; None when there is no usable index (then the keyring is asked)."""
        try:
            with open(self.index_path, encoding="utf-8") as handle:
                return _parse_index(handle.read())
        except OSError:
            return None

    def _update_index(self, server: str, username: str | None) -> None:
        from regtui.core import fileio

        for _ in range(5):  # another helper may be writing the index at the same time
            snapshot = fileio.read_snapshot(self.index_path)
            servers = dict(_parse_index(snapshot.text or "") or {})
            if username is None:
                servers.pop(server, None)
            else:
                servers[server] = username
            text = json.dumps({"version": 1, "servers": servers}, indent=2, sort_keys=True) + "\n"
            try:
                fileio.write_atomic(snapshot, text, new_mode=0o600, backup=False)
                return
            except FileChangedError:
                continue
        raise FileChangedError("the credential index kept changing while regtui wrote it", where=self.index_path)

    # -- the store -------------------------------------------------------------------------
    @staticmethod
    def backend_name() -> str:
        return _backend_label()

    def get(self, server: str) -> Credential | None:
        key = registry_key(server)
        service = SERVICE_PREFIX + key
        servers = self._read_index()
        if servers is not None:
            if key not in servers:
                return None
            username = servers[key]
            secret = None
            if _fast_path_allowed():
                from regtui.core.credentials import secret_service

                secret = secret_service.lookup({"service": service, "username": username})
            if secret is None:
                secret = self._call("get_password", service, username)
            return Credential(key, username, secret) if secret is not None else None
        found = self._call("get_credential", service, None)
        return Credential(key, found.username, found.password) if found is not None else None

    def store(self, credential: Credential) -> None:
        key = registry_key(credential.server)
        service = SERVICE_PREFIX + key
        servers = self._read_index()
        previous = (servers or {}).get(key)
        if previous is not None and previous != credential.username:
            self._delete_quietly(service, previous)
        self._call("set_password", service, credential.username, credential.secret)
        self._update_index(key, credential.username)

    def erase(self, server: str) -> bool:
        key = registry_key(server)
        service = SERVICE_PREFIX + key
        servers = self._read_index()
        username = (servers or {}).get(key)
        if username is None:
            found = self._call("get_credential", service, None)
            username = found.username if found is not None else None
        if username is None:
            return False
        erased = self._delete_quietly(service, username)
        self._update_index(key, None)
        return erased

    def list(self) -> dict[str, str]:
        servers = self._read_index()
        return dict(servers or {})

    # -- keyring calls ---------------------------------------------------------------------
    def _delete_quietly(self, service: str, username: str) -> bool:
        import keyring.errors

        try:
            self._call("delete_password", service, username, passthrough=(keyring.errors.PasswordDeleteError,))
        except keyring.errors.PasswordDeleteError:
            return False
        return True

    @staticmethod
    def _call(name: str, *args: object, passthrough: tuple[type[Exception], ...] = ()) -> object:
        import keyring
        import keyring.errors

        try:
            return getattr(keyring, name)(*args)
        except passthrough:
            raise
        except (keyring.errors.KeyringError, RuntimeError) as exc:
            raise _translate(exc) from exc
