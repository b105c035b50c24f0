"""Benchmark: `docker-credential-regtui get` vs `docker-credential-secretservice get`.

Both read from the same gnome-keyring, on a private D-Bus session started here. Budget
(DESIGN.md §7): regtui's median <= 80 ms. Run: .venv/bin/python bench/helper_get.py [N]
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.support.realparts import KeyringSession  # noqa: E402

SERVER = "127.0.0.1:5001"


def timed_runs(cmd: list[str], stdin: str, env: dict[str, str], n: int, expect: int = 0) -> list[float]:
    times = []
    for _ in range(n):
        start = time.perf_counter()
        out = subprocess.run(cmd, input=stdin, capture_output=True, text=True, env=env)
        times.append((time.perf_counter() - start) * 1000)
        assert out.returncode == expect, out.stdout
    return times


def summary(times: list[float]) -> str:
    times = sorted(times)
    p90 = times[int(len(times) * 0.9) - 1]
    return f"median {statistics.median(times):.1f} ms, p90 {p90:.1f} ms, min {times[0]:.1f} ms"


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    bin_dir = Path(sys.executable).parent
    with tempfile.TemporaryDirectory() as tmp:
        session = KeyringSession(Path(tmp) / "home").start()
        try:
            env = session.base_env()
            env.update(
                HOME=str(Path(tmp) / "home"),
                REGTUI_CONFIG_DIR=str(Path(tmp) / "state"),
                PATH=f"{bin_dir}{os.pathsep}{env['PATH']}",
            )
            payload = json.dumps({"ServerURL": SERVER, "Username": "regtui", "Secret": "regtui-s3cret"})
            for helper in ("docker-credential-regtui", "docker-credential-secretservice"):
                subprocess.run([helper, "store"], input=payload, text=True, env=env, check=True)
            regtui_get, secretservice_get = (
                ["docker-credential-regtui", "get"],
                ["docker-credential-secretservice", "get"],
            )
            results = {
                "docker-credential-regtui get (stored)": timed_runs(regtui_get, SERVER, env, n),
                "docker-credential-regtui get (not stored)": timed_runs(regtui_get, "absent.example", env, n, 1),
                "docker-credential-secretservice get": timed_runs(secretservice_get, SERVER, env, n),
            }
        finally:
            session.close()
    print(f"{n} runs each, {os.cpu_count()} cores, gnome-keyring on a private D-Bus session")
    for name, times in results.items():
        print(f"  {name}: {summary(times)}")


if __name__ == "__main__":
    main()
