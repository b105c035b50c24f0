"""The lean client (regtui/core/wire/lean.py) and the blocking one (blocking.py), both over http11.py:
the HTTP/1.1 wire against a real loopback server that answers raw bytes.

The deadline, the body cap and the hostile behaviours run over both clients in
test_bounded_io.py and tests/integration/test_hostile_servers.py; here is the framing itself.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest

from regtui.core import wire
from regtui.core.wire import ResponseTooLarge
from regtui.core.wire.blocking import BlockingClient, run_blocking
from regtui.core.wire.http11 import MAX_HEAD
from regtui.core.wire.lean import LeanClient

Script = Callable[[bytes], bytes | None]  # the request's head -> the raw answer (None: close at once)


class Raw:
    """A loopback server that answers each request on a connection by ``script``; counts connections."""

    def __init__(self, script: Script, close: bool) -> None:
        self.script, self.close, self.connections, self.requests = script, close, 0, []

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            while head := await reader.readuntil(b"\r\n\r\n"):
                self.requests.append(head)
                length = next(
                    (
                        int(v)
                        for k, _, v in (x.partition(b": ") for x in head.split(b"\r\n"))
                        if k.lower() == b"content-length"
                    ),
                    0,
                )
                if length:
                    self.requests.append(await reader.readexactly(length))
                reply = self.script(head)
                if reply is None:
                    break
                writer.write(reply)
                await writer.drain()
                if self.close:
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()


@pytest.fixture
async def serve() -> AsyncIterator[Callable[[Script], asyncio.Future]]:
    servers: list[asyncio.Server] = []

    async def start(script: Script, close: bool = False) -> tuple[str, Raw]:
        raw = Raw(script, close)
        server = await asyncio.start_server(raw.handle, "127.0.0.1", 0)
        servers.append(server)
        return f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}", raw

    yield start  # type: ignore[misc]
    for server in servers:
        server.close()


class InThread:
    """The blocking client, each call in a thread: the server runs on the test's own event loop."""

    def __init__(self, inner: BlockingClient) -> None:
        self.inner = inner

    async def __aenter__(self) -> InThread:
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.inner.close()

    def __getattr__(self, name: str) -> Callable[..., Awaitable[wire.Response]]:
        method = getattr(self.inner, name)

        async def call(*args: object, **kwargs: object) -> wire.Response:
            return await asyncio.to_thread(run_blocking, method(*args, **kwargs))

        return call


@pytest.fixture(params=["lean", "blocking"])
def client(request: pytest.FixtureRequest) -> Callable[..., LeanClient | InThread]:
    """Every test here runs over both clients."""

    def make(timeout: float = 5.0) -> LeanClient | InThread:
        if request.param == "lean":
            return LeanClient(timeout, verify=False)
        return InThread(BlockingClient(timeout, verify=False))

    return make


def ok(body: bytes = b"{}", extra: bytes = b"") -> bytes:
    return b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n%s\r\n%s" % (len(body), extra, body)


async def test_keep_alive_reuses_one_connection(serve, client) -> None:  # noqa: ANN001
    head_answer = b"HTTP/1.1 200 OK\r\nContent-Length: 8\r\n\r\n"  # the length a GET would have, no body
    url, raw = await serve(lambda head: head_answer if head.startswith(b"HEAD") else ok(b'{"a": 1}'))
    async with client() as c:
        for _ in range(3):
            response = await c.get(f"{url}/v2/")
            assert response.status_code == 200 and response.json() == {"a": 1}
        assert (await c.head(f"{url}/v2/")).status_code == 200  # a HEAD answer has no body to read
        assert (await c.get(f"{url}/v2/")).json() == {"a": 1}
    assert raw.connections == 1
    assert raw.requests[0].startswith(b"GET /v2/ HTTP/1.1\r\n") and b"\r\nhost: 127.0.0.1:" in raw.requests[0].lower()


async def test_chunked_bodies_and_their_trailers(serve, client) -> None:  # noqa: ANN001
    chunked = (
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4;ext=1\r\nwiki\r\n5\r\npedia\r\n0\r\nX-T: 1\r\n\r\n"
    )
    url, raw = await serve(lambda head: chunked)
    async with client() as c:
        assert (await c.get(url)).content == b"wikipedia"
        assert (await c.get(url)).content == b"wikipedia"
    assert raw.connections == 1


