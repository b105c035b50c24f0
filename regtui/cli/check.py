"""``regtui check``: the connectivity and auth ladder for each registry, streamed as they finish."""

from __future__ import annotations

import asyncio
import sys

import click

from regtui.cli.context import Context, emit_json, pass_context, run_guarded
from regtui.core.errors import InputError
from regtui.core.registry.model import FAIL, OK, SKIP, WARN, CheckResult

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
        workstation = ctx.workstation(lean_http=True)  # a few requests, then exit (core/wire/lean.py)
        names = list(registries) or workstation.registry_keys()
        if not names:
            raise InputError(
                "no registries in config.json to check",
                where=workstation.session.source,
                fix="name one: regtui check REGISTRY (docker.io for Docker Hub)",
            )
        if not as_json and sys.stderr.isatty():
            click.echo(f"checking {len(names)} registr{'y' if len(names) == 1 else 'ies'}…", err=True)

        async def run() -> list[CheckResult]:
            results = []
            async for result in workstation.check(names, timeout=timeout, repo=repo, insecure=insecure):
                results.append(result)
                if not as_json:
                    click.echo(render(result))
            return results

        results = asyncio.run(run())
        healthy = all(r.healthy for r in results)
        if as_json:
            order = {name: i for i, name in enumerate(names)}
            results.sort(key=lambda r: order.get(r.registry, len(order)))
            emit_json({"healthy": healthy, "results": [r.to_json() for r in results]})
        if not healthy:
            raise SystemExit(1)

    run_guarded(body)
