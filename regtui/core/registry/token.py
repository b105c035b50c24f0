"""Bearer token exchange with a registry's token server (distribution token spec,
https://distribution.github.io/distribution/spec/auth/token/, and its OAuth2 variant, spec/auth/oauth/).

Username and password: ``GET <realm>?service=…&scope=…&account=…`` with Basic auth.
An identity (refresh) token: the OAuth2 ``POST`` ``grant_type=refresh_token``, falling back
to the GET on 400/401/404/405, as containerd does for servers without OAuth2.
"""

from __future__ import annotations

import base64
import time
from typing import NamedTuple
from urllib.parse import urljoin

from regtui.core import wire
from regtui.core.credentials.model import Credential
from regtui.core.errors import RegtuiError
from regtui.core.registry.causes import Cause
from regtui.core.registry.challenge import Challenge, realm_problem
from regtui.core.registry.redirects import Followed, RedirectError, send_following
from regtui.core.safetext import printable
from regtui.core.wire import ResponseTooLarge, human_size, json_body, json_object

CLIENT_ID = "regtui"
FALLBACK_STATUSES = (400, 401, 404, 405)
MAX_TOKEN = 64 << 10  # a token answer is capped at 1 MiB by the client (regtui/core/wire); a token at 64 KiB


Secret = Credential.from_login
"""What a registry login needs, from its parts: ``Secret(username, password)``, or
``Secret(account, None, identity_token)``; the one Credential type (credentials/model.py)."""


class TokenGrant(NamedTuple):  # a NamedTuple: a tenth of a frozen dataclass's import time
    token: str
    method: str  # GET | POST
    expires_in: int | None = None
    issued_at: str | None = None
    refresh_token: str | None = None
    claims: dict[str, object] = {}  # noqa: RUF012 - never changed: jwt_claims makes a new one each time
    redirects: tuple[str, ...] = ()  # where the realm sent the request, in order
    withheld_at: str | None = None  # the host a redirect reached, where credentials were not sent

    def __repr__(self) -> str:  # never the token or the refresh token
        return f"TokenGrant(method={self.method!r}, expires_in={self.expires_in!r}, redirects={self.redirects!r})"


class TokenError(RegtuiError):
    def __init__(
        self, what: str, *, cause: Cause, status: int | None = None, fix: str | None = None, said: str = ""
    ) -> None:
        self.cause, self.status, self.said = cause, status, printable(said)
        super().__init__(printable(what), fix=fix)  # it quotes the server: no control sequences


def _server_says(response: wire.Response) -> str:
    """The error text a token server sent (docker shows ``details``), without echoing much."""
    try:
        body = json_body(response.content)
    except ValueError:
        return printable(response.content[:200].decode("utf-8", "replace")).strip()
    said = ""
    if isinstance(body, dict):
        for key in ("details", "error_description", "error"):
            if isinstance(body.get(key), str):
                said = body[key]
                break
        errors = body.get("errors")
        if not said and isinstance(errors, list) and errors and isinstance(errors[0], dict):
            said = str(errors[0].get("message", ""))[:300]
    return printable(said[:300])


def jwt_claims(token: str) -> dict[str, object]:
    """The claims of a JWT, unverified (only to compare times with the local clock)."""
    parts = token.split(".")
    if len(parts) != 3 or len(token) > MAX_TOKEN:
        return {}
    try:
        padded = parts[1] + "=" * (-len(parts[1]) % 4)
        claims = json_body(base64.urlsafe_b64decode(padded))
    except (ValueError, TypeError):
        return {}
    return claims if isinstance(claims, dict) else {}


def clock_skew(claims: dict[str, object], now: float | None = None) -> float | None:
    """Seconds the local clock is behind (negative) or ahead of the token's issue time."""
    now = time.time() if now is None else now
    issued = claims.get("iat") or claims.get("nbf")
    if not isinstance(issued, int | float) or isinstance(issued, bool) or not -(10**12) < issued < 10**12:
        return None  # not a time (a huge number, NaN, infinity): nothing to compare
    return now - issued


def _grant(response: wire.Response, method: str) -> TokenGrant:
    try:
        body = json_object(response.content)
        token = body.get("token") or body.get("access_token")
    except ValueError:
        body, token = {}, None
    if not isinstance(token, str) or not token:
        raise TokenError(
            "the token server answered without a token (not a JSON object with a token)",
            cause=Cause.TOKEN_ENDPOINT,
            status=response.status_code,
            fix="check the token server's logs",
        )
    refresh = body.get("refresh_token")
    if len(token) > MAX_TOKEN or (isinstance(refresh, str) and len(refresh) > MAX_TOKEN):
        raise TokenError(
            f"the token server sent a token larger than {human_size(MAX_TOKEN)}",
            cause=Cause.TOKEN_ENDPOINT,
            status=response.status_code,
            fix="check the token server's configuration: registry tokens are a few KiB",
        )
    expires = body.get("expires_in")
    issued = body.get("issued_at")
    return TokenGrant(
        token,
        method,
        expires if isinstance(expires, int) and not isinstance(expires, bool) and 0 < expires < 10**9 else None,
        printable(issued[:64]) if isinstance(issued, str) else None,
        refresh if isinstance(refresh, str) else None,
        jwt_claims(token),
    )


