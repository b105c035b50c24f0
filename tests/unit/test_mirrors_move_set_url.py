"""`regtui mirrors move` and `set-url` on every file kind, through the CLI a user runs.

Each kind starts with three mirrors (the first switched off by regtui). A move changes the
try order `list` shows and the file's order; set-url changes one URL in place (same place,
same state, same settings); undo puts the file back byte for byte; odd and hostile files are
refused with a ConfigError and never written.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from regtui.core.mirrors import planner
from regtui.core.mirrors.model import Mirror
from regtui.core.mirrors.ops import Add, Move, ReplaceUrl, Runtime
from tests.unit import test_mirrors_files as _base
from tests.unit.test_mirrors_files import mirrors, ok

files = _base.files

DAEMON = (
    '{\n  "debug": true,\n  "registry-mirrors": [\n'
    '    "https://a.example",\n    "https://b.example",\n    "https://c.example"\n  ]\n}\n'
)
LEGACY = (
    "# by hand\nversion = 2\n\n"
    '[plugins."io.containerd.grpc.v1.cri".registry.mirrors."docker.io"]\n'
    '  endpoint = ["https://a.example",   "https://b.example", "https://c.example"]   # try order\n'
)
HOSTS = (
    'server = "https://ghcr.io"\n\n[host."https://a.example"]\n  capabilities = ["pull"]\n\n'
    '[host."https://b.example"]\n  capabilities = ["pull", "resolve"]\n  skip_verify = true\n'
    '[host."https://b.example".header]\n  x-team = ["infra"]\n\n'
    '[host."https://c.example"]\n  capabilities = ["pull", "resolve"]  # the last one\n'
)
PODMAN = (
    '# podman\n[[registry]]\nprefix = "docker.io"\nlocation = "docker.io"\n\n'
    '[[registry.mirror]]\nlocation = "a.example"\n\n'
    '[[registry.mirror]]\nlocation = "b.example"\npull-from-mirror = "digest-only"  # tags upstream\n\n'
    '[[registry.mirror]]\nlocation = "c.example"\ninsecure = true\n\n'
    '[[registry]]\nprefix = "quay.io"\nlocation = "quay.io"\n'
)
KINDS = {
    # kind: (runtime, extra args, initial text, how each mirror is written in the listing)
    "docker": ("docker", [], DAEMON, ("https://a.example", "https://b.example", "https://c.example")),
    "containerd": ("containerd", [], LEGACY, ("https://a.example", "https://b.example", "https://c.example")),
    "hosts": ("docker", ["--for", "ghcr.io"], HOSTS, ("https://a.example", "https://b.example", "https://c.example")),
    "podman": ("podman", [], PODMAN, ("a.example", "b.example", "c.example")),
}


def _path(files: dict[str, Path], kind: str) -> Path:
    return files["docker-certs"] / "ghcr.io" / "hosts.toml" if kind == "hosts" else files[kind]


def _setup(files: dict[str, Path], kind: str, crlf: bool = False) -> tuple[Path, list[str]]:
    runtime, extra, text, _ = KINDS[kind]
    path = _path(files, kind)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes((text.replace("\n", "\r\n") if crlf else text).encode())
    return path, ["--runtime", runtime, *extra]


def _listed(kind: str, args: list[str]) -> list[tuple[str, bool]]:
    registry = "ghcr.io" if kind == "hosts" else "docker.io"
    data = json.loads(ok("list", "--json", *args[:2]))
    found = next(s for s in data["mirror_sets"] if s["registry"] == registry)
    return [(m["url"].removeprefix("https://"), m["enabled"]) for m in found["mirrors"]]


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_move_changes_the_try_order_and_undo_restores_the_file(files: dict[str, Path], kind: str) -> None:
    path, args = _setup(files, kind)
    a, b, c = KINDS[kind][3]
    original = path.read_bytes()
    out = ok("move", c, "--to", "1", *args)
    assert "move mirror" in out and "to position 1" in out
    assert _listed(kind, args) == [("c.example", True), ("a.example", True), ("b.example", True)]
    ok("move", a, "--down", *args)
    assert _listed(kind, args) == [("c.example", True), ("b.example", True), ("a.example", True)]
    ok("undo", "--runtime", args[1])
    assert _listed(kind, args) == [("c.example", True), ("a.example", True), ("b.example", True)]
    ok("move", c, "--to", "3", *args)
    assert path.read_bytes() == original, "moving back must give the same bytes"
    # The try order is the file's order: what the program reads.
    text = path.read_text()
    assert text.index("a.example") < text.index("b.example") < text.index("c.example")


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_move_of_a_disabled_mirror_keeps_it_off_and_undo_puts_it_back(files: dict[str, Path], kind: str) -> None:
    path, args = _setup(files, kind)
    a, b, c = KINDS[kind][3]
    ok("disable", a, *args)
    disabled = path.read_bytes()
    out = ok("move", a, "--to", "3", *args)
    assert _listed(kind, args) == [("b.example", True), ("c.example", True), ("a.example", False)]
    if kind in ("docker", "containerd"):  # the file holds only the enabled list: its order did not change
        assert "No file changes" in out and "updated regtui's record" in out and "wrote" not in out
        assert path.read_bytes() == disabled
    ok("undo", "--runtime", args[1])
    assert _listed(kind, args) == [("a.example", False), ("b.example", True), ("c.example", True)]
    assert path.read_bytes() == disabled
    ok("enable", a, *args)
    assert path.read_bytes() == KINDS[kind][2].encode(), "enable puts the mirror back where it was, byte for byte"


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_set_url_changes_one_url_in_place(files: dict[str, Path], kind: str) -> None:
    path, args = _setup(files, kind)
    a, b, c = KINDS[kind][3]
    before = json.loads(ok("list", "--json", *args[:2]))
    ok("set-url", b, "https://b2.example", *args)
    assert _listed(kind, args) == [("a.example", True), ("b2.example", True), ("c.example", True)]
    after = json.loads(ok("list", "--json", *args[:2]))
    old = [m for s in before["mirror_sets"] for m in s["mirrors"] if "b.example" in m["url"]][0]
    new = [m for s in after["mirror_sets"] for m in s["mirrors"] if "b2.example" in m["url"]][0]
    assert {k: v for k, v in old.items() if k != "url"} == {k: v for k, v in new.items() if k != "url"}
    text = path.read_text()
    assert "b.example" not in text and text.count("b2.example") == (2 if kind == "hosts" else 1)
    ok("undo", "--runtime", args[1])
    assert path.read_text() == KINDS[kind][2]
    # A disabled mirror keeps being off under its new URL; enabling it uses the new URL.
    ok("disable", c, *args)
    ok("set-url", c, "https://c2.example", *args)
    assert _listed(kind, args)[2] == ("c2.example", False)
    ok("enable", "https://c2.example", *args)
    assert _listed(kind, args) == [("a.example", True), ("b.example", True), ("c2.example", True)]


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_refusals_are_input_errors_and_write_nothing(files: dict[str, Path], kind: str) -> None:
    path, args = _setup(files, kind)
    a, b, c = KINDS[kind][3]
    cases = [
        (["move", a, "--up"], "is already tried first"),
        (["move", c, "--down"], "is already tried last"),
        (["move", a, "--to", "4"], "give a position from 1 to 3"),
        (["move", "https://nope.example", "--to", "1"], "is not a mirror of"),
        (["set-url", a, "https://c.example"], "is already a mirror of"),
        (["set-url", a, "ftp://x.example"], "unsupported scheme"),
        (["set-url", "https://nope.example", "https://x.example"], "is not a mirror of"),
    ]
    for argv, message in cases:
        result = mirrors(*argv, *args)
        assert result.exit_code == 2 and message in result.stderr, (argv, result.stderr)
    for argv in (["move", a], ["move", a, "--up", "--to", "2"]):
        result = mirrors(*argv, *args)
        assert result.exit_code == 2 and "exactly one of --to N, --up or --down" in result.stderr
    assert mirrors("move", a, "--to", "0", *args).exit_code == 2
    assert path.read_text() == KINDS[kind][2]


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_crlf_and_bom_survive_move_and_set_url(files: dict[str, Path], kind: str) -> None:
    path, args = _setup(files, kind, crlf=True)
    if kind == "docker":
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    a, b, c = KINDS[kind][3]
    original = path.read_bytes()
    ok("move", c, "--up", *args)
    ok("set-url", a, "https://a2.example", *args)
    raw = path.read_bytes()
    assert raw.count(b"\n") == raw.count(b"\r\n") and b"a2.example" in raw
    assert raw.startswith(b"\xef\xbb\xbf") == (kind == "docker")
    ok("set-url", "https://a2.example", a, *args)
    ok("move", c, "--down", *args)
    assert path.read_bytes() == original


def test_dry_run_shows_the_move_and_writes_nothing(files: dict[str, Path]) -> None:
    path, args = _setup(files, "docker")
    out = ok("move", "https://c.example", "--to", "1", "--dry-run")
    assert '-    "https://c.example"' in out and '+    "https://c.example",' in out and "dry run" in out
    assert path.read_text() == DAEMON


@pytest.mark.parametrize(
    ("kind", "text", "argv"),
    [
        # JSON with the key twice: dockerd (and Python) read the last; the first is what a span edit finds.
        (
            "docker",
            '{"registry-mirrors": ["https://a.example"], "registry-mirrors": ["https://b.example", "https://c.example"]}',
            ["move", "https://c.example", "--to", "1"],
        ),
        # a's tables are split by b's: moving b would have to merge or split them.
        (
            "hosts",
            '[host."https://a.example"]\n  capabilities = ["pull"]\n[host."https://b.example"]\n'
            '  capabilities = ["pull"]\n[host."https://a.example".header]\n  x = ["1"]\n',
            ["move", "https://b.example", "--to", "1"],
        ),
        # Mirrors podman and containerd use, written in shapes regtui lists but does not edit.
        (
            "podman",
            '[[registry]]\nprefix = "docker.io"\nlocation = "docker.io"\n'
            'mirror = [{location = "a.example"}, {location = "b.example"}]\n',
            ["move", "b.example", "--up"],
        ),
        (
            "hosts",
            'server = "https://ghcr.io"\nhost."https://a.example".capabilities = ["pull"]\n',
            ["set-url", "https://a.example", "https://b.example"],
        ),
    ],
    ids=["duplicate-key", "split-tables", "podman-inline-mirrors", "hosts-dotted-keys"],
)
def test_an_edit_that_would_not_mean_the_move_is_refused(
    files: dict[str, Path], kind: str, text: str, argv: list[str]
) -> None:
    path, args = _setup(files, kind)
    path.write_text(text)
    listed = _listed(kind, args)  # every mirror the program uses is listed (dockerd reads the last key)
    assert listed[0] == ("b.example" if kind == "docker" else "a.example", True)
    result = mirrors(*argv, *args)
    assert result.exit_code == 2, result.output
    assert "could not edit this file safely; nothing was written" in result.stderr and str(path) in result.stderr
    assert path.read_text() == text


def test_podman_set_url_follows_the_new_scheme(files: dict[str, Path]) -> None:
    path, args = _setup(files, "podman")
    ok("set-url", "c.example", "https://c2.example", *args)  # https: no longer insecure
    assert 'location = "c2.example"\ninsecure = false\n' in path.read_text()
    ok("set-url", "a.example", "http://a2.example", *args)  # http: insecure, written under location
    assert 'location = "a2.example"\ninsecure = true\n' in path.read_text()
    ok("set-url", "a2.example", "a3.example", *args)  # no scheme: insecure stays as it was
    assert 'location = "a3.example"\ninsecure = true\n' in path.read_text()


def test_an_inline_legacy_mirrors_table_is_moved_in_place(files: dict[str, Path]) -> None:
    path, args = _setup(files, "containerd")
    text = (
        'version = 2\n[plugins."io.containerd.grpc.v1.cri".registry]\n'
        '  mirrors = {"docker.io" = {endpoint = ["https://a.example", "https://b.example"]}}\n'
    )
    path.write_text(text)
    ok("move", "https://b.example", "--up", *args)
    assert path.read_text() == text.replace(
        '"https://a.example", "https://b.example"', '"https://b.example", "https://a.example"'
    )


def test_the_planner_refuses_an_edit_that_does_not_mean_the_operation(tmp_path: Path) -> None:
    """A backend whose edit drops a mirror it was not asked to touch: no Plan, a ConfigError."""
    from regtui.core.errors import ConfigError
    from regtui.core.mirrors import docker
    from regtui.core.settings import State

    path = tmp_path / "daemon.json"
    path.write_text(DAEMON)

    class Sloppy(docker.DaemonJsonBackend):
        def write(self, text: str, values: list[str]) -> str:
            return super().write(text, values[:-1])  # loses the last mirror

    with pytest.raises(ConfigError, match="could not edit this file safely; nothing was written"):
        planner.plan(Sloppy(path), Move("https://a.example", 1), State())
    assert (
        planner.plan(docker.DaemonJsonBackend(path), Move("https://a.example", 1), State()).changes[0].after != DAEMON
    )


class _Model(planner.BaseBackend):
    runtime, path, registry, label, activation = Runtime.DOCKER, Path("/f"), "x", "x", ""


def test_expected_applies_each_operation_to_the_model() -> None:
    backend = _Model()
    m = (Mirror("https://a"), Mirror("https://b", enabled=False), Mirror("https://c"))
    assert planner.expected(backend, m, Move("https://c", 0)) == (m[2], m[0], m[1])
    assert planner.expected(backend, m, Move("https://a", 1, relative=True)) == (m[1], m[0], m[2])
    assert planner.expected(backend, m, ReplaceUrl("https://b/", "https://d")) == (
        m[0],
        Mirror("https://d", enabled=False),
        m[2],
    )
    assert planner.expected(backend, m, Add("https://d"))[-1] == Mirror("https://d")
