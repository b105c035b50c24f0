"""The one way regtui builds an HTTP client: a deadline per request, a capped body, no redirects.

``timeout`` is a deadline for the whole request (connect, send, headers and the last byte of
the body), as Go's ``http.Client.Timeout`` is, not a limit per read: a server that drips one
byte a second cannot hold regtui. Every body is read through a cap (``max_body``, 1 MiB: a
registry's /v2/, token and error answers are a few KiB), counted after decompression, so a
large or compressed body costs no memory beyond the cap. Compression is not asked for; a
server that sends gzip or deflate anyway is inflated in bounded steps.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import json
import os
import ssl
import zlib
from collections.abc import AsyncIterator, Iterator
from typing import Any, cast

import httpx

from regtui import __version__

USER_AGENT = f"regtui/{__version__}"
# getproxies() reads these in either case (urllib.request); none set: no proxy to mount.
_PROXY_VARIABLES = {f"{name}_proxy" for name in ("http", "https", "all", "no")} | {
    f"{name}_PROXY" for name in ("HTTP", "HTTPS", "ALL", "NO")
}
MAX_BODY = 1 << 20


class DeadlineExceeded(httpx.TimeoutException):
    """The whole request (connect to last byte) did not finish within the deadline."""

    def __init__(self, seconds: float, request: httpx.Request | None = None) -> None:
        self.seconds = seconds
        super().__init__(f"no complete answer within {seconds:g} s (connect to last byte)", request=request)


class ResponseTooLarge(httpx.DecodingError):
    """The body is larger than the cap; reading stopped there."""

    def __init__(self, cap: int, request: httpx.Request | None = None) -> None:
        self.cap = cap
        super().__init__(f"the answer is larger than {human_size(cap)}", request=request)


def human_size(size: int) -> str:
    return f"{size >> 20} MiB" if size >= 1 << 20 and not size % (1 << 20) else f"{size >> 10} KiB"


def json_body(data: bytes | str) -> object:
    """Parse a server's JSON; any failure (deep nesting, a huge number, bad UTF-8) is a ValueError."""
    try:
        return json.loads(data)
    except RecursionError as exc:
        raise ValueError("JSON nested too deeply") from exc


def json_object(data: bytes | str) -> dict[str, Any]:
    """A server's JSON object; {} when the JSON is another kind of value. Bad JSON is a ValueError."""
    value = json_body(data)
    return value if isinstance(value, dict) else {}


class _Inflater:
    """gzip or deflate, inflated at most ``room`` bytes at a time (zlib's max_length)."""

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        self.zlib = zlib.decompressobj(zlib.MAX_WBITS | 16 if encoding in ("gzip", "x-gzip") else zlib.MAX_WBITS)
        self.started = False

    def feed(self, data: bytes, room: int) -> bytes:
        """At most ``room + 1`` bytes: one more than fits tells the caller the cap is passed."""
        out = bytearray()
        while data and len(out) <= room:
            try:
                out += self.zlib.decompress(data, room + 1 - len(out))
            except zlib.error:
                if self.encoding != "deflate" or self.started:
                    raise
                self.zlib = zlib.decompressobj(-zlib.MAX_WBITS)  # raw deflate, as some servers send it
                self.started = True
                continue
            self.started = True
            data = self.zlib.unconsumed_tail
        return bytes(out)


class _BoundedStream(httpx.AsyncByteStream):
    def __init__(
        self, inner: httpx.AsyncByteStream, response: httpx.Response, deadline: float, seconds: float, cap: int
    ):
        self.inner, self.request = inner, response.request
        self.deadline, self.seconds, self.cap = deadline, seconds, cap
        encoding = response.headers.get("content-encoding", "").strip().lower()
        if encoding and encoding != "identity":
            if encoding not in ("gzip", "x-gzip", "deflate"):
                raise httpx.DecodingError(f"unsupported Content-Encoding {encoding[:40]!r}", request=self.request)
            del response.headers["content-encoding"]  # inflated here, within the cap
        self.inflater = _Inflater(encoding) if encoding and encoding != "identity" else None

    async def __aiter__(self) -> AsyncIterator[bytes]:
        total = 0
        chunks = self.inner.__aiter__()
        while True:
            try:
                async with asyncio.timeout_at(self.deadline):
                    chunk = await chunks.__anext__()
            except StopAsyncIteration:
                return
            except TimeoutError:
                raise DeadlineExceeded(self.seconds, self.request) from None
            if self.inflater is not None:
                try:
                    chunk = self.inflater.feed(chunk, self.cap - total)
                except zlib.error as exc:
                    raise httpx.DecodingError(f"a corrupt compressed body: {exc}", request=self.request) from None
            total += len(chunk)
            if total > self.cap:
                raise ResponseTooLarge(self.cap, self.request)
            if chunk:
                yield chunk

    async def aclose(self) -> None:
        await self.inner.aclose()


