"""The ``regtui`` command: a click group; bare ``regtui`` starts the TUI.

Subcommands are imported only when they run (httpx alone costs ~85 ms to import), so the
TUI and the light commands start fast.
"""

from __future__ import annotations

import importlib

import click

from regtui import __version__
from regtui.cli.context import Context, run_guarded

COMMANDS = {
    "check": "regtui.cli.check:check_cmd",
    "login": "regtui.cli.login:login_cmd",
    "logout": "regtui.cli.credentials:logout_cmd",
    "migrate": "regtui.cli.credentials:migrate_cmd",
    "mirrors": "regtui.cli.mirrors:mirrors_cmd",
    "ratelimit": "regtui.cli.ratelimit:ratelimit_cmd",
    "registries": "regtui.cli.credentials:registries_cmd",
}


class LazyGroup(click.Group):
    """Imports a subcommand's module when that subcommand is used (or listed by --help)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        target = COMMANDS.get(name)
        if target is None:
            return None
        module, _, attr = target.partition(":")
        return getattr(importlib.import_module(module), attr)


@click.group(cls=LazyGroup, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
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
