"""The Mirrors pane does the work (issue 10, item 5), driven with Pilot against real files in a tmp
dir (daemon.json, a hosts.toml dir, registries.conf), regtui's real state file, and a real
distribution registry on 127.0.0.1 serving as the mirror."""

from __future__ import annotations

import asyncio
import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Static

from regtui.app import open_workstation
from regtui.core.paths import regtui_state_dir
from regtui.ui.app import RegTUI
from regtui.ui.screens.confirm import ConfirmModal
from regtui.ui.screens.field import FieldModal
from regtui.ui.widgets.mirrors_pane import MirrorsPane
from tests.conftest import require
from tests.support.realparts import Registry, free_port, make_oci_layout, push_image

SIZE = (120, 36)


@pytest.fixture(scope="module")
def mirror(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Registry]:
    """A registry without auth holding regtui/hello:v1 and no library/alpine: the mirror under test."""
    for binary in ("docker-registry", "skopeo"):
        require(binary)
    registry = Registry(tmp_path_factory.mktemp("mirror"), auth_yaml="").start()
    push_image(make_oci_layout(tmp_path_factory.mktemp("oci") / "layout"), registry)
    yield registry
    registry.close()


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """Every mirror file regtui reads, in tmp_path; none exists yet."""
    paths = {
        "daemon": tmp_path / "daemon.json",
        "docker_certs": tmp_path / "docker-certs.d",
        "containerd": tmp_path / "containerd.toml",
        "hosts": tmp_path / "containerd-certs.d",
        "registries": tmp_path / "registries.conf",
    }
    for env, key in (
        ("REGTUI_DAEMON_JSON", "daemon"),
        ("REGTUI_DOCKER_CERTS_D", "docker_certs"),
        ("REGTUI_CONTAINERD_CONFIG", "containerd"),
        ("REGTUI_CONTAINERD_CERTS_D", "hosts"),
        ("REGTUI_REGISTRIES_CONF", "registries"),
    ):
        monkeypatch.setenv(env, str(paths[key]))
    return paths


def hosts_toml(files: dict[str, Path], registry: str, *mirrors: str) -> Path:
    directory = files["hosts"] / registry
    directory.mkdir(parents=True)
    blocks = "".join(f'\n[host."{m}"]\n  capabilities = ["pull", "resolve"]\n' for m in mirrors)
    (directory / "hosts.toml").write_text(f'server = "http://{registry}"\n{blocks}')
    return directory / "hosts.toml"


async def settle(pilot) -> None:  # noqa: ANN001
    """Everything but a write flow waiting on its modal has finished."""
    for _ in range(3):
        others = [w for w in pilot.app.workers if w.group != "write" and not w.is_finished]
        if others:
            await asyncio.wait_for(pilot.app.workers.wait_for_complete(others), 30)
        await pilot.pause()


async def modal(pilot, kind: type) -> None:  # noqa: ANN001
    for _ in range(500):
        if isinstance(pilot.app.screen, kind):
            return
        await pilot.pause(0.01)
    raise AssertionError(f"no {kind.__name__} opened; the screen is {pilot.app.screen}")


async def done(pilot) -> None:  # noqa: ANN001
    await asyncio.wait_for(pilot.app.workers.wait_for_complete(), 30)
    await pilot.pause()
    await asyncio.wait_for(pilot.app.workers.wait_for_complete(), 30)
    await pilot.pause()


def cells(app: RegTUI, column: int) -> list[str]:
    table = app.query_one(MirrorsPane).query_one(DataTable)
    return [str(table.get_row_at(i)[column]) for i in range(table.row_count)]


def detail(app: RegTUI) -> str:
    return str(app.query_one("#mirror-detail", Static).render())


def notes(app: RegTUI) -> list[str]:
    return [n.message for n in app._notifications]


async def open_mirrors(pilot) -> None:  # noqa: ANN001
    await pilot.press("3")
    await settle(pilot)


async def type_into_field(pilot, text: str) -> None:  # noqa: ANN001
    await modal(pilot, FieldModal)
    pilot.app.screen.query_one("#field-input", Input).value = text
    await pilot.press("enter")
    await pilot.pause()


