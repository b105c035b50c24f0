"""Benchmark: `regtui registries --json` and the TUI's first frame with credsStore = regtui, vs plaintext.

Budget (issue 12): with credsStore/credHelpers = regtui, 100 and 1,000 registries cost <= 1.5x
the same config with the secrets in plaintext. The regtui config has every registry stored
through docker-credential-regtui in a real gnome-keyring (private D-Bus session started here);
the plaintext config has the same registries with `auth` in config.json. Each round runs every
case once (alternation), so machine noise hits all alike; figures are min / median / max.
regtui's modules are byte-compiled first and PYTHONDONTWRITEBYTECODE is dropped for the
children, as in any installed copy.

Run: .venv/bin/python bench/registries_scale.py [ROUNDS] [SIZES...]   (default: 7 100 1000)
"""

from __future__ import annotations

import base64
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
sys.path.insert(0, str(ROOT / "bench"))
from tui_first_frame import run as first_frame  # noqa: E402

from tests.support.realparts import KeyringSession  # noqa: E402

STORE_CODE = r"""
import json, sys
from regtui.core.credentials.keyring_store import KeyringStore
from regtui.core.credentials.model import Credential
store = KeyringStore()
for i, server in enumerate(json.load(sys.stdin)):
    store.store(Credential(server, f"user-{i}", f"secret-{i}"))
"""


def servers(n: int) -> list[str]:
    return [f"registry-{i:04d}.example.com:5000" for i in range(n)]


def write_configs(base: Path, n: int) -> tuple[Path, Path]:
    plain, helper = base / f"plain-{n}", base / f"regtui-{n}"
    for directory in (plain, helper):
        directory.mkdir()
    auths = {s: {"auth": base64.b64encode(f"user-{i}:secret-{i}".encode()).decode()} for i, s in enumerate(servers(n))}
    (plain / "config.json").write_text(json.dumps({"auths": auths}, indent="\t"))
    stored = {"auths": dict.fromkeys(servers(n), {}), "credsStore": "regtui"}
    (helper / "config.json").write_text(json.dumps(stored, indent="\t"))
    return plain, helper


def state_env(env: dict[str, str], base: Path, n: int) -> dict[str, str]:
    """One docker-credential-regtui index per size, so credsStore's listing holds n registries."""
    return {**env, "REGTUI_CONFIG_DIR": str(base / f"state-{n}")}


def registries(env: dict[str, str], config: Path, n: int) -> float:
    start = time.perf_counter()
    out = subprocess.run(["regtui", "--config", str(config), "registries", "--json"], capture_output=True, env=env)
    elapsed = (time.perf_counter() - start) * 1000
    listed = json.loads(out.stdout)["registries"]
    assert out.returncode == 0 and len(listed) == n and all(r["logged_in"] for r in listed), out.stderr[-500:]
    assert sorted(r["username"] for r in listed) == sorted(f"user-{i}" for i in range(n))
    return elapsed


def summary(times: list[float]) -> str:
    return f"min {min(times):7.0f}  median {statistics.median(times):7.0f}  max {max(times):7.0f} ms"


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    sizes = [int(a) for a in sys.argv[2:]] or [100, 1000]
    compileall.compile_dir(str(ROOT / "regtui"), quiet=1)
    bin_dir = Path(sys.executable).parent
    results: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        session = KeyringSession(base / "home").start()
        try:
            env = session.base_env()
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env.update(
                HOME=str(base / "home"),
                XDG_CONFIG_HOME=str(base / "home" / ".config"),
                REGTUI_CONFIG_DIR=str(base / "state"),
                PATH=f"{bin_dir}{os.pathsep}{env['PATH']}",
            )
            for n in sizes:
                subprocess.run(
                    [sys.executable, "-c", STORE_CODE],
                    input=json.dumps(servers(n)),
                    text=True,
                    env=state_env(env, base, n),
                    check=True,
                )
            configs = {n: write_configs(base, n) for n in sizes}
            for _ in range(rounds):
                for n, (plain, helper) in configs.items():
                    for label, config in (("plaintext", plain), ("credsStore regtui", helper)):
                        results.setdefault(f"registries --json|{n}|{label}", []).append(
                            registries(state_env(env, base, n), config, n)
                        )
                        tui_env = {**state_env(env, base, n), "DOCKER_CONFIG": str(config)}
                        results.setdefault(f"TUI first frame|{n}|{label}", []).append(
                            first_frame("regtui", tui_env, rows=n)[0]
                        )
        finally:
            session.close()
    print(f"{rounds} rounds, alternating; {os.cpu_count()} cores; gnome-keyring holds every regtui-stored registry")
    for name, times in results.items():
        what, n, label = name.split("|")
        print(f"  {what:18s} {n:>5s} registries, {label:18s} {summary(times)}")
    for n in sizes:
        for what in ("registries --json", "TUI first frame"):
            plain = statistics.median(results[f"{what}|{n}|plaintext"])
            helper = statistics.median(results[f"{what}|{n}|credsStore regtui"])
            print(f"  ratio of medians, {what}, {n} registries: {helper / plain:.2f}x (budget 1.5x)")


if __name__ == "__main__":
    main()
