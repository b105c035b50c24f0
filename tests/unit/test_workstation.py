"""The application layer: one interface, two implementations, nothing heavy on import."""

from __future__ import annotations

import ast
import asyncio
import inspect
import subprocess
import sys
from pathlib import Path

import pytest

from regtui.app import open_workstation
from regtui.app.demo import DemoWorkstation, NotInDemo
from regtui.app.real import RealWorkstation
from regtui.app.workstation import MirrorChange, MirrorTarget, Workstation
from regtui.core.mirrors.model import Mirror, MirrorSet
from regtui.core.mirrors.ops import Add

USE_CASES = sorted(
    name for name, member in vars(Workstation).items() if inspect.isfunction(member) and not name.startswith("_")
)


@pytest.mark.parametrize("implementation", [RealWorkstation, DemoWorkstation])
def test_every_implementation_has_every_use_case_with_the_same_signature(implementation: type) -> None:
    assert len(USE_CASES) >= 15
    for name in USE_CASES:
        theirs = inspect.signature(getattr(implementation, name))
        ours = inspect.signature(getattr(Workstation, name))
        assert list(theirs.parameters) == list(ours.parameters), name
        assert inspect.iscoroutinefunction(getattr(implementation, name)) == inspect.iscoroutinefunction(
            getattr(Workstation, name)
        ), name


def test_open_workstation_builds_the_real_one_or_the_demo(tmp_path: Path) -> None:
    real = open_workstation(str(tmp_path), read_only=True)
    assert isinstance(real, RealWorkstation)
    assert real.session.source == str(tmp_path / "config.json") and real.session.read_only
    assert not real.session.demo
    demo = open_workstation(demo=True)
    assert isinstance(demo, DemoWorkstation) and demo.session.demo and demo.session.source == "demo data"


def test_enabled_targets_are_each_url_and_registry_once_in_list_order() -> None:
    shared = "https://shared.example"
    sets = [
        MirrorSet("docker", "docker.io", (Mirror(shared), Mirror("https://off.example", enabled=False)), Path("/d")),
        MirrorSet("containerd", "docker.io", (Mirror(shared),), Path("/c/docker.io/hosts.toml")),
        MirrorSet("containerd", "quay.io", (Mirror(shared, insecure=True),), Path("/c/quay.io/hosts.toml")),
    ]
    assert MirrorTarget.enabled(sets) == [MirrorTarget(shared), MirrorTarget(shared, "quay.io", insecure=True)]


def test_the_demo_answers_from_made_up_data_and_refuses_what_needs_this_machine() -> None:
    demo = DemoWorkstation()
    assert [r.registry for r in demo.list_registries()] == [
        "docker.io",
        "ghcr.io",
        "registry.example.com:5000",
        "quay.io",
    ]
    assert [s.runtime for s in demo.list_mirrors("podman").sets] == ["podman"]
    plan = demo.plan_mirror(MirrorChange("docker", Add("https://new.example")))
    assert '"https://new.example"' in plan.changes[0].after and "https://new.example" not in plan.changes[0].before
    with pytest.raises(NotInDemo):
        asyncio.run(demo.write_report())

    async def checked() -> list[str]:
        return [r.registry async for r in demo.check(["quay.io"])]

    assert asyncio.run(checked()) == ["quay.io"]


def test_building_a_workstation_and_listing_registries_loads_no_network_stack(tmp_path: Path) -> None:
    """The TUI's first frame builds one and lists the registries: neither may import httpx or tomlkit."""
    code = (
        "import sys\nfrom regtui.app import open_workstation\n"
        f"open_workstation({str(tmp_path)!r}).list_registries()\n"
        "print(sorted(m for m, v in sys.modules.items() if v and m.split('.')[0] in ('httpx', 'tomlkit', 'textual')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.strip() == "[]"


def test_every_answer_is_importable_from_the_interface_and_lives_where_the_table_says() -> None:
    """The answers load lazily (``regtui.app.workstation.__getattr__``); each name in ``__all__``
    resolves to the class of that name in its own module."""
    import importlib

    from regtui.app import workstation

    assert set(workstation._HOMES) == set(workstation.__all__)
    for name, home in workstation._HOMES.items():
        answer = getattr(workstation, name)
        assert answer is getattr(importlib.import_module(home), name)
        assert answer.__module__ == home and answer.__name__ == name
    with pytest.raises(AttributeError, match="no attribute 'Nope'"):
        _ = workstation.Nope


def test_a_check_builds_no_answer_it_does_not_return(tmp_path: Path) -> None:
    """Building the workstation for ``regtui check`` loads neither the credential nor the mirror
    answers (frozen dataclasses, ~0.5 ms each to build), nor the thread pool of the TUI's preload."""
    code = (
        "import sys\nfrom regtui.app import open_workstation\n"
        f"w = open_workstation({str(tmp_path)!r}, lean_http=True)\nw.registry_keys()\n"
        "print(sorted(m for m, v in sys.modules.items() if v and m.startswith(('regtui.app', 'asyncio'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    loaded = ast.literal_eval(out.stdout.strip())
    assert "regtui.app.session_types" in loaded  # the Session is built: the test can see the import
    assert not {"regtui.app.credential_types", "regtui.app.mirror_types", "asyncio"} & set(loaded), loaded
