"""Docker Hub's pull rate limit, read the documented way (reference/domain.md §4).

A token for ``repository:ratelimitpreview/test:pull`` (anonymous, or with the user's Hub
credentials), then a **HEAD** of ``/v2/ratelimitpreview/test/manifests/latest``: a GET
would count as a pull. Nothing is hard-coded: the limit and the window come from the
``ratelimit-limit`` / ``ratelimit-remaining`` headers (``100;w=21600``). No headers means
the account is not limited, or Hub does not report it; never zero.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

import httpx

from regtui.core.credentials.model import Credential
from regtui.core.paths import hub_auth_url, hub_registry_url

SERVICE = "registry.docker.io"
REPOSITORY = "ratelimitpreview/test"
SCOPE = f"repository:{REPOSITORY}:pull"
MANIFEST_ACCEPT = ", ".join(
    [
        "application/vnd.docker.distribution.manifest.v2+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.oci.image.index.v1+json",
    ]
)
NO_RESET_NOTE = "Docker Hub sends no reset time: pulls come back as they leave the rolling window"

_NUMBER = re.compile(r"^\s*(\d+)")
_WINDOW = re.compile(r"\bw\s*=\s*(\d+)")


@dataclass(frozen=True)
class RateLimitStatus:
    """One reading. ``state``: ok | low | exhausted | unlimited | abuse-limit | error."""

    mode: str  # "anonymous" | "authenticated"
    state: str
    username: str | None = None
    limit: int | None = None
    remaining: int | None = None
    window_seconds: int | None = None
    policies: tuple[str, ...] = ()
    source: str | None = None
    http_status: int | None = None
    message: str = ""
    fix: str = ""
    notes: tuple[str, ...] = field(default=())

    @property
    def percent_remaining(self) -> float | None:
        if self.limit and self.remaining is not None:
            return round(100 * self.remaining / self.limit, 1)
        return None

    @property
    def healthy(self) -> bool:
        return self.state in ("ok", "unlimited")

    def to_json(self) -> dict[str, object]:
        data = asdict(self)
        data["policies"] = list(self.policies)
        data["notes"] = list(self.notes)
        data["percent_remaining"] = self.percent_remaining
        return data


def parse_policy_header(value: str | None) -> tuple[int | None, int | None, tuple[str, ...]]:
    """``100;w=21600`` or ``100;w=21600, 25;w=3600`` -> (100, 21600, policies)."""
    if not value:
        return None, None, ()
    policies = tuple(p.strip() for p in value.split(",") if p.strip())
    first = policies[0] if policies else ""
    number = _NUMBER.match(first)
    window = _WINDOW.search(first)
    return (int(number.group(1)) if number else None, int(window.group(1)) if window else None, policies)


def human_window(seconds: int | None) -> str:
    if seconds is None:
        return "not reported"
    if seconds % 3600 == 0:
        hours = seconds // 3600
        return f"{hours} hour{'s' if hours != 1 else ''}"
    if seconds % 60 == 0:
        return f"{seconds // 60} minutes"
    return f"{seconds} seconds"


def _classify(mode: str, username: str | None, response: httpx.Response, warn_below: int | None) -> RateLimitStatus:
    headers = response.headers
    limit, window, policies = parse_policy_header(headers.get("ratelimit-limit"))
    remaining, remaining_window, _ = parse_policy_header(headers.get("ratelimit-remaining"))
    source = headers.get("docker-ratelimit-source")
    base = dict(
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
                state="exhausted",
                message="pull rate limit reached (429 toomanyrequests)",
                fix="wait for pulls to leave the window, log in, or pull through a mirror",
                notes=(NO_RESET_NOTE,),
            )
        return RateLimitStatus(
            **base,
            state="abuse-limit",
            message="429 Too Many Requests without rate-limit headers: Docker Hub's abuse limit "
            "(thousands of requests per minute from this address), not the pull limit",
            fix="slow down whatever is hammering Docker Hub from this address; it lifts by itself",
        )
    if response.status_code >= 400:
        return RateLimitStatus(
            **base,
            state="error",
            message=f"Docker Hub answered {response.status_code} to the HEAD",
            fix="try again later; check https://www.dockerstatus.com/",
        )
    if limit is None and remaining is None:
        who = "this account" if mode == "authenticated" else "this address"
        return RateLimitStatus(
            **base,
            state="unlimited",
            message=f"no rate-limit headers: {who} is not limited, or Hub does not report it "
            "(paid plans and exempt addresses)",
        )
    if remaining == 0:
        return RateLimitStatus(
            **base,
            state="exhausted",
            message="no pulls left in the window",
            fix="wait, log in, or pull through a mirror",
            notes=(NO_RESET_NOTE,),
        )
    if warn_below is not None and remaining is not None and remaining < warn_below:
        return RateLimitStatus(
            **base, state="low", message=f"fewer than {warn_below} pulls left", notes=(NO_RESET_NOTE,)
        )
    return RateLimitStatus(**base, state="ok", notes=(NO_RESET_NOTE,))


def _error(mode: str, username: str | None, message: str, fix: str, status: int | None = None) -> RateLimitStatus:
    return RateLimitStatus(mode=mode, state="error", username=username, message=message, fix=fix, http_status=status)


async def _token(client: httpx.AsyncClient, credential: Credential | None) -> tuple[str | None, RateLimitStatus | None]:
    mode = "authenticated" if credential else "anonymous"
    username = credential.username if credential and not credential.is_identity_token else None
    url = hub_auth_url()
    params = {"service": SERVICE, "scope": SCOPE}
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
    except httpx.HTTPError as exc:
        return None, _error(
            mode,
            username,
            f"the Hub token endpoint {url} is unreachable: {exc.__class__.__name__}: {exc}",
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
        body = response.json()
        token = body.get("token") or body.get("access_token")
    except (ValueError, AttributeError):
        token = None
    if not isinstance(token, str) or not token:
        return None, _error(
            mode, username, "the Hub token endpoint sent no token", "try again later", response.status_code
        )
    return token, None


async def read_rate_limit(
    client: httpx.AsyncClient, credential: Credential | None = None, *, warn_below: int | None = None
) -> RateLimitStatus:
    """One reading, anonymous when ``credential`` is None. Sends a GET for the token and a HEAD."""
    mode = "authenticated" if credential else "anonymous"
    username = credential.username if credential and not credential.is_identity_token else None
    token, failure = await _token(client, credential)
    if failure is not None:
        return failure
    url = f"{hub_registry_url()}/v2/{REPOSITORY}/manifests/latest"
    try:
        response = await client.head(url, headers={"Authorization": f"Bearer {token}", "Accept": MANIFEST_ACCEPT})
    except httpx.HTTPError as exc:
        return _error(
            mode,
            username,
            f"Docker Hub ({hub_registry_url()}) is unreachable: {exc.__class__.__name__}: {exc}",
            "check the network and any proxy (HTTPS_PROXY, NO_PROXY)",
        )
    return _classify(mode, username, response, warn_below)
