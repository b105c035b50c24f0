"""The Mirrors pane's new states and modals as a person sees them, at 80x24 and 60x20."""

from __future__ import annotations

from pathlib import Path

import pytest

from regtui.app import demo_data
from regtui.app.workstation import MirrorListing
from regtui.core.mirrors.model import Mirror, MirrorSet
from tests.ui.apps import demo_app
from tests.ui.test_snapshots import keys

SIZES = [(80, 24), (60, 20)]
sized = pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")

PRIVATE = MirrorSet(
    "containerd",
    "registry.corp.example",
    (Mirror("https://cache.corp.example", capabilities=("pull", "resolve")),),
    Path("/etc/containerd/certs.d/registry.corp.example/hosts.toml"),
    "https://registry.corp.example",
    "nothing: hosts.toml is read on every pull",
)
INSECURE = MirrorSet(
    "docker",
    "docker.io",
    (Mirror("http://10.1.2.3:5000"),),
    Path("/etc/docker/daemon.json"),
    "https://registry-1.docker.io",
    "systemctl reload docker (dockerd re-reads registry-mirrors on SIGHUP)",
    ("insecure-registries: 10.0.0.0/8",),
)


def with_private():  # noqa: ANN201
    return demo_app(list_mirrors=lambda: MirrorListing([*demo_data.MIRRORS, PRIVATE]))


@sized
def test_a_registry_without_a_test_image(snap_compare, size: tuple[int, int]) -> None:
    """After t: the private registry's row says "no image", its detail says to press i, and a
    warning toast says the same; the Docker Hub rows are tested with library/alpine:latest."""
    app = with_private()
    assert snap_compare(app, run_before=keys("3", "t", "down", "down", "down", "down"), terminal_size=size)


@sized
def test_the_test_image_form(snap_compare, size: tuple[int, int]) -> None:
    """i on the private registry's row: one field, what it is for, Cancel and Save on screen."""
    app = with_private()
    assert snap_compare(app, run_before=keys("3", "down", "down", "down", "down", "i"), terminal_size=size)


@sized
def test_the_edit_url_form(snap_compare, size: tuple[int, int]) -> None:
    """E on mirror.gcr.io: its URL in the field, the note that it keeps its place, Cancel and Show."""
    assert snap_compare(demo_app(), run_before=keys("3", "E"), terminal_size=size)


@sized
def test_undo_shows_its_diff(snap_compare, size: tuple[int, int]) -> None:
    """u: the daemon.json diff that puts the corp cache back, Cancel and Write on screen."""
    assert snap_compare(demo_app(), run_before=keys("3", "u"), terminal_size=size)


@sized
def test_moving_a_mirror_shows_its_diff(snap_compare, size: tuple[int, int]) -> None:
    """shift+down on mirror.gcr.io: the diff that swaps the two mirrors in registry-mirrors."""
    assert snap_compare(demo_app(), run_before=keys("3", "shift+down"), terminal_size=size)


@sized
def test_no_mirrors_names_the_files_read(snap_compare, size: tuple[int, int]) -> None:
    """An empty table; below it "No mirrors configured. a: add one" and each file that was read."""
    app = demo_app(list_mirrors=lambda: MirrorListing([]))
    assert snap_compare(app, run_before=keys("3"), terminal_size=size)


@sized
def test_insecure_registries_explained(snap_compare, size: tuple[int, int]) -> None:
    """An http:// mirror on a host insecure-registries covers: what that means, in the detail."""
    app = demo_app(list_mirrors=lambda: MirrorListing([INSECURE]))
    assert snap_compare(app, run_before=keys("3"), terminal_size=size)


@sized
def test_the_mirror_row_menu(snap_compare, size: tuple[int, int]) -> None:
    """Enter on mirror.gcr.io: the menu names the mirror (URL, runtime, registry) and lists every
    key, those the footer leaves out included (⇧↑ ⇧↓ for the moves)."""
    assert snap_compare(demo_app(), run_before=keys("3", "enter"), terminal_size=size)
