"""Following a token realm's redirects as Go's ``http.Client`` does, without leaking credentials.

Go (net/http client.go) follows at most 10 redirects; 301, 302 and 303 turn a POST into a
GET without a body, 307 and 308 repeat the request as it was. It drops ``Authorization``
once the chain reaches a host that is neither the first request's host nor one of its
subdomains (``shouldCopyHeaderOnRedirect``), and never sends it again in that chain.
regtui does the same, and is stricter in two ways: it never sends credentials to plain HTTP
after an HTTPS start, and it never repeats a body holding a secret (an OAuth2 refresh
token) to another host: it stops there with an error instead.
"""

from __future__ import annotations

import ipaddress
from typing import NamedTuple
from urllib.parse import urljoin, urlsplit

from regtui.core.wire import Client, Headers, InvalidURL, Response
from regtui.core.wire.url import parse

MAX_REDIRECTS = 10
REDIRECT_STATUSES = (301, 302, 303, 307, 308)


class RedirectError(Exception):
    """The redirect chain cannot be followed; ``what`` says why, without any secret."""

    def __init__(self, what: str, trail: tuple[str, ...]) -> None:
        self.what, self.trail = what, trail
        super().__init__(what)


class Followed(NamedTuple):
    response: Response
    trail: tuple[str, ...] = ()  # every URL after the first, in order
    withheld_at: str | None = None  # the host credentials were no longer sent to


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower().rstrip(".")


def is_domain_or_subdomain(sub: str, parent: str) -> bool:
    """Go's isDomainOrSubdomain: ``sub`` is ``parent`` or ends in ``.parent`` (never for IPs)."""
    if sub == parent:
        return True
    try:
        ipaddress.ip_address(sub)
        return False
    except ValueError:
        pass
    return sub.endswith("." + parent)


def _may_carry_secrets(first: str, url: str) -> bool:
    if urlsplit(first).scheme == "https" and urlsplit(url).scheme != "https":
        return False
    return is_domain_or_subdomain(_host(url), _host(first))


def _display(url: str) -> str:
    """scheme://host[:port]/path: no user info, no query (it may hold an account name)."""
    parts = urlsplit(url)
    netloc = parts.netloc.rsplit("@", 1)[-1]
    return f"{parts.scheme}://{netloc}{parts.path}"


async def send_following(
    client: Client,
    method: str,
    url: str,
    *,
    params: list[tuple[str, str]] | None = None,
    data: dict[str, str] | None = None,
    authorization: str | None = None,
    body_is_secret: bool = False,
) -> Followed:
    """Send the request and follow redirects; the final response is read."""
    request = client.build_request(method, url, params=params, data=data)
    if authorization:
        request.headers["Authorization"] = authorization
    first = str(request.url)
    trail: list[str] = []
    withheld_at: str | None = None
    while True:
        response = await client.send(request, stream=True)
        location = response.headers.get("location")
        if response.status_code not in REDIRECT_STATUSES or not location:
            await response.aread()
            return Followed(response, tuple(trail), withheld_at)
        await response.aclose()
        if len(trail) >= MAX_REDIRECTS:
            raise RedirectError(f"stopped after {MAX_REDIRECTS} redirects", tuple(trail))
        try:
            target = str(parse(urljoin(str(request.url), location)))
        except (ValueError, InvalidURL) as exc:
            raise RedirectError(f"a redirect to a URL that does not parse ({exc})", tuple(trail)) from exc
        if urlsplit(target).scheme not in ("http", "https"):
            raise RedirectError(f"a redirect to {_display(target)}, not HTTP(S)", tuple(trail))
        trail.append(_display(target))
        keeps_body = response.status_code in (307, 308)
        safe = _may_carry_secrets(first, target)
        if keeps_body and body_is_secret and request.content and not safe:
            raise RedirectError(
                f"a redirect to {_host(target)} would repeat a request holding a secret to another host",
                tuple(trail),
            )
        headers = Headers(request.headers)
        if not safe or withheld_at is not None:
            if "authorization" in headers and withheld_at is None:
                withheld_at = _host(target)
            headers.pop("authorization", None)
        if keeps_body:
            request = client.build_request(request.method, target, headers=headers, content=request.content)
        else:
            if body_is_secret and request.content and withheld_at is None:
                withheld_at = _host(target)  # 301/302/303 drop the body that held the secret
            for name in ("content-type", "content-length", "transfer-encoding"):
                headers.pop(name, None)
            method = "GET" if request.method not in ("GET", "HEAD") else request.method
            request = client.build_request(method, target, headers=headers)
