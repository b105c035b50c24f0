"""kill -9 in the middle of config.json writes: never a torn file, no secret left behind.

A real subprocess saves config.json in a loop (a new secret each time) and is killed with
SIGKILL at random moments, 50 times. After every kill config.json parses and holds one
whole secret, and config.json.bak holds none. Kills that land between the temp file and
os.replace leave a temp file holding a secret; the next write removes it.
"""

from __future__ import annotations

import json
import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

from regtui.core.docker_config import decode_auth, load_docker_config

WRITER = """
import sys
from regtui.core.docker_config import load_docker_config
from regtui.core.errors import FileChangedError

directory, start = sys.argv[1], int(sys.argv[2])
print("ready", flush=True)
for i in range(start, start + 1_000_000):
    config = load_docker_config(directory)
    config.set_plaintext("reg.example", "u", f"kill-canary-{i:07d}")
    try:
        config.save()
    except FileChangedError:
        pass
"""
KILLS = 50


def secret_of(path: Path) -> str | None:
    data = json.loads(path.read_bytes())
    entry = data["auths"].get("reg.example")
    return None if entry is None else decode_auth(entry["auth"])[1]


def test_kill_9_mid_write_never_tears_config_json_and_leaves_no_secret(docker_dir: Path) -> None:
    config = docker_dir / "config.json"
    config.write_text(json.dumps({"auths": {}, "x-keep": "yes"}, indent="\t"))
    rng = random.Random(8)
    temps_seen, written, last = 0, False, -1
    for kill in range(KILLS):
        child = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(docker_dir), str(kill * 1_000_000)],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert child.stdout is not None and child.stdout.readline() == "ready\n"
        time.sleep(rng.uniform(0.02, 0.08))  # the child is in its loop: kill it at a random moment
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        child.stdout.close()
        secret = secret_of(config)  # parses: whole, old or new, never torn
        written = written or secret is not None
        assert re.fullmatch(r"kill-canary-\d+", secret or "") if written else secret is None
        if secret is not None:  # old (the last one seen) or newer: never an older or a lost write
            number = int(secret.rsplit("-", 1)[1])
            assert number >= last
            last = number
        assert json.loads(config.read_text())["x-keep"] == "yes"
        backup = docker_dir / "config.json.bak"
        if backup.exists():
            assert b"kill-canary" not in backup.read_bytes() and json.loads(backup.read_bytes())
        temps = [p for p in docker_dir.iterdir() if p.name.startswith(".config.json.") and p.name.endswith(".tmp")]
        temps_seen += bool(temps)
        assert len(temps) <= 2  # the previous writer's stale temps were removed by this one's first write

    print(f"{temps_seen} of {KILLS} kills left a temp file behind")
    assert temps_seen > 0, "no kill landed mid-write: the test did not exercise the cleanup"

    last = load_docker_config()
    last.set_marker("other.example")  # any regtui write of config.json
    last.save()
    left = sorted(p.name for p in docker_dir.iterdir())
    assert left == ["config.json", "config.json.bak"]
    assert b"kill-canary" not in (docker_dir / "config.json.bak").read_bytes()
    assert written and (secret_of(config) or "").startswith("kill-canary-")
