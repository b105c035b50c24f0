"""The application layer: every use case of regtui behind one typed interface
(``workstation.Workstation``), with a real and a demo implementation. The CLI and the TUI
call it, and only it, to reach the core (docs/architecture.md).

Importing this package loads no core module: ``open_workstation`` imports what it builds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from concurrent.futures import Future

    from regtui.app.workstation import Workstation
    from regtui.core.credentials.resolve import RegistryStatus


def open_workstation(
    config_dir: str | None = None, *, read_only: bool = False, demo: bool = False, lean_http: bool = False
) -> Workstation:
    """This machine's workstation (``config_dir``: docker's config directory), or the demo's.
    ``lean_http``: checks and rate-limit readings over the lean HTTP client, core/wire/lean.py (see RealWorkstation)."""
    if demo:
        from regtui.app.demo import DemoWorkstation

        return DemoWorkstation(read_only=read_only)
    from regtui.app.real import RealWorkstation

    return RealWorkstation(config_dir, read_only=read_only, lean_http=lean_http)


def preload_registries(workstation: Workstation) -> Future[list[RegistryStatus]]:
    """Start listing the registries in a thread now (the TUI picks the rows up when it mounts)."""
    from concurrent.futures import ThreadPoolExecutor  # with logging, ~12 ms: not for a CLI command

    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="regtui-preload")
    future = pool.submit(workstation.list_registries)
    pool.shutdown(wait=False)
    return future
