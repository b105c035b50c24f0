"""``regtui registries``, ``regtui logout`` and ``regtui migrate``, over docker's config.json
and the containers tools' auth.json (containers-auth.json(5))."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from regtui.cli.context import Context, emit_json, pass_context, refuse_if_read_only, run_guarded, table
from regtui.core.credentials.authfile import auth_file_option_help
from regtui.core.credentials.resolve import RegistryStatus

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
        overview = ctx.workstation().registries_overview()
        statuses, findings, errors = overview.statuses, overview.findings, overview.errors
        if as_json:
            emit_json(
                {
                    "config": str(overview.config),
                    "creds_store": overview.creds_store,
                    "env_override": bool(overview.env_keys),
                    "auth_files": [state.to_json() for state in overview.auth_files],
                    "lookup": {
                        "docker": [str(overview.config)],
                        "containers": [str(path) for path in overview.containers_lookup],
                    },
                    "registries": [s.to_json() for s in statuses],
                    "winners": overview.winners,
                    "file_diagnostics": [f.to_json() for f in findings],
                }
            )
            if errors:
                sys.exit(errors[0].exit_code)
            return
        store = f"  (credsStore: {overview.creds_store})" if overview.creds_store else ""
        click.echo(f"config: {overview.config}{'' if overview.config_exists else ' (not found: empty)'}{store}")
        for state in overview.auth_files:
            found = state.config is not None and state.config.snapshot.exists
            click.echo(f"auth.json: {state.path}{'' if found or state.error else ' (not found)'}")
        order = " → ".join(_short(str(path)) for path in overview.containers_lookup)
        click.echo(f"podman, skopeo, buildah read: {order} (the first with credentials wins)")
        if overview.env_keys:
            click.echo(
                click.style("DOCKER_AUTH_CONFIG is set and takes precedence for: ", fg="yellow")
                + ", ".join(overview.env_keys)
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
        outcome = ctx.workstation().logout(registry, auth_file=auth_file)
        result, path = outcome.result, outcome.file
        if not result.was_logged_in:
            click.echo(f"Not logged in to {result.registry}" + (f" in {path}." if outcome.auth_json else "."))
        else:
            where = []
            if result.erased_from_helper:
                where.append(f"docker-credential-{result.helper}")
            if result.removed_keys:
                where.append(f"{path} (" + ", ".join(result.removed_keys) + ")")
            click.echo(f"Removed login credentials for {result.registry} from " + " and ".join(where) + ".")
        for other in outcome.elsewhere:
            click.echo(
                f"{_MARKS['info']} {other.path} still holds {result.registry}: "
                f"regtui logout{other.flag} {result.registry}"
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
        workstation = ctx.workstation()
        plan = workstation.plan_migration(registries, auth_file=auth_file)
        steps = plan.steps
        if not steps:
            click.echo("No plaintext credentials in " + str(plan.file) + ". Nothing to do.")
            for path in plan.plaintext_elsewhere:
                click.echo(f"{_MARKS['info']} {path} holds plaintext credentials: regtui migrate --auth-file {path}")
            return
        for step in steps:
            if step.action == "skip":
                click.echo(f"{_MARKS['warning']} {step.registry}: skipped: {step.reason}")
            elif dry_run:
                click.echo(f"would move {step.registry} ({step.username}) to the OS keyring (credHelpers: regtui)")
        if dry_run:
            return
        for step in workstation.migrate(plan):
            click.echo(
                click.style("✓", fg="green")
                + f" {step.registry}: moved to the OS keyring; read back through docker-credential-regtui"
            )
        click.echo(f"{plan.file} now holds no plaintext secret for the migrated registries.")

    run_guarded(body)
