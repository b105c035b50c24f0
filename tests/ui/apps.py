"""Deterministic apps for snapshot and Pilot tests: injected data, no clock, no files."""

from __future__ import annotations

import json
from datetime import datetime
from typing import TypeVar

from regtui.app.demo import DemoWorkstation
from regtui.core.credentials.resolve import Diagnostic, RegistryStatus, StoreRef
from regtui.core.errors import ConfigError
from regtui.ui.app import RegTUI

W = TypeVar("W")


def override(workstation: W, **changes: object) -> W:
    """``workstation`` with some use cases replaced (``login=fake``) and its session's
    ``read_only``, ``demo`` or ``source`` changed."""
    session = {k: changes.pop(k) for k in ("read_only", "demo", "source") if k in changes}
    if session:
        workstation.session = workstation.session._replace(**session)  # type: ignore[attr-defined]
    for name, fake in changes.items():
        assert callable(getattr(workstation, name)), f"{name} is not a use case of the workstation"
        setattr(workstation, name, fake)
    return workstation


FIXED_TIME = datetime(2026, 11, 30, 9, 15, 0)


def demo_app(**changes: object) -> RegTUI:
    """The demo data, drawn as the app draws real data (no DEMO marker: ``demo=True`` adds it);
    its clock stands still at FIXED_TIME (the message log, "read at")."""
    app = RegTUI(override(DemoWorkstation(), **{"demo": False, **changes}))
    app.clock = lambda: FIXED_TIME
    return app


def rows_app(load: object, source: str) -> RegTUI:
    """An app whose registries are ``load()``'s."""
    return demo_app(list_registries=load, source=source)


DOCKER_FILE = "/home/user/.docker/config.json"
AUTH_FILE = "/run/user/1000/containers/auth.json"


def auth_json_rows() -> list[RegistryStatus]:
    """docker's config.json and podman/skopeo's auth.json side by side: quay.io is in both (auth.json
    wins for the containers tools), ghcr.io only in docker's (both read it), one auth.json entry is shadowed."""
    from regtui.app.demo_data import registries

    hub, ghcr, _, _ = registries()
    plain = Diagnostic(
        "plaintext",
        "warning",
        f"the secret is stored in plaintext in {AUTH_FILE}",
        "regtui migrate --auth-file containers quay.io",
    )
    return [
        hub._replace(file=DOCKER_FILE, read_by=("docker",)),
        ghcr._replace(file=DOCKER_FILE, read_by=("docker", "containers")),
        RegistryStatus(
            "quay.io",
            "quay.io",
            ("quay.io",),
            StoreRef("file"),
            "alice",
            True,
            False,
            "config.json (plaintext)",
            file=DOCKER_FILE,
            read_by=("docker",),
        ),
        RegistryStatus(
            "quay.io",
            "quay.io",
            ("quay.io",),
            StoreRef("file"),
            "robot+ci",
            True,
            False,
            "auth.json (plaintext)",
            (plain,),
            file=AUTH_FILE,
            read_by=("containers",),
        ),
        RegistryStatus(
            "docker.io",
            "docker.io",
            ("docker.io",),
            StoreRef("helper", "regtui"),
            "alice",
            True,
            False,
            "OS keyring via docker-credential-regtui",
            file=AUTH_FILE,
            read_by=("containers",),
        ),
    ]


def auth_json_app() -> RegTUI:
    return rows_app(auth_json_rows, DOCKER_FILE)


def empty_app() -> RegTUI:
    return rows_app(lambda: [], "/home/user/.docker/config.json (not found)")


def malformed_app() -> RegTUI:
    def load():
        raise ConfigError(
            "is not valid JSON: Expecting ',' delimiter",
            path="/home/user/.docker/config.json",
            line=7,
            column=3,
            fix="fix the file by hand (regtui never rewrites a file it cannot parse)",
        )

    return rows_app(load, "/home/user/.docker/config.json")


def fix_menu_app() -> RegTUI:
    """ghcr.io in plaintext in a config.json others may read: two fixes for one row."""
    from regtui.app.demo_data import registries
    from regtui.core.credentials.exposure import FileFinding, FindingCode
    from regtui.core.credentials.status import Severity

    ghcr = registries()[1]._replace(file=DOCKER_FILE)
    finding = FileFinding(
        FindingCode.CONFIG_READABLE,
        Severity.WARNING,
        DOCKER_FILE,
        f"{DOCKER_FILE} holds plaintext credentials and every user may read it",
        f"chmod 600 {DOCKER_FILE}",
    )
    return demo_app(list_registries=lambda: [ghcr], file_findings=lambda: [finding], source=DOCKER_FILE)


DANGLING_CONFIG = (
    json.dumps(
        {
            "auths": {"ghcr.io": {"auth": "YWxpY2U6Z2hwX3NlY3JldA=="}, "quay.io": {}},
            "credHelpers": {"quay.io": "corp-vault"},
        },
        indent=2,
    )
    + "\n"
)


def dangling_app() -> RegTUI:
    """quay.io's credHelpers entry names docker-credential-corp-vault, which is not installed; f
    plans its removal over DANGLING_CONFIG (ghcr.io's plaintext entry is context in the diff)."""
    from pathlib import Path

    from regtui.app.dangling import plan_removal
    from regtui.core.docker_config import parse_docker_config
    from regtui.core.fileio import FileSnapshot

    missing = Diagnostic(
        "dangling-helper",
        "error",
        "docker-credential-corp-vault is not on PATH, so docker cannot read these credentials",
        "install it, or point credHelpers at an installed helper (for example regtui)",
    )
    row = RegistryStatus(
        "quay.io", "quay.io", ("quay.io",), StoreRef("helper", "corp-vault"), None, None, False,
        "docker-credential-corp-vault", (missing,), file=DOCKER_FILE,
    )  # fmt: skip

    def plan(registry: str, *, auth_file: str | None = None) -> object:
        path = Path(DOCKER_FILE)
        return plan_removal(parse_docker_config(FileSnapshot(path, path, DANGLING_CONFIG, "0" * 64)), registry, None)

    return demo_app(list_registries=lambda: [row], plan_dangling_removal=plan, source=DOCKER_FILE)
