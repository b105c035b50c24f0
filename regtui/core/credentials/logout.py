"""Log out: remove a registry's credentials from config.json and from the store that serves them.

Every key that names the registry goes (scheme and path variants, and for Docker Hub every
alias and the web-login entries), so nothing is left behind (docker/cli#2605, #7326).
The helper is erased first: if it fails, config.json is left untouched.
"""

from __future__ import annotations

from dataclasses import dataclass

from regtui.core.credentials.containers_keys import containers_host, is_namespace_key
from regtui.core.credentials.file_store import FileStore
from regtui.core.credentials.helper_client import HelperClient, HelperFactory
from regtui.core.credentials.store import CredentialStore
from regtui.core.docker_config import DockerConfig
from regtui.core.registry_names import HUB_KEY, HUB_WEB_LOGIN_KEYS


@dataclass(frozen=True)
class LogoutResult:
    registry: str
    removed_keys: tuple[str, ...]
    helper: str | None
    erased_from_helper: bool

    @property
    def was_logged_in(self) -> bool:
        return bool(self.removed_keys) or self.erased_from_helper


def logout(config: DockerConfig, server: str | None, helpers: HelperFactory = HelperClient) -> LogoutResult:
    """Works on docker's config.json and on an auth.json: there a namespace key (quay.io/org)
    is only its ``auths`` entry, since credHelpers serve whole registries."""
    key = config.canonical_key(server)
    namespace = config.is_auth_json and is_namespace_key(key)
    helper = None if namespace else config.helper_for(key)
    erased = False
    if helper:
        client: CredentialStore = helpers(helper)
        erased = client.erase(containers_host(key) if config.is_auth_json else key)
        if key == HUB_KEY:
            for extra in HUB_WEB_LOGIN_KEYS:
                erased = client.erase(extra) or erased
    removed = tuple(config.keys_for(key))
    FileStore(config).erase(key)  # every key that names it; writes the file
    return LogoutResult(config.display(key), removed, helper, erased)
