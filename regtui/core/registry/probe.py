"""The check ladder for one registry, and for many at once (reference/domain.md §3.10).

DNS → TCP → TLS → anonymous ``GET /v2/`` → challenge → credentials → ``GET /v2/`` with them
→ optionally a repository's pull scope. Each step is timed; the first failure stops the
ladder and carries a cause code and a fix. Network code is async; looking credentials up
(a helper subprocess, the keyring) runs in a thread.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import socket
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass

import httpx

from regtui.core.errors import RegtuiError
from regtui.core.registry.auth_steps import AuthContext, run_auth_steps
from regtui.core.registry.clients import RegistryClients
from regtui.core.registry.model import FAIL, OK, SKIP, WARN, CheckResult, Step
from regtui.core.registry.ping import ping, proxy_note
from regtui.core.registry.target import Target, target_for
from regtui.core.registry.tls import check_tls
from regtui.core.registry.token import Secret

Resolver = Callable[[str, int], Awaitable[list[str]]]
SecretLookup = Callable[[str], "Secret | None"]
DEFAULT_CONCURRENCY = 128


@dataclass(frozen=True)
class CheckOptions:
    timeout: float = 10.0
    repo: str | None = None
    insecure: bool = False


async def system_resolver(host: str, port: int) -> list[str]:
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(info[4][0] for info in infos))


class Ladder:
    """Collects the timed steps of one check."""

    def __init__(self) -> None:
        self.steps: list[Step] = []
        self._start = time.perf_counter()

    def add(self, name: str, status: str, detail: str = "", cause: str = "", fix: str = "") -> Step:
        step = Step(name, status, (time.perf_counter() - self._start) * 1000, detail, cause, fix)
        self.steps.append(step)
        self._start = time.perf_counter()
        return step


async def _dns(ladder: Ladder, target: Target, resolve: Resolver, timeout: float) -> list[str] | None:
    try:
        addresses = await asyncio.wait_for(resolve(target.host, target.port), timeout)
    except socket.gaierror as exc:
        ladder.add(
            "dns",
            FAIL,
            f"{target.host} does not resolve: {exc.strerror or exc}",
            "dns",
            "check the registry name; check /etc/resolv.conf, a VPN or the registry's DNS record",
        )
        return None
    except TimeoutError:
        ladder.add(
            "dns",
            FAIL,
            f"no DNS answer for {target.host} within {timeout:g} s",
            "dns-timeout",
            "check the DNS servers in /etc/resolv.conf",
        )
        return None
    if not addresses:
        ladder.add("dns", FAIL, f"{target.host} has no address", "dns", "check the registry's DNS record")
        return None
    ladder.add("dns", OK, ", ".join(addresses))
    return addresses


async def _tcp(ladder: Ladder, target: Target, address: str, timeout: float) -> bool:
    note = proxy_note(target.host)
    try:
        _, writer = await asyncio.wait_for(asyncio.open_connection(address, target.port), timeout)
        writer.close()
    except TimeoutError:
        ladder.add(
            "tcp",
            FAIL,
            f"no answer from {address}:{target.port} within {timeout:g} s" + (f"; {note}" if note else ""),
            "timeout",
            "a firewall drops the packets or the host is down; check the port and the route",
        )
        return False
    except ConnectionRefusedError:
        ladder.add(
            "tcp",
            FAIL,
            f"{address}:{target.port} refused the connection",
            "refused",
            f"is the registry running and listening on port {target.port}?",
        )
        return False
    except OSError as exc:
        ladder.add(
            "tcp",
            FAIL,
            f"cannot reach {address}:{target.port}: {exc.strerror or exc}" + (f"; {note}" if note else ""),
            "unreachable",
            "check the network route to the registry",
        )
        return False
    ladder.add("tcp", OK, f"{address}:{target.port}" + (f"; {note}" if note else ""))
    return True


_TLS_FIXES = {
    "untrusted-cert": "put the registry's CA certificate at {ca_dir}/ca.crt (docker and regtui read *.crt there)",
    "expired-cert": "renew the registry's certificate; check that this machine's clock is right",
    "wrong-host": "use the name the certificate was issued for, or reissue it with {host} in subjectAltName",
    "tls-error": "check the registry's TLS configuration",
}


async def _tls(ladder: Ladder, target: Target, address: str, timeout: float, insecure: bool) -> tuple[str, bool] | None:
    """Returns (scheme, verify) for the HTTP steps, or None when the ladder stops here."""
    if target.scheme == "http":
        ladder.add("tls", SKIP, f"plain HTTP ({target.http_reason})")
        return "http", False
    outcome = await check_tls(address, target.port, target.host, target.hostport, timeout)
    if outcome.ok:
        cert = outcome.cert
        detail = f"{cert.subject}, issued by {cert.issuer}" if cert else "verified"
        days = cert.days_left(dt.datetime.now(dt.UTC)) if cert else None
        if days is not None and days < 14:
            ladder.add(
                "tls",
                WARN,
                f"{detail}; expires in {days} days",
                "expiring-cert",
                "renew the registry's certificate soon",
            )
        else:
            ladder.add("tls", OK, detail + (f"; CA from {', '.join(outcome.ca_files)}" if outcome.ca_files else ""))
        return "https", True
    if outcome.cause == "timeout":
        ladder.add(
            "tls",
            FAIL,
            outcome.detail,
            "timeout",
            "the server accepted the connection but is stuck: check the registry and any proxy in front of it",
        )
        return None
    if outcome.cause in ("plain-http", "reset") and target.http_allowed:
        why = "no TLS" if outcome.cause == "plain-http" else outcome.detail
        ladder.add("tls", SKIP, f"{why}; plain HTTP allowed ({target.http_reason})")
        return "http", False
    if outcome.cause == "reset":
        ladder.add(
            "tls",
            FAIL,
            outcome.detail,
            "reset",
            "a proxy or firewall may be cutting TLS connections; or the registry speaks plain HTTP",
        )
        return None
    if outcome.cause == "plain-http":
        ladder.add(
            "tls",
            FAIL,
            "the registry speaks plain HTTP, not HTTPS",
            "plain-http",
            f'add "{target.hostport}" to "insecure-registries" in daemon.json (then systemctl reload docker), '
            "or use --insecure",
        )
        return None
    if insecure or target.http_reason.startswith("insecure-registries"):
        ladder.add("tls", WARN, f"{outcome.detail}; not verified ({target.http_reason or '--insecure'})", outcome.cause)
        return "https", False
    fix = _TLS_FIXES[outcome.cause].format(ca_dir=outcome.ca_dir, host=target.host)
    ladder.add("tls", FAIL, outcome.detail, outcome.cause, fix)
    return None


async def check_registry(
    name: str | None,
    *,
    lookup: SecretLookup,
    clients: RegistryClients,
    options: CheckOptions = CheckOptions(),
    resolve: Resolver = system_resolver,
    now: Callable[[], float] = time.time,
) -> CheckResult:
    """Run the whole ladder for one registry. Never raises for a registry's misbehaviour."""
    started = time.perf_counter()
    target = target_for(name, insecure=options.insecure)
    ladder = Ladder()
    endpoint, username, scheme_name = target.base_url(), None, None
    try:
        addresses = await _dns(ladder, target, resolve, options.timeout)
        if addresses and await _tcp(ladder, target, addresses[0], options.timeout):
            chosen = await _tls(ladder, target, addresses[0], options.timeout, options.insecure)
            if chosen is not None:
                scheme, verify = chosen
                endpoint = target.base_url(scheme)
                client = clients.get(target.hostport, verify=verify)
                answer = await ping(ladder, client, endpoint, options.timeout)
                if answer is not None:
                    context = AuthContext(target, endpoint, client, answer, lookup, options.repo, now)
                    username, scheme_name = await run_auth_steps(ladder, context)
    except (httpx.HTTPError, OSError, RegtuiError) as exc:  # a safety net: classified, never a traceback
        ladder.add(
            "unexpected",
            FAIL,
            f"{type(exc).__name__}: {exc}",
            "unexpected",
            "please report this with the output of regtui check --json",
        )
    return CheckResult(
        target.registry, endpoint, tuple(ladder.steps), scheme_name, username, (time.perf_counter() - started) * 1000
    )


async def check_many(
    names: list[str | None],
    *,
    lookup: SecretLookup,
    clients: RegistryClients | None = None,
    options: CheckOptions = CheckOptions(),
    resolve: Resolver = system_resolver,
    concurrency: int = DEFAULT_CONCURRENCY,
) -> AsyncIterator[CheckResult]:
    """Check every registry at once (at most ``concurrency`` in flight); yield each as it finishes.

    Without ``clients``, it makes its own and closes them when done.
    """
    own = clients is None
    pool = RegistryClients(options.timeout) if clients is None else clients
    gate = asyncio.Semaphore(concurrency)

    async def one(name: str | None) -> CheckResult:
        async with gate:
            return await check_registry(name, lookup=lookup, clients=pool, options=options, resolve=resolve)

    try:
        for finished in asyncio.as_completed([asyncio.ensure_future(one(n)) for n in names]):
            yield await finished
    finally:
        if own:
            await pool.aclose()
