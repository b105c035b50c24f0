"""The client shape (client.py) over httpx: for requests through a proxy, the mirror tests, the
report and login, and ``REGTUI_HTTP=httpcore``. httpx's answers and exceptions come back as
regtui's (model.py, errors.py), so the code that sends requests never sees an httpx type.
"""

from __future__ import annotations

import ssl
from collections.abc import AsyncIterator

import httpx

from regtui.core import http
from regtui.core.wire import errors
from regtui.core.wire.client import Client
from regtui.core.wire.model import MAX_BODY, Headers, Request, Response


def translated(exc: httpx.HTTPError | httpx.InvalidURL) -> Exception:
    """The regtui exception of the same name (or the nearest base class's), with the same text."""
    if isinstance(exc, http.DeadlineExceeded):
        return errors.DeadlineExceeded(exc.seconds)
    if isinstance(exc, http.ResponseTooLarge):
        return errors.ResponseTooLarge(exc.cap)
    for kind in type(exc).__mro__:
        same = getattr(errors, kind.__name__, None)
        if isinstance(same, type) and issubclass(same, errors.HTTPError | errors.InvalidURL):
            return same(str(exc))
    return errors.HTTPError(str(exc))


class HttpxClient(Client):
    """Sends through ``inner`` (an httpx.AsyncClient: a BoundedClient keeps the deadline and the cap)."""

    def __init__(self, inner: httpx.AsyncClient, deadline: float, max_body: int = MAX_BODY) -> None:
        super().__init__(deadline, max_body)
        self.inner = inner

    async def send(self, request: Request, *, stream: bool = False) -> Response:
        try:
            outgoing = httpx.Request(
                request.method, str(request.url), headers=request.headers.items(), content=request.content or None
            )
            answer = await self.inner.send(outgoing, stream=True)
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            raise translated(exc) from exc
        headers = Headers.from_raw([(k, v) for k, v in answer.headers.raw])
        reason = answer.extensions.get("reason_phrase", answer.reason_phrase.encode("ascii", "ignore"))

        async def chunks() -> AsyncIterator[bytes]:
            if answer.is_stream_consumed:  # a test's MockTransport answer, read when it was built
                yield answer.content
                return
            try:
                async for chunk in answer.aiter_raw():
                    yield chunk
            except httpx.HTTPError as exc:
                raise translated(exc) from exc

        response = Response(answer.status_code, headers, request, reason=reason, stream=chunks(), close=answer.aclose)
        if not stream:
            await response.aread()
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


def httpx_client(
    timeout: float, *, verify: ssl.SSLContext | bool | None = None, transport: object = None
) -> HttpxClient:
    """A BoundedClient as core/http.py builds one (proxies from the environment, TLS on demand)."""
    options: dict[str, object] = {}
    if verify is not None:
        options["verify"] = verify
    if transport is not None:
        options["transport"] = transport
    return HttpxClient(http.new_client(timeout, **options), timeout)
