"""What the TUI needs from the outside world, injected so tests and --demo can swap it."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace

from regtui.core.credentials.resolve import RegistryStatus, StoreRef, list_registries
from regtui.core.docker_config import env_auth_config, load_docker_config


@dataclass(frozen=True)
class Services:
    load_registries: Callable[[], list[RegistryStatus]]
    read_only: bool = False
    source: str = ""
    preloaded: Future[list[RegistryStatus]] | None = None
    """The first load, started before Textual is even imported (see launch.build_app)."""

    def with_preload(self) -> Services:
        """Start the first load in a thread now; the app picks it up when it mounts."""
        pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="regtui-preload")
        future = pool.submit(self.load_registries)
        pool.shutdown(wait=False)
        return replace(self, preloaded=future)


def real_services(config_dir: str | None = None, read_only: bool = False) -> Services:
    from regtui.core.paths import docker_config_file

    def load() -> list[RegistryStatus]:
        return list_registries(load_docker_config(config_dir), env_auths=env_auth_config())

    return Services(load, read_only, str(docker_config_file(config_dir)))


def demo_registries() -> list[RegistryStatus]:
    from regtui.core.credentials.resolve import Diagnostic

    return [
        RegistryStatus(
            "docker.io",
            "https://index.docker.io/v1/",
            ("https://index.docker.io/v1/",),
            StoreRef("helper", "regtui"),
            "alice",
            True,
            False,
            "OS keyring via docker-credential-regtui (SecretService)",
        ),
        RegistryStatus(
            "ghcr.io",
            "ghcr.io",
            ("ghcr.io",),
            StoreRef("file"),
            "alice",
            True,
            False,
            "config.json (plaintext)",
            (
                Diagnostic(
                    "plaintext", "warning", "the secret is stored in plaintext in config.json", "regtui migrate ghcr.io"
                ),
            ),
        ),
        RegistryStatus(
            "registry.example.com:5000",
            "registry.example.com:5000",
            ("registry.example.com:5000",),
            StoreRef("helper", "secretservice"),
            None,
            None,
            False,
            "docker-credential-secretservice",
            (
                Diagnostic(
                    "helper-failed",
                    "error",
                    "docker-credential-secretservice get failed (exit 1): Cannot autolaunch D-Bus without X11 $DISPLAY",
                ),
            ),
        ),
        RegistryStatus(
            "quay.io",
            "quay.io",
            (),
            StoreRef("helper", "regtui"),
            None,
            False,
            False,
            "OS keyring via docker-credential-regtui (SecretService)",
        ),
    ]


def demo_services(read_only: bool = False) -> Services:
    return Services(demo_registries, read_only, "demo data")
