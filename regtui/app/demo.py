"""The Workstation over made-up, deterministic data (``regtui --demo``, the snapshot tests and
the screenshots): the same interface as the real one, so no front end treats the demo apart.

Nothing is read or written: the writes answer as if they had worked (the TUI says "demo:
nothing was stored or written"), and the plans are real plans over a made-up daemon.json.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING

from regtui.app import demo_data
from regtui.app.workstation import (
    DanglingRemoval,
    LoginResult,
    LoginTarget,
    LogoutOutcome,
    MigrationPlan,
    MirrorChange,
    MirrorListing,
    MirrorTarget,
    Preferences,
    PullSample,
    RateLimitReading,
    RegistriesOverview,
    ReportWritten,
    Session,
    StoreOption,
)
from regtui.core.credentials.logout import LogoutResult
from regtui.core.credentials.migrate import MigrationAction, MigrationStep
from regtui.core.credentials.resolve import RegistryStatus
from regtui.core.errors import InputError
from regtui.core.mirrors.model import MirrorHealth, Plan
from regtui.core.registry.model import CheckResult

if TYPE_CHECKING:
    from regtui.core.check_history import KeptCheck
    from regtui.core.credentials.exposure import FileFinding
    from regtui.core.report import Report


CONFIG = Path("/home/user/.docker/config.json")


class NotInDemo(InputError):
    """A use case the demo cannot pretend to do (it would need this machine's files)."""


class DemoWorkstation:
    def __init__(self, *, read_only: bool = False) -> None:
        self.session = Session("demo data", demo=True, read_only=read_only)
        self._theme: str | None = None
        self._test_images: dict[str, str] = {}
        self._kept: dict[str, KeptCheck] = {}
        self._pulls = [  # made-up earlier readings, half an hour apart
            PullSample(f"2026-01-05T{9 + i // 2:02d}:{30 * (i % 2):02d}:00+00:00", "authenticated", left, 200)
            for i, left in enumerate((200, 198, 195, 196, 191, 190, 188))
        ]

    # -- credentials -----------------------------------------------------------------------------
    def list_registries(self) -> list[RegistryStatus]:
        return demo_data.registries()

    def registry_keys(self) -> list[str]:
        return [s.key for s in demo_data.registries()]

    def registries_overview(self) -> RegistriesOverview:
        statuses = demo_data.registries()
        return RegistriesOverview(CONFIG, True, None, (), [], [CONFIG], statuses, [], [], [])

    def login_target(self, registry: str | None, store: str = "keyring", auth_file: str | None = None) -> LoginTarget:
        name = registry or "docker.io"
        return LoginTarget(name, name, CONFIG, False, "file" if store == "file" else "keyring")

    def ca_directory(self, registry: str) -> Path:
        return Path("/etc/docker/certs.d") / registry

    def file_findings(self) -> list[FileFinding]:
        return []

    def remove_stray_hub_keys(self, write: bool) -> list[str]:
        raise NotInDemo("demo: no key is removed from made-up data")

    def tighten_file_mode(self, path: str) -> tuple[int, int]:
        raise NotInDemo("demo: no file mode is changed")

    def login_stores(self) -> list[StoreOption]:
        return [
            StoreOption("keyring", "OS keyring (docker-credential-regtui)"),
            StoreOption("file", "the file itself, in plaintext (warned first)"),
        ]

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
        return LoginResult("the OS keyring (docker-credential-regtui)", name=registry or "docker.io")

    def logout(self, registry: str | None, *, auth_file: str | None = None) -> LogoutOutcome:
        name = registry or "docker.io"
        return LogoutOutcome(LogoutResult(name, (name,), None, False), CONFIG, False)

    def plan_migration(self, registries: Sequence[str], *, auth_file: str | None = None) -> MigrationPlan:
        return MigrationPlan(CONFIG, [MigrationStep("ghcr.io", "ghcr.io", ("ghcr.io",), "alice", MigrationAction.MOVE)])

    def migrate(self, plan: MigrationPlan) -> list[MigrationStep]:
        return plan.moves

    def remove_dangling_helper(self, registry: str, write: bool, *, auth_file: str | None = None) -> list[str]:
        raise NotInDemo("demo: no helper entry is removed from made-up data")

    def plan_dangling_removal(self, registry: str, *, auth_file: str | None = None) -> DanglingRemoval:
        raise NotInDemo("demo: no helper entry is removed from made-up data")

    def apply_dangling_removal(self, plan: DanglingRemoval) -> list[str]:
        raise NotInDemo("demo: no helper entry is removed from made-up data")

    # -- checks and Docker Hub -------------------------------------------------------------------
    async def check(
        self, registries: Sequence[str], *, timeout: float = 10.0, repo: str | None = None, insecure: bool = False
    ) -> AsyncIterator[CheckResult]:
        for result in demo_data.CHECKS:
            if result.registry in registries or not registries:
                await asyncio.sleep(0)
                yield result

    async def read_ratelimit(
        self, *, anonymous: bool = False, warn_below: int | None = None, timeout: float = 15.0
    ) -> RateLimitReading:
        return RateLimitReading(demo_data.ANONYMOUS, None if anonymous else demo_data.AUTHENTICATED)

    # -- mirrors ---------------------------------------------------------------------------------
    def list_mirrors(self, runtime: str | None = None) -> MirrorListing:
        return MirrorListing([s for s in demo_data.MIRRORS if runtime in (None, s.runtime)])

    def plan_mirror(self, change: MirrorChange) -> Plan:
        """A real plan (regtui's own JSON editor) over a made-up daemon.json."""
        return demo_data.plan_daemon_json(change)

    def mirrors_locked(self) -> AbstractContextManager[None]:
        return contextlib.nullcontext()

    def apply_mirror_plan(self, plan: Plan, use_sudo: bool = False) -> list[Path]:
        return []

    def plan_mirror_undo(self, runtime: str) -> Plan:
        """Undo over the made-up daemon.json: the switched-off corp cache comes back."""
        return demo_data.plan_daemon_json_undo(runtime)

    def apply_mirror_undo(self, plan: Plan, use_sudo: bool = False) -> list[Path]:
        return []

    async def test_mirrors(
        self, targets: Sequence[MirrorTarget], *, timeout: float = 10.0, image: str | None = None
    ) -> list[MirrorHealth]:
        return [demo_data.health(t.url, t.image or image) for t in targets]

    def test_images(self, registries: Sequence[str]) -> dict[str, str | None]:
        from regtui.core.mirrors.test_image import HUB_TEST_IMAGE
        from regtui.core.registry_names import is_hub

        return {r: self._test_images.get(r) or (HUB_TEST_IMAGE if is_hub(r) else None) for r in registries}

    def remember_test_image(self, registry: str, image: str) -> str:
        """Kept in this demo session only."""
        from regtui.core.mirrors.test_image import parse_image

        self._test_images[registry] = parsed = parse_image(image, registry)
        return parsed

    def mirror_sources(self) -> list[str]:
        return [str(s.source) for s in demo_data.MIRRORS]

    # -- Docker Hub readings over time: made up, kept for this run only -----------------------------
    def kept_checks(self) -> tuple[list[KeptCheck], str]:
        """None at start: the demo's checks run when asked for; kept for this run only."""
        return list(self._kept.values()), ""

    def keep_checks(self, results: Sequence[CheckResult], at: str) -> str:
        from regtui.core.check_history import as_kept

        kept = (as_kept(r, at) for r in results)  # what a real run keeps: no detail, user or fix
        self._kept.update({k.result.registry: k for k in kept if k is not None})
        return ""

    def record_pulls(self, sample: PullSample | None) -> list[PullSample]:
        if sample is not None:
            self._pulls.append(sample)
        return list(self._pulls)

    # -- the TUI's remembered choices: kept for this run only ----------------------------------------
    def preferences(self) -> Preferences:
        return Preferences(self._theme)

    def save_theme(self, theme: str) -> None:
        self._theme = theme

    # -- support ---------------------------------------------------------------------------------
    async def gather_report(self, timeout: float) -> Report:
        raise NotInDemo("demo: no report is gathered from made-up data")

    async def write_report(self) -> ReportWritten:
        raise NotInDemo("demo: no report is written from made-up data")
