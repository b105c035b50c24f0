"""Is a mirror alive and serving? ``GET /v2/`` on it, then a HEAD of a manifest through it.

The HEAD carries containerd's ``?ns=<registry>`` hint, answers a Bearer challenge with an
anonymous token, and never GETs the manifest (a pull-through mirror of Docker Hub would
spend a Hub pull on it).
"""

from __future__ import annotations

import dataclasses
import time

from regtui.core import wire
from regtui.core.mirrors.model import MirrorHealth
from regtui.core.registry.challenge import ChallengeParseError, parse_challenges, pick
from regtui.core.registry.media_types import MANIFEST_ACCEPT
from regtui.core.registry.token import TokenError, fetch_token
from regtui.core.safetext import printable
from regtui.core.wire import ResponseTooLarge

DEFAULT_IMAGE = "library/alpine:latest"


def base_url(url: str, insecure: bool = False) -> str:
    """A mirror as an HTTP base: registries.conf locations have no scheme."""
    if "://" not in url:
        url = ("http://" if insecure else "https://") + url
    return url.rstrip("/")


def _network_failure(url: str, exc: wire.HTTPError, what: str, ping_ms: float | None = None) -> MirrorHealth:
    if isinstance(exc, ResponseTooLarge):
        return MirrorHealth(url, False, ping_ms, detail=f"{what}: {exc}: not a registry API", cause="not-registry")
    cause = "timeout" if isinstance(exc, wire.TimeoutException) else "unreachable"
    return MirrorHealth(url, False, ping_ms, detail=f"{what}: {type(exc).__name__}: {exc}", cause=cause)


async def check_mirror(
    client: wire.Client,
    url: str,
    image: str = DEFAULT_IMAGE,
    namespace: str = "docker.io",
    insecure: bool = False,
) -> MirrorHealth:
    """Never raises for what a mirror does; the detail it keeps has no control characters.

    Each request is bounded by the client's deadline and body cap (regtui/core/wire).
    """
    try:
        health = await _check_mirror(client, url, image, namespace, insecure)
    except Exception as exc:  # noqa: BLE001 - a safety net: a classified failure, never a traceback
        health = MirrorHealth(
            url, False, detail=f"unexpected {type(exc).__name__}: {str(exc)[:300]}", cause="unexpected"
        )
    return dataclasses.replace(
        health, url=printable(health.url), detail=printable(health.detail), cause=printable(health.cause)
    )


async def _check_mirror(client: wire.Client, url: str, image: str, namespace: str, insecure: bool) -> MirrorHealth:
    base = base_url(url, insecure)
    repo, _, tag = image.rpartition(":") if ":" in image.rsplit("/", 1)[-1] else (image, "", "latest")
    start = time.perf_counter()
    try:
        ping = await client.get(f"{base}/v2/")
    except wire.HTTPError as exc:
        return _network_failure(url, exc, "GET /v2/")
    ping_ms = (time.perf_counter() - start) * 1000
    if ping.status_code not in (200, 401):
        return MirrorHealth(
            url,
            False,
            ping_ms,
            detail=f"GET /v2/ answered {ping.status_code}: not a registry API",
            cause="not-registry",
        )
    headers = {"Accept": MANIFEST_ACCEPT}
    if ping.status_code == 401:
        try:
            challenge = pick(parse_challenges(ping.headers.get("www-authenticate", "")))
        except ChallengeParseError as exc:
            return MirrorHealth(url, False, ping_ms, detail=exc.what, cause="bad-challenge")
        if challenge is None or challenge.scheme != "bearer":
            return MirrorHealth(url, False, ping_ms, detail="the mirror wants credentials (Basic)", cause="auth")
        try:
            grant = await fetch_token(client, challenge, base, None, [f"repository:{repo}:pull"])
        except TokenError as exc:
            return MirrorHealth(url, False, ping_ms, detail=exc.what, cause=exc.cause)
        headers["Authorization"] = f"Bearer {grant.token}"
    start = time.perf_counter()
    try:
        head = await client.head(f"{base}/v2/{repo}/manifests/{tag}", params={"ns": namespace}, headers=headers)
    except wire.HTTPError as exc:
        return _network_failure(url, exc, "HEAD failed", ping_ms)
    manifest_ms = (time.perf_counter() - start) * 1000
    if head.status_code == 200:
        digest = head.headers.get("docker-content-digest", "")
        return MirrorHealth(
            url, True, ping_ms, manifest_ms, f"serves {repo}:{tag}" + (f" ({digest})" if digest else "")
        )
    return MirrorHealth(
        url,
        False,
        ping_ms,
        manifest_ms,
        f"HEAD {repo}:{tag} answered {head.status_code}",
        "not-found" if head.status_code == 404 else "upstream",
    )
