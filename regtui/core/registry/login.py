"""Log in as docker does: verify the credentials against the registry, then store them.

Verification runs the check ladder with the candidate credentials, so a refusal comes with
its cause and fix. For a Bearer registry it then asks for an offline (refresh) token, as
``docker login`` does, and stores that identity token instead of the password when the
server issues one (docker/cli cli/command/registry/login.go loginClientSide; the offline_token
parameter of the distribution token spec, https://distribution.github.io/distribution/spec/auth/token/).
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass

from regtui.core import wire
from regtui.core.credentials.file_store import FileStore
from regtui.core.credentials.helper_client import REGTUI_HELPER, HelperClient, HelperFactory
from regtui.core.credentials.model import Credential
from regtui.core.credentials.status import StoreKind
from regtui.core.credentials.store import CredentialStore
from regtui.core.docker_config import DockerConfig
from regtui.core.errors import HelperNotFound, InputError, RegtuiError
from regtui.core.registry.challenge import ChallengeParseError, parse_challenges, pick
from regtui.core.registry.clients import RegistryClients
from regtui.core.registry.model import OK, CheckResult, StepName
from regtui.core.registry.probe import CheckOptions, Resolver, check_registry, system_resolver
from regtui.core.registry.target import target_for
from regtui.core.registry.token import TokenError, fetch_token
from regtui.core.safetext import printable


class LoginRefused(RegtuiError):
    """The registry did not accept the credentials; nothing was stored."""

    def __init__(self, result: CheckResult) -> None:
        self.result = result
        failure = result.failure
        if failure is None:  # a healthy result is not a refusal; say so rather than crash on None
            super().__init__(f"login to {result.registry} was refused, though every check step passed")
            return
        super().__init__(
            f"login to {result.registry} failed at {failure.title}: {failure.detail}", fix=failure.fix or None
        )


@dataclass(frozen=True)
class StoreChoice:
    kind: StoreKind  # "keyring" is the helper regtui
    helper: str | None = None

    @staticmethod
    def parse(value: str) -> StoreChoice:
        if value == "keyring":
            return StoreChoice(StoreKind.HELPER, REGTUI_HELPER)
        if value == "file":
            return StoreChoice(StoreKind.FILE)
        if value.startswith("helper:") and value[7:]:
            return StoreChoice(StoreKind.HELPER, value[7:])
        raise InputError(f"unknown store {value!r}", fix="use keyring, file or helper:NAME")

    @property
    def label(self) -> str:
        if self.kind == StoreKind.FILE:
            return "config.json (plaintext)"
        if self.helper == REGTUI_HELPER:
            return "the OS keyring (docker-credential-regtui)"
        return f"docker-credential-{self.helper}"


@dataclass(frozen=True)
class LoginOutcome:
    registry: str
    key: str
    username: str
    identity_token: bool
    stored_in: str
    verified: bool


async def verify(
    name: str | None,
    secret: Credential,
    options: CheckOptions | None = None,
    *,
    clients: RegistryClients | None = None,
    resolve: Resolver = system_resolver,
) -> tuple[CheckResult, str | None]:
    """Check the candidate credentials; returns the result and a refresh token if one was issued.

    Without ``clients``, it makes its own and closes them when done.
    """
    options = options or CheckOptions()
    if clients is None:
        clients = RegistryClients(options.timeout)
        try:
            return await verify(name, secret, options, clients=clients, resolve=resolve)
        finally:
            await clients.aclose()
    result = await check_registry(name, lookup=lambda _key: secret, clients=clients, options=options, resolve=resolve)
    if not result.healthy:
        raise LoginRefused(result)
    if result.auth_scheme != "bearer":
        return result, None
    # Verify TLS exactly as the check did: not when --insecure/insecure-registries let it through unverified.
    verified = any(s.name == StepName.TLS and s.status == OK for s in result.steps)
    client = clients.get(target_for(name, insecure=options.insecure).certs_name, verify=verified)
    try:
        response = await client.get(f"{result.endpoint}/v2/")
        challenges = [c for h in response.headers.get_list("www-authenticate") for c in parse_challenges(h)]
        challenge = pick(challenges)
        if challenge is None or challenge.scheme != "bearer":
            got = ", ".join(c.scheme for c in challenges) or "none"
            raise RegtuiError(
                printable(f"the registry changed its challenge during login: Bearer first, then {got[:100]}"),
                fix="a proxy or load balancer in front of the registry answers differently from one request to "
                "the next; log in against the registry itself, or try again",
            )
        grant = await fetch_token(client, challenge, result.endpoint, secret, offline=True)
    except TokenError as exc:
        raise RegtuiError(f"the token server refused an offline token: {exc.what}", fix=exc.fix) from exc
    except ChallengeParseError as exc:
        raise RegtuiError(
            f"during login the registry sent a malformed challenge: {exc.what}",
            fix="a proxy may be in the way: log in against the registry itself",
        ) from exc
    except RegtuiError:
        raise
    except wire.HTTPError as exc:
        raise RegtuiError(
            printable(f"the registry stopped answering during login: {type(exc).__name__}: {exc}"), fix="try again"
        ) from exc
    return result, grant.refresh_token


def store_login(
    config: DockerConfig,
    key: str,
    username: str,
    secret: str,
    choice: StoreChoice,
    identity_token: str | None = None,
    helpers: HelperFactory = HelperClient,
) -> str:
    """Store the credentials and write config.json. Returns a description of where they went."""
    credential = Credential.from_login(username, secret, identity_token, server=key)
    if choice.kind == StoreKind.FILE:
        FileStore(config).store(credential)
        return choice.label
    helper = helpers(choice.helper or REGTUI_HELPER)
    if helper.path() is None:
        raise HelperNotFound(
            f"{helper.binary} is not on PATH, so docker could not read what regtui stores there",
            fix="install it, or choose another store with --store",
        )
    previous = helper.get(key)  # put back if config.json cannot be written
    helper.store(credential)
    if config.creds_store != choice.helper or config.cred_helpers.get(key, choice.helper) != choice.helper:
        config.set_cred_helper(key, choice.helper or REGTUI_HELPER)
    for raw in config.keys_for(key):
        if raw != key:
            config.remove_auth(raw)
    config.set_marker(key)
    try:
        config.save()
    except RegtuiError as exc:
        raise _rolled_back(helper, key, previous, exc) from exc
    except BaseException:
        _put_back(helper, key, previous)
        raise
    return choice.label


def _put_back(helper: CredentialStore, key: str, previous: Credential | None) -> None:
    if previous is None:
        helper.erase(key)
    else:
        helper.store(previous)


def _rolled_back(helper: HelperClient, key: str, previous: Credential | None, error: RegtuiError) -> RegtuiError:
    """The save error, saying what became of the item already stored in the helper."""
    try:
        _put_back(helper, key, previous)
    except RegtuiError as undo:
        outcome = RegtuiError(
            f"{error.what}; the new credentials for {key} ARE stored in {helper.binary}, "
            f"and regtui could not take them back ({undo.what})",
            where=error.where,
            fix=f"erase them with: printf %s {shlex.quote(key)} | {helper.binary} erase"
            + (f"; then {error.fix}" if error.fix else ""),
        )
    else:
        done = "the item it held before was put back" if previous else "the item stored a moment ago was erased again"
        outcome = RegtuiError(
            f"{error.what}; {helper.binary}: {done}, so nothing changed",
            where=error.where,
            fix=error.fix,
        )
    outcome.exit_code = error.exit_code
    return outcome
