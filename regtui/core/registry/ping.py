"""The anonymous ``GET /v2/``: is this a registry, and how does it want to be authenticated?"""

from __future__ import annotations

import os
from typing import NamedTuple
from urllib.parse import urlsplit

from regtui.core import wire
from regtui.core.registry.causes import Cause
from regtui.core.registry.model import FAIL, OK, Ladder, StepName
from regtui.core.wire import MAX_BODY, ResponseTooLarge, json_object
from regtui.core.wire.dates import http_date


def proxy_note(host: str) -> str:
    """What a set HTTPS_PROXY means for this host (shown when a connection fails)."""
    proxy = os.environ.get("HTTPS_PROXY") or os.environ.get("https_proxy") or os.environ.get("HTTP_PROXY") or ""
    if not proxy:
        return ""
    no_proxy = os.environ.get("NO_PROXY") or os.environ.get("no_proxy") or ""
    entries = [e.strip() for e in no_proxy.split(",") if e.strip()]
    if any(e == "*" or host == e or host.endswith("." + e.lstrip(".")) for e in entries):
        return f"HTTPS_PROXY is set but NO_PROXY ({no_proxy}) excludes {host}"
    return f"HTTP requests go through the proxy {proxy} (NO_PROXY={no_proxy or 'unset'})"


class PingAnswer(NamedTuple):  # a NamedTuple: a tenth of a frozen dataclass's import time
    status: int
    auth_headers: tuple[str, ...]
    api_version: str | None
    server_time: float | None  # the Date header, as a Unix time

    @property
    def open(self) -> bool:
        return self.status == 200


def _error_text(body: bytes) -> str:
    """The registry's own words (distribution's ``errors`` list), short; "" when the body is not that."""
    try:
        errors = json_object(body).get("errors") or []
        said = "; ".join(f"{e.get('code')}: {e.get('message')}" for e in errors[:5] if isinstance(e, dict))
    except (ValueError, TypeError):
        return ""
    return said if len(said) <= 300 else said[:300] + "…"


def _server_time(response: wire.Response) -> float | None:
    return http_date(response.headers.get("date") or "")


async def ping(ladder: Ladder, client: wire.Client, endpoint: str, timeout: float) -> PingAnswer | None:
    url = f"{endpoint}/v2/"
    try:
        # The client caps the body (MAX_BODY) and bounds the whole request by the deadline.
        response = await client.send(client.build_request("GET", url), stream=True)
        body: bytes | None = await response.aread()
    except ResponseTooLarge:  # raised by aread: the head was read
        body = None
    except wire.DecodingError as exc:
        ladder.add(
            StepName.PING,
            FAIL,
            f"the answer to /v2/ cannot be decoded: {exc}",
            Cause.NOT_REGISTRY,
            "check the host and port: they must serve the registry API at /v2/",
        )
        return None
    except wire.TimeoutException:
        ladder.add(
            StepName.PING,
            FAIL,
            f"{url} sent no complete answer within {timeout:g} s",
            Cause.TIMEOUT,
            "the registry is overloaded or hung, or a proxy holds the request; check its logs",
        )
        return None
    except (wire.RemoteProtocolError, wire.ReadError, wire.WriteError) as exc:
        ladder.add(
            StepName.PING,
            FAIL,
            f"the connection was reset or closed before a full answer ({exc or type(exc).__name__})",
            Cause.RESET,
            "a proxy or load balancer is in the way, or the registry crashed; check its logs",
        )
        return None
    except wire.ProxyError as exc:
        ladder.add(
            StepName.PING,
            FAIL,
            f"the proxy refused or failed the request: {exc}",
            Cause.PROXY,
            "check HTTPS_PROXY/HTTP_PROXY, or add the registry to NO_PROXY",
        )
        return None
    except wire.ConnectError as exc:
        note = proxy_note(urlsplit(url).hostname or "")
        if note and "excludes" not in note:
            ladder.add(
                StepName.PING,
                FAIL,
                f"cannot reach {url} through the proxy: {exc}; {note}",
                Cause.PROXY,
                "check that the proxy is up, or add the registry to NO_PROXY",
            )
        else:
            ladder.add(
                StepName.PING, FAIL, f"cannot connect to {url}: {exc}", Cause.REFUSED, "is the registry running?"
            )
        return None
    status = response.status_code
    api = response.headers.get("docker-distribution-api-version")
    kind = response.headers.get("content-type", "")
    not_registry_fix = "check the host and port: they must serve the registry API at /v2/"
    if body is None:
        ladder.add(
            StepName.PING,
            FAIL,
            f"the answer to /v2/ is larger than {MAX_BODY >> 20} MiB",
            Cause.NOT_REGISTRY,
            not_registry_fix,
        )
        return None
    if 300 <= status < 400:
        ladder.add(
            StepName.PING,
            FAIL,
            f"{status}: redirects to {response.headers.get('location', '?')[:300]}",
            Cause.NOT_REGISTRY,
            "use the registry's own address, the one that serves /v2/ itself",
        )
        return None
    if status >= 500:
        said = _error_text(body)
        ladder.add(
            StepName.PING,
            FAIL,
            f"{status} {response.reason_phrase}" + (f": {said}" if said else ""),
            Cause.SERVER_ERROR,
            "the registry itself is failing: check its logs and its storage",
        )
        return None
    if "html" in kind.lower() or status == 404:
        what = "an HTML page" if "html" in kind.lower() else "404 Not Found"
        ladder.add(
            StepName.PING, FAIL, f"/v2/ answers with {what}: not a registry API", Cause.NOT_REGISTRY, not_registry_fix
        )
        return None
    if status not in (200, 401):
        ladder.add(
            StepName.PING,
            FAIL,
            f"unexpected {status} {response.reason_phrase} to /v2/",
            Cause.NOT_REGISTRY,
            not_registry_fix,
        )
        return None
    version = f"API {api}" if api else "no Docker-Distribution-Api-Version header"
    ladder.add(
        StepName.PING,
        OK,
        ("200: open to anonymous access" if status == 200 else "401: authentication required") + f"; {version}",
    )
    return PingAnswer(status, tuple(response.headers.get_list("www-authenticate")), api, _server_time(response))