# -- the test image --------------------------------------------------------------------------------
async def test_each_registry_is_tested_with_its_own_image_named_once(mirror: Registry, files) -> None:  # noqa: ANN001
    """docker.io's mirror is HEADed for library/alpine:latest (the mirror has no alpine: not-found);
    a private registry's mirror is not tested until i names an image; the image is kept in
    regtui's state, and a new session tests with it without asking."""
    private = f"127.0.0.1:{free_port()}"  # closed: only the mirror answers for it
    files["daemon"].write_text(json.dumps({"registry-mirrors": [mirror.url]}))
    hosts_toml(files, private, mirror.url)
    app = RegTUI(open_workstation())
    async with app.run_test(size=SIZE) as pilot:
        await open_mirrors(pilot)
        assert cells(app, 1) == ["docker.io", private]
        await pilot.press("t")
        await settle(pilot)
        assert cells(app, 5) == ["not-found", "no image"]
        assert any(f"no test image known for {private}" in n and "press i" in n for n in notes(app))
        await pilot.press("down")
        assert f"no test image for {private}" in detail(app) and "Press i" in detail(app)

        await pilot.press("i")
        await type_into_field(pilot, f"{private}/regtui/hello:v1")
        await settle(pilot)
        assert cells(app, 5)[1].startswith("ok ")
        assert "test image: regtui/hello:v1" in detail(app) and "serves regtui/hello:v1" in detail(app)
    state = json.loads((regtui_state_dir() / "state.json").read_text())
    assert state["test_images"] == {private: "regtui/hello:v1"}
    log = mirror.log.read_text()
    assert f"HEAD /v2/regtui/hello/manifests/v1?ns={private.replace(':', '%3A')} " in log
    assert "HEAD /v2/library/alpine/manifests/latest?ns=docker.io " in log

    again = RegTUI(open_workstation())
    async with again.run_test(size=SIZE) as pilot:
        await open_mirrors(pilot)
        await pilot.press("t")
        await settle(pilot)
        assert cells(again, 5)[0] == "not-found" and cells(again, 5)[1].startswith("ok ")
        assert not any("no test image" in n for n in notes(again))


async def test_a_wrong_image_name_keeps_what_was_typed_and_says_why(files) -> None:  # noqa: ANN001
    hosts_toml(files, "127.0.0.1:9", "http://127.0.0.1:9")
    app = RegTUI(open_workstation())
    async with app.run_test(size=SIZE) as pilot:
        await open_mirrors(pilot)
        await pilot.press("i")
        await type_into_field(pilot, "Team/App:1.0")
        await modal(pilot, FieldModal)
        assert app.screen.query_one("#field-input", Input).value == "Team/App:1.0"
        error = str(app.screen.query_one(".form-error", Static).render())
        assert "'Team/App' is not a repository name" in error
        await pilot.press("escape")
        await done(pilot)
    assert not (regtui_state_dir() / "state.json").exists()


async def test_c_tests_only_the_selected_row_and_keeps_the_others(mirror: Registry, files) -> None:  # noqa: ANN001
    dead = f"http://127.0.0.1:{free_port()}"
    files["daemon"].write_text(json.dumps({"registry-mirrors": [dead, mirror.url]}))
    app = RegTUI(open_workstation())
    async with app.run_test(size=SIZE) as pilot:
        await open_mirrors(pilot)
        await pilot.press("t")
        await settle(pilot)
        assert cells(app, 5) == ["unreachable", "not-found"]
        (mirror.log).write_text("")
        await pilot.press("down", "c")
        await settle(pilot)
        assert cells(app, 5) == ["unreachable", "not-found"]
    assert mirror.log.read_text().count('"HEAD /v2/library/alpine/manifests/latest') == 1


# -- undo --------------------------------------------------------------------------------------------
async def test_u_shows_the_diff_and_puts_the_file_back(files) -> None:  # noqa: ANN001
    original = '{\n  "log-driver": "json-file",\n  "registry-mirrors": ["https://m1.example"]\n}\n'
    files["daemon"].write_text(original)
    app = RegTUI(open_workstation())
    async with app.run_test(size=SIZE) as pilot:
        await open_mirrors(pilot)
        await pilot.press("x")
        await modal(pilot, ConfirmModal)
        await pilot.press("y")
        await done(pilot)
        assert "m1.example" not in files["daemon"].read_text()
        assert app.query_one(MirrorsPane).rows == {}
        await pilot.press("u")
        await modal(pilot, ConfirmModal)
        body = str(app.screen.query_one("#confirm-body", Static).render())
        assert app.screen.title_text == "undo the last docker change"
        assert '+  "registry-mirrors": ["https://m1.example"]' in body
        # What to run after the undo, as the forward change's dialog said it.
        assert "after writing: systemctl reload docker (dockerd re-reads registry-mirrors on SIGHUP)" in body
        await pilot.press("y")
        await done(pilot)
        assert cells(app, 4) == ["https://m1.example"]
    assert files["daemon"].read_text() == original


