"""What the TUI needs from the outside world, injected so tests and --demo can swap it.

Blocking callables run in thread workers; async ones in async workers. None of them is
called on the UI loop directly.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Coroutine
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from regtui.core.credentials.resolve import RegistryStatus
from regtui.core.errors import RegtuiError

LOGIN_WARNING = "warning: "  # a line of Services.login's answer that the login flow shows as a warning

if TYPE_CHECKING:  # these pull in httpx (~85 ms): not on the first frame's path
    from regtui.core.credentials.logout import LogoutResult
    from regtui.core.credentials.migrate import MigrationStep
    from regtui.core.mirrors.model import Mirror, MirrorHealth, MirrorSet, Plan
    from regtui.core.ratelimit_model import RateLimitStatus
    from regtui.core.registry.model import CheckResult

    RateLimitReading = tuple[RateLimitStatus, RateLimitStatus | None, str]
    """Anonymous, authenticated (None when not logged in), and a note."""


@dataclass(frozen=True)
class Services:
    load_registries: Callable[[], list[RegistryStatus]]
    check: Callable[[list[str]], AsyncIterator[CheckResult]] | None = None
    read_ratelimit: Callable[[], Coroutine[Any, Any, RateLimitReading]] | None = None
    list_mirrors: Callable[[], tuple[list[MirrorSet], list[RegtuiError]]] | None = None
    plan_mirror: Callable[[str, str, str, str], Plan] | None = None
    apply_plan: Callable[[Plan, bool], list[Path]] | None = None  # (plan, through sudo)
    test_mirrors: Callable[[list[tuple[MirrorSet, Mirror]]], Coroutine[Any, Any, list[MirrorHealth]]] | None = None
    """One result per (set, mirror) given, in the same order."""
    logout: Callable[[str], LogoutResult] | None = None
    plan_migration: Callable[[list[str]], list[MigrationStep]] | None = None
    migrate: Callable[[list[str]], list[MigrationStep]] | None = None
    login: Callable[[str, str, str, str], Coroutine[Any, Any, str]] | None = None
    write_report: Callable[[], Coroutine[Any, Any, tuple[Path, bool]]] | None = None
    """Gather `regtui report` and write its Markdown (user names masked) to a new 0600 file:
    (the file, whether every check passed)."""
    remove_dangling: Callable[[str, bool], list[str]] | None = None
    """(registry, write): the config.json entries naming a helper that is not installed; removed when write."""
    read_only: bool = False
    source: str = ""
    demo: bool = False
    """Made-up data (--demo): the header says so, and so does every action that would write."""
    preloaded: Future[list[RegistryStatus]] | None = None
    """The first load, started before Textual is even imported (see launch.build_app)."""

    def with_preload(self) -> Services:
        """Start the first load in a thread now; the app picks it up when it mounts."""
        pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="regtui-preload")
        future = pool.submit(self.load_registries)
        pool.shutdown(wait=False)
        return replace(self, preloaded=future)


def _import_network_stack(*modules: str) -> None:
    import importlib

    from regtui.core.http import preload

    for name in modules:
        importlib.import_module(name)
    preload()


async def network_stack(*modules: str) -> None:
    """Import the network modules (httpx and its stack: 100 ms and more) in a thread, once, so
    the event loop that draws the screen never waits on them; the later imports are lookups."""
    await asyncio.to_thread(_import_network_stack, *modules)


def real_services(config_dir: str | None = None, read_only: bool = False) -> Services:
    """The real thing. Heavy modules (httpx, tomlkit) are imported inside the callables, so the
    first frame does not wait for them."""
    from regtui.core.docker_config import env_auth_config, load_docker_config
    from regtui.core.paths import docker_config_file

    def load() -> list[RegistryStatus]:
        from regtui.core.credentials.authfile import list_all, load_auth_files

        docker = load_docker_config(config_dir)  # rows are docker's; READ BY follows the auth.json chain too
        return list_all(docker, load_auth_files(docker), env_auths=env_auth_config(), docker_only=True)

    async def check(names: list[str]) -> AsyncIterator[CheckResult]:
        await network_stack("regtui.core.registry.probe", "regtui.core.registry.secrets")
        from regtui.core.registry.probe import CheckOptions, check_many
        from regtui.core.registry.secrets import secret_lookup

        config = await asyncio.to_thread(load_docker_config, config_dir)
        lookup = secret_lookup(config, env_auth_config())
        async for result in check_many(list(names), lookup=lookup, options=CheckOptions()):
            yield result

    async def read_ratelimit() -> RateLimitReading:
        await network_stack("regtui.core.ratelimit")
        from regtui.core.ratelimit import hub_credential, read_hub

        credential, note = await asyncio.to_thread(hub_credential, config_dir)
        anonymous, authenticated = await read_hub(credential)
        return anonymous, authenticated, note

    def mirrors_where():  # noqa: ANN202
        from regtui.core.mirrors.service import MirrorPaths

        return MirrorPaths.resolve()

    def list_mirrors() -> tuple[list[MirrorSet], list[RegtuiError]]:
        from regtui.core.mirrors.service import list_sets

        return list_sets(mirrors_where())

    def plan_mirror(runtime: str, action: str, url: str, registry: str) -> Plan:
        from regtui.core.mirrors.ops import from_action
        from regtui.core.mirrors.service import plan_change

        return plan_change(mirrors_where(), runtime, from_action(action, url), registry)

    def apply_plan(plan: Plan, use_sudo: bool = False) -> list[Path]:
        from regtui.core.mirrors.apply import apply
        from regtui.core.settings import State

        return apply(plan, State(), use_sudo=use_sudo)

    async def test_mirrors(rows: list[tuple[MirrorSet, Mirror]]) -> list[MirrorHealth]:
        await network_stack("regtui.core.mirrors.health")
        from regtui.core.http import new_client
        from regtui.core.mirrors.health import check_mirror

        targets = [(m.url, s.registry, m.insecure) for s, m in rows]
        unique = list(dict.fromkeys(targets))  # one request per distinct (URL, registry), fanned out again
        async with new_client(10.0) as client:
            results = await asyncio.gather(*(check_mirror(client, u, namespace=ns, insecure=i) for u, ns, i in unique))
        by_target = dict(zip(unique, results, strict=True))
        return [by_target[t] for t in targets]

    def logout(registry: str) -> LogoutResult:
        from regtui.core.credentials.logout import logout as do_logout

        return do_logout(load_docker_config(config_dir), registry)

    def plan_migration(registries: list[str]) -> list[MigrationStep]:
        from regtui.core.credentials.migrate import plan_migration as plan

        return plan(load_docker_config(config_dir), registries or None)

    def migrate(registries: list[str]) -> list[MigrationStep]:
        from regtui.core.credentials.migrate import migrate as do_migrate
        from regtui.core.credentials.migrate import plan_migration as plan

        config = load_docker_config(config_dir)
        return do_migrate(config, plan(config, registries or None))

    async def login(registry: str, username: str, password: str, store: str) -> str:
        await network_stack("regtui.core.registry.login")
        from regtui.core.registry.login import StoreChoice, store_login, verify
        from regtui.core.registry.token import Secret
        from regtui.core.registry_names import registry_key

        choice = StoreChoice.parse(store)
        config = await asyncio.to_thread(load_docker_config, config_dir)
        result, identity = await verify(registry, Secret(username, password))
        where = await asyncio.to_thread(
            store_login, config, registry_key(registry), username, password, choice, identity
        )
        # What docker would not say (clear text, another host, no TLS check) follows, one per line.
        return where + "".join(f"\n{LOGIN_WARNING}{s.detail}" for s in result.steps if s.status == "warn")

    def remove_dangling(registry: str, write: bool) -> list[str]:
        from regtui.ui.dangling import remove_dangling_helper

        return remove_dangling_helper(load_docker_config(config_dir), registry, write)

    async def write_report() -> tuple[Path, bool]:
        await network_stack("regtui.core.report")
        from regtui.core.report import write_markdown_report

        return await write_markdown_report(config_dir)

    return Services(
        load_registries=load,
        check=check,
        read_ratelimit=read_ratelimit,
        list_mirrors=list_mirrors,
        plan_mirror=plan_mirror,
        apply_plan=apply_plan,
        test_mirrors=test_mirrors,
        logout=logout,
        plan_migration=plan_migration,
        migrate=migrate,
        login=login,
        remove_dangling=remove_dangling,
        write_report=write_report,
        read_only=read_only,
        source=str(docker_config_file(config_dir)),
    )


def demo_services(read_only: bool = False) -> Services:
    from regtui.ui import demo

    return demo.services(read_only)
