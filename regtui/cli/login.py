"""``regtui login``: verify like docker login, then store in the OS keyring (or where asked)."""

from __future__ import annotations

import asyncio
import shlex
import sys
from pathlib import Path

import click

from regtui.cli.context import Context, pass_context, refuse_if_read_only, run_guarded
from regtui.core.credentials.authfile import auth_file_option_help, choose_file
from regtui.core.credentials.containers_keys import auth_file_flag, containers_host, is_namespace_key
from regtui.core.credentials.exposure import readable_by_others
from regtui.core.errors import InputError
from regtui.core.registry.login import StoreChoice, store_login, verify
from regtui.core.registry.probe import CheckOptions
from regtui.core.registry.token import Secret

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


def _warn_if_readable(path: Path, target: Path) -> None:
    who = readable_by_others(target)
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
        choice = StoreChoice.parse(store)
        # parse first: never prompt for a password to then fail on the file
        config = choose_file(auth_file, registry, ctx.docker_config)
        if choice.kind == "file":  # warn before the password is asked for, so the user can stop here
            _warn_if_readable(config.path, config.snapshot.target)
        user = username
        if not user:
            if not sys.stdin.isatty() or password_stdin:
                raise InputError("no username", fix="give one with -u USER")
            user = click.prompt("Username", err=True)
        password = _read_password(password_stdin)
        key = config.canonical_key(registry)  # an auth.json keys Hub as docker.io, and may name a namespace
        name = config.display(key)
        if config.is_auth_json and is_namespace_key(key) and choice.kind != "file":
            raise InputError(
                f"{name} is a namespace: a credential helper serves a whole registry in auth.json",
                fix=f"store it in the file (--store file), or log in to {containers_host(key)}",
            )
        identity = None
        if not no_verify:
            options = CheckOptions(timeout=timeout, insecure=insecure)
            result, identity = asyncio.run(verify(registry, Secret(user, password), options))
            for step in result.steps:  # what docker would not say: clear text, a foreign realm, no TLS check
                if step.status == "warn":
                    click.echo(f"WARNING! {step.detail}" + (f"\n  fix: {step.fix}" if step.fix else ""), err=True)
        where = store_login(config, key, user, password, choice, identity)
        if config.is_auth_json:
            where = f"{config.path} (plaintext)" if choice.kind == "file" else f"{where}, credHelpers in {config.path}"
        if choice.kind == "file":
            click.echo(PLAINTEXT_WARNING.format(path=config.path, registry=name, flag=auth_file_flag(config)), err=True)
        token_note = " (as an identity token)" if identity else ""
        verified = "" if not no_verify else " (not verified: --no-verify)"
        click.echo(f"Login Succeeded{verified}: {user} at {name}, stored in {where}{token_note}.")

    run_guarded(body)
