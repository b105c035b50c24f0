"""What a check or a login sends: the stored credential of a registry, as docker would send it."""

from __future__ import annotations

from collections.abc import Callable

from regtui.core.credentials.model import Credential
from regtui.core.credentials.resolve import read_credential
from regtui.core.docker_config import DockerConfig


def secret_lookup(
    config: DockerConfig, env_auths: list[Credential] | None = None
) -> Callable[[str], Credential | None]:
    """Blocking (it may run a credential helper): call it from a thread."""

    def lookup(key: str) -> Credential | None:
        credential = read_credential(config, key, env_auths=env_auths)
        if credential is None or not credential.is_identity_token or credential.account:
            return credential
        # docker keeps the account name beside an identity token ("auth": "user:")
        account = next((e.username for e in map(config.entry, config.keys_for(key)) if e and e.username), None)
        return credential.with_account(account)

    return lookup
