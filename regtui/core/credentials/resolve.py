"""Which store serves each registry, who is logged in, and what is wrong (docker's precedence).

docker reads DOCKER_AUTH_CONFIG first, then ``credHelpers[key]``, then ``credsStore``, then
the plaintext ``auths`` of config.json (docker/cli: cli/config/configfile/file.go
GetCredentialsStore, cli/config/config.go). Blocking: helper calls are subprocesses, run in a
small thread pool.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from regtui.core.credentials.containers_keys import auth_file_flag, containers_host
from regtui.core.credentials.helper_client import HelperClient, helper_binary
from regtui.core.credentials.model import TOKEN_USERNAME, Credential
from regtui.core.docker_config import DockerConfig, EnvAuth
from regtui.core.errors import RegtuiError
from regtui.core.registry_names import HUB_KEY, is_hub, is_web_login_key, registry_key

REGTUI_HELPER = "regtui"


@dataclass(frozen=True)
class Diagnostic:
    code: str
    severity: str  # "info" | "warning" | "error"
    message: str
    fix: str = ""


@dataclass(frozen=True)
class StoreRef:
    """Where a registry's secret is read from."""

    kind: str  # "file" | "helper" | "env"
    helper: str | None = None

    @property
    def label(self) -> str:
        if self.kind == "helper":
            return f"helper:{self.helper}"
        return "env" if self.kind == "env" else "file"


@dataclass(frozen=True)
class RegistryStatus:
    registry: str
    key: str
    keys: tuple[str, ...]
    store: StoreRef
    username: str | None
    logged_in: bool | None  # None: the store could not be asked
    identity_token: bool
    secret_location: str
    diagnostics: tuple[Diagnostic, ...] = field(default=())
    file: str = ""
    """The file holding the entry: docker's config.json or an auth.json."""
    read_by: tuple[str, ...] = ("docker",)
    """The tools that use this entry: "docker", "containers" (podman, skopeo, buildah)."""

    @property
    def tools(self) -> str:
        if set(self.read_by) == {"docker", "containers"}:
            return "both"
        if self.read_by == ("containers",):
            return "containers tools"
        return self.read_by[0] if self.read_by else "none (shadowed)"

    def to_json(self) -> dict[str, object]:
        """Stable keys, never a secret."""
        return {
            "registry": self.registry,
            "key": self.key,
            "config_keys": list(self.keys),
            "store": self.store.label,
            "username": self.username,
            "logged_in": self.logged_in,
            "identity_token": self.identity_token,
            "secret_location": self.secret_location,
            "file": self.file,
            "read_by": list(self.read_by),
            "tools": self.tools,
            "diagnostics": [
                {"code": d.code, "severity": d.severity, "message": d.message, "fix": d.fix} for d in self.diagnostics
            ],
        }


HelperFactory = Callable[[str], HelperClient]


def store_for(config: DockerConfig, key: str, env_auths: list[EnvAuth] | None = None) -> StoreRef:
    if env_auths and not config.is_auth_json and any(registry_key(e.key) == key for e in env_auths):
        return StoreRef("env")
    helper = config.helper_for(key)
    return StoreRef("helper", helper) if helper else StoreRef("file")


def read_credential(
    config: DockerConfig, server: str, helpers: HelperFactory = HelperClient, env_auths: list[EnvAuth] | None = None
) -> Credential | None:
    """The credential docker would send to this registry, or None."""
    key = registry_key(server)
    for env in env_auths or []:
        if registry_key(env.key) == key:
            return Credential(key, env.username, env.password)
    helper = config.helper_for(key)
    if helper:
        return helpers(helper).get(key)
    return file_credential(config, key, config.keys_for(key))


def file_credential(config: DockerConfig, key: str, raw_keys: list[str]) -> Credential | None:
    """The plaintext credential among ``raw_keys`` (the auths keys that name this registry)."""
    for raw_key in raw_keys:
        if is_web_login_key(raw_key):
            continue
        entry = config.entry(raw_key)
        if entry and entry.problem is None and entry.has_secret:
            if entry.identity_token:
                return Credential(key, TOKEN_USERNAME, entry.identity_token)
            return Credential(key, entry.username or "", entry.password or entry.registry_token or "")
    return None


