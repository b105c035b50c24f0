"""The problems of a registry's entries in config.json or an auth.json: invalid, plaintext,
masked by a helper, or a Docker Hub alias docker never reads. Each comes with its fix."""

from __future__ import annotations

from regtui.core.credentials.containers_keys import auth_file_flag, containers_host
from regtui.core.credentials.status import Diagnostic, DiagnosticCode, Severity, StoreKind, StoreRef
from regtui.core.docker_config import DockerConfig
from regtui.core.registry_names import HUB_KEY, is_hub, is_web_login_key


def file_diagnostics(config: DockerConfig, key: str, raw_keys: list[str], store: StoreRef) -> list[Diagnostic]:
    """What is wrong with the ``auths`` entries ``raw_keys`` of one registry, given the store that serves it."""
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
                    DiagnosticCode.INVALID_ENTRY,
                    Severity.ERROR,
                    f"auths entry {raw!r}: {entry.problem}",
                    f"{logout_fix}, then log in again",
                )
            )
        elif entry.has_secret and store.kind == StoreKind.FILE:
            found.append(
                Diagnostic(
                    DiagnosticCode.PLAINTEXT,
                    Severity.WARNING,
                    f"the secret is stored in plaintext in {name} ({raw!r})",
                    plaintext_fix(config, key),
                )
            )
        elif entry.has_secret:
            found.append(
                Diagnostic(
                    DiagnosticCode.MASKED_PLAINTEXT,
                    Severity.WARNING,
                    f"a plaintext secret under {raw!r} is ignored by {readers} ({store.label} serves this registry)",
                    f"{logout_fix} removes it everywhere; then log in again",
                )
            )
        if raw != key and is_hub(raw) and not is_web_login_key(raw) and not config.is_auth_json:
            found.append(
                Diagnostic(
                    DiagnosticCode.STRAY_HUB_ALIAS,
                    Severity.WARNING,
                    f"{raw!r} is a Docker Hub alias key that docker never reads (it uses {HUB_KEY!r})",
                    "regtui logout docker.io removes every Hub alias; then log in again",
                )
            )
    return found


def plaintext_fix(config: DockerConfig, key: str) -> str:
    """How to get a plaintext secret out of the file: migrate it, or (an auth.json namespace) keep it private."""
    if config.is_auth_json and "/" in key:  # credHelpers are per registry: a namespace entry cannot move
        return (
            f"a namespace entry stays in the file: keep it private (chmod 600), or log in to "
            f"{containers_host(key)} with --auth-file containers to use the keyring for the whole registry"
        )
    return f"regtui migrate{auth_file_flag(config)} {config.display(key)}"
