"""What a check or a login sends: the stored credential of a registry, as a token-exchange Secret."""

from __future__ import annotations

from collections.abc import Callable

from regtui.core.credentials.resolve import read_credential
from regtui.core.docker_config import DockerConfig, EnvAuth
from regtui.core.registry.token import Secret


def secret_lookup(config: DockerConfig, env_auths: list[EnvAuth] | None = None) -> Callable[[str], Secret | None]:
    """Blocking (it may run a credential helper): call it from a thread."""

    def lookup(key: str) -> Secret | None:
        credential = read_credential(config, key, env_auths=env_auths)
        if credential is None:
            return None
        if credential.is_identity_token:
            # docker keeps the account name beside an identity token ("auth": "user:")
            account = next((e.username for e in map(config.entry, config.keys_for(key)) if e and e.username), None)
            return Secret(account, None, credential.secret)
        return Secret(credential.username, credential.secret)

    return lookup
