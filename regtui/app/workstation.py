"""The use cases regtui offers, as one typed interface that the CLI and the TUI both call.

``Workstation`` has one method per use case; ``regtui.app.real.RealWorkstation`` does them
against this machine's files, keyring and network, ``regtui.app.demo.DemoWorkstation`` over
made-up data (``regtui --demo``, the snapshot tests and the screenshots). A front end never
assembles core pieces itself: it asks a Workstation and presents the typed answer
(docs/architecture.md, "The layers").

Blocking methods may run a helper or touch files: the TUI calls them in thread workers. The
async ones do network I/O.
"""

from __future__ import annotations

import importlib
from collections.abc import AsyncIterator, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from regtui.app.credential_types import (
        CopyElsewhere,
        DanglingRemoval,
        LoginResult,
        LoginTarget,
        LoginWarning,
        LogoutOutcome,
        MigrationPlan,
        RegistriesOverview,
        StoreOption,
    )
    from regtui.app.mirror_types import (
        MirrorChange,
        MirrorFiles,
        MirrorListing,
        MirrorTarget,
    )
    from regtui.app.session_types import (
        Preferences,
        PullSample,
        RateLimitReading,
        ReportWritten,
        Session,
    )

__all__ = [  # the answers live in *_types.py; every answer is importable from here
    "CopyElsewhere",
    "DanglingRemoval",
    "LoginResult",
    "LoginTarget",
    "LoginWarning",
    "LogoutOutcome",
    "MigrationPlan",
    "RegistriesOverview",
    "StoreOption",
    "MirrorChange",
    "MirrorFiles",
    "MirrorListing",
    "MirrorTarget",
    "Preferences",
    "PullSample",
    "RateLimitReading",
    "ReportWritten",
    "Session",
]

# They load on first use (PEP 562 ``__getattr__``): a frozen dataclass costs about 0.5 ms to
# build, and a one-shot command such as ``regtui check`` needs none of the credential or mirror
# answers. tests/unit/test_workstation.py keeps this table equal to ``__all__``.
_HOMES = {
    name: f"regtui.app.{home}"
    for home, names in (
        ("credential_types", __all__[:9]),
        ("mirror_types", __all__[9:13]),
        ("session_types", __all__[13:]),
    )
    for name in names
}


def __getattr__(name: str) -> object:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


if TYPE_CHECKING:  # these pull in httpx (~85 ms): not on the TUI's first-frame path
    from regtui.core.check_history import KeptCheck
    from regtui.core.credentials.exposure import FileFinding
    from regtui.core.credentials.migrate import MigrationStep
    from regtui.core.credentials.resolve import RegistryStatus
    from regtui.core.mirrors.model import MirrorHealth, Plan
    from regtui.core.registry.model import CheckResult
    from regtui.core.report import Report


