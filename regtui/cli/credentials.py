"""``regtui registries``, ``regtui logout`` and ``regtui migrate``, over docker's config.json
and the containers tools' auth.json (containers-auth.json(5))."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from regtui.cli.context import Context, emit_json, pass_context, refuse_if_read_only, run_guarded, table
from regtui.core.credentials.authfile import (
    auth_file_option_help,
    choose_file,
    list_all,
    load_auth_files,
    lookup_chain,
    other_files_with,
    plaintext_elsewhere,
    stray_keys,
    winners,
)
from regtui.core.credentials.containers_keys import auth_file_flag
from regtui.core.credentials.exposure import file_findings
from regtui.core.credentials.logout import logout
from regtui.core.credentials.migrate import migrate, plan_migration
from regtui.core.credentials.resolve import RegistryStatus
from regtui.core.docker_config import env_auth_config

_MARKS = {"error": click.style("✗", fg="red"), "warning": click.style("!", fg="yellow"), "info": "i"}


def _short(path: str) -> str:
    home = str(Path.home())
    return "~" + path[len(home) :] if path.startswith(home + "/") else path


def _auth_file_option(func):  # noqa: ANN001, ANN202
    return click.option("--auth-file", "auth_file", metavar="docker|containers|PATH", help=auth_file_option_help())(
        func
    )


def _status(r: RegistryStatus) -> str:
    if r.logged_in is None:
        return click.style("unknown", fg="red")
    if not r.logged_in:
        return "not logged in"
    return click.style("logged in", fg="green") + (" (identity token)" if r.identity_token else "")


@click.command("registries")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output (never contains secrets).")
@pass_context
def registries_cmd(ctx: Context, as_json: bool) -> None:
    """Every registry docker knows about: user, serving store, where the secret lives. No network."""

    def body() -> None:
        config = ctx.docker_config()
        env = env_auth_config()
        auth_files = load_auth_files(config)  # a broken auth.json is reported; docker's entries are still listed
        statuses = list_all(config, auth_files, env_auths=env)
        findings = file_findings(config)
        for state in auth_files:
            if state.config is not None:
                findings += file_findings(state.config) + stray_keys(state.config)
        errors = [state.error for state in auth_files if state.error is not None]
        if as_json:
            emit_json(
                {
                    "config": str(config.path),
                    "creds_store": config.creds_store or None,
                    "env_override": bool(env),
                    "auth_files": [state.to_json() for state in auth_files],
                    "lookup": {
                        "docker": [str(config.path)],
                        "containers": [str(c.path) for c in lookup_chain(config, auth_files)],
                    },
                    "registries": [s.to_json() for s in statuses],
                    "winners": winners(config, auth_files, statuses),
                    "file_diagnostics": [f.to_json() for f in findings],
                }
            )
            if errors:
                sys.exit(errors[0].exit_code)
            return
        store = f"  (credsStore: {config.creds_store})" if config.creds_store else ""
        click.echo(f"config: {config.path}{'' if config.snapshot.exists else ' (not found: empty)'}{store}")
        for state in auth_files:
            found = state.config is not None and state.config.snapshot.exists
            click.echo(f"auth.json: {state.path}{'' if found or state.error else ' (not found)'}")
        order = " → ".join(_short(str(c.path)) for c in lookup_chain(config, auth_files))
        click.echo(f"podman, skopeo, buildah read: {order} (the first with credentials wins)")
        if env:
            click.echo(
                click.style("DOCKER_AUTH_CONFIG is set and takes precedence for: ", fg="yellow")
                + ", ".join(e.key for e in env)
            )
        if not statuses:
            click.echo("No registries. Log in with: regtui login REGISTRY -u USER")
        else:
            rows = [
                [s.registry, s.username or "-", _short(s.file), s.store.label, s.secret_location, s.tools, _status(s)]
                for s in statuses
            ]
            click.echo(table(rows, ["REGISTRY", "USER", "FILE", "STORE", "SECRET", "READ BY", "STATUS"]))
        for s in statuses:
            for d in s.diagnostics:
                click.echo(f"{_MARKS[d.severity]} {s.registry}: {d.message}")
                if d.fix:
                    click.echo(f"    fix: {d.fix}")
        for finding in findings:  # file-level: modes and leftover copies of config.json's secrets
            click.echo(f"{_MARKS[finding.severity]} {finding.message}")
            click.echo(f"    fix: {finding.fix}")
        for error in errors:  # after the listing: a broken auth.json hides nothing else
            click.echo(f"{_MARKS['error']} {error.render()}")
        if errors:
            sys.exit(errors[0].exit_code)

    run_guarded(body)


@click.command("logout")
@click.argument("registry", required=False)
@_auth_file_option
@pass_context
def logout_cmd(ctx: Context, registry: str | None, auth_file: str | None) -> None:
    """Remove a registry's credentials from config.json and its store (Docker Hub if none given)."""

    def body() -> None:
        refuse_if_read_only("logout")
        config = choose_file(auth_file, registry, ctx.docker_config)
        result = logout(config, registry)
        if not result.was_logged_in:
            click.echo(f"Not logged in to {result.registry}" + (f" in {config.path}." if config.is_auth_json else "."))
        else:
            where = []
            if result.erased_from_helper:
                where.append(f"docker-credential-{result.helper}")
            if result.removed_keys:
                where.append(f"{config.path} (" + ", ".join(result.removed_keys) + ")")
            click.echo(f"Removed login credentials for {result.registry} from " + " and ".join(where) + ".")
        for other in other_files_with(config, registry, ctx.docker_config):
            flag = auth_file_flag(other) if other.is_auth_json else " --auth-file docker"
            click.echo(
                f"{_MARKS['info']} {other.path} still holds {result.registry}: regtui logout{flag} {result.registry}"
            )

    run_guarded(body)


@click.command("migrate")
@click.argument("registries", nargs=-1)
@click.option("--dry-run", is_flag=True, help="Show what would move; change nothing.")
@_auth_file_option
@pass_context
def migrate_cmd(ctx: Context, registries: tuple[str, ...], dry_run: bool, auth_file: str | None) -> None:
    """Move plaintext passwords from config.json into the OS keyring (docker-credential-regtui)."""

    def body() -> None:
        if not dry_run:  # a dry run writes nothing: allowed
            refuse_if_read_only("migrate", dry_run_hint=True)
        if registries or auth_file:
            config = choose_file(auth_file, registries[0] if registries else None, ctx.docker_config)
        else:
            config = ctx.docker_config()
        steps = plan_migration(config, list(registries) or None)
        if not steps:
            click.echo("No plaintext credentials in " + str(config.path) + ". Nothing to do.")
            for path in plaintext_elsewhere(config):
                click.echo(f"{_MARKS['info']} {path} holds plaintext credentials: regtui migrate --auth-file {path}")
            return
        for step in steps:
            if step.action == "skip":
                click.echo(f"{_MARKS['warning']} {step.registry}: skipped: {step.reason}")
            elif dry_run:
                click.echo(f"would move {step.registry} ({step.username}) to the OS keyring (credHelpers: regtui)")
        if dry_run:
            return
        for step in migrate(config, steps):
            click.echo(
                click.style("✓", fg="green")
                + f" {step.registry}: moved to the OS keyring; read back through docker-credential-regtui"
            )
        click.echo(f"{config.path} now holds no plaintext secret for the migrated registries.")

    run_guarded(body)
