"""``regtui check``: the connectivity and auth ladder for each registry, streamed as they finish."""

from __future__ import annotations

import asyncio
import sys

import click

from regtui.cli.context import Context, emit_json, pass_context, run_guarded
from regtui.core.credentials.resolve import list_registries
from regtui.core.docker_config import env_auth_config
from regtui.core.errors import InputError
from regtui.core.http import lean_transport
from regtui.core.registry.model import FAIL, OK, SKIP, WARN, CheckResult
from regtui.core.registry.probe import CheckOptions, check_many
from regtui.core.registry.secrets import secret_lookup

_MARK = {
    OK: click.style("✓", fg="green"),
    FAIL: click.style("✗", fg="red", bold=True),
    WARN: click.style("!", fg="yellow"),
    SKIP: click.style("-", dim=True),
}


def render(result: CheckResult) -> str:
    head_mark = _MARK[OK] if result.healthy else _MARK[FAIL]
    auth = f"{result.auth_scheme.capitalize()}" if result.auth_scheme else "open"
    who = f", {result.username}" if result.username else (", anonymous" if result.anonymous else "")
    lines = [
        f"{head_mark} {click.style(result.registry, bold=True)}  {result.endpoint}  ({auth}{who})  {result.ms:.0f} ms"
    ]
    for step in result.steps:
        lines.append(f"  {_MARK.get(step.status, '?')} {step.title:<26} {step.ms:7.1f} ms  {step.detail}")
        if step.status in (FAIL, WARN) and step.fix:
            lines.append(f"      cause: {step.cause}")
            lines.append(f"      fix: {step.fix}")
    return "\n".join(lines)


@click.command("check")
@click.argument("registries", nargs=-1)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output (never contains secrets).")
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=10.0,
    show_default=True,
    metavar="S",
    help="Deadline of each request, connect to last byte; a registry's whole check ends by 3×S, the run by 4×S.",
)
@click.option("--repo", metavar="NAME[:TAG]", help="Also check pull access to this repository.")
@click.option("--insecure", is_flag=True, help="Allow plain HTTP and unverified TLS for these registries.")
@pass_context
def check_cmd(
    ctx: Context, registries: tuple[str, ...], as_json: bool, timeout: float, repo: str | None, insecure: bool
) -> None:
    """Check DNS, TCP, TLS, /v2/, auth challenge, credentials (and a repository) for each registry.

    With no REGISTRY, every registry config.json knows. Exit 0 when all are healthy, 1 otherwise.
    """

    def body() -> None:
        config = ctx.docker_config()
        env = env_auth_config()
        names: list[str | None] = list(registries) or [s.key for s in list_registries(config, env_auths=env)]
        if not names:
            raise InputError(
                "no registries in config.json to check",
                where=config.path,
                fix="name one: regtui check REGISTRY (docker.io for Docker Hub)",
            )
        if not as_json and sys.stderr.isatty():
            click.echo(f"checking {len(names)} registr{'y' if len(names) == 1 else 'ies'}…", err=True)
        results = asyncio.run(
            _run(
                names,
                secret_lookup(config, env),
                CheckOptions(timeout, repo, insecure),
                None if as_json else lambda r: click.echo(render(r)),
            )
        )
        healthy = all(r.healthy for r in results)
        if as_json:
            order = {name: i for i, name in enumerate(names)}
            results.sort(key=lambda r: order.get(r.registry, len(order)))
            emit_json({"healthy": healthy, "results": [r.to_json() for r in results]})
        if not healthy:
            raise SystemExit(1)

    with lean_transport():  # a few requests, then exit: no httpcore/anyio to import (core/lean_http.py)
        run_guarded(body)


async def _run(names, lookup, options, on_result) -> list[CheckResult]:  # noqa: ANN001
    results = []
    async for result in check_many(names, lookup=lookup, options=options):
        results.append(result)
        if on_result:
            on_result(result)
    return results
