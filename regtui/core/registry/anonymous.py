"""No stored credentials and a Bearer challenge: try what docker tries, an anonymous token.

docker pulls public images without a login: it asks the realm for a token with no
Authorization header, naming ``service`` and ``scope=repository:NAME:pull`` (distribution
token spec, docs/spec/auth/token.md "Requesting a Token"), and sends that token with the
manifest request. A token server that refuses anonymous requests, or a token that does not
grant the scope, means "log in". Statuses (the README's "Anonymous access" section):

- a repository named: the manifest HEAD with the anonymous token decides (ok / fail
  ``anonymous-denied``);
- none named: an anonymous token that ``GET /v2/`` accepts is a warning (``anonymous``), not
  a failure: the registry works, nothing was pulled;
- the token server refuses anonymous tokens: fail ``not-logged-in``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from regtui.core.registry.causes import Cause
from regtui.core.registry.challenge import Challenge
from regtui.core.registry.model import FAIL, OK, SKIP, WARN, Ladder, StepName
from regtui.core.registry.repository_step import error_param, login_fix, pull_scope, repository_step, token_rejection
from regtui.core.registry.token import TokenError, TokenGrant, fetch_token

if TYPE_CHECKING:
    from regtui.core.registry.auth_steps import AuthContext


async def anonymous_steps(ladder: Ladder, ctx: AuthContext, challenge: Challenge) -> None:
    registry = ctx.target.registry
    ladder.add(
        StepName.CREDENTIALS, SKIP, f"no stored credentials for {registry}: trying anonymous access, as docker does"
    )
    scopes = [pull_scope(ctx)] if ctx.repo else []
    grant = await _anonymous_token(ladder, ctx, challenge, scopes)
    if grant is None:
        return
    if ctx.repo:
        await repository_step(ladder, ctx, challenge, None, grant)
        return
    response = await ctx.client.get(f"{ctx.endpoint}/v2/", headers={"Authorization": f"Bearer {grant.token}"})
    said = error_param(response)
    if response.status_code == 200:
        ladder.add(
            StepName.ANONYMOUS_V2,
            WARN,
            "200: not logged in; anonymous access possible (no repository named to test)",
            Cause.ANONYMOUS,
            f"name a repository to test a pull: regtui check {registry} --repo NAME; or log in: {login_fix(registry)}",
        )
    elif rejected := token_rejection(ctx, grant, said):
        why, cause, fix = rejected
        ladder.add(
            StepName.ANONYMOUS_V2, FAIL, f"the registry rejected the anonymous token ({said}): {why}", cause, fix
        )
    else:
        ladder.add(
            StepName.ANONYMOUS_V2,
            FAIL,
            f"not logged in, and the registry refuses the anonymous token ({response.status_code}, {said})",
            Cause.NOT_LOGGED_IN,
            login_fix(registry),
        )


async def _anonymous_token(
    ladder: Ladder, ctx: AuthContext, challenge: Challenge, scopes: list[str]
) -> TokenGrant | None:
    registry = ctx.target.registry
    try:
        grant = await fetch_token(ctx.client, challenge, ctx.endpoint, None, scopes)
    except TokenError as exc:
        if exc.cause == Cause.BAD_CREDENTIALS or exc.status in (401, 403):
            # What was refused is "no credentials": the token server wants a login.
            said = f"{exc.status}: {exc.said}" if exc.said else str(exc.status)
            ladder.add(
                StepName.ANONYMOUS,
                FAIL,
                f"not logged in, and the token server refuses anonymous tokens ({said})",
                Cause.NOT_LOGGED_IN,
                login_fix(registry),
            )
        else:
            ladder.add(StepName.ANONYMOUS, FAIL, exc.what, exc.cause, exc.fix or "")
        return None
    life = f"; expires in {grant.expires_in} s" if grant.expires_in else ""
    what = f" for {scopes[0]}" if scopes else ""
    ladder.add(StepName.ANONYMOUS, OK, f"anonymous token{what} issued via GET{life}")
    return grant
