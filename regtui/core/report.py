"""``regtui report``: everything regtui knows about this workstation, in one document for a ticket.

It calls the same core functions as ``registries``, ``check``, ``mirrors list``/``test`` and
``ratelimit``, all at once, under one deadline; a section that fails says why and the others
still fill in. The document (``Report.to_json``) holds no secret, and user names are masked
unless asked for; the text and Markdown views (report_render) are drawn from that document only.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import getpass
import os
import platform
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from regtui import __version__
from regtui.core.errors import RegtuiError
from regtui.core.registry.model import WARN
from regtui.core.registry.safety import RUN_DEADLINE_FACTOR
from regtui.core.report_local import ToolVersion, gather_environment, gather_files, gather_tools
from regtui.core.report_redact import Redactor

if TYPE_CHECKING:
    from regtui.core.mirrors.model import MirrorSet
    from regtui.core.registry.model import CheckResult

REPORT_VERSION = 1
DEFAULT_TIMEOUT = 5.0
# Mirrors and the Hub are bounded as check_many bounds a run of many registries.
DEADLINE_FACTOR = RUN_DEADLINE_FACTOR


@dataclass
class Report:
    """Raw material: dataclasses of the core, not yet redacted. Use ``to_json``."""

    timeout: float
    generated_at: str
    registries: dict[str, Any] = field(default_factory=dict)
    checks: list[Any] = field(default_factory=list)  # CheckResult
    mirror_sets: list[Any] = field(default_factory=list)  # MirrorSet
    mirror_health: dict[tuple[str, str, bool], Any] = field(default_factory=dict)  # MirrorHealth
    mirror_errors: list[dict[str, Any]] = field(default_factory=list)
    ratelimit: dict[str, Any] = field(default_factory=dict)
    files: list[Any] = field(default_factory=list)  # FileInfo
    tools: list[ToolVersion] = field(default_factory=list)
    environment: dict[str, str | None] = field(default_factory=dict)
    user_names: set[str] = field(default_factory=set)
    errors: dict[str, str] = field(default_factory=dict)  # section -> what went wrong

    @property
    def healthy(self) -> bool:
        """As ``regtui check``: every registry's ladder passed (and config.json could be read)."""
        return not {"registries", "checks"} & set(self.errors) and all(r.healthy for r in self.checks)

    def to_json(self, show_users: bool = False) -> dict[str, Any]:
        """Stable keys; no secret; user names masked unless ``show_users``."""
        document = {
            "report_version": REPORT_VERSION,
            "regtui": {
                "version": __version__,
                "python": platform.python_version(),
                "platform": f"{platform.system()} {platform.release()} {platform.machine()}",
                "generated_at": self.generated_at,
            },
            "healthy": self.healthy,
            "users_shown": show_users,
            "registries": {**self.registries, "error": self.errors.get("registries")},
            "checks": {
                "timeout": self.timeout,
                "healthy": all(r.healthy for r in self.checks),
                "results": [_check_json(r) for r in self.checks],
            },
            "mirrors": {
                "mirror_sets": [self._set_json(s) for s in self.mirror_sets],
                "errors": self.mirror_errors + _section_error(self.errors, "mirrors"),
            },
            "ratelimit": {**self.ratelimit, "error": self.errors.get("ratelimit")},
            "files": [f.to_json() for f in self.files],
            "tools": [t.to_json() for t in self.tools],
            "environment": self.environment,
            "errors": self.errors,
        }
        return Redactor(self.user_names | _os_user(), show_users).walk(document)  # type: ignore[return-value]

    def _set_json(self, mirror_set: MirrorSet) -> dict[str, Any]:
        data: dict[str, Any] = mirror_set.to_json()
        for mirror, entry in zip(mirror_set.mirrors, data["mirrors"], strict=True):
            health = self.mirror_health.get((mirror.url, mirror_set.registry, mirror.insecure))
            entry["health"] = health.to_json() if health is not None else None
        return data


def _section_error(errors: dict[str, str], section: str) -> list[dict[str, Any]]:
    return [{"where": None, "message": errors[section], "fix": None}] if section in errors else []


def _os_user() -> set[str]:
    try:
        return {getpass.getuser()}
    except (KeyError, OSError):
        return set()


def _check_json(result: CheckResult) -> dict[str, Any]:
    failure = result.failure
    data: dict[str, Any] = result.to_json()
    data["failed_step"] = failure.name if failure else None
    data["failed_step_title"] = failure.title if failure else None
    data["detail"] = failure.detail if failure else None
    data["warnings"] = [{"step": s.title, "detail": s.detail} for s in result.steps if s.status == WARN]
    return data


def _unexpected(exc: BaseException) -> str:
    return f"unexpected {type(exc).__name__}: {exc}"


# -- the sections --------------------------------------------------------------------------------
def _registries(report: Report, config_dir: str | None) -> tuple[list[str], Any]:
    """The registries section; returns the keys to check and the secret lookup for the checks."""
    from regtui.core.credentials.resolve import list_registries
    from regtui.core.docker_config import env_auth_config, load_docker_config
    from regtui.core.paths import docker_config_file
    from regtui.core.registry.secrets import secret_lookup

    report.registries = {"config": str(docker_config_file(config_dir)), "config_exists": None}
    config = load_docker_config(config_dir)
    env = env_auth_config()
    statuses = list_registries(config, env_auths=env)
    report.user_names |= {e.username for e in env} | {s.username for s in statuses if s.username}
    report.user_names |= {e.username for e in config.entries() if e.username}
    report.registries = {
        "config": str(config.path),
        "config_exists": config.snapshot.exists,
        "creds_store": config.creds_store or None,
        "env_override": bool(env),
        "registries": [s.to_json() for s in statuses],
    }
    return [s.key for s in statuses], secret_lookup(config, env)


