"""The check ladder for one registry, and for many at once (docs/architecture.md, "The check ladder").

DNS → TCP → TLS → anonymous ``GET /v2/`` → challenge → credentials → ``GET /v2/`` with them
→ optionally a repository's pull scope. Each step is timed; the first failure stops the
ladder and carries a cause code and a fix. Network code is async; looking credentials up
(a helper subprocess, the keyring) runs in a thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import socket
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import NamedTuple

from regtui.core.credentials.model import Credential
from regtui.core.registry.auth_steps import AuthContext, run_auth_steps
from regtui.core.registry.causes import Cause
from regtui.core.registry.clients import RegistryClients
from regtui.core.registry.model import FAIL, OK, CheckResult, Ladder, StepName
from regtui.core.registry.ping import ping, proxy_note
from regtui.core.registry.safety import (
    REGISTRY_DEADLINE_FACTOR,
    RUN_DEADLINE_FACTOR,
    safety_net,
    step_in_progress,
)
from regtui.core.registry.target import Target, target_for
from regtui.core.registry.tls_step import tls_step as _tls
from regtui.core.wire import preload

Resolver = Callable[[str, int], Awaitable[list[str]]]
SecretLookup = Callable[[str], "Credential | None"]
DEFAULT_CONCURRENCY = 128


class CheckOptions(NamedTuple):  # a NamedTuple: a tenth of a frozen dataclass's import time
    timeout: float = 10.0
    repo: str | None = None
    insecure: bool = False


DEFAULTS = CheckOptions()


async def system_resolver(host: str, port: int) -> list[str]:
    """getaddrinfo in a daemon thread of its own. The loop's executor would do, but asyncio.run
    joins its threads on the way out, so a resolver that hangs (a dead DNS server: 5 s a try,
    several tries) would hold the process long after the DNS step's timeout gave up on it."""
    import threading

    loop = asyncio.get_running_loop()
    answer: asyncio.Future[list[str]] = loop.create_future()

    def settle(result: list[str] | None, error: BaseException | None) -> None:
        if not answer.done():
            answer.set_exception(error) if error is not None else answer.set_result(result or [])

    def lookup() -> None:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
            result, error = list(dict.fromkeys(str(info[4][0]) for info in infos)), None
        except BaseException as exc:  # noqa: BLE001 - handed to the awaiting task as it is
            result, error = None, exc
        with contextlib.suppress(RuntimeError):  # the loop is closed: nobody waits any more
            loop.call_soon_threadsafe(settle, result, error)

    threading.Thread(target=lookup, name=f"dns {host}", daemon=True).start()
    return await answer


def _ip_literal(host: str) -> str | None:
    try:
        return str(ipaddress.ip_address(host.strip("[]")))
    except ValueError:
        return None


async def _dns(ladder: Ladder, target: Target, resolve: Resolver, timeout: float) -> list[str] | None:
    literal = _ip_literal(target.host)
    if literal is not None:  # its own answer, as Go's resolver (and so docker) takes it: no lookup thread
        ladder.add(StepName.DNS, OK, literal)
        return [literal]
    try:
        addresses = await asyncio.wait_for(resolve(target.host, target.port), timeout)
    except socket.gaierror as exc:
        ladder.add(
            StepName.DNS,
            FAIL,
            f"{target.host} does not resolve: {exc.strerror or exc}",
            Cause.DNS,
            "check the registry name; check /etc/resolv.conf, a VPN or the registry's DNS record",
        )
        return None
    except TimeoutError:
        ladder.add(
            StepName.DNS,
            FAIL,
            f"no DNS answer for {target.host} within {timeout:g} s",
            Cause.DNS_TIMEOUT,
            "check the DNS servers in /etc/resolv.conf",
        )
        return None
    if not addresses:
        ladder.add(StepName.DNS, FAIL, f"{target.host} has no address", Cause.DNS, "check the registry's DNS record")
        return None
    ladder.add(StepName.DNS, OK, ", ".join(addresses))
    return addresses


async def _tcp(ladder: Ladder, target: Target, address: str, timeout: float) -> bool:
    note = proxy_note(target.host)
    try:
        _, writer = await asyncio.wait_for(asyncio.open_connection(address, target.port), timeout)
        writer.close()
    except TimeoutError:
        ladder.add(
            StepName.TCP,
            FAIL,
            f"no answer from {address}:{target.port} within {timeout:g} s" + (f"; {note}" if note else ""),
            Cause.TIMEOUT,
            "a firewall drops the packets or the host is down; check the port and the route",
        )
        return False
    except ConnectionRefusedError:
        ladder.add(
            StepName.TCP,
            FAIL,
            f"{address}:{target.port} refused the connection",
            Cause.REFUSED,
            f"is the registry running and listening on port {target.port}?",
        )
        return False
    except OSError as exc:
        ladder.add(
            StepName.TCP,
            FAIL,
            f"cannot reach {address}:{target.port}: {exc.strerror or exc}" + (f"; {note}" if note else ""),
            Cause.UNREACHABLE,
            "check the network route to the registry",
        )
        return False
    ladder.add(StepName.TCP, OK, f"{address}:{target.port}" + (f"; {note}" if note else ""))
    return True


