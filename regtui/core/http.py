"""regtui's httpx client (wire/over_httpx.py sends through it): a deadline per request, a capped body, no redirects.

``timeout`` is a deadline for the whole request (connect, send, headers and the last byte of
the body), as Go's ``http.Client.Timeout`` is, not a limit per read: a server that drips one
byte a second cannot hold regtui. Every body is read through a cap (``max_body``, 1 MiB: a
registry's /v2/, token and error answers are a few KiB), counted after decompression, so a
large or compressed body costs no memory beyond the cap. Compression is not asked for; a
server that sends gzip or deflate anyway is inflated in bounded steps.
"""

from __future__ import annotations

import asyncio
import os
import ssl
import zlib
from collections.abc import AsyncIterator
from typing import cast

import httpx

from regtui.core.wire.client import PROXY_VARIABLES
from regtui.core.wire.errors import human_size
from regtui.core.wire.model import MAX_BODY, USER_AGENT, Inflater


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
        self.inflater = Inflater(encoding) if encoding and encoding != "identity" else None

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


def transport(verify: ssl.SSLContext | bool) -> httpx.AsyncBaseTransport:
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
        if "mounts" not in kwargs and os.environ.keys() & PROXY_VARIABLES:
            from regtui.core.trust import system_context

            kwargs["mounts"] = proxy_mounts(system_context())
    return BoundedClient(**client_options(timeout), **kwargs)  # type: ignore[arg-type]
