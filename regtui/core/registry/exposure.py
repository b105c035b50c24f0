"""Where the credentials go, said before they are sent.

docker sends the password wherever the registry's challenge points: Basic credentials to
the registry itself, a Bearer login to the token realm (distribution token spec), which may
be another host and may be plain HTTP. docker says nothing; regtui, the diagnostic tool,
adds a step that names the host and the scheme. Plain HTTP on loopback is only a note: the
password does not leave this machine.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from regtui.core.credentials.model import Credential
from regtui.core.registry.causes import Cause
from regtui.core.registry.challenge import Challenge
from regtui.core.registry.model import OK, WARN, Ladder, StepName
from regtui.core.registry.target import Target, is_loopback
from regtui.core.registry.token import realm_url

# Second-level labels under which the registrable domain takes three labels (example.co.uk).
_SHORT_SLDS = frozenset({"ac", "co", "com", "edu", "go", "gov", "ne", "net", "or", "org"})


def _site(host: str) -> str:
    """The registrable part of a DNS name, roughly: the last two labels (three under co.uk & co)."""
    try:
        ipaddress.ip_address(host)
        return host
    except ValueError:
        pass
    labels = host.split(".")
    keep = 3 if len(labels) >= 3 and labels[-2] in _SHORT_SLDS else 2
    return ".".join(labels[-keep:])


def _where(url: str) -> tuple[str, str, str] | None:
    """(scheme, host, scheme://host[:port]/path) without user info or query; None if it does not parse."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError:
        return None
    host = (parts.hostname or "").lower().rstrip(".")
    if not host or parts.scheme not in ("http", "https"):
        return None
    return parts.scheme, host, f"{parts.scheme}://{parts.netloc.rsplit('@', 1)[-1]}{parts.path}"


def exposure_step(ladder: Ladder, target: Target, challenge: Challenge, endpoint: str, secret: Credential) -> None:
    """Adds a ``sent-to`` step when the credentials go somewhere worth knowing about."""
    url = f"{endpoint}/v2/" if challenge.scheme == "basic" else realm_url(challenge, endpoint)
    where = _where(url)
    if where is None:
        return  # the token step reports a realm that does not parse
    scheme, host, shown = where
    what = "identity token" if secret.identity_token else "password"
    registry_host = target.host.lower().strip("[]")
    warnings: list[tuple[str, Cause, str]] = []
    notes: list[str] = []
    if scheme == "http" and not is_loopback(host):
        warnings.append(
            (
                f"your {what} goes in clear text to {shown}",
                Cause.CLEARTEXT_CREDENTIALS,
                "serve the registry (and its token server) over HTTPS; until then anyone on the path can read "
                f"the {what}: use one you use nowhere else",
            )
        )
    elif scheme == "http":
        notes.append(f"your {what} goes over plain HTTP to {shown}, on this machine (loopback)")
    if host != registry_host:
        if _site(host) == _site(registry_host) and not is_loopback(host):
            notes.append(f"credentials go to the token server {host}, beside {registry_host}")
        else:
            warnings.append(
                (
                    f"credentials are sent to {host}, not the registry {registry_host} ({shown})",
                    Cause.FOREIGN_REALM,
                    f"make sure {host} is the registry's own token server: the registry's WWW-Authenticate "
                    "header chose it, and docker sends the password there too",
                )
            )
    if warnings:
        detail = "; ".join([w[0] for w in warnings] + notes)
        ladder.add(StepName.SENT_TO, WARN, detail, warnings[0][1], "; ".join(w[2] for w in warnings))
    elif notes:
        ladder.add(StepName.SENT_TO, OK, "; ".join(notes))