async def test_u_with_nothing_to_undo_says_so(files) -> None:  # noqa: ANN001
    files["daemon"].write_text(json.dumps({"registry-mirrors": ["https://m1.example"]}))
    app = RegTUI(open_workstation())
    async with app.run_test(size=SIZE) as pilot:
        await open_mirrors(pilot)
        await pilot.press("u")
        await done(pilot)
        assert not isinstance(app.screen, ConfirmModal)
    assert any("regtui has no change to undo for docker" in n for n in notes(app))


# -- $EDITOR -----------------------------------------------------------------------------------------
EDITOR = """#!/bin/sh
# A stand-in for vi: note the file it was given, then edit it as a person would.
printf '%s\\n' "$1" > "$EDITOR_LOG"
sed -i 's#https://m1.example#https://edited.example#' "$1"
"""


async def test_e_opens_the_rows_file_in_editor_and_reloads(files, tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    editor = tmp_path / "fake editor"
    editor.write_text(EDITOR)
    editor.chmod(editor.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("EDITOR", f"'{editor}'")
    monkeypatch.setenv("EDITOR_LOG", str(tmp_path / "editor.log"))
    hosts = hosts_toml(files, "127.0.0.1:9", "https://m1.example")
    files["daemon"].write_text(json.dumps({"registry-mirrors": ["https://hub.example"]}))
    app = RegTUI(open_workstation())
    handed_over: list[str] = []

    from contextlib import contextmanager

    @contextmanager
    def suspend():  # noqa: ANN202 - the headless test driver cannot give a terminal away
        handed_over.append("suspended")
        yield
        handed_over.append("resumed")

    app.suspend = suspend  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await open_mirrors(pilot)
        await pilot.press("down", "e")
        await done(pilot)
        assert cells(app, 4) == ["https://hub.example", "https://edited.example"]
        table = app.query_one(MirrorsPane).query_one(DataTable)
        assert table.cursor_row == 1
    assert (tmp_path / "editor.log").read_text().strip() == str(hosts)
    assert handed_over == ["suspended", "resumed"]


async def test_e_in_a_terminal_that_cannot_be_handed_over_says_what_to_do(files) -> None:  # noqa: ANN001
    files["daemon"].write_text(json.dumps({"registry-mirrors": ["https://hub.example"]}))
    app = RegTUI(open_workstation())
    async with app.run_test(size=SIZE) as pilot:
        await open_mirrors(pilot)
        await pilot.press("e")
        await done(pilot)
    assert any(f"edit {files['daemon']} yourself, then r" in n for n in notes(app))


# -- the empty state, the insecure detail, read-only ------------------------------------------------
async def test_the_empty_pane_names_the_files_it_read(files) -> None:  # noqa: ANN001
    files["daemon"].write_text("{}\n")
    app = RegTUI(open_workstation())
    async with app.run_test(size=SIZE) as pilot:
        await open_mirrors(pilot)
        text = detail(app)
    assert "No mirrors configured. a: add one" in text
    assert f"{files['daemon']}\n" in text + "\n" and f"{files['registries']} (not found)" in text


async def test_insecure_registries_are_explained_for_the_mirror_they_cover(files) -> None:  # noqa: ANN001
    files["daemon"].write_text(
        json.dumps({"registry-mirrors": ["http://10.1.2.3:5000"], "insecure-registries": ["10.0.0.0/8", "x.example"]})
    )
    app = RegTUI(open_workstation())
    async with app.run_test(size=SIZE) as pilot:
        await open_mirrors(pilot)
        text = " ".join(detail(app).split())
    assert "insecure-registries (daemon.json): 10.0.0.0/8, x.example" in text
    assert "docker checks no TLS certificate for these hosts" in text
    assert "covered by insecure-registries (10.0.0.0/8): its certificate is not checked" in text
    assert "http://: pulls through this mirror are not encrypted" in text


async def test_read_only_writes_nothing_and_keeps_the_test_image_for_the_session(
    mirror: Registry,
    files,  # noqa: ANN001
) -> None:
    closed = f"http://127.0.0.1:{free_port()}"
    files["daemon"].write_text(json.dumps({"registry-mirrors": [mirror.url, closed]}))
    before = files["daemon"].read_text()
    app = RegTUI(open_workstation(read_only=True))
    async with app.run_test(size=SIZE) as pilot:
        await open_mirrors(pilot)
        for key in ("u", "e", "E", "shift+down", "space", "x"):
            await pilot.press(key)
            await done(pilot)
            assert not isinstance(app.screen, ConfirmModal | FieldModal), key
        pane = app.query_one(MirrorsPane)
        assert [a for a in ("undo", "editor", "edit_url", "move", "image", "test") if pane.check_action(a, ())] == [
            "image",
            "test",
        ]
        await pilot.press("i")
        await type_into_field(pilot, "alpine:3")
        await settle(pilot)
        assert "test image: library/alpine:3" in detail(app)
        mirror.log.write_text("")
        await pilot.press("t")
        await settle(pilot)
        assert "test image: library/alpine:3" in detail(app)
    assert any("library/alpine:3 (for this session only)" in n for n in notes(app))
    assert '"HEAD /v2/library/alpine/manifests/3?ns=docker.io' in mirror.log.read_text()
    assert files["daemon"].read_text() == before
    assert not (regtui_state_dir() / "state.json").exists()


async def test_e_in_the_demo_opens_no_file(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    """The demo's rows name /etc/docker/daemon.json, which is made up: e must not open (and so
    let an editor create or change) the real one."""
    from regtui.app.demo import DemoWorkstation

    log = tmp_path / "editor.log"
    editor = tmp_path / "editor"
    editor.write_text(f'#!/bin/sh\necho "$1" > {log}\n')
    editor.chmod(0o755)
    monkeypatch.setenv("EDITOR", str(editor))
    app = RegTUI(DemoWorkstation())
    app.suspend = lambda: (_ for _ in ()).throw(AssertionError("the terminal was handed over"))  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await open_mirrors(pilot)
        await pilot.press("e")
        await done(pilot)
    assert not log.exists()
    assert any("demo: nothing is opened or stored" in m.message for m in app.message_log)


def test_the_editor_is_named_by_editor_else_vi(monkeypatch) -> None:  # noqa: ANN001
    from regtui.ui.mirror_editor import editor_command

    monkeypatch.delenv("EDITOR", raising=False)
    assert editor_command() == ["vi"]
    monkeypatch.setenv("EDITOR", "code --wait")
    assert editor_command() == ["code", "--wait"]
    assert os.environ["EDITOR"] == "code --wait"


def test_e_hands_a_real_terminal_to_the_editor_and_takes_it_back(files, tmp_path: Path) -> None:  # noqa: ANN001
    """regtui on a pty: e runs $EDITOR on the terminal (it reads a key there, as vi would), then the
    TUI comes back, reads the file again, and q still quits."""
    import sys

    from tests.support.pty_run import Terminal

    editor = tmp_path / "editor"
    editor.write_text(
        "#!/bin/sh\nprintf 'EDITOR HAS THE TERMINAL\\n'\nread answer\n"
        'sed -i "s#https://m1.example#https://$answer.example#" "$1"\n'
    )
    editor.chmod(0o755)
    files["daemon"].write_text(json.dumps({"registry-mirrors": ["https://m1.example"]}))
    env = {**os.environ, "EDITOR": str(editor)}
    with Terminal([str(Path(sys.executable).parent / "regtui")], env) as terminal:
        terminal.wait_for("No registries in config.json")
        terminal.type("3", settle=1.0)
        terminal.wait_for("https://m1.example")
        terminal.type("e", settle=0.5)
        terminal.wait_for("EDITOR HAS THE TERMINAL")
        terminal.type("typed\r", settle=0.5)
        terminal.wait_for("https://typed.example")
        terminal.type("q")
        code = terminal.finish()
    assert code == 0, terminal.text[-2000:]
    assert json.loads(files["daemon"].read_text()) == {"registry-mirrors": ["https://typed.example"]}


# -- reorder and change a URL (real files; the core's verifying planner) -----------------------------
async def test_shift_up_and_down_reorder_daemon_json_and_the_cursor_follows(files) -> None:  # noqa: ANN001
    files["daemon"].write_text('{\n  "registry-mirrors": ["https://m1.example", "https://m2.example"]\n}\n')
    app = RegTUI(open_workstation())
    async with app.run_test(size=SIZE) as pilot:
        await open_mirrors(pilot)
        await pilot.press("shift+up")
        await done(pilot)
        assert any("https://m1.example is already tried first for docker.io" in n for n in notes(app))
        await pilot.press("shift+down")
        await modal(pilot, ConfirmModal)
        body = str(app.screen.query_one("#confirm-body", Static).render())
        assert '-  "registry-mirrors": ["https://m1.example", "https://m2.example"]' in body
        assert '+  "registry-mirrors": ["https://m2.example", "https://m1.example"]' in body
        await pilot.press("y")
        await done(pilot)
        assert cells(app, 4) == ["https://m2.example", "https://m1.example"]
        assert app.query_one(MirrorsPane).selected_key().endswith("|https://m1.example")
        assert json.loads(files["daemon"].read_text())["registry-mirrors"] == [
            "https://m2.example",
            "https://m1.example",
        ]
        await pilot.press("shift+up")
        await modal(pilot, ConfirmModal)
        await pilot.press("y")
        await done(pilot)
    assert json.loads(files["daemon"].read_text())["registry-mirrors"] == ["https://m1.example", "https://m2.example"]


async def test_E_changes_a_hosts_toml_url_in_place(files) -> None:  # noqa: ANN001
    hosts = hosts_toml(files, "127.0.0.1:9", "https://a.example", "https://b.example")
    app = RegTUI(open_workstation())
    async with app.run_test(size=SIZE) as pilot:
        await open_mirrors(pilot)
        await pilot.press("E")
        await modal(pilot, FieldModal)
        assert app.screen.query_one("#field-input", Input).value == "https://a.example"
        await type_into_field(pilot, "https://c.example")
        await modal(pilot, ConfirmModal)
        body = str(app.screen.query_one("#confirm-body", Static).render())
        assert '-[host."https://a.example"]' in body and '+[host."https://c.example"]' in body
        await pilot.press("y")
        await done(pilot)
        assert cells(app, 4) == ["https://c.example", "https://b.example"]
        assert app.query_one(MirrorsPane).selected_key().endswith("|https://c.example")
    text = hosts.read_text()
    assert text.index('[host."https://c.example"]') < text.index('[host."https://b.example"]')
    assert text.count('capabilities = ["pull", "resolve"]') == 2 and "a.example" not in text


async def test_E_with_a_url_docker_refuses_keeps_it_in_the_form_with_why(files) -> None:  # noqa: ANN001
    files["daemon"].write_text(json.dumps({"registry-mirrors": ["https://m1.example"]}))
    before = files["daemon"].read_text()
    app = RegTUI(open_workstation())
    async with app.run_test(size=SIZE) as pilot:
        await open_mirrors(pilot)
        await pilot.press("E")
        await type_into_field(pilot, "ftp://m1.example")
        await modal(pilot, FieldModal)
        assert app.screen.query_one("#field-input", Input).value == "ftp://m1.example"
        assert "unsupported scheme 'ftp'" in str(app.screen.query_one(".form-error", Static).render())
        await pilot.press("escape")
        await done(pilot)
    assert files["daemon"].read_text() == before


async def test_e_on_a_file_this_user_cannot_write_asks_before_sudoedit(files, monkeypatch, tmp_path: Path) -> None:  # noqa: ANN001
    """The tests run as root, so a root-owned file is simulated: writable() says no. Cancel runs
    nothing; yes runs sudo -e on the file with the editor as SUDO_EDITOR."""
    from regtui.ui import mirror_editor

    files["daemon"].write_text(json.dumps({"registry-mirrors": ["https://m1.example"]}))
    monkeypatch.setattr(mirror_editor, "writable", lambda path: False)
    monkeypatch.setenv("EDITOR", "nano -w")
    ran: list[tuple[list[str], str | None]] = []

    def run(argv, env=None, check=False):  # noqa: ANN001, ANN202
        ran.append((argv, (env or {}).get("SUDO_EDITOR")))
        return mirror_editor.subprocess.CompletedProcess(argv, 0)

    monkeypatch.setattr(mirror_editor.subprocess, "run", run)
    app = RegTUI(open_workstation())
    from contextlib import nullcontext

    app.suspend = nullcontext  # type: ignore[method-assign,assignment]
    async with app.run_test(size=SIZE) as pilot:
        await open_mirrors(pilot)
        await pilot.press("e")
        await modal(pilot, ConfirmModal)
        assert app.screen.title_text == "Edit daemon.json through sudoedit?"
        await pilot.press("escape")
        await done(pilot)
        assert ran == []
        await pilot.press("e")
        await modal(pilot, ConfirmModal)
        await pilot.press("y")
        await done(pilot)
    assert ran == [(["sudo", "-e", str(files["daemon"])], "nano -w")]