class Workstation(Protocol):
    """Every use case of regtui, for one workstation (or the demo's made-up one)."""

    @property
    def session(self) -> Session: ...

    # -- credentials -----------------------------------------------------------------------------
    def list_registries(self) -> list[RegistryStatus]:
        """docker's config.json rows, then the containers tools' auth.json rows, each with the tools
        that read it (READ BY). No network."""
        ...

    def registry_keys(self) -> list[str]:
        """The key of every registry config.json (and DOCKER_AUTH_CONFIG) knows: what ``regtui
        check`` checks when no registry is named."""
        ...

    def registries_overview(self) -> RegistriesOverview:
        """Every file (config.json, the auth.json chain), registry and finding. No network."""
        ...

    # ``auth_file`` (as --auth-file): docker, containers, a PATH, or None for the file that
    # already has the registry, else docker's config.json.
    def login_target(self, registry: str | None, store: str = "keyring", auth_file: str | None = None) -> LoginTarget:
        """Where a login would store (``store``: keyring, file or helper:NAME), before any password."""
        ...

    def login_stores(self) -> list[StoreOption]:
        """Where a login can keep the secret on this machine: the OS keyring (if there is one),
        each installed credential helper, config.json in plaintext. Blocking (asks the keyring)."""
        ...

    async def login(
        self,
        registry: str | None,
        username: str,
        password: str,
        store: str = "keyring",
        *,
        auth_file: str | None = None,
        verify: bool = True,
        timeout: float = 10.0,
        insecure: bool = False,
    ) -> LoginResult:
        """Verify like ``docker login`` (unless not ``verify``), then store."""
        ...

    def logout(self, registry: str | None, *, auth_file: str | None = None) -> LogoutOutcome: ...

    def plan_migration(self, registries: Sequence[str], *, auth_file: str | None = None) -> MigrationPlan:
        """What migrate would do for ``registries`` (every plaintext one when empty)."""
        ...

    def migrate(self, plan: MigrationPlan) -> list[MigrationStep]:
        """Move the plan's plaintext secrets to the OS keyring, all or nothing; the steps done."""
        ...

    def remove_dangling_helper(self, registry: str, write: bool, *, auth_file: str | None = None) -> list[str]:
        """The entries of the file (``auth_file``, None: docker's) naming a helper that is not
        installed; removed when ``write``."""
        ...

    def plan_dangling_removal(self, registry: str, *, auth_file: str | None = None) -> DanglingRemoval:
        """The same removal, planned: the entries and the file's diff (secrets redacted); nothing written."""
        ...

    def apply_dangling_removal(self, plan: DanglingRemoval) -> list[str]:
        """Write what ``plan`` showed; FileChangedError if the file changed since it was planned."""
        ...

    def ca_directory(self, registry: str) -> Path:
        """Where docker (and regtui) read ``registry``'s CA certificates: certs.d/<host[:port]>/."""
        ...

    def file_findings(self) -> list[FileFinding]:
        """Problems of the credential files themselves (a mode that lets others read secrets ...)."""
        ...

    def remove_stray_hub_keys(self, write: bool) -> list[str]:
        """config.json's Docker Hub alias keys docker never reads; removed when ``write``."""
        ...

    def tighten_file_mode(self, path: str) -> tuple[int, int]:
        """chmod 600 a credential file (docker's config.json or an auth.json): (mode before, after)."""
        ...

    # -- checks and Docker Hub -------------------------------------------------------------------
    def check(
        self, registries: Sequence[str], *, timeout: float = 10.0, repo: str | None = None, insecure: bool = False
    ) -> AsyncIterator[CheckResult]:
        """Each registry's check ladder, yielded as each finishes (all of them run at once)."""
        ...

    async def read_ratelimit(
        self, *, anonymous: bool = False, warn_below: int | None = None, timeout: float = 15.0
    ) -> RateLimitReading:
        """Docker Hub's pull limit, anonymous and (unless ``anonymous``) logged in; HEAD only, so
        it costs no pull. ``warn_below``: fewer pulls left than this is a warning."""
        ...

    # -- mirrors ---------------------------------------------------------------------------------
    def list_mirrors(self, runtime: str | None = None) -> MirrorListing: ...

    def plan_mirror(self, change: MirrorChange) -> Plan:
        """The edit, verified, as a diff; nothing is written."""
        ...

    def mirrors_locked(self) -> AbstractContextManager[None]:
        """Hold regtui's mirror lock, so a plan shown and then written is not raced by another
        regtui (re-entrant: the writes below take it too)."""
        ...

    def apply_mirror_plan(self, plan: Plan, use_sudo: bool = False) -> list[Path]:
        """Write a plan (journalled); PermissionNeeded when a file is root's and not ``use_sudo``."""
        ...

    def plan_mirror_undo(self, runtime: str) -> Plan:
        """Put back what regtui's last mirror change for ``runtime`` wrote."""
        ...

    def apply_mirror_undo(self, plan: Plan, use_sudo: bool = False) -> list[Path]: ...

    async def test_mirrors(
        self, targets: Sequence[MirrorTarget], *, timeout: float = 10.0, image: str | None = None
    ) -> list[MirrorHealth]:
        """GET /v2/ and a manifest HEAD (``image``, None: library/alpine:latest) through each
        mirror: one result per target given, in the same order."""
        ...

    # -- Docker Hub readings over time -------------------------------------------------------------
    def record_pulls(self, sample: PullSample | None) -> list[PullSample]:
        """Keep ``sample`` (None: keep nothing) in regtui's state; every reading kept, oldest first
        (bounded: settings.PULL_HISTORY_KEPT). Blocking (the state file)."""
        ...

    def kept_checks(self) -> tuple[list[KeptCheck], str]:
        """The last check result of each registry from earlier runs (regtui's state), and a message
        when the file was ignored in part or in whole. Never raises. Blocking (the state file)."""
        ...

    def keep_checks(self, results: Sequence[CheckResult], at: str) -> str:
        """Keep the verdict, cause and step times of ``results`` (no detail, user, secret or token),
        checked at ``at`` (ISO 8601); "" or what went wrong. Blocking (the state file)."""
        ...

    # -- the TUI's remembered choices --------------------------------------------------------------
    def preferences(self) -> Preferences:
        """The theme chosen and the user names of token logins; defaults when none is kept."""
        ...

    def save_theme(self, theme: str) -> None: ...

    def test_images(self, registries: Sequence[str]) -> dict[str, str | None]:
        """The image each registry's mirrors are tested with: the one the user named (kept in
        regtui's state), Docker Hub's library/alpine:latest, or None when none is known."""
        ...

    def remember_test_image(self, registry: str, image: str) -> str:
        """Check ``image`` (as typed) and keep it as ``registry``'s test image; the image kept.
        InputError when it is not an image name. Read-only (and the demo): checked, not kept."""
        ...

    def mirror_sources(self) -> list[str]:
        """The mirror files and directories read, each marked when it does not exist."""
        ...

    # -- support ---------------------------------------------------------------------------------
    async def gather_report(self, timeout: float) -> Report:
        """Everything regtui knows about this workstation (``regtui report``); every network step
        takes at most ``timeout`` seconds."""
        ...

    async def write_report(self) -> ReportWritten:
        """``regtui report --markdown`` (user names masked) into a new 0600 file."""
        ...
