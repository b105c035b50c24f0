"""Asking credential helpers who is logged in, for a listing: in parallel, and for
docker-credential-regtui from its own index in-process (no helper process, no secret read).
Blocking: helper calls are subprocesses, run in a small thread pool."""

from __future__ import annotations

import shutil
from concurrent.futures import ThreadPoolExecutor

from regtui.core.credentials.helper_client import REGTUI_HELPER, HelperClient, HelperFactory, helper_binary
from regtui.core.credentials.model import Credential
from regtui.core.docker_config import DockerConfig
from regtui.core.errors import RegtuiError


def ask_helpers(keys: list[tuple[str, str]], helpers: HelperFactory) -> dict[str, Credential | None | RegtuiError]:
    """Each (key, helper)'s answer to ``get``, or the error it gave; helpers run in parallel."""
    answers: dict[str, Credential | None | RegtuiError] = {}
    indexed = regtui_index(helpers)
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


def regtui_index(helpers: HelperFactory) -> dict[str, str] | None:
    """docker-credential-regtui's index (server URL -> username, no secrets), when the real helper
    would be asked: listing N registries then runs no helper process and reads no secret."""
    if helpers is not HelperClient or shutil.which(helper_binary(REGTUI_HELPER)) is None:
        return None
    from regtui.core.credentials.keyring_store import KeyringStore

    return KeyringStore().read_index()


def _indexed_login(servers: dict[str, str], key: str) -> Credential | None:
    """Who is logged in, as the helper's get would say; the secret is left out (it is not needed)."""
    from regtui.core.credentials.keyring_index import find_key

    found = find_key(servers, key)
    return Credential(key, servers[found], "", f"helper:{REGTUI_HELPER}") if found is not None else None


def helper_listed(config: DockerConfig, helpers: HelperFactory) -> tuple[dict[str, str], RegtuiError | None]:
    """What credsStore lists (server -> username), or the error it gave; nothing when it is not installed."""
    if not config.creds_store or shutil.which(helper_binary(config.creds_store)) is None:
        return {}, None
    if config.creds_store == REGTUI_HELPER and (indexed := regtui_index(helpers)) is not None:
        return indexed, None
    try:
        return helpers(config.creds_store).list(), None
    except RegtuiError as exc:
        return {}, exc
