"""The ``regtui`` command: a click group; bare ``regtui`` starts the TUI (imported lazily)."""

from __future__ import annotations

import click

from regtui import __version__
from regtui.cli.check import check_cmd
from regtui.cli.context import Context, run_guarded
from regtui.cli.credentials import logout_cmd, migrate_cmd, registries_cmd
from regtui.cli.login import login_cmd
from regtui.cli.mirrors import mirrors_cmd
from regtui.cli.ratelimit import ratelimit_cmd


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--config", "config_dir", metavar="DIR", help="Docker config directory (default: $DOCKER_CONFIG or ~/.docker)."
)
@click.option("--read-only", is_flag=True, help="TUI: disable every action that writes.")
@click.option("--demo", is_flag=True, help="TUI: show made-up registries (no files read or written).")
@click.version_option(__version__, prog_name="regtui")
@click.pass_context
def main(ctx: click.Context, config_dir: str | None, read_only: bool, demo: bool) -> None:
    """Container registry credentials, checks, mirrors and Docker Hub rate limits.

    Run without a command to open the terminal UI.
    """
    ctx.obj = Context(config_dir=config_dir, read_only=read_only)
    if ctx.invoked_subcommand is None:
        from regtui.ui.launch import run_tui  # lazy: the CLI commands never import textual

        run_guarded(lambda: run_tui(config_dir=config_dir, read_only=read_only, demo=demo))


main.add_command(registries_cmd)
main.add_command(logout_cmd)
main.add_command(migrate_cmd)
main.add_command(ratelimit_cmd)
main.add_command(check_cmd)
main.add_command(login_cmd)
main.add_command(mirrors_cmd)