async def test_a_body_to_the_close_and_http_1_0_are_not_reused(serve, client) -> None:  # noqa: ANN001
    url, raw = await serve(lambda head: b"HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok")
    async with client() as c:
        assert (await c.get(url)).text == "ok"
        assert (await c.get(url)).text == "ok"
    assert raw.connections == 2
    url, raw = await serve(lambda head: None if raw.requests[-1:] == [b""] else b"HTTP/1.1 200 OK\r\n\r\nto the end")
    async with client(0.3) as c:
        with pytest.raises(wire.TimeoutException):  # the server keeps it open: the deadline ends it
            await c.get(url)


async def test_interim_answers_are_skipped_and_post_bodies_sent(serve, client) -> None:  # noqa: ANN001
    url, raw = await serve(lambda head: b"HTTP/1.1 100 Continue\r\n\r\n" + ok(b'{"token": "t"}'))
    async with client() as c:
        response = await c.post(f"{url}/token", data={"grant_type": "password", "username": "u"})
    assert response.json() == {"token": "t"}
    assert raw.requests[1] == b"grant_type=password&username=u"


async def test_an_idle_connection_the_server_closed_is_not_a_failure(serve, client) -> None:  # noqa: ANN001
    url, raw = await serve(lambda head: ok(b"{}", b"Connection: keep-alive\r\n"), close=True)
    async with client() as c:
        for _ in range(3):
            assert (await c.get(url)).status_code == 200
    assert raw.connections == 3


async def test_a_reused_connection_closed_without_an_answer_is_retried_once_fresh(serve, client) -> None:  # noqa: ANN001
    # The server closes a kept-alive connection just as the next request goes out on it.
    url, raw = await serve(lambda head: ok() if len(raw.requests) != 2 else None)
    async with client() as c:
        assert (await c.get(url)).status_code == 200
        assert (await c.get(url)).status_code == 200
    assert raw.connections == 2 and len(raw.requests) == 3


async def test_a_fresh_connection_closed_without_an_answer_is_an_error(serve, client) -> None:  # noqa: ANN001
    url, raw = await serve(lambda head: None)
    async with client() as c:
        with pytest.raises(wire.RemoteProtocolError, match="without sending a response"):
            await c.get(url)
    assert raw.connections == 1


@pytest.mark.parametrize(
    ("answer", "said"),
    [
        (b"HTTP/2 200 OK\r\n\r\n", "not an HTTP/1.1 status line"),
        (b"ICY 200 OK\r\n\r\n", "not an HTTP/1.1 status line"),
        (b"HTTP/1.1 2000 OK\r\n\r\n", "not an HTTP/1.1 status line"),
        (b"HTTP/1.1 200 OK\r\nno colon here\r\n\r\n", "a malformed header line"),
        (b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nabc", "Content-Length"),
        (b"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", "Content-Length"),
        (b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort", "before the whole body: 5 of 10 bytes"),
        (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "a malformed chunk size"),
        (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + b"f" * 40 + b"\r\n", "a malformed chunk size"),
        (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n", "longer than its size"),
        (b"HTTP/1.1 200 OK\r\nX-Big: " + b"a" * MAX_HEAD + b"\r\n\r\n", "larger than 64 KiB"),
        (b"HTTP/1.1 200 OK\r\n" + b"X: y\r\n" * 300 + b"\r\n", "a malformed header line"),
        (b"HTTP/1.1 200 OK\r\nContent-", "in the middle of the answer's headers"),
        (b"", "without sending a response"),
    ],
)
async def test_malformed_answers_are_protocol_errors(serve, client, answer: bytes, said: str) -> None:  # noqa: ANN001
    url, _ = await serve(lambda head: answer or None, close=True)
    async with client() as c:
        with pytest.raises(wire.RemoteProtocolError, match=said):
            await c.get(url)


async def test_a_huge_chunked_body_stops_at_the_cap(serve, client) -> None:  # noqa: ANN001
    body = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + (b"100000\r\n" + b"x" * 0x100000 + b"\r\n") * 3
    url, _ = await serve(lambda head: body)
    async with client() as c:
        with pytest.raises(ResponseTooLarge):
            await c.get(url)


async def test_connect_failures_are_connect_errors(client) -> None:  # noqa: ANN001
    server = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    server.close()
    await server.wait_closed()
    async with client() as c:
        with pytest.raises(wire.ConnectError):
            await c.get(f"http://127.0.0.1:{port}/v2/")
