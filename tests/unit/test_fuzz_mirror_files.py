"""Property-based fuzzing of every mirror-file reader, every planned edit and regtui's state reader.

Property: any text either parses or raises a RegtuiError (ConfigError, InputError...), never any
other exception; and an edit regtui plans on a file it read (every operation: add, remove,
enable, disable, move, set-url) always parses again and means what the operation says: the
planner's own check, repeated here from the outside against ``planner.expected``. Inputs are
arbitrary text and text built from the files' own vocabulary (headers, keys, regtui's disabled
markers, BOM, CRLF) so that most examples reach the editing code. The default example count
keeps CI fast; ``REGTUI_FUZZ_EXAMPLES=10000`` runs the long campaign (bench/RESULTS.md).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from regtui.core.errors import RegtuiError
from regtui.core.mirrors import containerd, docker, hosts_dir, journal, planner, podman, textstyle, toml_blocks
from regtui.core.mirrors.model import Mirror
from regtui.core.mirrors.ops import Add, Disable, Enable, MirrorOp, Move, Remove, ReplaceUrl, Runtime
from regtui.core.settings import State, parse_state

EXAMPLES = int(os.environ.get("REGTUI_FUZZ_EXAMPLES", "40"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
URLS = st.sampled_from(["https://m.example", "https://a.example", "http://mirror.example", "https://a.example/"])


def _ops(urls: st.SearchStrategy[str]) -> st.SearchStrategy[MirrorOp]:
    return st.one_of(
        st.builds(Add, urls),
        st.builds(Remove, urls),
        st.builds(Enable, urls),
        st.builds(Disable, urls),
        st.builds(Move, urls, st.integers(-2, 3), st.booleans()),
        st.builds(ReplaceUrl, urls, URLS),
    )


def _draw_op(data: st.DataObject, mirrors: tuple[Mirror, ...]) -> MirrorOp:
    """An operation, most often on a mirror the file really has (so that edits, not refusals, get fuzzed)."""
    known = [m.url for m in mirrors]
    urls = st.one_of(st.sampled_from(known), URLS) if known else URLS
    op = data.draw(_ops(urls))
    event(f"{op.kind} on a mirror the file has: {op.url in known}")
    return op


_json_scalar = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=12))
_mirror_list = st.lists(st.one_of(URLS, st.text(max_size=10), st.integers()), max_size=4)
_json_value = st.recursive(
    _json_scalar,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=6), inner, max_size=4)),
    max_leaves=12,
)
_daemon_doc = st.dictionaries(
    st.one_of(st.sampled_from(["registry-mirrors", "insecure-registries", "debug"]), st.text(max_size=8)),
    st.one_of(_mirror_list, _json_value),
    max_size=5,
)


@st.composite
def daemon_texts(draw: st.DrawFn) -> str:
    """daemon.json: valid JSON in random layouts (BOM, CRLF, indents, one line), or any text."""
    if draw(st.integers(0, 4)) == 0:
        return draw(st.text(max_size=200))
    doc = draw(_daemon_doc)
    if draw(st.integers(0, 3)):  # most often a list to edit
        doc["registry-mirrors"] = draw(st.lists(st.one_of(URLS, URLS.map(lambda u: u + "/x")), max_size=4))
    indent = draw(st.sampled_from([None, 0, 1, 2, 4, "\t"]))
    text = json.dumps(doc, indent=indent, ensure_ascii=draw(st.booleans()))
    if draw(st.booleans()):
        text += "\n"
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    return ("\ufeff" if draw(st.booleans()) else "") + text


def _toml_texts(vocabulary: list[str], unique_headers: bool = True) -> st.SearchStrategy[str]:
    """Sections of a header line and body lines from the file's vocabulary, now and then a broken line."""
    headers = [v for v in vocabulary if v.removeprefix(toml_blocks.DISABLED).startswith("[")]
    bodies = [v for v in vocabulary if v not in headers and v not in BROKEN]
    noise = st.one_of(st.sampled_from(BROKEN), st.text(max_size=30).map(lambda s: s.replace("\n", " ")))
    body = st.integers(0, 29).flatmap(lambda n: noise if n == 0 else st.sampled_from(bodies))

    @st.composite
    def build(draw: st.DrawFn) -> str:
        if draw(st.integers(0, 7)) == 0:
            return draw(st.text(max_size=200))
        lines = draw(st.lists(body, max_size=3, unique=True))
        for header in draw(st.lists(st.sampled_from(headers), max_size=6, unique=unique_headers)):
            lines.append(header)
            lines += draw(st.lists(body, max_size=4, unique_by=lambda line: line.split("=")[0]))
        newline = draw(st.sampled_from(["\n", "\r\n"]))
        return newline.join(lines) + (newline if draw(st.booleans()) else "")

    return build()


