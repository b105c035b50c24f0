"""Which store serves each registry, who is logged in, and what is wrong (docker's precedence).

docker reads DOCKER_AUTH_CONFIG first, then ``credHelpers[key]``, then ``credsStore``, then
the plaintext ``auths`` of config.json (docker/cli: cli/config/configfile/file.go
GetCredentialsStore, cli/config/config.go). Blocking: helper calls are subprocesses, run in a
small thread pool.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable

from regtui.core.credentials.containers_keys import containers_host
from regtui.core.credentials.diagnostics import file_diagnostics
from regtui.core.credentials.env_store import EnvStore
from regtui.core.credentials.file_store import FileStore
from regtui.core.credentials.helper_answers import ask_helpers, helper_listed
from regtui.core.credentials.helper_client import REGTUI_HELPER, HelperClient, HelperFactory, helper_binary
from regtui.core.credentials.model import TOKEN_USERNAME, Credential
from regtui.core.credentials.status import Diagnostic, DiagnosticCode, RegistryStatus, Severity, StoreKind, StoreRef
from regtui.core.credentials.store import CredentialStore
from regtui.core.docker_config import DockerConfig
from regtui.core.errors import RegtuiError
from regtui.core.registry_names import HUB_KEY, is_web_login_key, registry_key

__all__ = [  # the row types live in status.py; the front ends still import them from here
    "REGTUI_HELPER",
    "Diagnostic",
    "HelperFactory",
    "RegistryStatus",
    "StoreRef",
    "file_credential",
    "list_registries",
    "read_credential",
    "store_for",
    "store_serving",
]


def store_for(config: DockerConfig, key: str, env_auths: list[Credential] | None = None) -> StoreRef:
    """Which store serves ``key`` (a registry key), as docker picks it."""
    if env_auths and not config.is_auth_json and EnvStore(env_auths).serves(key):
        return StoreRef(StoreKind.ENV)
    helper = config.helper_for(key)
    return StoreRef(StoreKind.HELPER, helper) if helper else StoreRef(StoreKind.FILE)


def store_serving(
    config: DockerConfig, server: str, helpers: HelperFactory = HelperClient, env_auths: list[Credential] | None = None
) -> CredentialStore:
    """The store docker reads this registry's credential from (``store_for``), ready to ask."""
    ref = store_for(config, registry_key(server), env_auths)
    if ref.kind == StoreKind.ENV:
        return EnvStore(env_auths or [])
    if ref.kind == StoreKind.HELPER and ref.helper:
        return helpers(ref.helper)
    return FileStore(config)


def read_credential(
    config: DockerConfig, server: str, helpers: HelperFactory = HelperClient, env_auths: list[Credential] | None = None
) -> Credential | None:
    """The credential docker would send to this registry, or None."""
    return store_serving(config, server, helpers, env_auths).get(registry_key(server))


def file_credential(config: DockerConfig, key: str, raw_keys: list[str]) -> Credential | None:
    """The plaintext credential among ``raw_keys`` (the auths keys that name this registry)."""
    return FileStore(config).credential_among(key, raw_keys)


def _location(store: StoreRef, backend: str, file_name: str = "config.json") -> str:
    if store.kind == StoreKind.ENV:
        return "DOCKER_AUTH_CONFIG (environment)"
    if store.kind == StoreKind.FILE:
        return f"{file_name} (plaintext)"
    if store.helper == REGTUI_HELPER:
        return f"OS keyring via docker-credential-regtui ({backend})"
    return f"docker-credential-{store.helper}"


