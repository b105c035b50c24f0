"""Which endpoint a registry name means, and whether plain HTTP may be used for it.

HTTPS first; plain HTTP only for loopback, daemon.json ``insecure-registries`` (host[:port]
or CIDR, reference/domain.md §5.2) or ``--insecure``.
"""

from __future__ import annotations

import ipaddress
import json
from dataclasses import dataclass
from urllib.parse import urlsplit

from regtui.core.paths import daemon_json, hub_registry_url
from regtui.core.registry_names import display_name, is_hub, registry_key


@dataclass(frozen=True)
class Target:
    registry: str  # what the user calls it: docker.io, host:port
    key: str  # the config.json key
    host: str
    port: int
    scheme: str  # the first scheme to try
    http_allowed: bool
    http_reason: str = ""

    @property
    def hostport(self) -> str:
        return f"{self.host}:{self.port}" if ":" not in self.host else f"[{self.host}]:{self.port}"

    def base_url(self, scheme: str | None = None) -> str:
        return f"{scheme or self.scheme}://{self.hostport}"


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def insecure_registries() -> list[str]:
    """daemon.json's insecure-registries; an unreadable or malformed file counts as none."""
    try:
        with open(daemon_json(), encoding="utf-8-sig") as handle:
            value = json.load(handle).get("insecure-registries", [])
    except (OSError, ValueError, AttributeError):
        return []
    return [str(v) for v in value] if isinstance(value, list) else []


def _listed_insecure(host: str, port: int, entries: list[str]) -> str | None:
    for entry in entries:
        bare = entry.split("://", 1)[-1].rstrip("/")
        if bare in (host, f"{host}:{port}"):
            return entry
        try:
            if ipaddress.ip_address(host.strip("[]")) in ipaddress.ip_network(bare, strict=False):
                return entry
        except ValueError:
            continue
    return None


def _split_hostport(hostport: str) -> tuple[str, int | None]:
    parsed = urlsplit(f"//{hostport}")
    try:
        port = parsed.port
    except ValueError:
        port = None
    return (parsed.hostname or hostport), port


def target_for(name: str | None, *, insecure: bool = False, insecure_list: list[str] | None = None) -> Target:
    key = registry_key(name)
    if is_hub(key):
        url = urlsplit(hub_registry_url())
        scheme = url.scheme or "https"
        host, port = url.hostname or "registry-1.docker.io", url.port or (443 if scheme == "https" else 80)
        allowed = scheme == "http" or insecure
        return Target(
            display_name(key),
            key,
            host,
            port,
            scheme,
            allowed,
            "REGTUI_HUB_REGISTRY_URL" if scheme == "http" else ("--insecure" if insecure else ""),
        )
    host, port = _split_hostport(key)
    port = port or 443
    reason = ""
    if insecure:
        reason = "--insecure"
    elif is_loopback(host):
        reason = "loopback"
    else:
        listed = _listed_insecure(host, port, insecure_registries() if insecure_list is None else insecure_list)
        reason = f"insecure-registries: {listed}" if listed else ""
    return Target(display_name(key), key, host, port, "https", bool(reason), reason)
