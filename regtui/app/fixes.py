"""Fixes the TUI runs for a problem it shows: remove Docker Hub alias keys docker never reads,
and tighten a credential file's mode.

docker reads Docker Hub's credentials under ``https://index.docker.io/v1/`` only (docker/cli
cli/config/configfile/file.go GetAuthConfig with registry.IndexServer); another Hub spelling
(``docker.io``, ``index.docker.io``) is never read, yet may still hold a secret. A file that
holds plaintext secrets should be readable by its owner alone (docker writes config.json 0600).
"""

from __future__ import annotations

import os
import stat

from regtui.core.docker_config import DockerConfig
from regtui.core.errors import InputError, RegtuiError
from regtui.core.registry_names import HUB_KEY, is_hub, is_web_login_key


def stray_hub_keys(config: DockerConfig) -> list[str]:
    """The ``auths`` keys that spell Docker Hub otherwise than docker reads it (config.json only:
    an auth.json keys Hub as docker.io, which is right there)."""
    if config.is_auth_json:
        return []
    return [raw for raw in config.auths if raw != HUB_KEY and is_hub(raw) and not is_web_login_key(raw)]


def remove_stray_hub_keys(config: DockerConfig, write: bool) -> list[str]:
    """The stray Hub keys, each said with whether it holds a secret; removed and saved when ``write``."""
    keys = stray_hub_keys(config)
    if not keys:
        raise InputError(f"{config.path} has no Docker Hub alias key", fix="reload (r): it may be gone already")
    described = []
    for raw in keys:
        entry = config.entry(raw)
        described.append(f'auths["{raw}"]' + (" (holds a secret)" if entry is not None and entry.has_secret else ""))
        if write:
            config.remove_auth(raw)
    if write:
        config.save()
    return described


def tighten_mode(config: DockerConfig) -> tuple[int, int]:
    """chmod 600 the file (its symlink's target), as docker writes config.json: (mode before, after)."""
    target = config.snapshot.target
    try:
        before = stat.S_IMODE(os.stat(target).st_mode)
        os.chmod(target, 0o600)
    except FileNotFoundError as exc:
        raise InputError(f"{config.path} does not exist", fix="reload (r)") from exc
    except OSError as exc:
        raise RegtuiError(
            f"cannot change the mode of {target}: {exc.strerror}", fix=f"as its owner: chmod 600 {target}"
        ) from exc
    return before, 0o600
