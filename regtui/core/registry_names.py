"""Registry name normalisation, exactly as the docker CLI does it (docker/cli:
cli/config/credentials/file_store.go ConvertToHostname, cli/config/configfile/file.go getAuthConfigKey).

Stdlib only: the credential helper imports this module, so ``urllib.parse`` (which imports
``re``, ~10 ms) is only imported when a URL has to be split.
"""

from __future__ import annotations

HUB_KEY = "https://index.docker.io/v1/"
"""The key docker uses for Docker Hub in config.json and with credential helpers."""

HUB_REGISTRY_HOST = "registry-1.docker.io"
"""Where Docker Hub's registry API answers (docker/cli registry DefaultV2Registry)."""
HUB_REGISTRY_URL = f"https://{HUB_REGISTRY_HOST}"
HUB_AUTH_URL = "https://auth.docker.io/token"
"""Docker Hub's token server, the realm of its Bearer challenge."""
HUB_TOKEN_SERVICE = "registry.docker.io"
"""The ``service`` Docker Hub's challenge names and its token server expects."""

HUB_HOSTS = frozenset({"docker.io", "index.docker.io", HUB_REGISTRY_HOST})
HUB_DISPLAY = "docker.io"
HUB_WEB_LOGIN_KEYS = (HUB_KEY + "access-token", HUB_KEY + "refresh-token")
"""Pseudo-entries docker's web (device-code) login stores beside the Hub key."""


def convert_to_hostname(server: str) -> str:
    """docker/cli ConvertToHostname: the URL's host[:port], or everything before the first '/'."""
    server = server.strip()
    if "://" in server:
        from urllib.parse import urlsplit

        try:
            netloc = urlsplit(server).netloc
        except ValueError:  # an unbracketed IPv6 literal, as docker's fallback handles it
            netloc = server.split("://", 1)[1].split("/", 1)[0]
        return netloc.rsplit("@", 1)[-1]
    return server.split("/", 1)[0]


def is_web_login_key(key: str) -> bool:
    return key in HUB_WEB_LOGIN_KEYS


def is_hub(server: str) -> bool:
    """True for Docker Hub under any of its names (docker.io, index.docker.io, the /v1/ key...)."""
    if not server.strip():
        return True
    return convert_to_hostname(server).lower() in HUB_HOSTS


def registry_key(server: str | None) -> str:
    """The key regtui reads and writes for a registry: Hub's /v1/ key, else host[:port].

    Like ``docker login``, but every Hub alias maps to the Hub key, so that
    ``regtui logout docker.io`` does what a user means (docker/cli#7326).
    """
    if server is None or is_hub(server):
        return HUB_KEY
    return convert_to_hostname(server)


def display_name(key: str) -> str:
    """What a person calls the registry: docker.io for Hub, host[:port] otherwise."""
    if is_hub(key):
        return HUB_DISPLAY
    return convert_to_hostname(key)