BROKEN = ["a = [", "]", 'x = """', "[", '"unterminated']
MIRROR_LINES = [
    "",
    "# a comment",
    'capabilities = ["pull", "resolve"]',
    'capabilities = ["push"]',
    "skip_verify = true",
    'ca = ["/etc/ca.pem"]',
    "override_path = true",
    'endpoint = ["https://a.example", "https://m.example"]',
    'endpoint = "https://a.example"',
    "n = 1",
]
HOSTS_VOCABULARY = MIRROR_LINES + [
    'server = "https://registry-1.docker.io"',
    "server = 1",
    '[host."https://a.example"]',
    '[host."https://m.example"]',
    '[host."https://a.example".header]',
    "[host]",
    "[[host]]",
    hosts_dir.PLACEHOLDER.rstrip("\n"),
    '# regtui-disabled: [host."https://m.example"]',
    '# regtui-disabled:   capabilities = ["pull"]',
    '# regtui-disabled: [host."https://a.example"]',
]
PODMAN_VOCABULARY = MIRROR_LINES + [
    'unqualified-search-registries = ["docker.io"]',
    "[[registry]]",
    "[[registry]]  # hub",
    'prefix = "docker.io"',
    'location = "docker.io"',
    'prefix = "quay.io"',
    "[[registry.mirror]]",
    'location = "mirror.example"',
    'location = "a.example"',
    'location = "http://bad"',
    "insecure = true",
    'pull-from-mirror = "digest-only"',
    "blocked = true",
    "[registries.search]",
    "registry = 5",
    "# regtui-disabled: [[registry.mirror]]",
    '# regtui-disabled: location = "m.example"',
    "[other]",
]
CONTAINERD_VOCABULARY = MIRROR_LINES + [
    "version = 2",
    "version = 3",
    "version = true",
    "plugins = 1",
    '[plugins."io.containerd.grpc.v1.cri"]',
    '[plugins."io.containerd.grpc.v1.cri".registry]',
    '[plugins."io.containerd.cri.v1.images".registry]',
    '[plugins."io.containerd.grpc.v1.cri".registry.mirrors]',
    '[plugins."io.containerd.grpc.v1.cri".registry.mirrors."docker.io"]',
    '[plugins."io.containerd.grpc.v1.cri".registry.mirrors."ghcr.io"]',
    '[plugins."io.containerd.cri.v1.images".registry.mirrors."docker.io"]',
    'mirrors = {"docker.io" = {endpoint = ["https://a.example"]}}',
    'config_path = "HOSTS"',
    'config_path = "HOSTS:/b"',
    "config_path = 5",
    'plugins."io.containerd.grpc.v1.cri".registry.mirrors."quay.io".endpoint = ["https://a.example"]',
]


_LOCATIONS = ["https://a.example", "https://m.example", "http://mirror.example", "https://x.example/p"]
_EXTRA = ["", "# a note", "skip_verify = true", 'ca = ["/etc/ca.pem"]']


def _join(draw: st.DrawFn, lines: list[str]) -> str:
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    return newline.join(lines) + (newline if draw(st.booleans()) else "")


def _blocks(draw: st.DrawFn, make: Callable[[str], list[str]]) -> list[str]:
    """Several mirror blocks, some switched off by regtui, with what people put between them."""
    lines: list[str] = []
    for url in draw(st.lists(st.sampled_from(_LOCATIONS), min_size=1, max_size=4, unique=True)):
        block = make(url) + draw(st.lists(st.sampled_from(_EXTRA), max_size=2))
        lines += [toml_blocks.DISABLED + line for line in block] if draw(st.integers(0, 3)) == 0 else block
        lines += draw(st.sampled_from([[""], [], ["# between"], ["", ""]]))
    return lines


