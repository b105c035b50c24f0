"""Benchmark: `docker-credential-regtui get|store` vs `docker-credential-secretservice`, in alternation.

Both read from and write to the same gnome-keyring, on a private D-Bus session started here.
Budget (issue 12): regtui's `get` <= 1.5x the Go helper's. Each round runs every command once,
so machine noise hits all of them alike; figures are min / median / max of the whole process.
regtui's modules are byte-compiled first and PYTHONDONTWRITEBYTECODE is dropped for the
children, as in any installed copy (pip compiles on install).

Run: .venv/bin/python bench/helper_get.py [ROUNDS] [STORE_ROUNDS]
"""

from __future__ import annotations

import compileall
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.support.realparts import KeyringSession  # noqa: E402

SERVER = "127.0.0.1:5001"


def timed(cmd: list[str], stdin: str, env: dict[str, str], expect: int = 0) -> float:
    start = time.perf_counter()
    out = subprocess.run(cmd, input=stdin, capture_output=True, text=True, env=env)
    elapsed = (time.perf_counter() - start) * 1000
    assert out.returncode == expect, (cmd, out.stdout, out.stderr)
    return elapsed


def summary(times: list[float]) -> str:
    return f"min {min(times):6.1f}  median {statistics.median(times):6.1f}  max {max(times):6.1f} ms"


def alternate(cases: dict[str, tuple[list[str], str, int]], env: dict[str, str], rounds: int) -> dict[str, list]:
    results: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(rounds):
        for name, (cmd, stdin, expect) in cases.items():
            results[name].append(timed(cmd, stdin, env, expect))
    return results


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 60
    store_rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 15
    compileall.compile_dir(str(ROOT / "regtui"), quiet=1)
    bin_dir = Path(sys.executable).parent
    with tempfile.TemporaryDirectory() as tmp:
        session = KeyringSession(Path(tmp) / "home").start()
        try:
            env = session.base_env()
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env.update(
                HOME=str(Path(tmp) / "home"),
                XDG_CONFIG_HOME=str(Path(tmp) / "home" / ".config"),
                REGTUI_CONFIG_DIR=str(Path(tmp) / "state"),
                PATH=f"{bin_dir}{os.pathsep}{env['PATH']}",
            )
            payload = json.dumps({"ServerURL": SERVER, "Username": "regtui", "Secret": "regtui-s3cret"})
            regtui, go = "docker-credential-regtui", "docker-credential-secretservice"
            for helper in (regtui, go):
                subprocess.run([helper, "store"], input=payload, text=True, env=env, check=True)
            gets = alternate(
                {
                    f"{regtui} get (stored)": ([regtui, "get"], SERVER, 0),
                    f"{go} get (stored)": ([go, "get"], SERVER, 0),
                    f"{regtui} get (not stored)": ([regtui, "get"], "127.0.0.1:5999", 1),
                    f"{go} get (not stored)": ([go, "get"], "127.0.0.1:5999", 1),
                },
                env,
                rounds,
            )
            stores = alternate(
                {f"{regtui} store": ([regtui, "store"], payload, 0), f"{go} store": ([go, "store"], payload, 0)},
                env,
                store_rounds,
            )
        finally:
            session.close()
    print(f"{rounds} rounds of get, {store_rounds} of store, alternating; {os.cpu_count()} cores; gnome-keyring")
    for name, times in {**gets, **stores}.items():
        print(f"  {name:48s} {summary(times)}")
    for what, a, b in (("get (stored)", gets, gets), ("get (not stored)", gets, gets), ("store", stores, stores)):
        ratio = statistics.median(a[f"{regtui} {what}"]) / statistics.median(b[f"{go} {what}"])
        print(f"  ratio of medians, {what}: {ratio:.2f}x" + ("  (budget 1.5x)" if what == "get (stored)" else ""))


if __name__ == "__main__":
    main()
