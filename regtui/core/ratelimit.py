"""Docker Hub's pull rate limit, read the documented way (https://docs.docker.com/docker-hub/usage/pulls/).

A token for ``repository:ratelimitpreview/test:pull`` (anonymous, or with the user's Hub
credentials), then a **HEAD** of ``/v2/ratelimitpreview/test/manifests/latest``: a GET
would count as a pull. Nothing is hard-coded: the limit and the window come from the
``ratelimit-limit`` / ``ratelimit-remaining`` headers (``100;w=21600``). No headers means
the account is not limited, or Hub does not report it; never zero.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from regtui.core import wire
from regtui.core.credentials.model import Credential
from regtui.core.paths import hub_auth_url, hub_registry_url
from regtui.core.ratelimit_model import (  # noqa: F401 - re-exported for callers
    NO_RESET_NOTE,
    RateLimitMode,
    RateLimitState,
    RateLimitStatus,
    human_window,
    parse_policy_header,
)
from regtui.core.registry.media_types import MANIFEST_ACCEPT
from regtui.core.registry_names import HUB_TOKEN_SERVICE
from regtui.core.safetext import printable, printable_or_none
from regtui.core.wire import ResponseTooLarge, json_object

MAX_TOKEN = 64 << 10
REPOSITORY = "ratelimitpreview/test"
SCOPE = f"repository:{REPOSITORY}:pull"


def exhausted_fix(mode: RateLimitMode) -> str:
    """A logged-in user is not told to log in: the account's own limit is what ran out."""
    if mode == RateLimitMode.AUTHENTICATED:
        return "wait for pulls to leave the window, pull through a mirror, or use an account with a higher limit"
    return "wait for pulls to leave the window, log in (a personal account gets more pulls), or pull through a mirror"


def network_error(exc: wire.HTTPError) -> str:
    """The error's type and text; httpx's timeouts often carry no text at all."""
    text = str(exc).strip()
    if isinstance(exc, wire.TimeoutException) and not text:
        text = "no answer before the timeout"
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _classify(
    mode: RateLimitMode, username: str | None, response: wire.Response, warn_below: int | None
) -> RateLimitStatus:
    headers = response.headers
    try:
        limit, window, policies = parse_policy_header(headers.get("ratelimit-limit"))
        remaining, remaining_window, _ = parse_policy_header(headers.get("ratelimit-remaining"))
    except ValueError as exc:
        return _error(
            mode,
            username,
            f"Docker Hub's rate-limit headers cannot be read: {exc}",
            "a proxy may be rewriting Docker Hub's answers: try again, or without the proxy (HTTPS_PROXY)",
            response.status_code,
        )
    source = headers.get("docker-ratelimit-source")
    base: dict[str, Any] = dict(
        mode=mode,
        username=username,
        limit=limit,
        remaining=remaining,
        window_seconds=window or remaining_window,
        policies=policies,
        source=source,
        http_status=response.status_code,
    )
    if response.status_code == 429:
        if limit is not None or remaining is not None:
            base["remaining"] = 0 if remaining is None else remaining
            return RateLimitStatus(
                **base,
                state=RateLimitState.EXHAUSTED,
                message="pull rate limit reached (429 toomanyrequests)",
                fix=exhausted_fix(mode),
                notes=(NO_RESET_NOTE,),
            )
        return RateLimitStatus(
            **base,
            state=RateLimitState.ABUSE_LIMIT,
            message="429 Too Many Requests without rate-limit headers: Docker Hub's abuse limit "
            "(thousands of requests per minute from this address), not the pull limit",
            fix="slow down whatever is hammering Docker Hub from this address; it lifts by itself",
        )
    if response.status_code >= 400:
        return RateLimitStatus(
            **base,
            state=RateLimitState.ERROR,
            message=f"Docker Hub answered {response.status_code} to the HEAD",
            fix="try again later; check https://www.dockerstatus.com/",
        )
    if limit is None and remaining is None:
        who = "this account" if mode == RateLimitMode.AUTHENTICATED else "this address"
        return RateLimitStatus(
            **base,
            state=RateLimitState.UNLIMITED,
            message=f"no rate-limit headers: {who} is not limited, or Hub does not report it "
            "(paid plans and exempt addresses)",
        )
    if remaining == 0:
        return RateLimitStatus(
            **base,
            state=RateLimitState.EXHAUSTED,
            message="no pulls left in the window",
            fix=exhausted_fix(mode),
            notes=(NO_RESET_NOTE,),
        )
    if warn_below is not None and remaining is not None and remaining < warn_below:
        return RateLimitStatus(
            **base, state=RateLimitState.LOW, message=f"fewer than {warn_below} pulls left", notes=(NO_RESET_NOTE,)
        )
    return RateLimitStatus(**base, state=RateLimitState.OK, notes=(NO_RESET_NOTE,))


def _error(
    mode: RateLimitMode, username: str | None, message: str, fix: str, status: int | None = None
) -> RateLimitStatus:
    return RateLimitStatus(
        mode=mode, state=RateLimitState.ERROR, username=username, message=message, fix=fix, http_status=status
    )