def _location(store: StoreRef, backend: str, file_name: str = "config.json") -> str:
    if store.kind == "env":
        return "DOCKER_AUTH_CONFIG (environment)"
    if store.kind == "file":
        return f"{file_name} (plaintext)"
    if store.helper == REGTUI_HELPER:
        return f"OS keyring via docker-credential-regtui ({backend})"
    return f"docker-credential-{store.helper}"


def _ask_helpers(keys: list[tuple[str, str]], helpers: HelperFactory) -> dict[str, Credential | None | RegtuiError]:
    answers: dict[str, Credential | None | RegtuiError] = {}
    indexed = _regtui_index(helpers)
    if indexed is not None:  # docker-credential-regtui's own registries: from its index, in-process
        answers = {key: _indexed_login(indexed, key) for key, helper in keys if helper == REGTUI_HELPER}
        keys = [(key, helper) for key, helper in keys if key not in answers]
    if not keys:
        return answers

    def ask(item: tuple[str, str]) -> Credential | None | RegtuiError:
        key, helper = item
        try:
            return helpers(helper).get(key)
        except RegtuiError as exc:
            return exc

    with ThreadPoolExecutor(max_workers=8) as pool:
        answers.update(zip([k for k, _ in keys], pool.map(ask, keys), strict=True))
    return answers


def _regtui_index(helpers: HelperFactory) -> dict[str, str] | None:
    """docker-credential-regtui's index (server URL -> username, no secrets), when the real helper
    would be asked: listing N registries then runs no helper process and reads no secret."""
    if helpers is not HelperClient or shutil.which(helper_binary(REGTUI_HELPER)) is None:
        return None
    from regtui.core.credentials.keyring_store import KeyringStore

    return KeyringStore().read_index()


def _indexed_login(servers: dict[str, str], key: str) -> Credential | None:
    """Who is logged in, as the helper's get would say; the secret is left out (it is not needed)."""
    from regtui.core.credentials.keyring_store import find_key

    found = find_key(servers, key)
    return Credential(key, servers[found], "") if found is not None else None


def _helper_listed(config: DockerConfig, helpers: HelperFactory) -> tuple[dict[str, str], RegtuiError | None]:
    if not config.creds_store or shutil.which(helper_binary(config.creds_store)) is None:
        return {}, None
    if config.creds_store == REGTUI_HELPER and (indexed := _regtui_index(helpers)) is not None:
        return indexed, None
    try:
        return helpers(config.creds_store).list(), None
    except RegtuiError as exc:
        return {}, exc


def _file_diagnostics(config: DockerConfig, key: str, raw_keys: list[str], store: StoreRef) -> list[Diagnostic]:
    found = []
    name, shown = config.path.name, config.display(key)
    logout_fix = f"regtui logout{auth_file_flag(config)} {shown}"
    readers = "the containers tools" if config.is_auth_json else "docker"
    for raw in raw_keys:
        entry = config.entry(raw)
        if entry is None:
            continue
        if entry.problem:
            found.append(
                Diagnostic(
                    "invalid-entry",
                    "error",
                    f"auths entry {raw!r}: {entry.problem}",
                    f"{logout_fix}, then log in again",
                )
            )
        elif entry.has_secret and store.kind == "file":
            found.append(
                Diagnostic(
                    "plaintext",
                    "warning",
                    f"the secret is stored in plaintext in {name} ({raw!r})",
                    _plaintext_fix(config, key),
                )
            )
        elif entry.has_secret:
            found.append(
                Diagnostic(
                    "masked-plaintext",
                    "warning",
                    f"a plaintext secret under {raw!r} is ignored by {readers} ({store.label} serves this registry)",
                    f"{logout_fix} removes it everywhere; then log in again",
                )
            )
        if raw != key and is_hub(raw) and not is_web_login_key(raw) and not config.is_auth_json:
            found.append(
                Diagnostic(
                    "stray-hub-alias",
                    "warning",
                    f"{raw!r} is a Docker Hub alias key that docker never reads (it uses {HUB_KEY!r})",
                    "regtui logout docker.io removes every Hub alias; then log in again",
                )
            )
    return found


