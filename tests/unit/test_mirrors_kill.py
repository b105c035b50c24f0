"""kill -9 during mirror writes: never a torn file, never a lost record, no leftovers after the next write.

A real subprocess loops `regtui mirrors add/disable/enable/remove` over daemon.json, a hosts.toml
and registries.conf; it is killed with SIGKILL at a random moment, many times. After each kill
every file parses and holds the old or the new content, and `mirrors list` shows each mirror
exactly once (the journal finishes an interrupted change). ``REGTUI_KILL_ROUNDS`` sets the count.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
import tomllib
from pathlib import Path

from regtui.core.settings import State
from tests.unit import test_mirrors_files as _base
from tests.unit.test_mirrors_files import mirrors, ok

files = _base.files
ROUNDS = int(os.environ.get("REGTUI_KILL_ROUNDS", "16"))
LOOP = """
import sys
from regtui.cli import main
steps = [line.split() for line in sys.argv[1:]]
while True:
    for step in steps:
        try:
            main(["mirrors", *step], standalone_mode=False)
        except SystemExit:
            pass
"""
STEPS = [
    "add https://k.example --runtime docker",
    "disable https://mirror.gcr.io --runtime docker",
    "add https://k.example --runtime containerd",
    "add https://k.example --runtime podman",
    "enable https://mirror.gcr.io --runtime docker",
    "disable https://k.example --runtime containerd",
    "remove https://k.example --runtime docker",
    "disable mirror.corp.example/dockerhub --runtime podman",
    "remove https://k.example --runtime containerd",
    "enable mirror.corp.example/dockerhub --runtime podman",
    "remove https://k.example --runtime podman",
]


def _leftovers(*directories: Path) -> list[str]:
    return [p.name for d in directories if d.is_dir() for p in d.iterdir() if p.name.endswith(".tmp")]


def _check_consistent(files: dict[str, Path]) -> None:
    daemon = json.loads(files["docker"].read_text())["registry-mirrors"]
    assert set(daemon) <= {"https://mirror.gcr.io", "https://k.example"}
    hosts = files["hosts"] / "docker.io" / "hosts.toml"
    if hosts.exists():
        tomllib.loads(hosts.read_text())
    tomllib.loads(files["podman"].read_text())
    State()  # regtui's own state parses and has the right shape
    listed = json.loads(ok("list", "--json"))
    assert listed["errors"] == []
    for mirror_set in listed["mirror_sets"]:
        urls = [m["url"] for m in mirror_set["mirrors"]]
        assert len(urls) == len(set(urls)), mirror_set  # a mirror is never both on and parked off
    docker = next(s for s in listed["mirror_sets"] if s["runtime"] == "docker" and s["registry"] == "docker.io")
    assert "https://mirror.gcr.io" in [m["url"] for m in docker["mirrors"]], "a disabled mirror was lost"


def test_sigkill_during_mirror_writes_never_tears_a_file(files: dict[str, Path], isolated: Path) -> None:
    env = {**os.environ, "REGTUI_CONTAINERD_CERTS_D": str(files["hosts"])}
    state_dir = isolated / ".config" / "regtui"
    dirs = (files["docker"].parent, files["hosts"] / "docker.io", state_dir)
    rng = random.Random(8)
    interrupted = leftover_rounds = 0
    for _ in range(ROUNDS):
        proc = subprocess.Popen(
            [sys.executable, "-c", LOOP, *STEPS], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(rng.uniform(0.5, 1.2))
        proc.send_signal(signal.SIGKILL)
        assert proc.wait(timeout=30) == -signal.SIGKILL
        interrupted += "pending" in State().data
        leftover_rounds += bool(_leftovers(*dirs))
        _check_consistent(files)
    # The next write cleans what a killed writer left beside the files it writes.
    for runtime in ("docker", "containerd", "podman"):
        mirrors("add", "https://after.example", "--runtime", runtime)
        mirrors("remove", "https://after.example", "--runtime", runtime)
    assert _leftovers(*dirs) == []
    assert "pending" not in State().data
    print(f"\n{ROUNDS} kills: {interrupted} inside a transaction, {leftover_rounds} left temp files, 0 torn")