@st.composite
def hosts_structured(draw: st.DrawFn) -> str:
    """A well-formed hosts.toml with several mirrors, so that moves and new URLs really get edited."""
    lines = ['server = "https://registry-1.docker.io"'] if draw(st.booleans()) else []

    def host(url: str) -> list[str]:
        block = [f'[host."{url}"]', '  capabilities = ["pull", "resolve"]']
        return block + ([f'[host."{url}".header]', '  x = ["1"]'] if draw(st.integers(0, 4)) == 0 else [])

    return _join(draw, lines + [""] + _blocks(draw, host))


@st.composite
def registries_structured(draw: st.DrawFn) -> str:
    lines = ['unqualified-search-registries = ["docker.io"]', ""] if draw(st.booleans()) else []
    for prefix in draw(st.lists(st.sampled_from(["docker.io", "quay.io"]), min_size=1, max_size=2, unique=True)):
        lines += ["[[registry]]", f'prefix = "{prefix}"', f'location = "{prefix}"', ""]
        lines += _blocks(draw, lambda url: ["[[registry.mirror]]", f'location = "{url.split("://")[1]}"'])
    return _join(draw, lines)


@st.composite
def legacy_structured(draw: st.DrawFn) -> str:
    lines = ["version = 2", ""]
    for registry in draw(st.lists(st.sampled_from(["docker.io", "ghcr.io"]), min_size=1, max_size=2, unique=True)):
        urls = draw(st.lists(st.sampled_from(_LOCATIONS), max_size=4, unique=True))
        sep = draw(st.sampled_from([", ", ",", ",   ", ",\n    "]))
        lines += [f'[plugins."io.containerd.grpc.v1.cri".registry.mirrors."{registry}"]']
        lines += ["  endpoint = [" + sep.join(f'"{u}"' for u in urls) + "]" + draw(st.sampled_from(["", "  # order"]))]
    return _join(draw, lines)


def _never_crashes(call, label: str = ""):  # noqa: ANN001, ANN202
    try:
        result = call()
    except RegtuiError as exc:
        if label:
            event(f"{label}: {type(exc).__name__}")
        return None
    if label:
        event(f"{label}: ok")
    return result


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def _means_what_was_asked(  # noqa: ANN001
    backend: planner.MirrorBackend, op: MirrorOp, before: str, plan, state: State | None = None
) -> None:
    """Read the planned text back from outside the planner: it means the old model with ``op`` applied."""
    state = state or State()
    old = backend.meaning(before, state.disabled(backend.path, backend.registry))
    wanted = planner.expected(backend, old.mirrors, op)
    change = next(c for c in plan.changes if c.path == backend.path)
    disabled = plan.state_update["disabled"][2] if "disabled" in plan.state_update else list(old.records)
    after = backend.meaning(textstyle.split(change.after)[0], disabled)
    assert planner._same(backend, after.mirrors, wanted), (before, op, change.after)


@FUZZ
@given(text=daemon_texts(), data=st.data())
def test_daemon_json(work: Path, text: str, data: st.DataObject) -> None:
    path, scratch = work / "daemon.json", work / "after.json"
    path.write_text(text, encoding="utf-8", newline="")
    loaded = _never_crashes(lambda: docker.load(path), "read")
    if loaded is None:
        return
    state = State()
    parked = data.draw(st.lists(st.fixed_dictionaries({"url": URLS, "position": st.integers(0, 4)}), max_size=2))
    state.set_disabled(path, "docker.io", parked)  # mirrors regtui switched off earlier
    _never_crashes(lambda: docker.mirror_sets(loaded, state))
    backend = docker.DaemonJsonBackend(path)
    op = _draw_op(data, docker.mirror_sets(loaded, state)[0].mirrors)
    plan = _never_crashes(lambda: planner.plan(backend, op, state), f"plan {op.kind}")
    if plan is not None:
        scratch.write_text(plan.changes[0].after, encoding="utf-8", newline="")
        docker.load(scratch)  # regtui's own edit must parse again
        _means_what_was_asked(backend, op, textstyle.split(text)[0], plan, state)


@FUZZ
@given(text=st.one_of(_toml_texts(HOSTS_VOCABULARY), hosts_structured()), data=st.data())
def test_hosts_toml(work: Path, text: str, data: st.DataObject) -> None:
    path = work / "hosts" / "docker.io" / "hosts.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="")
    found = _never_crashes(lambda: hosts_dir.read(path, "docker.io", "containerd"), "read")
    if found is None:
        return
    backend = hosts_dir.HostsTomlBackend(work / "hosts", "docker.io", Runtime.CONTAINERD)
    op = _draw_op(data, found.mirrors)
    plan = _never_crashes(lambda: planner.plan(backend, op, State()), f"plan {op.kind}")
    if plan is not None:
        scratch = work / "after-hosts.toml"
        scratch.write_text(plan.changes[0].after, encoding="utf-8", newline="")
        hosts_dir.read(scratch, "docker.io", "containerd")
        _means_what_was_asked(backend, op, textstyle.split(text)[0], plan)


