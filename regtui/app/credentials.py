"""The credential use cases of RealWorkstation: list, log in, log out, migrate, remove a
dangling helper; over docker's config.json and the containers tools' auth.json
(containers-auth.json(5)).

``auth_file`` names the file a write goes to, as ``--auth-file`` does: ``docker``,
``containers``, a PATH, or None for the file that already has the registry, else docker's.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from regtui.app.network import network_stack
from regtui.core.docker_config import DockerConfig, env_auth_config

if TYPE_CHECKING:  # the answers load in the methods that build them (see regtui.app.workstation)
    from regtui.app.credential_types import (
        DanglingRemoval,
        LoginResult,
        LoginTarget,
        LogoutOutcome,
        MigrationPlan,
        RegistriesOverview,
        StoreOption,
    )
    from regtui.core.credentials.exposure import FileFinding
    from regtui.core.credentials.migrate import MigrationStep
    from regtui.core.credentials.resolve import RegistryStatus


class RealCredentials:
    """Mixed into RealWorkstation, which gives ``docker_config()``."""

    if TYPE_CHECKING:  # RealWorkstation's

        def docker_config(self) -> DockerConfig: ...

    def _file(self, auth_file: str | None, registry: str | None) -> DockerConfig:
        from regtui.core.credentials.authfile import choose_file

        return choose_file(auth_file, registry, self.docker_config)

    def list_registries(self) -> list[RegistryStatus]:
        from regtui.core.credentials.authfile import list_all, load_auth_files

        docker = self.docker_config()  # docker's rows, then each auth.json's (a broken one is skipped)
        statuses = list_all(docker, load_auth_files(docker), env_auths=env_auth_config())
        return sorted(statuses, key=lambda s: s.file != str(docker.path))  # stable: the files keep their order

    def registry_keys(self) -> list[str]:
        from regtui.core.credentials.resolve import list_registries

        return [s.key for s in list_registries(self.docker_config(), env_auths=env_auth_config())]

    def registries_overview(self) -> RegistriesOverview:
        from regtui.app.credential_types import RegistriesOverview
        from regtui.core.credentials.authfile import list_all, load_auth_files, lookup_chain, stray_keys, winners
        from regtui.core.credentials.exposure import file_findings

        config = self.docker_config()
        env = env_auth_config()
        auth_files = load_auth_files(config)  # a broken auth.json is reported; docker's entries are still listed
        statuses = list_all(config, auth_files, env_auths=env)
        findings = file_findings(config)
        for state in auth_files:
            if state.config is not None:
                findings += file_findings(state.config) + stray_keys(state.config)
        return RegistriesOverview(
            config=config.path,
            config_exists=config.snapshot.exists,
            creds_store=config.creds_store or None,
            env_keys=tuple(e.key for e in env),
            auth_files=auth_files,
            containers_lookup=[c.path for c in lookup_chain(config, auth_files)],
            statuses=statuses,
            winners=winners(config, auth_files, statuses),
            findings=findings,
            errors=[state.error for state in auth_files if state.error is not None],
        )

    def login_target(self, registry: str | None, store: str = "keyring", auth_file: str | None = None) -> LoginTarget:
        from regtui.app.credential_types import LoginTarget
        from regtui.core.credentials.containers_keys import auth_file_flag
        from regtui.core.credentials.exposure import readable_by_others
        from regtui.core.registry.login import StoreChoice

        choice = StoreChoice.parse(store)  # parse first: never ask for a password to then fail on the file
        config = self._file(auth_file, registry)
        key = config.canonical_key(registry)
        readable = readable_by_others(config.snapshot.target) if choice.kind == "file" else None
        return LoginTarget(
            key, config.display(key), config.path, config.is_auth_json, str(choice.kind), readable or "",
            auth_file_flag(config),
        )  # fmt: skip

    def ca_directory(self, registry: str) -> Path:
        from regtui.core.paths import docker_certs_d
        from regtui.core.registry.target import target_for

        name = target_for(registry).certs_name or registry
        return docker_certs_d() / name

    def file_findings(self) -> list[FileFinding]:
        from regtui.core.credentials.authfile import load_auth_files, stray_keys
        from regtui.core.credentials.exposure import file_findings

        config = self.docker_config()
        findings = file_findings(config)
        for state in load_auth_files(config):
            if state.config is not None:
                findings += file_findings(state.config) + stray_keys(state.config)
        return findings

    def remove_stray_hub_keys(self, write: bool) -> list[str]:
        from regtui.app.fixes import remove_stray_hub_keys

        return remove_stray_hub_keys(self.docker_config(), write)

    def tighten_file_mode(self, path: str) -> tuple[int, int]:
        from regtui.app.fixes import tighten_mode
        from regtui.core.credentials.authfile import load_auth_files
        from regtui.core.errors import InputError

        docker = self.docker_config()
        files = [docker, *(s.config for s in load_auth_files(docker) if s.config is not None)]
        config = next((c for c in files if str(c.path) == path), None)
        if config is None:  # only a file regtui reads credentials from
            raise InputError(f"{path} is not a credential file regtui reads", fix="reload (r)")
        return tighten_mode(config)

    def login_stores(self) -> list[StoreOption]:
        import shutil  # with bz2 and lzma, ~2 ms: not on the path of a check

        from regtui.app.credential_types import StoreOption
        from regtui.core.credentials.keyring_store import KeyringStore

        helper = shutil.which("docker-credential-regtui")
        backend = KeyringStore.backend_name() if helper else ""
        if not helper:
            keyring = StoreOption("keyring", KEYRING_LABEL, False, "docker-credential-regtui is not on PATH")
        elif backend.endswith("fail.Keyring"):
            keyring = StoreOption("keyring", KEYRING_LABEL, False, f"no OS keyring is available here ({backend})")
        else:
            keyring = StoreOption("keyring", KEYRING_LABEL)
        helpers = [
            StoreOption(f"helper:{name}", f"docker-credential-{name}")
            for name in installed_helpers()
            if name not in ("regtui", "desktop")  # desktop forwards to another helper
        ]
        return [keyring, *helpers, StoreOption("file", "the file itself, in plaintext (warned first)")]

    async def login(
        self,
        registry: str | None,
        username: str,
        password: str,
        store: str = "keyring",
        *,
        auth_file: str | None = None,
        verify: bool = True,
        timeout: float = 10.0,
        insecure: bool = False,
    ) -> LoginResult:
        import asyncio

        await network_stack("regtui.core.registry.login")
        from regtui.app.credential_types import LoginResult, LoginWarning
        from regtui.core.credentials.containers_keys import containers_host, is_namespace_key
        from regtui.core.errors import InputError
        from regtui.core.registry import login as core_login
        from regtui.core.registry.probe import CheckOptions
        from regtui.core.registry.token import Secret

        choice = core_login.StoreChoice.parse(store)
        config = await asyncio.to_thread(self._file, auth_file, registry)
        key = config.canonical_key(registry)  # an auth.json keys Hub as docker.io, and may name a namespace
        name = config.display(key)
        if config.is_auth_json and is_namespace_key(key) and choice.kind != "file":
            raise InputError(
                f"{name} is a namespace: a credential helper serves a whole registry in auth.json",
                fix=f"store it in the file (--store file), or log in to {containers_host(key)}",
            )
        identity, warnings = None, tuple[LoginWarning, ...]()
        if verify:
            options = CheckOptions(timeout=timeout, insecure=insecure)
            result, identity = await core_login.verify(registry, Secret(username, password), options)
            # What docker would not say: clear text, a foreign realm, no TLS check.
            warnings = tuple(LoginWarning(s.detail, s.fix) for s in result.steps if s.status == "warn")
        where = await asyncio.to_thread(core_login.store_login, config, key, username, password, choice, identity)
        if not await asyncio.to_thread(_remember_user, str(config.path), key, username if identity else None):
            warnings += (LoginWarning("regtui could not note the user name in its state (the login itself worked)"),)
        if config.is_auth_json:
            where = f"{config.path} (plaintext)" if choice.kind == "file" else f"{where}, credHelpers in {config.path}"
        return LoginResult(where, warnings, name=name, identity_token=identity is not None)

    def logout(self, registry: str | None, *, auth_file: str | None = None) -> LogoutOutcome:
        from regtui.app.credential_types import CopyElsewhere, LogoutOutcome
        from regtui.core.credentials.authfile import other_files_with
        from regtui.core.credentials.containers_keys import auth_file_flag
        from regtui.core.credentials.logout import logout

        config = self._file(auth_file, registry)
        result = logout(config, registry)
        _remember_user(str(config.path), config.canonical_key(registry), None)
        elsewhere = tuple(
            CopyElsewhere(other.path, auth_file_flag(other) if other.is_auth_json else " --auth-file docker")
            for other in other_files_with(config, registry, self.docker_config)
        )
        return LogoutOutcome(result, config.path, config.is_auth_json, elsewhere)

    def plan_migration(self, registries: Sequence[str], *, auth_file: str | None = None) -> MigrationPlan:
        from regtui.app.credential_types import MigrationPlan
        from regtui.core.credentials.authfile import plaintext_elsewhere
        from regtui.core.credentials.migrate import plan_migration

        if registries or auth_file:
            config = self._file(auth_file, registries[0] if registries else None)
        else:
            config = self.docker_config()
        steps = plan_migration(config, list(registries) or None)
        return MigrationPlan(config.path, steps, plaintext_elsewhere(config) if not steps else [], config)

    def migrate(self, plan: MigrationPlan) -> list[MigrationStep]:
        from regtui.core.credentials.migrate import migrate

        config = plan.config if isinstance(plan.config, DockerConfig) else self.docker_config()
        return migrate(config, plan.steps)

    def remove_dangling_helper(self, registry: str, write: bool, *, auth_file: str | None = None) -> list[str]:
        from regtui.app.dangling import remove_dangling_helper

        return remove_dangling_helper(self._file(auth_file or "docker", registry), registry, write)

    def plan_dangling_removal(self, registry: str, *, auth_file: str | None = None) -> DanglingRemoval:
        from regtui.app.dangling import plan_removal

        return plan_removal(self._file(auth_file or "docker", registry), registry, auth_file)

    def apply_dangling_removal(self, plan: DanglingRemoval) -> list[str]:
        from regtui.app.dangling import apply_removal

        return apply_removal(self._file(plan.auth_file or "docker", plan.registry), plan)


def _remember_user(file: str, key: str, username: str | None) -> bool:
    """Note (or forget) who logged in with an identity token: docker keeps only ``<token>``.
    False if regtui's state could not be written; the credentials are not affected."""
    from regtui.core.errors import RegtuiError
    from regtui.core.settings import State

    try:
        state = State()
        if username is None and (file, key) not in state.token_users():
            return True
        state.set_token_user(file, key, username)
        state.save()
    except RegtuiError:
        return False
    return True


KEYRING_LABEL = "OS keyring (docker-credential-regtui)"


def installed_helpers(limit: int = 64) -> list[str]:
    """The NAME of each docker-credential-NAME on PATH (at most ``limit``), in PATH order."""
    found: dict[str, None] = {}
    for directory in os.environ.get("PATH", "").split(os.pathsep):
        try:
            names = sorted(n for n in os.listdir(directory or ".") if n.startswith("docker-credential-"))
        except OSError:
            continue
        for name in names:
            if os.access(os.path.join(directory, name), os.X_OK):
                found.setdefault(name.removeprefix("docker-credential-"), None)
        if len(found) >= limit:
            break
    return list(found)[:limit]
