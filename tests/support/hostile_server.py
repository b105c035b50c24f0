"""One asyncio server on 127.0.0.1 with a port per hostile behaviour, for the trust tests.

A registry name cannot carry a path, so each behaviour listens on its own port (``host(name)``
is ``127.0.0.1:PORT``); all of them run on one event loop in one thread. Every port serves the
registry API (``/v2/``, manifests) and a token server (``/token``); a behaviour changes one
answer: deep JSON, huge numbers, a body that drips, terminal escapes, a realm that does not
parse, a token answer of 300 MB, a challenge that turns into Negotiate, a gzip bomb.
The HTTP is written by hand, so the misbehaviour is exact.
"""

from __future__ import annotations

import asyncio
import base64
import functools
import gzip
import json
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

ESCAPES = "\x1b]0;pwned\x07 \x1b]52;c;cHduZWQ=\x07 \x1b[32m✓ all good\x1b[0m \x9b31m \x9d0;c1\x9c"
C1_HEADER = "\u009b31m\u009d0;pwned\u009c"  # h11 refuses ESC/BEL in headers but passes obs-text (C1 as UTF-8)
DEEP = "[" * 100_000
HUGE = "9" * 5000
OVERSIZE_TOKEN_BYTES = 300 << 20
RATELIMIT_PATH = "/v2/ratelimitpreview/test/manifests/latest"


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]

    @property
    def bearer(self) -> bool:
        return self.headers.get("authorization", "").startswith("Bearer ")


def head(status: str, headers: dict[str, str] | None = None, length: int | None = 0) -> bytes:
    lines = [f"HTTP/1.1 {status}"] + [f"{k}: {v}" for k, v in (headers or {}).items()]
    if length is not None:
        lines.append(f"Content-Length: {length}")
    return ("\r\n".join(lines + ["Connection: close", "", ""])).encode("utf-8")


def answer(status: str, body: bytes | str = b"", headers: dict[str, str] | None = None) -> bytes:
    data = body.encode() if isinstance(body, str) else body
    return head(status, {"Content-Type": "application/json", **(headers or {})}, len(data)) + data


def bearer_challenge(realm: str, extra: str = "") -> dict[str, str]:
    return {"WWW-Authenticate": f'Bearer realm="{realm}",service="hostile"{extra}'}


def jwt(payload: str) -> str:
    part = base64.urlsafe_b64encode(payload.encode()).rstrip(b"=").decode()
    return f"eyJhbGciOiJub25lIn0.{part}.c2ln"


@functools.cache
def gzip_bomb() -> bytes:
    """100 MiB of zeros in about 100 KiB."""
    return gzip.compress(b"\0" * (100 << 20), 6)


Handler = Callable[["Hostile", Request, asyncio.StreamWriter], Awaitable[bytes | None]]


