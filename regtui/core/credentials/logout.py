"""Log out: remove a registry's credentials from config.json and from the store that serves them.

Every key that names the registry goes (scheme and path variants, and for Docker Hub every
alias and the web-login entries), so nothing is left behind (docker/cli#2605, #7326).
The helper is erased first: if it fails, config.json is left untouched.
"""

from __future__ import annotations

from dataclasses import dataclass

from regtui.core.credentials.helper_client import HelperClient
from regtui.core.credentials.resolve import HelperFactory
from regtui.core.docker_config import DockerConfig
from regtui.core.registry_names import HUB_KEY, HUB_WEB_LOGIN_KEYS, display_name, registry_key


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
    key = registry_key(server)
    helper = config.helper_for(key)
    erased = False
    if helper:
        client = helpers(helper)
        erased = client.erase(key)
        if key == HUB_KEY:
            for extra in HUB_WEB_LOGIN_KEYS:
                erased = client.erase(extra) or erased
    removed = tuple(config.keys_for(key))
    for raw in removed:
        config.remove_auth(raw)
    config.save()
    return LogoutResult(display_name(key), removed, helper, erased)
