"""``regtui registries``, ``regtui logout`` and ``regtui migrate``."""

from __future__ import annotations

import click

from regtui.cli.context import Context, emit_json, pass_context, refuse_if_read_only, run_guarded, table
from regtui.core.credentials.exposure import file_findings
from regtui.core.credentials.logout import logout
from regtui.core.credentials.migrate import migrate, plan_migration
from regtui.core.credentials.resolve import RegistryStatus, list_registries
from regtui.core.docker_config import env_auth_config

_MARKS = {"error": click.style("✗", fg="red"), "warning": click.style("!", fg="yellow"), "info": "i"}


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
        statuses = list_registries(config, env_auths=env)
        findings = file_findings(config)
        if as_json:
            emit_json(
                {
                    "config": str(config.path),
                    "creds_store": config.creds_store or None,
                    "env_override": bool(env),
                    "registries": [s.to_json() for s in statuses],
                    "file_diagnostics": [f.to_json() for f in findings],
                }
            )
            return
        store = f"  (credsStore: {config.creds_store})" if config.creds_store else ""
        click.echo(f"config: {config.path}{'' if config.snapshot.exists else ' (not found: empty)'}{store}")
        if env:
            click.echo(
                click.style("DOCKER_AUTH_CONFIG is set and takes precedence for: ", fg="yellow")
                + ", ".join(e.key for e in env)
            )
        if not statuses:
            click.echo("No registries. Log in with: regtui login REGISTRY -u USER")
        else:
            rows = [[s.registry, s.username or "-", s.store.label, s.secret_location, _status(s)] for s in statuses]
            click.echo(table(rows, ["REGISTRY", "USER", "STORE", "SECRET", "STATUS"]))
        for s in statuses:
            for d in s.diagnostics:
                click.echo(f"{_MARKS[d.severity]} {s.registry}: {d.message}")
                if d.fix:
                    click.echo(f"    fix: {d.fix}")
        for finding in findings:  # file-level: modes and leftover copies of config.json's secrets
            click.echo(f"{_MARKS[finding.severity]} {finding.message}")
            click.echo(f"    fix: {finding.fix}")

    run_guarded(body)


@click.command("logout")
@click.argument("registry", required=False)
@pass_context
def logout_cmd(ctx: Context, registry: str | None) -> None:
    """Remove a registry's credentials from config.json and its store (Docker Hub if none given)."""

    def body() -> None:
        refuse_if_read_only("logout")
        result = logout(ctx.docker_config(), registry)
        if not result.was_logged_in:
            click.echo(f"Not logged in to {result.registry}.")
            return
        where = []
        if result.erased_from_helper:
            where.append(f"docker-credential-{result.helper}")
        if result.removed_keys:
            where.append("config.json (" + ", ".join(result.removed_keys) + ")")
        click.echo(f"Removed login credentials for {result.registry} from " + " and ".join(where) + ".")

    run_guarded(body)


@click.command("migrate")
@click.argument("registries", nargs=-1)
@click.option("--dry-run", is_flag=True, help="Show what would move; change nothing.")
@pass_context
def migrate_cmd(ctx: Context, registries: tuple[str, ...], dry_run: bool) -> None:
    """Move plaintext passwords from config.json into the OS keyring (docker-credential-regtui)."""

    def body() -> None:
        if not dry_run:  # a dry run writes nothing: allowed
            refuse_if_read_only("migrate", dry_run_hint=True)
        config = ctx.docker_config()
        steps = plan_migration(config, list(registries) or None)
        if not steps:
            click.echo("No plaintext credentials in " + str(config.path) + ". Nothing to do.")
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
