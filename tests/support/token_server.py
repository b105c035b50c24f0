"""A token issuer for the distribution registry's ``auth: token`` mode, on 127.0.0.1.

It signs ES256 JWTs that distribution 2.8 accepts (distribution registry/auth/token/token.go): header ``kid`` =
the libtrust fingerprint of a key whose certificate is in the registry's rootcertbundle,
``aud`` a JSON string, the signature raw R||S. GET /token with Basic credentials (and
``offline_token=true`` for a refresh token); POST /token for the OAuth2 password and
refresh_token grants, chunked bodies included (skopeo sends them). Grants are the
intersection of what was asked and what the user may do. Anonymous (a GET without
Authorization, as docker sends for a public image) may pull ``public/`` only; with
``anonymous_tokens`` False the issuer refuses anonymous requests with 401.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.x509.oid import NameOID

ISSUER = "regtui-test-issuer"
SERVICE = "regtui-token-registry"


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def libtrust_kid(public_key: ec.EllipticCurvePublicKey) -> str:
    der = public_key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    digest = base64.b32encode(hashlib.sha256(der).digest()[:30]).decode().rstrip("=")
    return ":".join(digest[i : i + 4] for i in range(0, 48, 4))


@dataclass
class User:
    password: str
    may: dict[str, set[str]]  # repository prefix ("*" for all) -> allowed actions


@dataclass
class TokenServer:
    root: Path
    users: dict[str, User] = field(
        default_factory=lambda: {
            "regtui": User("regtui-s3cret", {"*": {"pull", "push"}}),
            "regtui-ro": User("ro-s3cret", {"regtui/": {"pull"}}),
        }
    )
    anonymous: dict[str, set[str]] = field(default_factory=lambda: {"public/": {"pull"}})
    anonymous_tokens: bool = True  # False: a GET without credentials is refused (401), as a login-only issuer does
    clock_shift: float = 0.0  # seconds added to every time the issuer writes into a token
    oauth: bool = True  # False: POST answers 404, and GET accepts a refresh token as the password
    refresh_tokens: dict[str, str] = field(default_factory=dict)
    log: list[str] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None
    host: str = "127.0.0.1"  # any loopback address: 127.0.0.2 is "another host" on the same machine

    def __post_init__(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        self.key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "regtui test token signer")])
        now = dt.datetime.now(dt.UTC)
        cert = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(self.key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(self.key, hashes.SHA256())
        )
        self.bundle = self.root / "token-root.pem"
        self.bundle.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        self.kid = libtrust_kid(self.key.public_key())

    @property
    def realm(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/token"

    def registry_auth_yaml(self) -> str:
        return (
            f"auth:\n  token:\n    realm: {self.realm}\n    service: {SERVICE}\n    issuer: {ISSUER}\n"
            f"    rootcertbundle: {self.bundle}\n"
        )

    # -- tokens ------------------------------------------------------------------------------
    def _granted(self, user: str | None, scopes: list[str]) -> list[dict[str, object]]:
        access = []
        for scope in scopes:
            for item in scope.split(" "):
                kind, _, rest = item.partition(":")
                name, _, actions = rest.rpartition(":")
                allowed: set[str] = set()
                for prefix, acts in (self.users[user].may if user is not None else self.anonymous).items():
                    if prefix == "*" or name.startswith(prefix):
                        allowed |= acts
                wanted = [a for a in actions.split(",") if a in allowed]
                if kind == "repository" and wanted:
                    access.append({"type": kind, "name": name, "actions": wanted})
        return access

    def sign(self, user: str | None, scopes: list[str]) -> str:
        now = int(time.time() + self.clock_shift)
        header = {"typ": "JWT", "alg": "ES256", "kid": self.kid}
        claims = {
            "iss": ISSUER,
            "sub": user or "",
            "aud": SERVICE,
            "exp": now + 300,
            "nbf": now - 5,
            "iat": now,
            "jti": secrets.token_hex(8),
            "access": self._granted(user, scopes),
        }
        signing_input = f"{_b64url(json.dumps(header).encode())}.{_b64url(json.dumps(claims).encode())}"
        r, s = decode_dss_signature(self.key.sign(signing_input.encode(), ec.ECDSA(hashes.SHA256())))
        return f"{signing_input}.{_b64url(r.to_bytes(32, 'big') + s.to_bytes(32, 'big'))}"

    def _check_password(self, user: str, password: str) -> bool:
        if user in self.users and self.users[user].password == password:
            return True
        return not self.oauth and self.refresh_tokens.get(password) == user

    # -- HTTP --------------------------------------------------------------------------------
    def start(self) -> TokenServer:
        issuer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def _json(self, status: int, body: dict[str, object]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _refused(self) -> None:
                self._json(
                    401,
                    {
                        "errors": [
                            {"code": "UNAUTHORIZED", "message": "incorrect username or password", "detail": None}
                        ],
                        "details": "incorrect username or password",
                    },
                )

            def _body(self) -> bytes:
                if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                    data = b""
                    while True:
                        size = int(self.rfile.readline().strip().split(b";")[0], 16)
                        if size == 0:
                            self.rfile.readline()
                            return data
                        data += self.rfile.read(size)
                        self.rfile.readline()
                return self.rfile.read(int(self.headers.get("Content-Length") or 0))

            def do_GET(self) -> None:  # noqa: N802
                url = urlsplit(self.path)
                query = parse_qs(url.query)
                user = None
                auth = self.headers.get("Authorization", "")
                if auth.startswith("Basic "):
                    name, _, password = base64.b64decode(auth[6:]).decode().partition(":")
                    if not issuer._check_password(name, password):
                        issuer.log.append(f"GET refused {name}")
                        return self._refused()
                    user = name
                elif not issuer.anonymous_tokens:
                    issuer.log.append("GET refused anonymous")
                    return self._refused()
                issuer.log.append(f"GET user={user} client_id={query.get('client_id')} ua={self.headers['User-Agent']}")
                body: dict[str, object] = {
                    "token": issuer.sign(user, query.get("scope", [])),
                    "expires_in": 300,
                    "issued_at": dt.datetime.now(dt.UTC).isoformat(),
                }
                body["access_token"] = body["token"]
                if user and query.get("offline_token") == ["true"]:
                    body["refresh_token"] = issuer._new_refresh(user)
                self._json(200, body)

            def do_POST(self) -> None:  # noqa: N802
                form = {k: v[0] for k, v in parse_qs(self._body().decode()).items()}
                issuer.log.append(f"POST grant={form.get('grant_type')} client_id={form.get('client_id')}")
                if not issuer.oauth:
                    return self._json(404, {"error": "not_found"})
                grant = form.get("grant_type")
                if grant == "password":
                    user = form.get("username", "")
                    if not issuer._check_password(user, form.get("password", "")):
                        return self._refused()
                elif grant == "refresh_token":
                    user = issuer.refresh_tokens.get(form.get("refresh_token", ""))
                    if user is None:
                        return self._json(
                            400, {"error": "invalid_grant", "error_description": "unknown or revoked refresh token"}
                        )
                else:
                    return self._json(400, {"error": "unsupported_grant_type"})
                scopes = form.get("scope", "").split(" ") if form.get("scope") else []
                body: dict[str, object] = {
                    "access_token": issuer.sign(user, scopes),
                    "scope": form.get("scope", ""),
                    "expires_in": 300,
                    "issued_at": dt.datetime.now(dt.UTC).isoformat(),
                }
                if grant == "refresh_token":
                    body["refresh_token"] = form["refresh_token"]
                elif form.get("access_type") == "offline":
                    body["refresh_token"] = issuer._new_refresh(user)
                self._json(200, body)

        self.server = ThreadingHTTPServer((self.host, 0), Handler)
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def _new_refresh(self, user: str) -> str:
        token = "rt-" + secrets.token_hex(12)
        self.refresh_tokens[token] = user
        return token

    def close(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
