"""The last rung: may this identity (a user, or anonymous) pull a repository? A manifest HEAD says.

The reference is split as docker splits it (distribution/reference ``ParseNormalizedNamed``):
``name[:tag]`` or ``name@digest``, ``latest`` by default; on Docker Hub a one-part name is an
official image under ``library/``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from regtui.core import wire
from regtui.core.credentials.model import Credential
from regtui.core.registry.causes import Cause
from regtui.core.registry.challenge import Challenge, ChallengeParseError, parse_challenges
from regtui.core.registry.media_types import MANIFEST_ACCEPT
from regtui.core.registry.model import FAIL, OK, Ladder, StepName
from regtui.core.registry.token import TokenError, TokenGrant, clock_skew, fetch_token
from regtui.core.registry_names import is_hub

if TYPE_CHECKING:
    from regtui.core.registry.auth_steps import AuthContext

SKEW_LIMIT = 60.0  # distribution allows 60 s of leeway on nbf/exp
CLOCK_FIX = "sync the clock: timedatectl set-ntp true (or chronyc makestep)"
UNTRUSTED_FIX = (
    "the registry does not trust this token server: check auth.token issuer, service and "
    "rootcertbundle in its configuration"
)


def token_rejection(ctx: AuthContext, grant: TokenGrant, said: str) -> tuple[str, Cause, str] | None:
    """(why, cause, fix) when the registry rejected the token itself (``invalid_token``: a bad
    signature, issuer or time), not the access it grants; None otherwise."""
    if said != "error=invalid_token":
        return None
    skew = clock_skew(grant.claims, ctx.now())
    if skew is not None and abs(skew) > SKEW_LIMIT:
        return f"this machine's clock is {skew:+.0f} s off the token's", Cause.CLOCK_SKEW, CLOCK_FIX
    return "the registry does not accept its token server's tokens", Cause.TOKEN_REJECTED, UNTRUSTED_FIX


def split_reference(repo: str, registry_key: str) -> tuple[str, str]:
    """(repository name, tag or digest) of what the user typed after ``--repo``."""
    name, at, digest = repo.partition("@")
    if at:
        reference = digest
    elif ":" in name.rsplit("/", 1)[-1]:
        name, _, reference = name.rpartition(":")
    else:
        reference = "latest"
    if is_hub(registry_key) and name and "/" not in name:
        name = f"library/{name}"
    return name, reference


def pull_scope(ctx: AuthContext) -> str:
    return f"repository:{split_reference(ctx.repo or '', ctx.target.key)[0]}:pull"


def error_param(response: wire.Response) -> str:
    """The ``error=`` of a 401's challenge (insufficient_scope, invalid_token), else the status."""
    for header in response.headers.get_list("www-authenticate"):
        try:
            for challenge in parse_challenges(header):
                if challenge.error:
                    return f"error={challenge.error}"
        except ChallengeParseError:
            continue
    return str(response.status_code)


def login_fix(registry: str, user: str | None = None) -> str:
    return f"regtui login {registry} -u {user or 'USER'}"


async def repository_step(
    ladder: Ladder,
    ctx: AuthContext,
    challenge: Challenge | None,
    secret: Credential | None,
    grant: TokenGrant | None = None,
) -> None:
    """HEAD the manifest with ``grant`` (an anonymous token already scoped), or a fresh token
    for ``secret`` (None: anonymous), or Basic credentials."""
    name, reference = split_reference(ctx.repo or "", ctx.target.key)
    shown = f"{name}@{reference}" if reference.startswith("sha256:") else f"{name}:{reference}"
    headers = {"Accept": MANIFEST_ACCEPT}
    auth: tuple[str, str] | None = None  # the clients carry no auth of their own
    if grant is None and challenge is not None and challenge.scheme == "bearer":
        try:
            grant = await fetch_token(ctx.client, challenge, ctx.endpoint, secret, [f"repository:{name}:pull"])
        except TokenError as exc:
            ladder.add(StepName.REPOSITORY, FAIL, exc.what, exc.cause, exc.fix or "")
            return
    if grant is not None:
        headers["Authorization"] = f"Bearer {grant.token}"
    elif challenge is not None and secret is not None:
        auth = (secret.account or "", secret.password or "")
    response = await ctx.client.head(f"{ctx.endpoint}/v2/{name}/manifests/{reference}", headers=headers, auth=auth)
    anonymous = secret is None
    who = "anonymous" if secret is None else (secret.account or "the stored identity token")
    said = error_param(response)
    if response.status_code == 200:
        digest = response.headers.get("docker-content-digest", "")
        verdict = f"anonymous pull of {shown} allowed" if anonymous else f"{who} may pull {shown}"
        ladder.add(StepName.REPOSITORY, OK, verdict + (f" ({digest[:80]})" if digest else ""))
    elif response.status_code == 401 and grant is not None and (rejected := token_rejection(ctx, grant, said)):
        why, cause, fix = rejected
        ladder.add(StepName.REPOSITORY, FAIL, f"the registry rejected the token for {name} ({said}): {why}", cause, fix)
    elif response.status_code in (401, 403) and anonymous:
        # docker says "pull access denied …, repository does not exist or may require 'docker login'":
        # to an anonymous user, registries answer a private and an absent repository alike.
        ladder.add(
            StepName.REPOSITORY,
            FAIL,
            f"denied: anonymous pull of {name} is not allowed, or {name} does not exist ({said}): log in",
            Cause.ANONYMOUS_DENIED,
            f"log in as a user who may pull {name}: {login_fix(ctx.target.registry)}",
        )
    elif response.status_code in (401, 403):
        ladder.add(
            StepName.REPOSITORY,
            FAIL,
            f"{who} may not pull {name} ({said})",
            Cause.DENIED,
            f"ask for pull access to {name}, or log in as a user who has it",
        )
    elif response.status_code == 404:
        ladder.add(
            StepName.REPOSITORY,
            FAIL,
            f"{shown} does not exist (manifest unknown)",
            Cause.NOT_FOUND,
            "check the repository and tag names",
        )
    else:
        ladder.add(
            StepName.REPOSITORY,
            FAIL,
            f"HEAD of {shown} answered {response.status_code}",
            Cause.SERVER_ERROR,
            "check the registry's logs",
        )
