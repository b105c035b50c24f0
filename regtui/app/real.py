"""The Workstation over this machine: docker's config.json, the keyring, mirror files, the network.

Heavy modules (httpx, tomlkit, even asyncio: ~20 ms with logging and ssl) are imported inside
the methods, so building one, the TUI's first frame and the CLI's sync commands wait for none of
them; the async methods first import the network stack in a thread (``network_stack``) so the
event loop that draws the screen never blocks on it.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING

from regtui.app.credentials import RealCredentials
from regtui.app.network import network_stack
from regtui.app.session_types import Preferences, PullSample, RateLimitReading, ReportWritten, Session
from regtui.core.docker_config import DockerConfig, env_auth_config, load_docker_config
from regtui.core.paths import docker_config_file

if TYPE_CHECKING:
    from regtui.app.mirror_types import MirrorChange, MirrorFiles, MirrorListing, MirrorTarget
    from regtui.core.check_history import KeptCheck
    from regtui.core.mirrors.model import MirrorHealth, Plan
    from regtui.core.mirrors.service import MirrorPaths
    from regtui.core.registry.model import CheckResult
    from regtui.core.report import Report


class RealWorkstation(RealCredentials):
    """``config_dir``: docker's config directory (None: $DOCKER_CONFIG or ~/.docker).
    ``mirror_paths``: the mirror files (None: each runtime's default, or its environment override)."""

    def __init__(
        self,
        config_dir: str | None = None,
        *,
        read_only: bool = False,
        mirror_files: MirrorFiles | None = None,
        lean_http: bool = False,
    ) -> None:
        self.config_dir = config_dir
        self._mirror_files = mirror_files
        self.lean_http = lean_http
        """Checks and rate-limit readings over the lean client (core/wire/lean.py) instead of httpx: for a
        command that sends a few requests and exits (httpx and its stack cost more to
        import than those requests take)."""
        self.session = Session(str(docker_config_file(config_dir)), read_only=read_only)

    @property
    def mirror_files(self) -> MirrorFiles:
        """The mirror files given, or each runtime's default (built when a mirror use case first
        asks: ``check`` and ``ratelimit`` never do)."""
        if self._mirror_files is None:
            from regtui.app.mirror_types import MirrorFiles

            self._mirror_files = MirrorFiles()
        return self._mirror_files

    def docker_config(self) -> DockerConfig:
        return load_docker_config(self.config_dir)

    # -- checks and Docker Hub -------------------------------------------------------------------
    def _transport(self) -> AbstractContextManager[None]:
        if not self.lean_http:
            return contextlib.nullcontext()
        from regtui.core.wire import lean_transport

        return lean_transport()

    async def check(
        self, registries: Sequence[str], *, timeout: float = 10.0, repo: str | None = None, insecure: bool = False
    ) -> AsyncIterator[CheckResult]:
        with self._transport():
            import asyncio

            await network_stack("regtui.core.registry.probe", "regtui.core.registry.secrets")
            from regtui.core.registry.probe import CheckOptions, check_many
            from regtui.core.registry.secrets import secret_lookup

            config = await asyncio.to_thread(self.docker_config)
            lookup = secret_lookup(config, env_auth_config())
            options = CheckOptions(timeout, repo, insecure)
            async for result in check_many(list[str | None](registries), lookup=lookup, options=options):
                yield result

    async def read_ratelimit(
        self, *, anonymous: bool = False, warn_below: int | None = None, timeout: float = 15.0
    ) -> RateLimitReading:
        with self._transport():
            import asyncio

            await network_stack("regtui.core.ratelimit")
            from regtui.core.ratelimit import hub_credential, read_hub

            if anonymous:
                credential, note = None, ""
            else:
                credential, note = await asyncio.to_thread(hub_credential, self.config_dir)
            anon, authenticated = await read_hub(credential, warn_below=warn_below, timeout=timeout)
        return RateLimitReading(anon, authenticated, note)

    def read_ratelimit_now(
        self, *, anonymous: bool = False, warn_below: int | None = None, timeout: float = 15.0
    ) -> RateLimitReading:
        """``read_ratelimit`` for a command that does nothing else (``regtui ratelimit``), blocking.

        One reading over a direct connection needs no event loop: core/wire/blocking.py (asyncio
        and what it imports are ~15 ms of that command). Two readings (logged in) go side by side,
        and a proxy through httpx, as ``read_ratelimit`` sends them.
        """
        with self._transport():
            from regtui.core.ratelimit import hub_credential, read_hub, read_hub_blocking
            from regtui.core.wire import lean_chosen

            credential, note = (None, "") if anonymous else hub_credential(self.config_dir)
            if credential is None and lean_chosen():
                anon, authenticated = read_hub_blocking(None, warn_below=warn_below, timeout=timeout)
            else:
                import asyncio

                reading = read_hub(credential, warn_below=warn_below, timeout=timeout)
                anon, authenticated = asyncio.run(reading)
        return RateLimitReading(anon, authenticated, note)

    # -- mirrors ---------------------------------------------------------------------------------
    def mirror_paths(self) -> MirrorPaths:
        from regtui.core.mirrors.service import MirrorPaths

        files = self.mirror_files
        return MirrorPaths.resolve(files.daemon_json, files.containerd_config, files.registries_conf)

    def list_mirrors(self, runtime: str | None = None) -> MirrorListing:
        from regtui.core.mirrors.service import list_sets

        sets, errors = list_sets(self.mirror_paths(), runtime)
        from regtui.app.mirror_types import MirrorListing

        return MirrorListing(sets, errors)

    def plan_mirror(self, change: MirrorChange) -> Plan:
        from regtui.core.mirrors.service import plan_change

        return plan_change(self.mirror_paths(), change.runtime, change.op, change.registry)

    def mirrors_locked(self) -> AbstractContextManager[None]:
        from regtui.core.mirrors.journal import mirrors_lock

        return mirrors_lock()

    def apply_mirror_plan(self, plan: Plan, use_sudo: bool = False) -> list[Path]:
        from regtui.core.mirrors.apply import apply
        from regtui.core.settings import State

        return apply(plan, State(), use_sudo=use_sudo)

    def plan_mirror_undo(self, runtime: str) -> Plan:
        from regtui.core.mirrors.apply import plan_undo
        from regtui.core.settings import State

        return plan_undo(State(), runtime)

    def apply_mirror_undo(self, plan: Plan, use_sudo: bool = False) -> list[Path]:
        from regtui.core.mirrors.apply import apply_undo
        from regtui.core.settings import State

        return apply_undo(plan, State(), use_sudo=use_sudo)

    async def test_mirrors(
        self, targets: Sequence[MirrorTarget], *, timeout: float = 10.0, image: str | None = None
    ) -> list[MirrorHealth]:
        import asyncio

        await network_stack("regtui.core.mirrors.health")
        from regtui.core.mirrors.health import DEFAULT_IMAGE, check_mirror
        from regtui.core.wire import new_client

        unique = list(dict.fromkeys(targets))  # one request per distinct target, fanned out again
        async with new_client(timeout) as client:
            results = await asyncio.gather(
                *(
                    check_mirror(client, t.url, t.image or image or DEFAULT_IMAGE, t.registry, t.insecure)
                    for t in unique
                )
            )
        by_target = dict(zip(unique, results, strict=True))
        return [by_target[t] for t in targets]

    # -- Docker Hub readings over time (regtui's state) ---------------------------------------------
    def record_pulls(self, sample: PullSample | None) -> list[PullSample]:
        from regtui.core.errors import RegtuiError
        from regtui.core.settings import State

        try:
            state = State()
            if sample is not None:
                state.add_pull_reading(sample.at, sample.mode, sample.remaining, sample.limit)
                state.save()
        except RegtuiError:  # a broken or busy state file costs the history, not the reading
            return [sample] if sample is not None else []
        return [PullSample(r["at"], r["mode"], r["remaining"], r["limit"]) for r in state.pull_history()]

    def kept_checks(self) -> tuple[list[KeptCheck], str]:
        from regtui.core.check_history import load

        return load()

    def keep_checks(self, results: Sequence[CheckResult], at: str) -> str:
        from regtui.core.check_history import keep

        return keep(list(results), at)

    # -- the TUI's remembered choices (regtui's state) ----------------------------------------------
    def preferences(self) -> Preferences:
        from regtui.core.errors import RegtuiError
        from regtui.core.settings import State

        try:
            state = State()
        except RegtuiError:  # a broken state file costs the remembered choices, not the start
            return Preferences()
        return Preferences(state.theme(), state.token_users())

    def save_theme(self, theme: str) -> None:
        from regtui.core.settings import State

        state = State()
        state.set_theme(theme)
        state.save()

    def test_images(self, registries: Sequence[str]) -> dict[str, str | None]:
        from regtui.core.mirrors.test_image import images_for

        return images_for(registries)

    def remember_test_image(self, registry: str, image: str) -> str:
        from regtui.core.mirrors.test_image import parse_image, remember

        if self.session.read_only:  # checked, used for this session, not written to regtui's state
            return parse_image(image, registry)
        return remember(registry, image)

    def mirror_sources(self) -> list[str]:
        from regtui.core.paths import containerd_certs_d_override

        where = self.mirror_paths()
        hosts = containerd_certs_d_override()
        named = [where.daemon_json, where.docker_certs_d, where.containerd_config, *([hosts] if hosts else [])]
        return [f"{path}{'' if path.exists() else ' (not found)'}" for path in [*named, where.registries_conf]]

    # -- support ---------------------------------------------------------------------------------
    async def gather_report(self, timeout: float) -> Report:

        await network_stack("regtui.core.report")
        from regtui.core.report import gather_report

        return await gather_report(self.config_dir, timeout)

    async def write_report(self) -> ReportWritten:

        await network_stack("regtui.core.report")
        from regtui.core.report import write_markdown_report

        path, healthy = await write_markdown_report(self.config_dir)
        return ReportWritten(path, healthy)
