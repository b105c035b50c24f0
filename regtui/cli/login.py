"""``regtui login``: verify like docker login, then store in the OS keyring (or where asked)."""

from __future__ import annotations

import asyncio
import shlex
import sys
from pathlib import Path

import click

from regtui.cli.context import Context, pass_context, refuse_if_read_only, run_guarded
from regtui.core.credentials.authfile import auth_file_option_help
from regtui.core.errors import InputError

PLAINTEXT_WARNING = (
    "WARNING! The password is stored unencrypted in {path}.\n"
    "Use the OS keyring instead: regtui migrate{flag} {registry}"
)
READABLE_WARNING = "WARNING! {path} may be read by {who}: so may the password stored there.\n  fix: chmod 600 {quoted}"


def _read_password(password_stdin: bool) -> str:
    if password_stdin:
        password = sys.stdin.read().rstrip("\r\n")
    elif sys.stdin.isatty():
        password = click.prompt("Password", hide_input=True, err=True)
    else:
        raise InputError(
            "cannot ask for a password: standard input is not a terminal",
            fix="pipe the password in with --password-stdin",
        )
    if not password:
        raise InputError("the password is empty")
    return password


def _warn_if_readable(path: Path, who: str) -> None:
    if who:
        click.echo(READABLE_WARNING.format(path=path, who=who, quoted=shlex.quote(str(path))), err=True)


@click.command("login")
@click.argument("registry", required=False)
@click.option("-u", "--username", metavar="USER", help="The registry username.")
@click.option("--password-stdin", is_flag=True, help="Read the password (or token) from standard input.")
@click.option(
    "--store",
    "store",
    default="keyring",
    show_default=True,
    metavar="keyring|file|helper:NAME",
    help="Where to keep the secret.",
)
@click.option("--no-verify", is_flag=True, help="Store without checking the credentials with the registry.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=15.0, show_default=True, metavar="S")
@click.option("--insecure", is_flag=True, help="Allow plain HTTP and unverified TLS for this registry.")
@click.option("--auth-file", "auth_file", metavar="docker|containers|PATH", help=auth_file_option_help())
@pass_context
def login_cmd(
    ctx: Context,
    registry: str | None,
    username: str | None,
    password_stdin: bool,
    store: str,
    no_verify: bool,
    timeout: float,
    insecure: bool,
    auth_file: str | None,
) -> None:
    """Log in to a registry (Docker Hub if none given): verify, then store the credentials."""

    def body() -> None:
        refuse_if_read_only("login")
        workstation = ctx.workstation()
        target = workstation.login_target(registry, store, auth_file)  # never ask for a password to then fail
        if target.store_kind == "file":  # warn before the password is asked for, so the user can stop here
            _warn_if_readable(target.file, target.readable_by)
        user = username
        if not user:
            if not sys.stdin.isatty() or password_stdin:
                raise InputError("no username", fix="give one with -u USER")
            user = click.prompt("Username", err=True)
        password = _read_password(password_stdin)
        result = asyncio.run(
            workstation.login(
                registry,
                user,
                password,
                store,
                auth_file=auth_file,
                verify=not no_verify,
                timeout=timeout,
                insecure=insecure,
            )
        )
        for warning in result.warnings:  # what docker would not say: clear text, a foreign realm, no TLS check
            click.echo(f"WARNING! {warning.detail}" + (f"\n  fix: {warning.fix}" if warning.fix else ""), err=True)
        if target.store_kind == "file":
            click.echo(
                PLAINTEXT_WARNING.format(path=target.file, registry=result.name, flag=target.rerun_flag), err=True
            )
        token_note = " (as an identity token)" if result.identity_token else ""
        verified = "" if not no_verify else " (not verified: --no-verify)"
        click.echo(f"Login Succeeded{verified}: {user} at {result.name}, stored in {result.where}{token_note}.")

    run_guarded(body)
