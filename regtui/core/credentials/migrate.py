"""Move plaintext secrets from config.json into the OS keyring, through docker-credential-regtui.

For each registry served by the plaintext file: store the secret with the helper, read it
back through the helper and compare, then point ``credHelpers[key]`` at ``regtui`` and
leave docker's ``{}`` marker in ``auths``. config.json is written once, at the end. If any
step fails, the secrets already stored are erased again and config.json is not touched.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from regtui.core.auth_entries import AuthEntry
from regtui.core.credentials.containers_keys import is_namespace_key
from regtui.core.credentials.file_store import FileStore
from regtui.core.credentials.helper_client import REGTUI_HELPER, HelperClient, HelperFactory
from regtui.core.credentials.model import TOKEN_USERNAME, Credential
from regtui.core.credentials.store import CredentialStore
from regtui.core.docker_config import DockerConfig
from regtui.core.errors import CredentialStoreError, HelperNotFound, InputError, RegtuiError
from regtui.core.registry_names import is_web_login_key


class MigrationAction(StrEnum):
    MOVE = "move"  # into the OS keyring
    SKIP = "skip"  # stays where it is; ``reason`` says why


@dataclass(frozen=True)
class MigrationStep:
    registry: str
    key: str
    config_keys: tuple[str, ...]
    username: str
    action: MigrationAction
    reason: str = ""


def plan_migration(config: DockerConfig, servers: list[str] | None = None) -> list[MigrationStep]:
    """What ``migrate`` would do, registry by registry. Reads nothing but config.json."""
    wanted = {config.canonical_key(s) for s in servers} if servers else None
    groups: dict[str, list[str]] = {}
    for raw in config.auths:
        if not is_web_login_key(raw) or config.is_auth_json:
            groups.setdefault(config.canonical_key(raw), []).append(raw)
    if wanted:
        unknown = wanted - set(groups)
        if unknown:
            names = ", ".join(sorted(config.display(k) for k in unknown))
            raise InputError(
                f"no credentials in {config.path.name} for {names}",
                where=config.path,
                fix=f"regtui registries lists what {config.path.name} holds",
            )
    steps = []
    for key, raw_keys in groups.items():
        if wanted is not None and key not in wanted:
            continue
        entries = [e for e in (config.entry(r) for r in raw_keys) if e is not None]
        secret_entries = [e for e in entries if e.has_secret or e.problem]
        if not secret_entries:
            continue
        entry = secret_entries[0]
        reason = _skip_reason(config, key, entry)
        user = TOKEN_USERNAME if entry.identity_token else (entry.username or "")
        steps.append(
            MigrationStep(
                config.display(key),
                key,
                tuple(raw_keys),
                user,
                MigrationAction.SKIP if reason else MigrationAction.MOVE,
                reason or "",
            )
        )
    return steps


def _skip_reason(config: DockerConfig, key: str, entry: AuthEntry) -> str | None:
    """Why a plaintext entry does not move, or None when it does."""
    if entry.problem:
        return f"the entry is invalid: {entry.problem}"
    if config.is_auth_json and is_namespace_key(key):
        return "a namespace key stays in auth.json: credHelpers serve whole registries (containers-auth.json(5))"
    if config.helper_for(key):
        readers = "the containers tools read" if config.is_auth_json else "docker reads"
        return (
            f"{readers} this registry from helper:{config.helper_for(key)}, not from the plaintext entry; "
            "`regtui logout` removes the stale secret"
        )
    if entry.registry_token and not entry.identity_token and not entry.password:
        return "a registrytoken cannot be kept by a credential helper"
    return None


def _secret_of(config: DockerConfig, step: MigrationStep) -> Credential:
    found = FileStore(config).credential_among(step.key, list(step.config_keys))
    if found is None:  # plan_migration only yields entries with one
        raise RegtuiError(f"no secret left for {step.registry}")
    return found


def migrate(
    config: DockerConfig, steps: list[MigrationStep], helpers: HelperFactory = HelperClient
) -> list[MigrationStep]:
    """Carry out the ``move`` steps; all or nothing. Returns the steps that moved."""
    moves = [s for s in steps if s.action == MigrationAction.MOVE]
    if not moves:
        return []
    helper = helpers(REGTUI_HELPER)
    if helper.path() is None:
        raise HelperNotFound(
            "docker-credential-regtui is not on PATH, so docker could not read migrated credentials",
            fix="install regtui so its scripts are on PATH (for example pipx install regtui), then run migrate again",
        )
    previous: dict[str, Credential | None] = {}
    try:
        for step in moves:
            credential = _secret_of(config, step)
            previous[step.key] = helper.get(step.key)
            helper.store(credential)
            back = helper.get(step.key)
            if back is None or back.username != credential.username or back.secret != credential.secret:
                raise CredentialStoreError(
                    f"{step.registry}: the keyring did not give back what was stored; nothing was changed",
                    fix="check the keyring with: echo " + step.key + " | docker-credential-regtui get",
                )
            for raw in step.config_keys:
                config.remove_auth(raw)
            config.set_cred_helper(step.key, REGTUI_HELPER)
            config.set_marker(step.key)
        config.save()
    except BaseException:
        _restore(helper, previous)
        raise
    return moves


def _restore(helper: CredentialStore, previous: dict[str, Credential | None]) -> None:
    """Put the keyring back as it was before a failed migration."""
    for key, before in previous.items():
        try:
            if before is None:
                helper.erase(key)
            else:
                helper.store(before)
        except RegtuiError:
            pass  # the original error matters more; a stray keyring item is harmless without credHelpers
