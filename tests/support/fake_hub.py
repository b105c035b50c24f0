"""A loopback stand-in for Docker Hub's token endpoint and registry (Hub itself is unreachable here).

It imitates what Hub's public docs describe: a token for repository:ratelimitpreview/test:pull,
then ratelimit headers on the manifest. Each identity ("anonymous" or a username) gets a
scripted answer. Every request is recorded, so tests can prove no GET hit the manifest.
"""

from __future__ import annotations

import base64
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

MANIFEST = "/v2/ratelimitpreview/test/manifests/latest"
PULL_LIMIT_BODY = (
    b'{"errors":[{"code":"TOOMANYREQUESTS","message":"You have reached your pull rate limit. '
    b'You may increase the limit by authenticating and upgrading: https://www.docker.com/increase-rate-limits"}]}'
)


@dataclass
class Answer:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


def limited(limit: int, remaining: int, window: int = 21600, source: str = "127.0.0.1") -> Answer:
    return Answer(
        200,
        {
            "ratelimit-limit": f"{limit};w={window}",
            "ratelimit-remaining": f"{remaining};w={window}",
            "docker-ratelimit-source": source,
        },
    )


@dataclass
class FakeHub:
    users: dict[str, str] = field(default_factory=dict)
    answers: dict[str, Answer] = field(default_factory=dict)
    requests: list[tuple[str, str]] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None
    open_v2: bool = False  # answer GET /v2/ as an open registry, so `regtui check docker.io` passes
    # Hub-shaped pulls (when not empty): /v2/ asks for a Bearer token from /token (service
    # registry.docker.io), which anyone gets for any repository:NAME:pull scope; the token
    # lets its holder HEAD the manifests of these repositories only (401 insufficient_scope else).
    public: set[str] = field(default_factory=set)
    pull_tokens: dict[str, str] = field(default_factory=dict)  # token -> the repository it grants ("" none)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakeHub:
        hub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def _send(self, status: int, headers: dict[str, str], body: bytes = b"") -> None:
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)

            def _identity(self) -> str | None:
                auth = self.headers.get("Authorization", "")
                if not auth.startswith("Basic "):
                    return "anonymous"
                user, _, password = base64.b64decode(auth[6:]).decode().partition(":")
                return user if hub.users.get(user) == password else None

            def do_GET(self) -> None:  # noqa: N802
                hub.requests.append(("GET", self.path))
                url = urlsplit(self.path)
                if url.path == "/token" and hub.public and not self._ratelimit_scope():
                    return self._pull_token()
                if url.path == "/v2/" and hub.public:
                    return self._hub_v2()
                if url.path == "/token":
                    query = parse_qs(url.query)
                    if query.get("scope") != ["repository:ratelimitpreview/test:pull"]:
                        return self._send(400, {}, b'{"details":"bad scope"}')
                    identity = self._identity()
                    if identity is None:
                        return self._send(
                            401, {"Content-Type": "application/json"}, b'{"details":"incorrect username or password"}'
                        )
                    body = json.dumps({"token": f"tok-{identity}", "expires_in": 300}).encode()
                    return self._send(200, {"Content-Type": "application/json"}, body)
                if url.path == MANIFEST:  # a GET is a pull: the tests assert this never happens
                    return self._answer()
                if url.path == "/v2/" and hub.open_v2:
                    return self._send(200, {"Docker-Distribution-Api-Version": "registry/2.0"}, b"{}")
                self._send(404, {})

            def do_HEAD(self) -> None:  # noqa: N802
                hub.requests.append(("HEAD", self.path))
                if urlsplit(self.path).path == MANIFEST:
                    return self._answer()
                if hub.public and "/manifests/" in self.path:
                    return self._pull_manifest()
                self._send(404, {})

            def _ratelimit_scope(self) -> bool:
                return parse_qs(urlsplit(self.path).query).get("scope") == ["repository:ratelimitpreview/test:pull"]

            def _challenge(self, extra: str = "") -> dict[str, str]:
                realm = f'Bearer realm="{hub.url}/token",service="registry.docker.io"{extra}'
                return {"Www-Authenticate": realm, "Docker-Distribution-Api-Version": "registry/2.0"}

            def _pull_token(self) -> None:
                if self._identity() is None:
                    return self._send(401, {}, b'{"details":"incorrect username or password"}')
                scopes = parse_qs(urlsplit(self.path).query).get("scope", [])
                names = [s.split(":")[1] for s in scopes if s.startswith("repository:") and s.endswith(":pull")]
                token = f"pull-{len(hub.pull_tokens)}"
                hub.pull_tokens[token] = next((n for n in names if n in hub.public), "")
                return self._send(200, {"Content-Type": "application/json"}, json.dumps({"token": token}).encode())

            def _bearer(self) -> str | None:
                return hub.pull_tokens.get(self.headers.get("Authorization", "").removeprefix("Bearer "))

            def _hub_v2(self) -> None:
                if self._bearer() is None:
                    return self._send(401, self._challenge(), b'{"errors":[{"code":"UNAUTHORIZED"}]}')
                return self._send(200, {"Docker-Distribution-Api-Version": "registry/2.0"}, b"{}")

            def _pull_manifest(self) -> None:
                name = urlsplit(self.path).path.removeprefix("/v2/").rsplit("/manifests/", 1)[0]
                if self._bearer() != name:
                    scope = f',scope="repository:{name}:pull",error="insufficient_scope"'
                    return self._send(401, self._challenge(scope))
                headers = {
                    "Content-Type": "application/vnd.oci.image.index.v1+json",
                    "Docker-Content-Digest": "sha256:" + "ab" * 32,
                }
                return self._send(200, headers)

            def _answer(self) -> None:
                auth = self.headers.get("Authorization", "")
                if not auth.startswith("Bearer tok-"):
                    return self._send(401, {"Www-Authenticate": 'Bearer realm="x",service="registry.docker.io"'})
                answer = hub.answers.get(auth.removeprefix("Bearer tok-"), Answer())
                self._send(answer.status, answer.headers, answer.body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def close(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()

    @property
    def manifest_gets(self) -> list[tuple[str, str]]:
        return [r for r in self.requests if r[0] == "GET" and r[1].startswith(MANIFEST)]
