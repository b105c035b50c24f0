"""Keys of the containers tools' auth.json (podman, skopeo, buildah): containers-auth.json(5).

The file has docker's format, but its keys are ``registry[:port][/namespace...]``: a
namespace key (``quay.io/org``) serves only images below it, the most specific key wins,
and Docker Hub is ``docker.io``. Helpers in ``credHelpers`` are keyed by the registry host
and asked with it; ``credsStore`` is not read (containers/image pkg/docker/config/config.go).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from regtui.core.registry_names import HUB_DISPLAY, HUB_HOSTS, HUB_KEY, convert_to_hostname

if TYPE_CHECKING:
    from regtui.core.docker_config import DockerConfig

_SCHEMES = ("http://", "https://")


def containers_key(server: str | None) -> str:
    """The auth.json key for a registry or namespace: no scheme, Hub as docker.io.

    A key with a scheme is a URL (``https://index.docker.io/v1/``): containers/image
    normalizes it to its host, as its normalizeRegistry does, so its path is dropped.
    """
    if server is None or server == HUB_KEY:
        return HUB_DISPLAY
    text = server.strip()
    if text.lower().startswith(_SCHEMES):
        text = convert_to_hostname(text)
    text = text.rstrip("/")
    host, sep, rest = text.partition("/")
    if host.lower() in HUB_HOSTS:
        host = HUB_DISPLAY
    return host + sep + rest if rest else host


def containers_host(server: str | None) -> str:
    """The registry part of a key: what credHelpers is looked up by."""
    return containers_key(server).partition("/")[0]


def is_namespace_key(key: str) -> bool:
    return "/" in containers_key(key)


def auth_file_flag(config: DockerConfig) -> str:
    """The --auth-file option a fix needs to reach this file ("" for docker's config.json)."""
    if not config.is_auth_json:
        return ""
    import shlex

    from regtui.core.paths import containers_auth_file

    if config.path == containers_auth_file():
        return " --auth-file containers"
    return f" --auth-file {shlex.quote(str(config.path))}"