async def _token(client: wire.Client, credential: Credential | None) -> tuple[str | None, RateLimitStatus | None]:
    mode = RateLimitMode.AUTHENTICATED if credential else RateLimitMode.ANONYMOUS
    username = credential.username if credential and not credential.is_identity_token else None
    url = hub_auth_url()
    params = {"service": HUB_TOKEN_SERVICE, "scope": SCOPE}
    try:
        if credential and credential.is_identity_token:
            response = await client.post(
                url,
                data={
                    **params,
                    "grant_type": "refresh_token",
                    "client_id": "regtui",
                    "refresh_token": credential.secret,
                },
            )
        else:
            auth = (credential.username, credential.secret) if credential else None
            response = await client.get(url, params=params, auth=auth)
    except ResponseTooLarge as exc:
        return None, _error(
            mode, username, f"the Hub token endpoint {url} sent {exc}", "try again later; check any proxy in the way"
        )
    except wire.HTTPError as exc:
        return None, _error(
            mode,
            username,
            f"the Hub token endpoint {url} is unreachable: {network_error(exc)}",
            "check the network and any proxy (HTTPS_PROXY, NO_PROXY)",
        )
    if response.status_code == 401:
        return None, _error(
            mode,
            username,
            "Docker Hub rejected the stored credentials (401 at the token endpoint)",
            "log in again: regtui login -u USER (a personal access token works as the password)",
            401,
        )
    if response.status_code >= 400:
        return None, _error(
            mode,
            username,
            f"the Hub token endpoint answered {response.status_code}",
            "try again later",
            response.status_code,
        )
    try:
        body = json_object(response.content)
        token = body.get("token") or body.get("access_token")
    except ValueError:
        token = None
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN:
        return None, _error(
            mode, username, "the Hub token endpoint sent no token", "try again later", response.status_code
        )
    return token, None


async def read_rate_limit(
    client: wire.Client, credential: Credential | None = None, *, warn_below: int | None = None
) -> RateLimitStatus:
    """One reading, anonymous when ``credential`` is None. Sends a GET for the token and a HEAD.

    Never raises for what the network or Hub does; the text it keeps from Hub has no control characters.
    """
    mode = RateLimitMode.AUTHENTICATED if credential else RateLimitMode.ANONYMOUS
    try:
        status = await _read_rate_limit(client, credential, warn_below)
    except Exception as exc:  # noqa: BLE001 - a safety net: a classified reading, never a traceback
        status = _error(
            mode,
            credential.username if credential and not credential.is_identity_token else None,
            f"unexpected {type(exc).__name__}: {str(exc)[:300]}",
            "please report this with the output of regtui ratelimit --json",
        )
    return dataclasses.replace(
        status,
        source=printable_or_none(status.source),
        policies=tuple(printable(p) for p in status.policies),
        message=printable(status.message),
    )


async def _read_rate_limit(
    client: wire.Client, credential: Credential | None, warn_below: int | None
) -> RateLimitStatus:
    mode = RateLimitMode.AUTHENTICATED if credential else RateLimitMode.ANONYMOUS
    username = credential.username if credential and not credential.is_identity_token else None
    token, failure = await _token(client, credential)
    if failure is not None:
        return failure
    url = f"{hub_registry_url()}/v2/{REPOSITORY}/manifests/latest"
    try:
        response = await client.head(url, headers={"Authorization": f"Bearer {token}", "Accept": MANIFEST_ACCEPT})
    except wire.HTTPError as exc:
        return _error(
            mode,
            username,
            f"Docker Hub ({hub_registry_url()}) is unreachable: {network_error(exc)}",
            "check the network and any proxy (HTTPS_PROXY, NO_PROXY)",
        )
    return _classify(mode, username, response, warn_below)


def hub_credential(config_dir: str | None = None) -> tuple[Credential | None, str]:
    """The Docker Hub credential from whichever store serves it, or None and a note saying why.

    Blocking (it may run a credential helper). A store that fails is a note, not an error: the
    anonymous reading is still worth showing.
    """
    from regtui.core.credentials.resolve import read_credential
    from regtui.core.docker_config import env_auth_config, load_docker_config
    from regtui.core.errors import RegtuiError
    from regtui.core.registry_names import HUB_KEY

    try:
        credential = read_credential(load_docker_config(config_dir), HUB_KEY, env_auths=env_auth_config())
    except RegtuiError as exc:
        return None, f"could not read the Docker Hub credentials: {exc.what}"
    if credential is None:
        return None, "not logged in to Docker Hub (regtui login -u USER adds the logged-in reading)"
    return credential, ""


async def read_hub(
    credential: Credential | None, *, warn_below: int | None = None, timeout: float = 15.0
) -> tuple[RateLimitStatus, RateLimitStatus | None]:
    """The anonymous reading and, with a credential, the logged-in one, side by side."""
    import asyncio

    from regtui.core.wire import new_client

    async with new_client(timeout) as client:
        anonymous = read_rate_limit(client, None, warn_below=warn_below)
        if credential is None:
            return await anonymous, None
        anon, auth = await asyncio.gather(anonymous, read_rate_limit(client, credential, warn_below=warn_below))
        return _paired(anon, auth)


def read_hub_blocking(
    credential: Credential | None, *, warn_below: int | None = None, timeout: float = 15.0
) -> tuple[RateLimitStatus, RateLimitStatus | None]:
    """``read_hub`` for a process with nothing else to do (``regtui ratelimit``): the same readings,
    one after the other, over the blocking client (core/wire/blocking.py), without an event loop.
    Only for direct connections: with a proxy set, ``read_hub`` sends through httpx."""
    from regtui.core.wire.blocking import BlockingClient, run_blocking

    client = BlockingClient(timeout)
    try:
        anon = run_blocking(read_rate_limit(client, None, warn_below=warn_below))
        if credential is None:
            return anon, None
        return _paired(anon, run_blocking(read_rate_limit(client, credential, warn_below=warn_below)))
    finally:
        client.close()


def _paired(anon: RateLimitStatus, auth: RateLimitStatus) -> tuple[RateLimitStatus, RateLimitStatus]:
    if anon.fix == exhausted_fix(RateLimitMode.ANONYMOUS):  # already logged in: docker pulls with the account
        anon = dataclasses.replace(anon, fix=exhausted_fix(RateLimitMode.AUTHENTICATED))
    return anon, auth
