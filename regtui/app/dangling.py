"""Remove the config.json entries that name a credential helper which is not installed.

docker cannot read, store or erase credentials through a missing ``docker-credential-NAME``
(docker/cli: credentials.NewNativeStore runs the binary), so ``docker logout`` fails too; the
only way out is to edit config.json. This names every entry it removes, then removes them
through the safe config.json write.
"""

from __future__ import annotations

import shutil

from regtui.core.credentials.helper_client import helper_binary
from regtui.core.docker_config import DockerConfig
from regtui.core.errors import InputError
from regtui.core.registry_names import display_name, registry_key


def _missing(helper: str) -> bool:
    return shutil.which(helper_binary(helper)) is None


def remove_dangling_helper(config: DockerConfig, registry: str, write: bool) -> list[str]:
    """The entries (``credHelpers["quay.io"]``, ``credsStore``, ``auths[...]``) naming a missing
    helper for ``registry``; removed and saved when ``write``. Raises InputError if there are none."""
    key = registry_key(registry)
    entries: list[str] = []
    helpers = config.cred_helpers
    for raw, name in list(helpers.items()):
        if registry_key(raw) == key and isinstance(name, str) and _missing(name):
            entries.append(f'credHelpers["{raw}"]: "{name}" ({helper_binary(name)} is not installed)')
            if write:
                del helpers[raw]
    if not entries and config.creds_store and _missing(config.creds_store) and key not in helpers:
        store = config.creds_store
        entries.append(
            f'credsStore: "{store}" ({helper_binary(store)} is not installed; '
            "docker uses credsStore for every registry without a credHelpers entry)"
        )
        if write:
            config.data.pop("credsStore", None)
    if not entries:
        raise InputError(
            f"{display_name(key)}: no config.json entry names a credential helper that is missing",
            where=config.path,
            fix="reload (r): the helper may have been installed since",
        )
    for raw in config.keys_for(key):
        entry = config.entry(raw)
        entries.append(f'auths["{raw}"]' + (" (holds a secret)" if entry is not None and entry.has_secret else ""))
        if write:
            config.remove_auth(raw)
    if write:
        config.save()
    return entries
