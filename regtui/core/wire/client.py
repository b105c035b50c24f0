"""The client shape regtui's HTTP code speaks, and which client a request goes through.

Two clients have it: ``LeanClient`` (lean.py: HTTP/1.1 on asyncio streams, for the commands and
the TUI's checks, which send a few requests and must not wait on importing httpx) and
``HttpxClient`` (over_httpx.py: httpx and httpcore, for everything else, and wherever a proxy
variable is set: httpx reads HTTPS_PROXY, HTTP_PROXY, ALL_PROXY and NO_PROXY, and tunnels).
Both bound every request alike: a deadline for the whole request (connect, send, headers and
the last byte of the body), as Go's ``http.Client.Timeout`` is, not a limit per read, and a
capped body (model.py). Neither follows a redirect (core/registry/redirects.py does, by rule).
"""

from __future__ import annotations

import base64
import contextlib
import contextvars
import os
from collections.abc import Iterable, Iterator, Mapping
from types import TracebackType
from typing import TYPE_CHECKING

from regtui.core.wire.model import MAX_BODY, USER_AGENT, HeaderItems, Headers, Request, Response
from regtui.core.wire.url import parse

if TYPE_CHECKING:
    import ssl

Params = Mapping[str, str] | Iterable[tuple[str, str]]
# Read in either case (httpx reads them as urllib.request.getproxies does).
PROXY_VARIABLES = frozenset(
    {f"{name}_proxy" for name in ("http", "https", "all", "no")}
    | {f"{name}_PROXY" for name in ("HTTP", "HTTPS", "ALL", "NO")}
)

_PROXIES = tuple(name for name in PROXY_VARIABLES if not name.lower().startswith("no_"))  # NO_PROXY alone: direct


def basic_authorization(username: str, password: str) -> str:
    """An ``Authorization`` value for Basic auth (RFC 7617), UTF-8 as httpx encodes it."""
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode("ascii")


class Client:
    """Builds requests (``get``/``head``/``post``) and sends them (``send``, by the subclass)."""

    def __init__(self, deadline: float, max_body: int = MAX_BODY) -> None:
        self.deadline, self.max_body = deadline, max_body

    def build_request(
        self,
        method: str,
        url: str,
        *,
        params: Params | None = None,
        headers: HeaderItems | Headers | None = None,
        data: Mapping[str, str] | None = None,
        content: bytes | None = None,
    ) -> Request:
        """The request with the headers every regtui request carries (identity encoding, regtui's
        User-Agent); ``Host`` always names the URL's own host."""
        parsed = parse(url)
        if params is not None:
            parsed = parsed.with_params(list(params.items()) if isinstance(params, Mapping) else list(params))
        merged = Headers(
            [
                ("Host", parsed.netloc),
                ("Accept", "*/*"),
                ("Accept-Encoding", "identity"),
                ("Connection", "keep-alive"),
                ("User-Agent", USER_AGENT),
            ]
        )
        for name, value in Headers(headers).items():
            if name.lower() != "host":
                merged[name] = value
        body = content or b""
        if data is not None:
            from urllib.parse import urlencode

            body = urlencode(list(data.items())).encode()
            merged["Content-Type"] = "application/x-www-form-urlencoded"
        if body or method in ("POST", "PUT", "PATCH"):
            merged["Content-Length"] = str(len(body))
        return Request(method, parsed, merged, body)

    async def request(
        self,
        method: str,
        url: str,
        *,
        params: Params | None = None,
        headers: HeaderItems | None = None,
        data: Mapping[str, str] | None = None,
        auth: tuple[str, str] | None = None,
    ) -> Response:
        request = self.build_request(method, url, params=params, headers=headers, data=data)
        if auth is not None:
            request.headers["Authorization"] = basic_authorization(*auth)
        return await self.send(request)

    async def get(
        self,
        url: str,
        *,
        params: Params | None = None,
        headers: HeaderItems | None = None,
        auth: tuple[str, str] | None = None,
    ) -> Response:
        return await self.request("GET", url, params=params, headers=headers, auth=auth)

    async def head(
        self,
        url: str,
        *,
        params: Params | None = None,
        headers: HeaderItems | None = None,
        auth: tuple[str, str] | None = None,
    ) -> Response:
        return await self.request("HEAD", url, params=params, headers=headers, auth=auth)

    async def post(
        self, url: str, *, data: Mapping[str, str] | None = None, headers: HeaderItems | None = None
    ) -> Response:
        return await self.request("POST", url, data=data, headers=headers)

    async def send(self, request: Request, *, stream: bool = False) -> Response:
        """The answer, its body read within the bounds (``stream``: left to ``aread``, which is bounded
        by the same deadline and cap)."""
        raise NotImplementedError

    async def aclose(self) -> None:
        return None

    async def __aenter__(self) -> Client:
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        await self.aclose()


# A context variable, not a global: asyncio tasks and asyncio.to_thread inherit it, a new thread
# (the TUI's checks run on a loop of their own) starts without it.
_LEAN: contextvars.ContextVar[bool] = contextvars.ContextVar("regtui_lean_http", default=False)


@contextlib.contextmanager
def lean_transport() -> Iterator[None]:
    """Within this block, direct connections go through the lean client (lean.py), not httpx.

    For the commands that send a few requests and exit (``check``, ``ratelimit``) and the TUI's
    checks: httpx, httpcore, h11 and anyio cost more to import than their requests take.
    ``REGTUI_HTTP=httpcore`` (or ``lean``) overrides the choice either way, for every command.
    """
    token = _LEAN.set(True)
    try:
        yield
    finally:
        _LEAN.reset(token)


def lean_chosen() -> bool:
    """The lean client: chosen for this context, and no proxy set (HTTP(S)_PROXY, ALL_PROXY: httpx
    sends through it, tunnelling https, and reads NO_PROXY's exceptions as it always has)."""
    forced = os.environ.get("REGTUI_HTTP", "")
    lean = forced == "lean" if forced in ("lean", "httpcore") else _LEAN.get()
    return lean and not any(os.environ.get(name) for name in _PROXIES)


def new_client(
    timeout: float = 15.0, *, verify: ssl.SSLContext | bool | None = None, transport: object = None
) -> Client:
    """15 s by default, as docker uses for ping and login (docker/cli registry auth.go).

    ``verify``: a TLS context, False (encrypted, not verified) or None/True (the system's CAs,
    loaded when an https:// URL is first requested). ``transport``: an httpx transport (tests).
    """
    if transport is None and lean_chosen():
        from regtui.core.wire.lean import LeanClient

        return LeanClient(timeout, verify=None if verify is True else verify)
    from regtui.core.wire.over_httpx import httpx_client

    return httpx_client(timeout, verify=verify, transport=transport)


def preload() -> None:
    """Import what the first request imports (the lean client, or httpx, httpcore and anyio's
    asyncio backend: 50-100 ms). Blocking: a TUI calls it in a thread."""
    if lean_chosen():
        import regtui.core.wire.lean  # noqa: F401

        return
    import anyio._backends._asyncio  # noqa: F401
    import httpcore  # noqa: F401

    import regtui.core.wire.over_httpx  # noqa: F401
