"""Parallel `regtui mirrors add` processes on one file: all land, or are refused with a true message.

Real subprocesses, started together, on one daemon.json, one hosts.toml and one registries.conf.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest

from regtui.core import fileio
from regtui.core.errors import FileChangedError, RegtuiError
from regtui.core.mirrors.apply import apply
from regtui.core.mirrors.ops import Disable, Runtime
from regtui.core.mirrors.service import MirrorPaths, plan_change
from regtui.core.settings import State
from tests.unit import test_mirrors_files as _base
from tests.unit.test_mirrors_files import DAEMON_JSON

files = _base.files
N = 4


def _start(args: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "regtui", "mirrors", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def _urls(kind: str, files: dict[str, Path]) -> list[str]:
    if kind == "docker":
        return json.loads(files["docker"].read_text())["registry-mirrors"]
    if kind == "podman":
        data = tomllib.loads(files["podman"].read_text())
        return ["https://" + m["location"] for r in data["registry"] for m in r.get("mirror", [])]
    data = tomllib.loads((files["hosts"] / "docker.io" / "hosts.toml").read_text())
    return list(data.get("host", {}))


@pytest.mark.parametrize("kind", ["docker", "containerd", "podman"])
def test_four_parallel_adds_all_land(files: dict[str, Path], kind: str) -> None:
    env = {**os.environ, "REGTUI_CONTAINERD_CERTS_D": str(files["hosts"])}
    before = _urls(kind, files) if kind != "containerd" else []
    urls = [f"https://m{i}.example" for i in range(N)]
    procs = [_start(["add", url, "--runtime", kind], env) for url in urls]
    results = [(p.wait(timeout=120), p.stderr.read()) for p in procs]
    for p in procs:
        p.stdout.close()
        p.stderr.close()
    assert [code for code, _ in results] == [0] * N, results
    after = _urls(kind, files)
    assert sorted(after) == sorted(before + urls)
    assert len(State().last_write(kind)) == 1
    leftovers = [p.name for p in files["docker"].parent.rglob("*.tmp")]
    assert leftovers == []


def test_without_a_shared_lock_a_refusal_is_true(files: dict[str, Path], tmp_path: Path) -> None:
    """Each process with its own state dir (say root and a user): the file's digest check refuses the losers."""
    procs = []
    for i in range(N):
        env = {**os.environ, "REGTUI_CONFIG_DIR": str(tmp_path / f"state-{i}")}
        procs.append(_start(["add", f"https://m{i}.example"], env))
    outcomes = []
    for i, p in enumerate(procs):
        code = p.wait(timeout=120)
        outcomes.append((i, code, p.stderr.read()))
        p.stdout.close()
        p.stderr.close()
    landed = json.loads(files["docker"].read_text())["registry-mirrors"]
    assert landed[0] == "https://mirror.gcr.io" and len(landed) >= 2
    for i, code, stderr in outcomes:
        url = f"https://m{i}.example"
        if code == 0:
            assert url in landed
        else:
            assert code == 1 and "changed on disk since regtui read it; nothing was written" in stderr, stderr
            assert url not in landed
        assert "Traceback" not in stderr


def test_a_stale_plan_is_refused_and_says_nothing_was_written(files: dict[str, Path]) -> None:
    """The TUI plans, shows the diff, waits for a yes; another regtui writes meanwhile."""
    plan = plan_change(MirrorPaths.resolve(), Runtime.DOCKER, Disable("https://mirror.gcr.io"), "docker.io")
    other = subprocess.run(
        [sys.executable, "-m", "regtui", "mirrors", "add", "https://other.example"], capture_output=True, text=True
    )
    assert other.returncode == 0, other.stderr
    with pytest.raises(FileChangedError, match="nothing was written"):
        apply(plan, State())
    assert json.loads(files["docker"].read_text())["registry-mirrors"] == [
        "https://mirror.gcr.io",
        "https://other.example",
    ]
    assert State().disabled(files["docker"], "docker.io") == []
    assert files["docker"].read_text() != DAEMON_JSON


def test_a_lock_held_elsewhere_times_out_with_a_clear_message(tmp_path: Path) -> None:
    lock = tmp_path / "mirrors.lock"
    holder = subprocess.Popen(["flock", str(lock), "sleep", "30"], start_new_session=True)
    try:
        deadline = time.monotonic() + 10
        while not lock.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.2)
        held = fileio.hold_lock(lock, timeout=0.3, what="the test's files")
        with pytest.raises(RegtuiError, match="has held the lock on the test's files for 0 s") as caught, held:
            pass
        assert "let the other regtui finish" in caught.value.fix
    finally:
        os.killpg(holder.pid, 9)  # flock and the sleep that inherited its locked descriptor
        holder.wait()
    with fileio.hold_lock(lock, timeout=0.3):  # free again once its holder is gone
        pass
    (tmp_path / "link.lock").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(RegtuiError, match="cannot open the lock file"), fileio.hold_lock(tmp_path / "link.lock"):
        pass
    assert not (tmp_path / "elsewhere").exists()