@dataclass
class Hostile:
    """``server.host(behaviour)``; ``server.url(behaviour)``. Start with ``start()``, stop with ``close()``."""

    ports: dict[str, int] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    loop: asyncio.AbstractEventLoop | None = None
    servers: list[asyncio.AbstractServer] = field(default_factory=list)
    tasks: set[asyncio.Task] = field(default_factory=set)
    thread: threading.Thread | None = None

    def host(self, behaviour: str) -> str:
        return f"127.0.0.1:{self.ports[behaviour]}"

    def url(self, behaviour: str) -> str:
        return f"http://{self.host(behaviour)}"

    # -- what each behaviour answers ---------------------------------------------------------------
    async def respond(self, name: str, req: Request, writer: asyncio.StreamWriter) -> bytes | None:
        me = self.url(name)
        token_ok = answer("200 OK", json.dumps({"token": "tok", "expires_in": 300}))
        registry_ok = answer("200 OK", "{}", {"Docker-Distribution-Api-Version": "registry/2.0"})
        challenge = answer("401 Unauthorized", '{"errors":[]}', bearer_challenge(f"{me}/token"))
        v2, token = req.path.startswith("/v2/"), req.path.startswith("/token")
        if v2 and req.bearer and name not in ("drip-authorized", "ratelimit-digits", "ratelimit-escapes"):
            return registry_ok
        if name == "drip-authorized" and v2 and req.bearer:
            return await self.drip(writer, head("200 OK", {"Content-Type": "application/json"}, 1_000_000))
        if name == "deep-json-error" and v2:
            return answer("500 Internal Server Error", '{"errors":' + DEEP)
        if name == "huge-number-error" and v2:
            return answer("500 Internal Server Error", '{"errors":[{"code":' + HUGE + ',"message":1e99999}]}')
        if name == "escapes-error" and v2:
            message = json.dumps({"errors": [{"code": "UNKNOWN", "message": ESCAPES}]})
            return answer("500 Internal Server Error", message)
        if name == "escapes-redirect" and v2:
            return answer("302 Found", "", {"Location": f"http://127.0.0.1/{C1_HEADER}"})
        if name == "gzip-bomb" and v2:
            return answer("500 Internal Server Error", gzip_bomb(), {"Content-Encoding": "gzip"})
        if name == "drip" and v2:
            return await self.drip(writer, head("200 OK", {"Content-Type": "application/json"}, 1_000_000))
        if name.startswith("bad-realm-") and v2:
            realm = {"hex": "http://127.0.0.1:0x50/token", "v6": "http://[::1", "port": "http://127.0.0.1:99999/t"}
            return answer("401 Unauthorized", "{}", bearer_challenge(realm[name.removeprefix("bad-realm-")]))
        if name == "escapes-realm" and v2:
            return answer("401 Unauthorized", "{}", bearer_challenge(f"{me}/token{C1_HEADER}", f',scope="{C1_HEADER}"'))
        if name == "foreign-realm" and v2:
            return answer("401 Unauthorized", "{}", bearer_challenge(f"http://127.0.0.2:{self.ports['foreign']}/token"))
        if name == "negotiate" and v2:
            self.counts[name] = self.counts.get(name, 0) + 1
            if self.counts[name] > 1:  # the first answer is Bearer, every later one Negotiate
                return answer("401 Unauthorized", "{}", {"WWW-Authenticate": "Negotiate"})
            return challenge
        if v2 and name.startswith("ratelimit-") and req.path.startswith(RATELIMIT_PATH):
            if name == "ratelimit-digits":
                limits = {"ratelimit-limit": f"{HUGE};w=21600", "ratelimit-remaining": f"{HUGE};w=21600"}
            else:
                limits = {
                    "ratelimit-limit": f"100;w=21600, {C1_HEADER}",
                    "ratelimit-remaining": "50;w=21600",
                    "docker-ratelimit-source": C1_HEADER,
                }
            return head("200 OK", limits)
        if v2:
            return challenge
        if not token:
            return answer("404 Not Found", "{}")
        if name == "deep-json-token":
            return answer("200 OK", DEEP)
        if name == "huge-number-token":
            return answer("200 OK", '{"token":"tok","expires_in":' + HUGE + "}")
        if name == "deep-jwt":
            return answer("200 OK", json.dumps({"token": jwt("[" * 40_000)}))  # under the 64 KiB token cap
        if name == "huge-jwt":
            return answer("200 OK", json.dumps({"token": jwt('{"iat":' + "9" * 4000 + "}")}))
        if name == "escapes-token":
            return answer("401 Unauthorized", json.dumps({"details": ESCAPES}))
        if name == "oversize-token":
            return await self.flood(writer)
        if name == "big-token-string":
            return answer("200 OK", json.dumps({"token": "a" * 100_000}))
        if name == "drip-token":
            return await self.drip(writer, head("200 OK", {"Content-Type": "application/json"}, 1_000_000))
        return token_ok

    async def drip(self, writer: asyncio.StreamWriter, first: bytes, every: float = 0.3) -> None:
        """Headers, then one byte every ``every`` s for ever: no read ever waits long enough to time out."""
        writer.write(first)
        for _ in range(1000):
            if writer.is_closing():
                return
            await writer.drain()
            await asyncio.sleep(every)
            writer.write(b" ")

    async def flood(self, writer: asyncio.StreamWriter) -> None:
        """A 300 MB token answer, made as it is sent (until the client hangs up)."""
        writer.write(head("200 OK", {"Content-Type": "application/json"}, OVERSIZE_TOKEN_BYTES))
        writer.write(b'{"token":"')
        chunk = b"a" * (1 << 16)
        for _ in range(OVERSIZE_TOKEN_BYTES // len(chunk)):
            writer.write(chunk)
            await writer.drain()

    # -- plumbing ----------------------------------------------------------------------------------
    async def _handle(self, name: str, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)
        try:
            while True:  # one request per connection (Connection: close)
                first = await asyncio.wait_for(reader.readexactly(1), 10)
                if first == b"\x16":  # a TLS ClientHello: answer as Go's HTTP server does
                    writer.write(b"HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an HTTPS server.\n")
                    await writer.drain()
                    break
                raw = first + await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
                lines = raw.decode("latin-1").split("\r\n")
                method, path, _ = lines[0].split(" ", 2)
                headers = {k.strip().lower(): v.strip() for k, _, v in (x.partition(":") for x in lines[1:] if x)}
                if int(headers.get("content-length", "0") or 0):
                    await reader.readexactly(int(headers["content-length"]))
                reply = await self.respond(name, Request(method, path, headers), writer)
                if reply is not None:
                    if method == "HEAD":
                        reply = reply.split(b"\r\n\r\n", 1)[0] + b"\r\n\r\n"
                    writer.write(reply)
                    await writer.drain()
                break
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, TimeoutError, ValueError):
            pass
        except asyncio.CancelledError:
            pass  # close(): end quietly
        finally:
            writer.close()

    async def _listen(self, names: list[str]) -> None:
        for name in names:
            bind = "127.0.0.2" if name == "foreign" else "127.0.0.1"
            server = await asyncio.start_server(lambda r, w, n=name: self._handle(n, r, w), bind, 0, limit=1 << 20)
            self.servers.append(server)
            self.ports[name] = server.sockets[0].getsockname()[1]

    def start(self) -> Hostile:
        gzip_bomb()  # made now: making it while serving would stall every other behaviour for ~0.7 s
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        asyncio.run_coroutine_threadsafe(self._listen(BEHAVIOURS), self.loop).result(10)
        return self

    def close(self) -> None:
        async def stop() -> None:
            for server in self.servers:
                server.close()
            for task in list(self.tasks):  # drips and floods still running
                task.cancel()
            await asyncio.gather(*self.tasks, return_exceptions=True)

        if self.loop is not None:
            asyncio.run_coroutine_threadsafe(stop(), self.loop).result(10)
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(10)
            self.loop.close()


BEHAVIOURS = [
    "normal",
    "deep-json-error",
    "huge-number-error",
    "escapes-error",
    "escapes-redirect",
    "escapes-realm",
    "escapes-token",
    "gzip-bomb",
    "drip",
    "drip-token",
    "drip-authorized",
    "bad-realm-hex",
    "bad-realm-v6",
    "bad-realm-port",
    "foreign-realm",
    "foreign",
    "negotiate",
    "deep-json-token",
    "huge-number-token",
    "deep-jwt",
    "huge-jwt",
    "oversize-token",
    "big-token-string",
    "ratelimit-digits",
    "ratelimit-escapes",
]
