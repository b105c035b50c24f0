"""``regtui report``: everything regtui knows about this workstation, for a support ticket."""

from __future__ import annotations

import asyncio
import sys

import click

from regtui.cli.context import Context, emit_json, pass_context, run_guarded
from regtui.core.errors import InputError
from regtui.core.report import DEADLINE_FACTOR, DEFAULT_TIMEOUT
from regtui.core.report_render import markdown, text


@click.command("report")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output (stable keys, never a secret).")
@click.option("--markdown", "as_markdown", is_flag=True, help="A Markdown document to paste into a GitHub issue.")
@click.option("--show-users", is_flag=True, help="Keep user names (masked by default, as in a***e).")
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=DEFAULT_TIMEOUT,
    show_default=True,
    metavar="S",
    help=f"Seconds each network step may take; the whole report ends within {DEADLINE_FACTOR}×S.",
)
@pass_context
def report_cmd(ctx: Context, as_json: bool, as_markdown: bool, show_users: bool, timeout: float) -> None:
    """Everything regtui knows about this workstation in one go, for a support ticket; no secrets.

    Registries and their stores, every registry's check, mirrors with their health, Docker
    Hub's rate limit, file modes, tool versions and the environment. Exit 0 when every
    registry passes its check, 1 otherwise (as regtui check).
    """

    def body() -> None:
        if as_json and as_markdown:
            raise InputError("--json and --markdown exclude each other", fix="choose one")
        if not as_json and sys.stderr.isatty():
            click.echo("gathering the report…", err=True)
        report = asyncio.run(ctx.workstation().gather_report(timeout))
        document = report.to_json(show_users=show_users)
        if as_json:
            emit_json(document)
        else:
            click.echo(markdown(document) if as_markdown else text(document), nl=False)
        if not report.healthy:
            raise SystemExit(1)

    run_guarded(body)