@FUZZ
@given(
    text=st.one_of(_toml_texts(PODMAN_VOCABULARY, unique_headers=False), registries_structured()),
    registry=st.sampled_from(["docker.io", "quay.io"]),
    data=st.data(),
)
def test_registries_conf(work: Path, text: str, registry: str, data: st.DataObject) -> None:
    path = work / "registries.conf"
    path.write_text(text, encoding="utf-8", newline="")
    sets = _never_crashes(lambda: podman.read(path), "read")
    if sets is None:
        return
    backend = podman.RegistriesConfBackend(path, registry)
    op = _draw_op(data, next((s.mirrors for s in sets if s.registry == registry), ()))
    plan = _never_crashes(lambda: planner.plan(backend, op, State()), f"plan {op.kind}")
    if plan is not None:
        scratch = work / "after-registries.conf"
        scratch.write_text(plan.changes[0].after, encoding="utf-8", newline="")
        podman.read(scratch)
        _means_what_was_asked(backend, op, textstyle.split(text)[0], plan)


@FUZZ
@given(text=st.one_of(_toml_texts(CONTAINERD_VOCABULARY), legacy_structured()), data=st.data())
def test_containerd_config_toml(work: Path, text: str, data: st.DataObject, monkeypatch: pytest.MonkeyPatch) -> None:
    hosts = work / "c-hosts"
    monkeypatch.setattr(containerd, "DEFAULT_HOSTS_DIR", hosts)
    monkeypatch.delenv("REGTUI_CONTAINERD_CERTS_D", raising=False)
    path = work / "config.toml"
    path.write_text(text.replace("HOSTS", str(hosts)), encoding="utf-8", newline="")
    config = _never_crashes(lambda: containerd.load(path), "read")
    if config is None:
        return
    state = State()
    sets = _never_crashes(lambda: containerd.mirror_sets(config, state)) or []
    op = _draw_op(data, next((s.mirrors for s in sets if s.registry == "docker.io"), ()))
    plan = _never_crashes(lambda: containerd.plan(config, state, op, "docker.io"), f"plan {op.kind}")
    for change in plan.changes if plan else ():
        scratch = work / "after" / change.path.name
        scratch.parent.mkdir(exist_ok=True)
        scratch.write_text(change.after, encoding="utf-8", newline="")
        if change.path == path:
            containerd.load(scratch)
        else:
            hosts_dir.read(scratch, "docker.io", "containerd")


_state_keys = st.sampled_from(["disabled", "last_write", "pending", "url", "position", "path", "digest", "items"])
_state_value = st.recursive(
    st.one_of(_json_scalar, st.sampled_from(["/f", "docker.io", "apply", "undo", "docker"])),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.one_of(_state_keys, st.text(max_size=5)), inner, max_size=4)
    ),
    max_leaves=16,
)


@st.composite
def state_texts(draw: st.DrawFn) -> str:
    if draw(st.integers(0, 4)) == 0:
        return draw(st.text(max_size=200))
    return json.dumps(draw(st.dictionaries(_state_keys, _state_value, max_size=4)))


@FUZZ
@given(text=state_texts())
def test_state_reader(work: Path, text: str, isolated: Path) -> None:
    data = _never_crashes(lambda: parse_state(text), "read")
    if data is None:
        return
    state_file = isolated / ".config" / "regtui" / "state.json"
    state_file.parent.mkdir(parents=True, exist_ok=True)
    state_file.write_text(text)
    state = State()
    daemon = work / "state-daemon.json"
    daemon.write_text('{"registry-mirrors": ["https://a.example"]}')
    for per_file in list(state.data.get("disabled", {}).values()):
        state.data["disabled"][str(daemon)] = per_file  # what the fuzzed file held, applied to a real file
    _never_crashes(lambda: docker.mirror_sets(docker.load(daemon), state))
    _never_crashes(lambda: planner.plan(docker.DaemonJsonBackend(daemon), Enable("https://m.example"), state))
    journal.reconcile(state)  # a hostile journal is finished or refused, never a crash
