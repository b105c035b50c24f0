"""docker-credential-regtui's index of stored servers, and how a ServerURL finds its item.

Keyring cannot enumerate items, so an index file in regtui's state dir maps server URLs to
usernames (no secrets). Every distinct ServerURL is its own keyring item; a ServerURL that
names a registry root (no path; Hub's ``/v1/``) also finds an item stored under another
spelling of the same registry, which keeps items of older regtui versions readable.
On the helper's ``get`` path: stdlib and lean_json only.
"""

from __future__ import annotations

import os

from regtui.core.credentials import lean_json

INDEX_FILE = "credential-index.json"
MAX_INDEX = 16 << 20


def default_index_path() -> str:
    """regtui's state dir (README.md, "Files and overrides").

    Computed with os.path: pathlib costs the hot path ~4 ms."""
    state = os.environ.get("REGTUI_CONFIG_DIR")
    if not state:
        config_home = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
        state = os.path.join(config_home, "regtui")
    return os.path.join(os.path.expanduser(state), INDEX_FILE)


def parse_index(text: str) -> dict[str, str] | None:
    try:
        servers = lean_json.loads(text)["servers"]  # type: ignore[index]
        if not isinstance(servers, dict):
            raise TypeError
    except (ValueError, KeyError, TypeError):
        return None  # a damaged index: the keyring is asked instead
    return {str(k): str(v) for k, v in servers.items() if isinstance(v, str)}


def read_index(path: str) -> dict[str, str] | None:
    """server URL -> username; None when there is no usable index (then the keyring is asked)."""
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read(MAX_INDEX + 1)
    except (OSError, ValueError):
        return None
    return parse_index(text) if len(text) <= MAX_INDEX else None


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


def keyring_names(server: str) -> list[str]:
    """Where to look in the keyring when the index does not know ``server``."""
    root = root_form(server)
    return [server] if root is None or root == server else [server, root]
