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
    "report": "regtui.cli.report:report_cmd",
}
# What `regtui --help` lists, so listing imports no subcommand (httpx, tomlkit); a test keeps each
# line equal to the command's own short help.
SHORT_HELP = {
    "check": "Check DNS, TCP, TLS, /v2/, auth challenge, credentials (and a repository) for each registry.",
    "login": "Log in to a registry (Docker Hub if none given): verify, then store the credentials.",
    "logout": "Remove a registry's credentials from config.json and its store (Docker Hub if none given).",
    "migrate": "Move plaintext passwords from config.json into the OS keyring (docker-credential-regtui).",
    "mirrors": "View, change and test registry mirrors for Docker, containerd and podman.",
    "ratelimit": "Docker Hub's pull rate limit: remaining pulls, limit, window, source.",
    "registries": "Every registry docker knows about: user, serving store, where the secret lives.",
    "report": "Everything regtui knows about this workstation in one go, for a support ticket; no secrets.",
}


class LazyGroup(click.Group):
    """Imports a subcommand's module only when that subcommand runs; ``--help`` lists from SHORT_HELP."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with formatter.section("Commands"):
            formatter.write_dl([(name, SHORT_HELP[name]) for name in self.list_commands(ctx)])

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
@click.option(
    "--read-only",
    is_flag=True,
    help="Refuse everything that writes: TUI actions, login, logout, migrate, mirrors changes (exit 2).",
)
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

        run_guarded(lambda: run_tui(config_dir=config_dir, read_only=read_only, demo=demo), short_lived=False)