async def check_registry(
    name: str | None,
    *,
    lookup: SecretLookup,
    clients: RegistryClients,
    options: CheckOptions = DEFAULTS,
    resolve: Resolver = system_resolver,
    now: Callable[[], float] = time.time,
    deadline: float | None = None,
) -> CheckResult:
    """Run the whole ladder for one registry. Never raises for a registry's misbehaviour.

    ``deadline`` (the event loop's clock) bounds it as a whole; by default 3 × the timeout.
    """
    started = time.perf_counter()
    limit = REGISTRY_DEADLINE_FACTOR * options.timeout
    own_deadline = asyncio.get_running_loop().time() + limit
    why = f"the check did not finish within {limit:g} s ({REGISTRY_DEADLINE_FACTOR} × the timeout)"
    if deadline is not None and deadline < own_deadline:
        own_deadline = deadline
        why = f"the run's deadline ({RUN_DEADLINE_FACTOR} × the timeout) passed before this check finished"
    ladder = Ladder()
    registry, endpoint, username, scheme_name = str(name or "docker.io"), "", None, None
    scope = asyncio.timeout_at(own_deadline)
    try:
        async with scope:
            target = target_for(name, insecure=options.insecure)
            registry, endpoint = target.registry, target.base_url()
            addresses = await _dns(ladder, target, resolve, options.timeout)
            target = target.resolved(addresses or [])  # a CIDR in insecure-registries matches addresses
            if addresses and await _tcp(ladder, target, addresses[0], options.timeout):
                chosen = await _tls(ladder, target, addresses[0], options.timeout, options.insecure)
                if chosen is not None:
                    scheme, verify = chosen
                    endpoint = target.base_url(scheme)
                    client = clients.get(target.certs_name, verify=verify)
                    answer = await ping(ladder, client, endpoint, options.timeout)
                    if answer is not None:
                        context = AuthContext(target, endpoint, client, answer, lookup, options.repo, now)
                        username, scheme_name = await run_auth_steps(ladder, context)
    except TimeoutError as exc:
        if not scope.expired():  # a TimeoutError of some step's own, not the deadline
            safety_net(ladder, exc)
            return _result(registry, endpoint, ladder, scheme_name, username, started)
        ladder.add(
            step_in_progress(ladder.steps),
            FAIL,
            why + ("" if ladder.steps else " (it never started: other registries held every slot)"),
            Cause.TIMEOUT,
            "the registry or a server it sends regtui to is hung or very slow; try a larger --timeout",
        )
    except Exception as exc:  # noqa: BLE001 - the safety net: classified, never a traceback
        safety_net(ladder, exc)
    return _result(registry, endpoint, ladder, scheme_name, username, started)


def _result(
    registry: str, endpoint: str, ladder: Ladder, scheme: str | None, user: str | None, started: float
) -> CheckResult:
    return CheckResult(registry, endpoint, tuple(ladder.steps), scheme, user, (time.perf_counter() - started) * 1000)


async def check_many(
    names: list[str | None],
    *,
    lookup: SecretLookup,
    clients: RegistryClients | None = None,
    options: CheckOptions = DEFAULTS,
    resolve: Resolver = system_resolver,
    concurrency: int = DEFAULT_CONCURRENCY,
) -> AsyncIterator[CheckResult]:
    """Check every registry at once (at most ``concurrency`` in flight); yield each as it finishes.

    Without ``clients``, it makes its own and closes them when done. The run as a whole ends by
    4 × the timeout: a registry still waiting or running then is a ``timeout`` failure.
    """
    own = clients is None
    pool = RegistryClients(options.timeout) if clients is None else clients
    gate = asyncio.Semaphore(concurrency)
    await asyncio.to_thread(preload)  # the HTTP stack's imports, off the event loop
    run_deadline = asyncio.get_running_loop().time() + RUN_DEADLINE_FACTOR * options.timeout

    async def one(name: str | None) -> CheckResult:
        async with gate:
            return await check_registry(
                name, lookup=lookup, clients=pool, options=options, resolve=resolve, deadline=run_deadline
            )

    try:
        for finished in asyncio.as_completed([asyncio.ensure_future(one(n)) for n in names]):
            yield await finished
    finally:
        if own:
            await pool.aclose()