def list_registries(
    config: DockerConfig,
    *,
    helpers: HelperFactory = HelperClient,
    env_auths: list[Credential] | None = None,
    keyring_backend: Callable[[], str] | None = None,
) -> list[RegistryStatus]:
    """Every registry docker knows about, with the store that serves it. No network."""
    env_auths = env_auths or []
    groups: dict[str, list[str]] = {}
    canonical = config.canonical_key
    for raw in config.auths:
        web_login = is_web_login_key(raw) and not config.is_auth_json
        groups.setdefault(HUB_KEY if web_login else canonical(raw), []).append(raw)
    for raw in config.cred_helpers:
        groups.setdefault(canonical(raw), [])
    for env in env_auths if not config.is_auth_json else []:
        groups.setdefault(registry_key(env.server), [])
    listed, list_error = helper_listed(config, helpers)
    for raw in listed:
        if not is_web_login_key(raw):
            groups.setdefault(registry_key(raw), [])

    stores = {key: store_for(config, key, env_auths) for key in groups}
    # the key a helper is asked with: auth.json's readers ask with the registry host
    ask_key = {key: containers_host(key) if config.is_auth_json else key for key in groups}
    to_ask = [(ask_key[k], s.helper) for k, s in stores.items() if s.kind == StoreKind.HELPER and s.helper]
    installed = {h: shutil.which(helper_binary(h)) is not None for h in {h for _, h in to_ask}}
    asked = ask_helpers([(k, h) for k, h in to_ask if installed[h]], helpers)
    needs_backend = any(s.helper == REGTUI_HELPER for s in stores.values())
    backend = (keyring_backend or _keyring_backend)() if needs_backend else ""

    result = []
    for key, raw_keys in groups.items():
        store = stores[key]
        diagnostics = file_diagnostics(config, key, raw_keys, store)
        username: str | None = None
        logged_in: bool | None = False  # None: unknown (the helper is missing or failed)
        token = False
        if store.kind == StoreKind.ENV:
            from_env = EnvStore(env_auths).get(key)
            username, logged_in = (from_env.username if from_env else None), True
            diagnostics.append(
                Diagnostic(
                    DiagnosticCode.ENV_OVERRIDE,
                    Severity.INFO,
                    "DOCKER_AUTH_CONFIG provides these credentials",
                    "unset DOCKER_AUTH_CONFIG to use the stored ones",
                )
            )
        elif store.kind == StoreKind.HELPER:
            readers = "the containers tools" if config.is_auth_json else "docker"
            answer = asked.get(ask_key[key])
            if ask_key[key] not in asked:
                logged_in = None
                diagnostics.append(
                    Diagnostic(
                        DiagnosticCode.DANGLING_HELPER,
                        Severity.ERROR,
                        f"{helper_binary(store.helper or '')} is not on PATH, "
                        f"so {readers} cannot read these credentials",
                        f"install it, or point {'credHelpers' if key in config.cred_helpers else 'credsStore'} "
                        "at an installed helper (for example regtui)",
                    )
                )
            elif isinstance(answer, RegtuiError):
                logged_in = None
                diagnostics.append(
                    Diagnostic(DiagnosticCode.HELPER_FAILED, Severity.ERROR, answer.what, answer.fix or "")
                )
            elif answer is not None:
                username, logged_in, token = answer.username, True, answer.is_identity_token
        else:
            cred = file_credential(config, key, raw_keys)  # the grouped keys: no rescan of every key
            if cred is not None:
                username, logged_in, token = cred.username, True, cred.is_identity_token
        if token:
            entries = (config.entry(r) for r in raw_keys)
            username = next((e.username for e in entries if e is not None and e.username), None) or username
        if store.kind == StoreKind.HELPER and store.helper == config.creds_store and list_error is not None:
            diagnostics.append(
                Diagnostic(DiagnosticCode.HELPER_FAILED, Severity.ERROR, list_error.what, list_error.fix or "")
            )
        result.append(
            RegistryStatus(
                registry=config.display(key),
                key=key,
                keys=tuple(raw_keys),
                store=store,
                username=None if username == TOKEN_USERNAME else username,
                logged_in=logged_in,
                identity_token=token,
                secret_location=_location(store, backend, config.path.name),
                file=str(config.path),
                diagnostics=tuple(diagnostics),
            )
        )
    result.sort(key=lambda r: (r.registry != "docker.io", r.registry))
    return result


def _keyring_backend() -> str:
    from regtui.core.credentials.keyring_store import KeyringStore

    return KeyringStore.backend_name()