def list_registries(
    config: DockerConfig,
    *,
    helpers: HelperFactory = HelperClient,
    env_auths: list[EnvAuth] | None = None,
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
        groups.setdefault(registry_key(env.key), [])
    listed, list_error = _helper_listed(config, helpers)
    for raw in listed:
        if not is_web_login_key(raw):
            groups.setdefault(registry_key(raw), [])

    stores = {key: store_for(config, key, env_auths) for key in groups}
    # the key a helper is asked with: auth.json's readers ask with the registry host
    ask_key = {key: containers_host(key) if config.is_auth_json else key for key in groups}
    to_ask = [(ask_key[k], s.helper) for k, s in stores.items() if s.kind == "helper" and s.helper]
    installed = {h: shutil.which(helper_binary(h)) is not None for h in {h for _, h in to_ask}}
    asked = _ask_helpers([(k, h) for k, h in to_ask if installed[h]], helpers)
    needs_backend = any(s.helper == REGTUI_HELPER for s in stores.values())
    backend = (keyring_backend or _keyring_backend)() if needs_backend else ""

    result = []
    for key, raw_keys in groups.items():
        store = stores[key]
        diagnostics = _file_diagnostics(config, key, raw_keys, store)
        username: str | None = None
        logged_in: bool | None = False  # None: unknown (the helper is missing or failed)
        token = False
        if store.kind == "env":
            env = next(e for e in env_auths if registry_key(e.key) == key)
            username, logged_in = env.username, True
            diagnostics.append(
                Diagnostic(
                    "env-override",
                    "info",
                    "DOCKER_AUTH_CONFIG provides these credentials",
                    "unset DOCKER_AUTH_CONFIG to use the stored ones",
                )
            )
        elif store.kind == "helper":
            readers = "the containers tools" if config.is_auth_json else "docker"
            answer = asked.get(ask_key[key])
            if ask_key[key] not in asked:
                logged_in = None
                diagnostics.append(
                    Diagnostic(
                        "dangling-helper",
                        "error",
                        f"{helper_binary(store.helper or '')} is not on PATH, "
                        f"so {readers} cannot read these credentials",
                        f"install it, or point {'credHelpers' if key in config.cred_helpers else 'credsStore'} "
                        "at an installed helper (for example regtui)",
                    )
                )
            elif isinstance(answer, RegtuiError):
                logged_in = None
                diagnostics.append(Diagnostic("helper-failed", "error", answer.what, answer.fix or ""))
            elif answer is not None:
                username, logged_in, token = answer.username, True, answer.is_identity_token
        else:
            cred = file_credential(config, key, raw_keys)  # the grouped keys: no rescan of every key
            if cred is not None:
                username, logged_in, token = cred.username, True, cred.is_identity_token
        if token:
            entries = (config.entry(r) for r in raw_keys)
            username = next((e.username for e in entries if e is not None and e.username), None) or username
        if store.kind == "helper" and store.helper == config.creds_store and list_error is not None:
            diagnostics.append(Diagnostic("helper-failed", "error", list_error.what, list_error.fix or ""))
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


def _plaintext_fix(config: DockerConfig, key: str) -> str:
    if config.is_auth_json and "/" in key:  # credHelpers are per registry: a namespace entry cannot move
        return (
            f"a namespace entry stays in the file: keep it private (chmod 600), or log in to "
            f"{containers_host(key)} with --auth-file containers to use the keyring for the whole registry"
        )
    return f"regtui migrate{auth_file_flag(config)} {config.display(key)}"


def _keyring_backend() -> str:
    from regtui.core.credentials.keyring_store import KeyringStore

    return KeyringStore.backend_name()