async def _checks(report: Report, names: list[str], lookup: Any) -> None:
    """``check_many``, as ``regtui check`` runs it: all at once, the run bounded as a whole."""
    from regtui.core.registry.probe import CheckOptions, check_many
    from regtui.core.registry_names import display_name

    results = [r async for r in check_many(list(names), lookup=lookup, options=CheckOptions(report.timeout))]
    order = {display_name(name): i for i, name in enumerate(names)}
    report.checks = sorted(results, key=lambda r: order.get(r.registry, len(order)))
    report.user_names |= {r.username for r in report.checks if r.username}


async def _mirrors(report: Report, deadline: float) -> None:
    from regtui.core.mirrors.health import DEFAULT_IMAGE, check_mirror
    from regtui.core.mirrors.model import MirrorHealth
    from regtui.core.mirrors.service import MirrorPaths, list_sets
    from regtui.core.wire import new_client

    sets, errors = await asyncio.to_thread(list_sets, MirrorPaths.resolve())
    report.mirror_sets = sets
    report.mirror_errors = [{"where": e.where, "message": e.what, "fix": e.fix} for e in errors]
    targets = list(dict.fromkeys((m.url, s.registry, m.insecure) for s in sets for m in s.mirrors if m.enabled))

    async def one(client: Any, url: str, namespace: str, insecure: bool) -> Any:
        try:
            return await asyncio.wait_for(check_mirror(client, url, DEFAULT_IMAGE, namespace, insecure), deadline)
        except TimeoutError:
            return MirrorHealth(url, False, detail=f"no answer within {deadline:g} s", cause="timeout")

    async with new_client(report.timeout, verify=True) as client:
        found = await asyncio.gather(*(one(client, *target) for target in targets))
    report.mirror_health = dict(zip(targets, found, strict=True))


async def _ratelimit(report: Report, config_dir: str | None, deadline: float) -> None:
    from regtui.core.ratelimit import hub_credential, read_hub
    from regtui.core.ratelimit_model import RateLimitMode, RateLimitState, RateLimitStatus

    credential, note = await asyncio.to_thread(hub_credential, config_dir)
    try:
        anonymous, authenticated = await asyncio.wait_for(read_hub(credential, timeout=report.timeout), deadline)
    except TimeoutError:
        message = f"Docker Hub did not answer within {deadline:g} s"
        fix = "check the network and any proxy (HTTPS_PROXY, NO_PROXY)"
        anonymous = RateLimitStatus(RateLimitMode.ANONYMOUS, RateLimitState.ERROR, message=message, fix=fix)
        authenticated = None
        if credential is not None:
            authenticated = RateLimitStatus(
                RateLimitMode.AUTHENTICATED, RateLimitState.ERROR, credential.username, message=message, fix=fix
            )
    readings = [r for r in (anonymous, authenticated) if r is not None]
    report.user_names |= {r.username for r in readings if r.username}
    report.user_names |= {
        r.source for r in readings if r.mode == RateLimitMode.AUTHENTICATED and r.source
    }  # an account id
    report.ratelimit = {
        "anonymous": anonymous.to_json(),
        "authenticated": authenticated.to_json() if authenticated else None,
        "note": note or None,
    }


async def _guard(report: Report, section: str, work: Any) -> None:
    """One broken section never spoils the report: its error is recorded, the others go on."""
    try:
        await work
    except RegtuiError as exc:
        report.errors[section] = exc.render()
    except Exception as exc:  # noqa: BLE001 - the safety net of a diagnostic report
        report.errors[section] = _unexpected(exc)


async def gather_report(config_dir: str | None = None, timeout: float = DEFAULT_TIMEOUT) -> Report:
    """Every section at once; the network part bounded by ``DEADLINE_FACTOR * timeout``."""
    report = Report(timeout, dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC"))
    deadline = DEADLINE_FACTOR * timeout

    async def registries_then_checks() -> None:
        try:
            names, lookup = await asyncio.to_thread(_registries, report, config_dir)
        except Exception as exc:  # noqa: BLE001 - as _guard, and then no checks
            report.errors["registries"] = exc.render() if isinstance(exc, RegtuiError) else _unexpected(exc)
            return
        await _guard(report, "checks", _checks(report, names, lookup))

    async def tools() -> None:
        report.tools = await gather_tools()

    async def local() -> None:
        report.files = await asyncio.to_thread(gather_files, config_dir)
        report.environment = gather_environment()

    await asyncio.gather(
        registries_then_checks(),
        _guard(report, "mirrors", _mirrors(report, deadline)),
        _guard(report, "ratelimit", _ratelimit(report, config_dir, deadline)),
        _guard(report, "tools", tools()),
        _guard(report, "files", local()),
    )
    return report


async def write_markdown_report(
    config_dir: str | None = None, directory: Path | None = None, timeout: float = DEFAULT_TIMEOUT
) -> tuple[Path, bool]:
    """The Markdown report (user names masked) in a new 0600 file under regtui's state dir.

    For the TUI's palette; returns the file and whether every check passed.
    """
    from regtui.core.paths import regtui_state_dir
    from regtui.core.report_render import markdown

    report = await gather_report(config_dir, timeout)
    folder = directory or regtui_state_dir() / "reports"
    folder.mkdir(mode=0o755, parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
    data = markdown(report.to_json()).encode()
    for n in range(100):
        path = folder / f"regtui-report-{stamp}{f'-{n}' if n else ''}.md"
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        except FileExistsError:
            continue
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        return path, report.healthy
    raise RegtuiError(f"could not pick a new file name for the report in {folder}", fix="remove old reports")
