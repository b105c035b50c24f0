"""Which keyring backend answers, loading only that one, and keyring's errors in words.

keyring's own backend detection imports every backend (and the macOS one runs ``ldconfig``,
``gcc`` and ``ld`` through ``ctypes.util.find_library``); this loads only the backend in use.
keyring itself is imported late: the helper's ``get`` path loads this module for
``fast_path_allowed`` alone.
"""

from __future__ import annotations

import os

from regtui.core.errors import KeyringUnavailable

# keyring stays out of the helper's hot path: mypy treats any ``TYPE_CHECKING`` as true.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

NO_KEYRING_FIX = (
    "start a Secret Service on the D-Bus session bus (gnome-keyring-daemon, KeePassXC), "
    "or pick another keyring backend with PYTHON_KEYRING_BACKEND (for example pass via keyring-pass), "
    "or choose plaintext storage in config.json explicitly with --store file"
)


def _keyring_config_present() -> bool:
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return os.path.exists(os.path.join(base, "python_keyring", "keyringrc.cfg"))


def fast_path_allowed() -> bool:
    """True when keyring itself would use the Secret Service: no override, a session bus."""
    return (
        "PYTHON_KEYRING_BACKEND" not in os.environ
        and bool(os.environ.get("DBUS_SESSION_BUS_ADDRESS"))
        and not _keyring_config_present()
    )


def translate(exc: Exception) -> KeyringUnavailable:
    """Turn keyring's exceptions into a message that says what is missing and what to do."""
    import keyring.errors as kerr

    backend = backend_label()
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


def backend_label() -> str:
    try:
        kr = keyring_backend()
        return f"{type(kr).__module__}.{type(kr).__name__}"
    except Exception as exc:  # keyring's own setup can fail; the label is only for messages
        return f"unknown ({exc})"