def realm_url(challenge: Challenge, registry_base: str) -> str:
    """The realm, resolved against the registry URL when it is relative (as regclient does).

    A realm that does not parse comes back as sent (``realm_problem`` says what is wrong with it).
    """
    try:
        return urljoin(registry_base + "/", challenge.realm or "")
    except ValueError:
        return challenge.realm or ""


async def fetch_token(
    client: wire.Client,
    challenge: Challenge,
    registry_base: str,
    secret: Credential | None,
    scopes: list[str] | None = None,
    *,
    offline: bool = False,
) -> TokenGrant:
    """A token for ``scopes`` (none: just log in). Raises TokenError with a cause code."""
    if not challenge.realm:
        raise TokenError(
            "the Bearer challenge names no realm (token server)",
            cause=Cause.BAD_CHALLENGE,
            fix="the registry's auth configuration is incomplete",
        )
    problem = realm_problem(challenge.realm, registry_base)
    if problem:
        raise TokenError(
            problem,
            cause=Cause.BAD_REALM,
            fix="the registry's auth configuration names a broken token server: fix its realm (auth.token.realm)",
        )
    url = realm_url(challenge, registry_base)
    scopes = scopes or []
    post_refusal: TokenError | None = None
    try:
        if secret is not None and secret.identity_token:
            form = {
                "grant_type": "refresh_token",
                "refresh_token": secret.identity_token,
                "service": challenge.service or "",
                "client_id": CLIENT_ID,
            }
            if scopes:
                form["scope"] = " ".join(scopes)
            if offline:
                form["access_type"] = "offline"
            followed = await send_following(client, "POST", url, data=form, body_is_secret=True)
            response = followed.response
            if response.status_code < 400:
                return _followed(_grant(response, "POST"), followed)
            post_refusal = _failure(response, followed)
            if response.status_code not in FALLBACK_STATUSES or not secret.account:
                raise post_refusal
        params: list[tuple[str, str]] = [("service", challenge.service or "")]
        params += [("scope", s) for s in scopes]
        authorization = None
        if secret is not None and secret.account:
            params.append(("account", secret.account))
            pair = f"{secret.account}:{secret.password or secret.identity_token or ''}"
            authorization = "Basic " + base64.b64encode(pair.encode()).decode()
        if offline:
            params += [("client_id", CLIENT_ID), ("offline_token", "true")]
        followed = await send_following(client, "GET", url, params=params, authorization=authorization)
        response = followed.response
    except RedirectError as exc:
        raise TokenError(
            f"the token server {url} redirects badly: {exc.what}"
            + (f" ({' -> '.join(exc.trail)})" if exc.trail else ""),
            cause=Cause.TOKEN_REDIRECT,
            fix="fix the token server's redirects, or point the registry's realm at the final URL",
        ) from exc
    except ResponseTooLarge as exc:
        raise TokenError(
            f"the token server {url} sent {exc}",
            cause=Cause.TOKEN_ENDPOINT,
            fix="check the token server: a token answer is a few KiB",
        ) from exc
    except wire.TimeoutException as exc:
        raise TokenError(
            f"the token server {url} did not answer in time: {exc}",
            cause=Cause.TOKEN_UNREACHABLE,
            fix="check that the token server is up and reachable from here",
        ) from exc
    except wire.HTTPError as exc:
        raise TokenError(
            f"the token server {url} is unreachable: {exc}",
            cause=Cause.TOKEN_UNREACHABLE,
            fix="check that the token server is up; check HTTPS_PROXY/NO_PROXY",
        ) from exc
    if response.status_code >= 400:
        refusal = _failure(response, followed)
        # When the GET fallback fails too, the OAuth2 server's own reason says more.
        raise post_refusal if post_refusal is not None and post_refusal.status == 400 else refusal
    return _followed(_grant(response, "GET"), followed)


def _followed(grant: TokenGrant, followed: Followed) -> TokenGrant:
    return grant._replace(redirects=followed.trail, withheld_at=followed.withheld_at)


def _failure(response: wire.Response, followed: Followed | None = None) -> TokenError:
    said = _server_says(response)
    if followed is not None and followed.withheld_at and response.status_code in (401, 403):
        return TokenError(
            f"the token realm redirected to {followed.withheld_at}, where credentials are not sent "
            f"(docker does not send them there either); it answered {response.status_code}"
            + (f": {said}" if said else ""),
            cause=Cause.TOKEN_REDIRECT,
            status=response.status_code,
            fix="point the registry's token realm at the token server's own address, or make it redirect "
            "within its own host",
        )
    if response.status_code == 401 or (response.status_code == 400 and b"invalid_grant" in response.content):
        return TokenError(
            f"the token server refused the credentials ({response.status_code}" + (f": {said})" if said else ")"),
            cause=Cause.BAD_CREDENTIALS,
            status=response.status_code,
            said=said,
        )
    return TokenError(
        f"the token server answered {response.status_code}" + (f": {said}" if said else ""),
        cause=Cause.TOKEN_ENDPOINT,
        status=response.status_code,
        fix="check the token server's logs",
        said=said,
    )