class BoundedClient(httpx.AsyncClient):
    """An AsyncClient whose every request has a deadline and a body cap (see the module doc)."""

    def __init__(self, *, deadline: float, max_body: int = MAX_BODY, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.deadline, self.max_body = deadline, max_body

    async def send(self, request: httpx.Request, *, stream: bool = False, **kwargs: object) -> httpx.Response:
        deadline = asyncio.get_running_loop().time() + self.deadline
        try:
            async with asyncio.timeout_at(deadline):
                response = await super().send(request, stream=True, **kwargs)  # type: ignore[arg-type]
        except TimeoutError:
            raise DeadlineExceeded(self.deadline, request) from None
        try:
            # An AsyncClient's transports answer with async streams.
            body_stream = cast(httpx.AsyncByteStream, response.stream)
            response.stream = _BoundedStream(body_stream, response, deadline, self.deadline, self.max_body)
            if not stream:
                await response.aread()
        except BaseException:
            await response.aclose()
            raise
        return response


def client_options(timeout: float) -> dict[str, object]:
    """What every regtui client shares: the deadline, a per-read timeout, the User-Agent, no redirects."""
    return {
        "deadline": timeout,
        "timeout": httpx.Timeout(timeout),
        "headers": {"User-Agent": USER_AGENT, "Accept-Encoding": "identity"},
        "follow_redirects": False,
    }


# A context variable, not a global: asyncio tasks and asyncio.to_thread inherit it, a new thread
# (the TUI's checks run on a loop of their own) starts without it.
_LEAN: contextvars.ContextVar[bool] = contextvars.ContextVar("regtui_lean_http", default=False)


@contextlib.contextmanager
def lean_transport() -> Iterator[None]:
    """Within this block, direct connections go through core/lean_http.py instead of httpcore.

    For the commands that send a few requests and exit (``check``, ``ratelimit``): httpcore,
    h11 and anyio cost more to import than their requests take, and leave more cyclic garbage
    for the collector. ``REGTUI_HTTP=httpcore`` (or ``lean``) overrides the choice either way,
    for every command.
    """
    token = _LEAN.set(True)
    try:
        yield
    finally:
        _LEAN.reset(token)


def lean_chosen() -> bool:
    forced = os.environ.get("REGTUI_HTTP", "")
    return forced == "lean" if forced in ("lean", "httpcore") else _LEAN.get()


def transport(verify: ssl.SSLContext | bool) -> httpx.AsyncBaseTransport:
    """The transport for direct connections: the lean one or httpcore's, as chosen."""
    if lean_chosen():
        from regtui.core.lean_http import LeanTransport

        return LeanTransport(verify)
    return httpx.AsyncHTTPTransport(verify=verify)


def proxy_mounts(verify: ssl.SSLContext | bool) -> dict[str, httpx.AsyncBaseTransport | None]:
    """HTTPS_PROXY, HTTP_PROXY, ALL_PROXY and NO_PROXY as httpx reads them, for a client that is
    given its own transport (httpx then ignores the environment). Proxied URLs go through
    httpcore's proxy transport; a NO_PROXY match (None) uses the client's own transport."""
    from httpx._utils import get_environment_proxies

    return {
        pattern: None if url is None else httpx.AsyncHTTPTransport(verify=verify, proxy=httpx.Proxy(url))
        for pattern, url in get_environment_proxies().items()
    }


def _tls_transport() -> httpx.AsyncBaseTransport:
    from regtui.core.trust import system_context

    return transport(system_context())


class _TlsOnDemand(httpx.AsyncBaseTransport):
    """Builds the TLS side when the first https:// request goes out, in a thread, so a
    plain-HTTP exchange never pays for it and an event loop never waits on it. It trusts the
    system's CAs, as docker does (core/trust.py), not certifi's bundle."""

    def __init__(self) -> None:
        self._plain: httpx.AsyncBaseTransport | None = None
        self._tls: httpx.AsyncBaseTransport | None = None

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.scheme == "https":
            if self._tls is None:
                self._tls = await asyncio.to_thread(_tls_transport)
            return await self._tls.handle_async_request(request)
        if self._plain is None:
            self._plain = transport(False)  # no CA store: there is no TLS
        return await self._plain.handle_async_request(request)

    async def aclose(self) -> None:
        for each in (self._plain, self._tls):
            if each is not None:
                await each.aclose()


def new_client(timeout: float = 15.0, **kwargs: object) -> BoundedClient:
    """15 s by default, as docker uses for ping and login (docker/cli registry auth.go).

    Without ``transport`` or ``verify``, TLS verification uses the system's CAs, loaded only
    when an https:// URL is first requested, and the proxy variables apply as httpx reads them.
    """
    if "transport" not in kwargs and "verify" not in kwargs:
        kwargs["transport"] = _TlsOnDemand()
        if "mounts" not in kwargs and os.environ.keys() & _PROXY_VARIABLES:
            from regtui.core.trust import system_context

            kwargs["mounts"] = proxy_mounts(system_context())
    return BoundedClient(**client_options(timeout), **kwargs)  # type: ignore[arg-type]


def preload() -> None:
    """Import what the first request imports (httpcore, anyio's asyncio backend: 50-100 ms).

    Blocking: call it in a thread (``asyncio.to_thread``) while other work goes on, so that
    neither a TUI's event loop nor the first network step waits on imports.
    """
    if lean_chosen():
        import regtui.core.lean_http  # noqa: F401

        return
    import anyio._backends._asyncio  # noqa: F401
    import httpcore  # noqa: F401
