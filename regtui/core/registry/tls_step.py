"""The ladder's TLS step, judged as docker judges it.

A registry docker treats as insecure (loopback, daemon.json ``insecure-registries``,
``--insecure``) is used over HTTPS without verification, then over plain HTTP (moby/moby
registry/service_v2.go ``lookupV2Endpoints``): a certificate that does not verify is a
warning there, and a port without TLS falls back to HTTP. Anywhere else it is a failure,
and the fix names the certs.d directory docker reads for that registry name.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from regtui.core.paths import docker_certs_d
from regtui.core.registry.causes import Cause
from regtui.core.registry.model import FAIL, OK, SKIP, WARN, Ladder, StepName
from regtui.core.registry.target import Target
from regtui.core.registry.tls import TlsOutcome, check_tls

VERIFY_CAUSES = (Cause.UNTRUSTED_CERT, Cause.EXPIRED_CERT, Cause.WRONG_HOST)
NO_TLS_CAUSES = (Cause.PLAIN_HTTP, Cause.RESET, Cause.TLS_ERROR)


def _other_form(certs_name: str) -> Path | None:
    """The certs.d directory people put certificates in by mistake: host vs host:443."""
    if not certs_name:
        return None
    if certs_name.endswith(":443"):
        other = certs_name[:-4]
    elif ":" not in certs_name.rsplit("]", 1)[-1]:
        other = f"{certs_name}:443"
    else:
        return None
    path = docker_certs_d() / other
    return path if path.is_dir() else None


def _fix(target: Target, outcome: TlsOutcome) -> str:
    where = outcome.ca_dir
    if outcome.cause == Cause.UNTRUSTED_CERT:
        if where is None:
            return "the system CA store does not trust it: install the CA (update-ca-certificates)"
        fix = f"put the registry's CA certificate at {where}/ca.crt (docker reads the *.crt files there)"
        other = _other_form(target.certs_name)
        if other is not None:
            fix = f"docker reads {where} for {target.registry}, not {other}: move the files, or " + fix
        return fix
    if outcome.cause == Cause.EXPIRED_CERT:
        return "renew the registry's certificate; check that this machine's clock is right"
    if outcome.cause == Cause.WRONG_HOST:
        return f"use the name the certificate was issued for, or reissue it with {target.host} in subjectAltName"
    if outcome.cause == Cause.CLIENT_CERT_REQUIRED:
        other = _other_form(target.certs_name)
        hint = f" (docker reads {where}, not {other})" if other is not None else ""
        return f"put a client certificate and its key at {where}/client.cert and {where}/client.key{hint}"
    if outcome.cause == Cause.CLIENT_CERT_REFUSED:
        return "use a client certificate signed by a CA the registry trusts (distribution: http.tls.clientcas)"
    if outcome.cause == Cause.CERTS_DIR:
        if outcome.detail.startswith("cannot read"):
            return f"make {where} a directory readable by this user (docker reads it as root)"
        return f"give every x.cert its x.key in {where} (CA certificates end in .crt); docker refuses it as it is"
    return "check the registry's TLS configuration"


def _verified(ladder: Ladder, outcome: TlsOutcome, extra: str, insecure_reason: str) -> None:
    cert = outcome.cert
    detail = f"{cert.subject}, issued by {cert.issuer}" if cert else "verified"
    if outcome.ca_files:
        detail += f"; CA from {', '.join(outcome.ca_files)}"
    if outcome.certs and outcome.certs.pairs:
        detail += f"; client certificate {outcome.certs.pairs[0][0]}"
    days = cert.days_left(dt.datetime.now(dt.UTC)) if cert else None
    if outcome.certs and outcome.certs.pairs and insecure_reason:
        # dockerd and the docker CLI read no certs.d for an insecure registry (newTLSConfig):
        # they present no client certificate, the registry refuses the handshake, and HTTP fails too.
        ladder.add(
            StepName.TLS,
            WARN,
            f"{detail}; docker does not present it: it reads no certs.d for an insecure registry ({insecure_reason})",
            Cause.CLIENT_CERT_INSECURE,
            "docker uses client certificates only with registries it treats as secure: take the registry out of "
            "insecure-registries, or (loopback is always insecure) reach it at a non-loopback address",
        )
    elif days is not None and days < 14:
        ladder.add(StepName.TLS, WARN, f"{detail}; expires in {days} days{extra}", Cause.EXPIRING_CERT, "renew it soon")
    elif extra:
        ladder.add(StepName.TLS, WARN, detail + extra, Cause.CERTS_DIR, "")
    else:
        ladder.add(StepName.TLS, OK, detail)


async def tls_step(
    ladder: Ladder, target: Target, address: str, timeout: float, insecure: bool
) -> tuple[str, bool] | None:
    """Returns (scheme, verify) for the HTTP steps, or None when the ladder stops here."""
    if target.scheme == "http":
        ladder.add(StepName.TLS, SKIP, f"plain HTTP ({target.http_reason})")
        return "http", False
    reason = target.http_reason or ("--insecure" if insecure else "")
    allowed = target.http_allowed or insecure
    outcome = await check_tls(address, target.port, target.host, target.certs_name, timeout)
    extra = ""
    if outcome.cause == Cause.CERTS_DIR:
        if not allowed:
            ladder.add(StepName.TLS, FAIL, outcome.detail, Cause.CERTS_DIR, _fix(target, outcome))
            return None
        extra = f"; {outcome.detail} (docker does not read certs.d for an insecure registry)"
        outcome = await check_tls(address, target.port, target.host, "", timeout)
    if outcome.ok:
        _verified(ladder, outcome, extra, reason if allowed else "")
        return "https", True
    if outcome.cause == Cause.TIMEOUT:
        ladder.add(
            StepName.TLS,
            FAIL,
            outcome.detail,
            Cause.TIMEOUT,
            "the server accepted the connection but is stuck: check the registry and any proxy in front of it",
        )
        return None
    if outcome.cause in NO_TLS_CAUSES and allowed:
        why = "no TLS" if outcome.cause == Cause.PLAIN_HTTP else outcome.detail
        ladder.add(StepName.TLS, SKIP, f"{why}; plain HTTP allowed ({reason}){extra}")
        return "http", False
    if outcome.cause in VERIFY_CAUSES and allowed and outcome.unverified_refusal:
        # docker's unverified connection presents no client certificate, and this registry wants one.
        ladder.add(
            StepName.TLS,
            FAIL,
            f"{outcome.detail}; unverified, as docker connects to an insecure registry ({reason}), and without "
            f"a client certificate, the registry refuses the handshake ({outcome.unverified_refusal})",
            Cause.CLIENT_CERT_REQUIRED,
            "docker presents client certificates only to registries it treats as secure and verifies: "
            + _fix(target, outcome),
        )
        return None
    if outcome.cause in VERIFY_CAUSES and allowed:
        ladder.add(
            StepName.TLS,
            WARN,
            f"{outcome.detail}; not verified: docker does not verify an insecure registry ({reason}){extra}",
            outcome.cause,
            _fix(target, outcome) + " (skopeo, podman and containerd verify it)",
        )
        return "https", False
    if outcome.cause == Cause.RESET:
        ladder.add(
            StepName.TLS,
            FAIL,
            outcome.detail,
            Cause.RESET,
            "a proxy or firewall may be cutting TLS connections; or the registry speaks plain HTTP",
        )
        return None
    if outcome.cause == Cause.PLAIN_HTTP:
        ladder.add(
            StepName.TLS,
            FAIL,
            "the registry speaks plain HTTP, not HTTPS",
            Cause.PLAIN_HTTP,
            f'add "{target.key}" to "insecure-registries" in daemon.json (then systemctl reload docker), '
            "or use --insecure",
        )
        return None
    ladder.add(StepName.TLS, FAIL, outcome.detail, outcome.cause, _fix(target, outcome))
    return None
