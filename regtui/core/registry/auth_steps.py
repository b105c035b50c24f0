"""The steps after the ping: challenge, credentials, authenticated /v2/, repository pull scope."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Literal, NamedTuple

from regtui.core import wire
from regtui.core.credentials.model import Credential
from regtui.core.errors import RegtuiError
from regtui.core.registry.anonymous import anonymous_steps
from regtui.core.registry.causes import Cause
from regtui.core.registry.challenge import Challenge, ChallengeParseError, parse_challenges, pick
from regtui.core.registry.exposure import exposure_step
from regtui.core.registry.model import FAIL, OK, SKIP, WARN, Ladder, StepName
from regtui.core.registry.ping import PingAnswer
from regtui.core.registry.repository_step import SKEW_LIMIT, error_param, repository_step
from regtui.core.registry.target import Target
from regtui.core.registry.token import TokenError, TokenGrant, clock_skew, fetch_token


class AuthContext(NamedTuple):  # a NamedTuple: a tenth of a dataclass's import time
    target: Target
    endpoint: str
    client: wire.Client
    answer: PingAnswer
    lookup: Callable[[str], Credential | None]
    repo: str | None
    now: Callable[[], float]


def _login_fix(ctx: AuthContext, secret: Credential | None) -> str:
    user = secret.account if secret and secret.account else "USER"
    return f"log in again: regtui login {ctx.target.registry} -u {user}"


def _challenge(ladder: Ladder, ctx: AuthContext) -> Challenge | None | Literal[False]:
    """The chosen challenge; None for an open registry; False when the ladder stops."""
    if ctx.answer.open:
        ladder.add(StepName.CHALLENGE, SKIP, "no authentication required")
        return None
    if not ctx.answer.auth_headers:
        ladder.add(
            StepName.CHALLENGE,
            FAIL,
            "401 without a WWW-Authenticate header",
            Cause.NO_CHALLENGE,
            "a proxy is in the way, or this is not a registry",
        )
        return False
    challenges = []
    try:
        for header in ctx.answer.auth_headers:
            challenges += parse_challenges(header)
    except ChallengeParseError as exc:
        ladder.add(
            StepName.CHALLENGE,
            FAIL,
            exc.what,
            Cause.BAD_CHALLENGE,
            "the server sent a malformed WWW-Authenticate header: a proxy may be in the way",
        )
        return False
    chosen = pick(challenges)
    if chosen is None:
        schemes = ", ".join(c.scheme for c in challenges)
        ladder.add(
            StepName.CHALLENGE,
            FAIL,
            f"no Bearer or Basic challenge (got: {schemes})",
            Cause.UNSUPPORTED_AUTH,
            "regtui, like docker, speaks only Bearer token and Basic authentication",
        )
        return False
    params = ", ".join(f"{k}={v}" for k, v in chosen.params.items() if k in ("realm", "service"))
    ladder.add(StepName.CHALLENGE, OK, f"{chosen.scheme.capitalize()} {params}".strip())
    return chosen


def _skew(ctx: AuthContext, grant: TokenGrant | None) -> float | None:
    now = ctx.now()
    skew = clock_skew(grant.claims, now) if grant else None
    if skew is None and ctx.answer.server_time is not None:
        skew = now - ctx.answer.server_time
    return skew


async def _basic(ladder: Ladder, ctx: AuthContext, secret: Credential) -> bool:
    response = await ctx.client.get(f"{ctx.endpoint}/v2/", auth=(secret.account or "", secret.password or ""))
    if response.status_code == 200:
        ladder.add(StepName.CREDENTIALS, OK, f"the registry accepts {secret.account}'s password (Basic)")
        ladder.add(StepName.AUTHORIZED, OK, "200")
        return True
    ladder.add(
        StepName.CREDENTIALS,
        FAIL,
        f"the registry refused {secret.account}'s password ({response.status_code})",
        Cause.BAD_CREDENTIALS,
        _login_fix(ctx, secret),
    )
    return False


async def _bearer(ladder: Ladder, ctx: AuthContext, challenge: Challenge, secret: Credential) -> bool:
    try:
        grant = await fetch_token(ctx.client, challenge, ctx.endpoint, secret)
    except TokenError as exc:
        fix = _login_fix(ctx, secret) if exc.cause == Cause.BAD_CREDENTIALS else (exc.fix or "")
        ladder.add(StepName.CREDENTIALS, FAIL, exc.what, exc.cause, fix)
        return False
    skew = _skew(ctx, grant)
    life = f"; expires in {grant.expires_in} s" if grant.expires_in else ""
    detail = f"token issued via {grant.method}{life}" + ("; refresh token issued" if grant.refresh_token else "")
    if grant.redirects:
        detail += f"; after {len(grant.redirects)} redirect(s) to {grant.redirects[-1]}"
    if grant.withheld_at:
        ladder.add(
            StepName.CREDENTIALS,
            WARN,
            f"{detail}; the realm redirected to {grant.withheld_at}, where the credentials were not sent "
            "(docker does not send them there either), so the token is anonymous",
            Cause.TOKEN_REDIRECT,
            "point the registry's token realm at the token server's own address",
        )
    elif skew is not None and abs(skew) > SKEW_LIMIT:
        ladder.add(
            StepName.CREDENTIALS,
            WARN,
            f"{detail}; this machine's clock is {skew:+.0f} s off the server's",
            Cause.CLOCK_SKEW,
            "sync the clock: timedatectl set-ntp true (or chronyc makestep)",
        )
    else:
        ladder.add(StepName.CREDENTIALS, OK, detail)
    response = await ctx.client.get(f"{ctx.endpoint}/v2/", headers={"Authorization": f"Bearer {grant.token}"})
    if response.status_code == 200:
        ladder.add(StepName.AUTHORIZED, OK, "200 with the token")
        return True
    said = error_param(response)
    if skew is not None and abs(skew) > SKEW_LIMIT:
        ladder.add(
            StepName.AUTHORIZED,
            FAIL,
            f"the registry rejected the token ({said}); the clock is {skew:+.0f} s off",
            Cause.CLOCK_SKEW,
            "sync the clock: timedatectl set-ntp true (or chronyc makestep)",
        )
    else:
        ladder.add(
            StepName.AUTHORIZED,
            FAIL,
            f"the registry rejected the token server's token ({response.status_code}, {said})",
            Cause.TOKEN_REJECTED,
            "the registry does not trust this token server: check auth.token issuer, service and "
            "rootcertbundle in its configuration",
        )
    return False


async def run_auth_steps(ladder: Ladder, ctx: AuthContext) -> tuple[str | None, str | None]:
    """Returns (username, auth scheme) for the result."""
    challenge = _challenge(ladder, ctx)
    if challenge is False:
        return None, None
    scheme = challenge.scheme if isinstance(challenge, Challenge) else None
    try:
        secret = await asyncio.to_thread(ctx.lookup, ctx.target.key)
    except RegtuiError as exc:
        ladder.add(StepName.CREDENTIALS, FAIL, exc.what, Cause.CREDENTIAL_STORE, exc.fix or "")
        return None, scheme
    username = secret.account if secret else None
    if challenge is None:
        ladder.add(
            StepName.CREDENTIALS,
            SKIP,
            "no credentials needed for /v2/" + (f" (stored for {username})" if username else ""),
        )
    elif secret is None and challenge.scheme == "bearer":
        await anonymous_steps(ladder, ctx, challenge)
        return None, scheme
    elif secret is None:
        ladder.add(
            StepName.CREDENTIALS,
            FAIL,
            f"no stored credentials for {ctx.target.registry}, and it asks for a password (Basic): "
            "Basic authentication has no anonymous access",
            Cause.NOT_LOGGED_IN,
            f"regtui login {ctx.target.registry} -u USER",
        )
        return None, scheme
    elif challenge.scheme == "basic":
        exposure_step(ladder, ctx.target, challenge, ctx.endpoint, secret)
        if not await _basic(ladder, ctx, secret):
            return username, scheme
    else:
        exposure_step(ladder, ctx.target, challenge, ctx.endpoint, secret)
        if not await _bearer(ladder, ctx, challenge, secret):
            return username, scheme
    if ctx.repo:
        await repository_step(ladder, ctx, challenge if isinstance(challenge, Challenge) else None, secret)
    return username, scheme
