"""The typed answers of the credential use cases (regtui.app.workstation.Workstation)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from regtui.core.credentials.authfile import AuthFileState
    from regtui.core.credentials.exposure import FileFinding
    from regtui.core.credentials.logout import LogoutResult
    from regtui.core.credentials.migrate import MigrationStep
    from regtui.core.credentials.resolve import RegistryStatus
    from regtui.core.docker_config import DockerConfig
    from regtui.core.errors import RegtuiError


@dataclass(frozen=True)
class LoginWarning:
    """What docker would not say about a login that worked: clear text, another host, no TLS check."""

    detail: str
    fix: str = ""


@dataclass(frozen=True)
class StoreOption:
    """A place a login can keep the secret, and whether it can here."""

    value: str
    """keyring, file or helper:NAME (as --store)."""
    label: str
    available: bool = True
    why_not: str = ""


@dataclass(frozen=True)
class LoginTarget:
    """Where a login would store, known before any password is asked for."""

    key: str
    """The key the credentials go under (auth.json keeps namespaces)."""
    name: str
    """The registry as the user reads it."""
    file: Path
    auth_json: bool
    store_kind: str
    """keyring, file or helper."""
    readable_by: str = ""
    """Who else may read ``file``, when the secret would be stored in it in plaintext."""
    rerun_flag: str = ""
    """The ``--auth-file`` flag that names ``file`` in a suggested command ("" for docker's)."""


@dataclass(frozen=True)
class LoginResult:
    where: str
    """Where the secret was stored, as the user reads it."""
    warnings: tuple[LoginWarning, ...] = ()
    name: str = ""
    """The registry as the user reads it."""
    identity_token: bool = False
    """The registry gave an identity token, which is what was stored."""


@dataclass(frozen=True)
class CopyElsewhere:
    """Another file that still holds the registry after a logout, and the flag that names it."""

    path: Path
    flag: str


@dataclass(frozen=True)
class DanglingRemoval:
    """The config.json entries naming a missing credential helper, and the file's change as a
    unified diff with every secret value redacted: shown before anything is written."""

    registry: str
    file: Path
    entries: tuple[str, ...]
    diff: str
    digest: str | None
    """The file's content the plan was made from: a file changed since is not written."""
    auth_file: str | None = None
    """As --auth-file: the file the removal acts on (None: docker's config.json)."""


@dataclass(frozen=True)
class LogoutOutcome:
    result: LogoutResult
    file: Path
    auth_json: bool
    elsewhere: tuple[CopyElsewhere, ...] = ()


@dataclass(frozen=True)
class MigrationPlan:
    file: Path
    steps: list[MigrationStep]
    plaintext_elsewhere: list[Path] = field(default_factory=list)
    """With nothing to move here: the auth.json files that do hold plaintext secrets."""
    config: DockerConfig | None = field(default=None, repr=False, compare=False)
    """The file as read when planned: migrate writes against it (and refuses if it changed since)."""

    @property
    def moves(self) -> list[MigrationStep]:
        return [s for s in self.steps if s.action == "move"]


@dataclass(frozen=True)
class RegistriesOverview:
    """``regtui registries``: every file, every registry, every finding."""

    config: Path
    config_exists: bool
    creds_store: str | None
    env_keys: tuple[str, ...]
    """The registries DOCKER_AUTH_CONFIG sets (it takes precedence for them)."""
    auth_files: list[AuthFileState]
    containers_lookup: list[Path]
    """The files podman, skopeo and buildah read, in order."""
    statuses: list[RegistryStatus]
    winners: list[dict[str, object]]
    findings: list[FileFinding]
    errors: list[RegtuiError]
    """A broken auth.json: reported after the listing, which it hides nothing of."""
