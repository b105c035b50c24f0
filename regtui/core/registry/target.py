"""Which endpoint a registry name means, which certs.d directory docker reads for it, and
whether docker treats it as insecure (unverified TLS, then plain HTTP).

Insecure, as dockerd decides it (moby/moby registry/config.go ``loadInsecureRegistries``,
``isSecureIndex``, ``isCIDRMatch``): a daemon.json ``insecure-registries`` entry equal to
the registry's name (``host`` or ``host:port``, exactly as written), or a CIDR there that
holds one of the registry's resolved addresses; ``127.0.0.0/8`` and ``::1/128`` are always
on the list. The certs.d directory is ``<certs.d>/<name>`` with that same name, so a
registry on the default port reads ``certs.d/host`` and ``host:443`` reads
``certs.d/host:443`` (moby/moby registry/registry.go ``hostCertsDir``). docker reads no
certs.d for Docker Hub.
"""

from __future__ import annotations

import ipaddress
import json
from typing import NamedTuple
from urllib.parse import urlsplit

from regtui.core.paths import daemon_json, hub_registry_url
from regtui.core.registry_names import HUB_REGISTRY_HOST, display_name, is_hub, registry_key

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
LOOPBACK_CIDRS: tuple[str, ...] = ("::1/128", "127.0.0.0/8")
"""dockerd appends these to insecure-registries, always ("a stop-gap for people who are
running a private registry on localhost")."""

LOOPBACK_REASON = "loopback"


class Target(NamedTuple):  # a NamedTuple: a tenth of a frozen dataclass's import time
    registry: str  # what the user calls it: docker.io, host:port
    key: str  # the config.json key
    host: str
    port: int
    scheme: str  # the first scheme to try
    http_allowed: bool  # docker treats it as insecure: TLS unverified, then plain HTTP
    http_reason: str = ""
    certs_name: str = ""  # the certs.d directory docker reads ("" for Docker Hub: none)
    insecure_cidrs: tuple[tuple[str, Network], ...] = ()  # (as written, network), matched after DNS

    @property
    def hostport(self) -> str:
        return f"{self.host}:{self.port}" if ":" not in self.host else f"[{self.host}]:{self.port}"

    def base_url(self, scheme: str | None = None) -> str:
        return f"{scheme or self.scheme}://{self.hostport}"

    def resolved(self, addresses: list[str]) -> Target:
        """The target once its addresses are known: a CIDR match makes it insecure, as in dockerd."""
        if self.http_allowed:
            return self
        for address in addresses:
            try:
                ip = ipaddress.ip_address(address.split("%", 1)[0])
            except ValueError:
                continue
            for written, network in self.insecure_cidrs:
                if ip.version == network.version and ip in network:
                    reason = LOOPBACK_REASON if written in LOOPBACK_CIDRS else f"insecure-registries: {written}"
                    return self._replace(http_allowed=True, http_reason=reason)
        return self


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
            value = json.loads(handle.read(1 << 20)).get("insecure-registries", [])
    except (OSError, ValueError, AttributeError, RecursionError):
        return []
    return [str(v) for v in value] if isinstance(value, list) else []


def _strip_scheme(entry: str) -> str:
    lower = entry.lower()
    for prefix in ("http://", "https://"):  # dockerd strips these two (with a warning)
        if lower.startswith(prefix):
            return entry[len(prefix) :]
    return entry


def _classify(entries: list[str]) -> tuple[dict[str, str], tuple[tuple[str, Network], ...]]:
    """Index names (to the entry as written) and CIDRs, as dockerd's loadInsecureRegistries splits them."""
    names: dict[str, str] = {}
    cidrs: list[tuple[str, Network]] = []
    for entry in [*entries, *LOOPBACK_CIDRS]:
        bare = _strip_scheme(entry.strip())
        if "/" in bare:
            try:
                cidrs.append((entry, ipaddress.ip_network(bare, strict=False)))
            except ValueError:
                continue
        elif bare:
            names.setdefault("docker.io" if bare == "index.docker.io" else bare, entry)
    return names, tuple(cidrs)


def _split_hostport(hostport: str) -> tuple[str, int | None]:
    try:
        parsed = urlsplit(f"//{hostport}")
        port = parsed.port
    except ValueError:
        return hostport, None
    return (parsed.hostname or hostport), port


def _literal_match(host: str, cidrs: tuple[tuple[str, Network], ...]) -> str | None:
    """For an IP literal, dockerd matches CIDRs without DNS (isCIDRMatch's ParseIP)."""
    try:
        ip = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None
    for written, network in cidrs:
        if ip.version == network.version and ip in network:
            return written
    return None


def target_for(name: str | None, *, insecure: bool = False, insecure_list: list[str] | None = None) -> Target:
    key = registry_key(name)
    if is_hub(key):
        url = urlsplit(hub_registry_url())
        scheme = url.scheme or "https"
        hub_host, hub_port = url.hostname or HUB_REGISTRY_HOST, url.port or (443 if scheme == "https" else 80)
        allowed = scheme == "http" or insecure
        return Target(
            display_name(key),
            key,
            hub_host,
            hub_port,
            scheme,
            allowed,
            "REGTUI_HUB_REGISTRY_URL" if scheme == "http" else ("--insecure" if insecure else ""),
        )
    host, port = _split_hostport(key)
    names, cidrs = _classify(insecure_registries() if insecure_list is None else insecure_list)
    reason = ""
    if insecure:
        reason = "--insecure"
    elif key in names:
        reason = f"insecure-registries: {names[key]}"
    elif host.lower() == "localhost":  # docker's fast path: no lookup for localhost
        reason = LOOPBACK_REASON
    else:
        written = _literal_match(host, cidrs)
        if written is not None:
            reason = LOOPBACK_REASON if written in LOOPBACK_CIDRS else f"insecure-registries: {written}"
    return Target(display_name(key), key, host, port or 443, "https", bool(reason), reason, key, cidrs)
