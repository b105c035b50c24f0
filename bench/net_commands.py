"""Benchmark: the network commands against the tools a user would compare them with.

- `regtui check HOST --repo NAME --json` (DNS, TCP, TLS probe, /v2/, challenge, a token,
  /v2/ with it, a pull-scoped token and a manifest HEAD) against `skopeo inspect --raw` of the
  same image, on a distribution registry with token auth, both with the same stored credentials
  (budget ≤ 6×).
- `regtui ratelimit --json --anonymous` (a token, then a HEAD) against the same two requests
  made by two curl processes, on the loopback Hub stand-in (budget ≤ 6×).

Each regtui command runs twice per round: as it ships (the lean HTTP/1.1 client,
regtui/core/wire/lean.py) and with REGTUI_HTTP=httpcore (through httpx, as before).
regtui's modules are byte-compiled first, as in any installed copy (this machine sets
PYTHONDONTWRITEBYTECODE, which would otherwise make every run compile them).

Wall time is the budget's measure; the CPU time the command's processes used (user + sys, all
threads) is printed beside it, as it moves less with the load of this shared machine.

Everything listens on 127.0.0.1; the commands run in alternation so that load on this shared
machine falls on all of them alike.
Run: .venv/bin/python bench/net_commands.py [RUNS]
"""

from __future__ import annotations

import base64
import compileall
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.fake_hub import FakeHub, limited  # noqa: E402
from tests.support.realparts import REGISTRY_PASSWORD, REGISTRY_USER, Registry, make_oci_layout, push_image  # noqa: E402
from tests.support.token_server import TokenServer  # noqa: E402


def wall(argv: list[str], env: dict[str, str]) -> float:
    """One run's wall time; a run that fails is a broken benchmark, not a fast one."""
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    elapsed = (time.perf_counter() - start) * 1000
    if done.returncode != 0:
        raise SystemExit(f"{argv[:3]} failed ({done.returncode}): {done.stdout[-400:]}{done.stderr[-400:]}")
    return elapsed


def curl_ratelimit(hub_url: str, env: dict[str, str]) -> float:
    start = time.perf_counter()
    token_url = f"{hub_url}/token?service=registry.docker.io&scope=repository:ratelimitpreview/test:pull"
    body = subprocess.run(["curl", "-s", token_url], env=env, capture_output=True, check=True).stdout
    token = json.loads(body)["token"]
    subprocess.run(
        ["curl", "-s", "-I", "-H", f"Authorization: Bearer {token}",
         f"{hub_url}/v2/ratelimitpreview/test/manifests/latest"],
        env=env, capture_output=True, check=True,
    )  # fmt: skip
    return (time.perf_counter() - start) * 1000


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    bin_dir = Path(sys.executable).parent
    compileall.compile_dir(str(ROOT / "regtui"), quiet=1)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        tokens = TokenServer(root / "tokens").start()
        registry = Registry(root / "registry", auth_yaml=tokens.registry_auth_yaml()).start()
        hub = FakeHub()
        hub.answers["anonymous"] = limited(100, 76)
        hub.start()
        try:
            ref = push_image(make_oci_layout(root / "oci" / "layout"), registry, repo="regtui/hello")
            docker = root / "docker"
            docker.mkdir()
            auth = base64.b64encode(f"{REGISTRY_USER}:{REGISTRY_PASSWORD}".encode()).decode()
            (docker / "config.json").write_text(json.dumps({"auths": {registry.host: {"auth": auth}}}))
            env = {
                **os.environ,
                "HOME": str(root),
                "DOCKER_CONFIG": str(docker),
                "REGTUI_CONFIG_DIR": str(root / "regtui"),
                "REGTUI_DOCKER_CERTS_D": str(root / "certs.d"),
                "REGTUI_DAEMON_JSON": str(root / "daemon.json"),
                "REGTUI_HUB_AUTH_URL": f"{hub.url}/token",
                "REGTUI_HUB_REGISTRY_URL": hub.url,
            }
            cases = {
                "regtui check --repo": lambda: wall(
                    [str(bin_dir / "regtui"), "check", registry.host, "--repo", "regtui/hello:v1", "--json"], env
                ),
                "skopeo inspect --raw": lambda: wall(
                    [
                        "skopeo",
                        "inspect",
                        "--raw",
                        "--tls-verify=false",
                        "--authfile",
                        str(docker / "config.json"),
                        f"docker://{ref}",
                    ],
                    env,
                ),  # fmt: skip
                "regtui ratelimit --json": lambda: wall(
                    [str(bin_dir / "regtui"), "ratelimit", "--json", "--anonymous"], env
                ),
                "curl token + HEAD": lambda: curl_ratelimit(hub.url, env),
                "check --repo (httpcore)": lambda: wall(
                    [str(bin_dir / "regtui"), "check", registry.host, "--repo", "regtui/hello:v1", "--json"],
                    {**env, "REGTUI_HTTP": "httpcore"},
                ),
                "ratelimit (httpcore)": lambda: wall(
                    [str(bin_dir / "regtui"), "ratelimit", "--json", "--anonymous"], {**env, "REGTUI_HTTP": "httpcore"}
                ),
            }
            for case in cases.values():  # warm up: page cache, the registry's first answers
                case()
            times: dict[str, list[float]] = {name: [] for name in cases}
            cpu: dict[str, list[float]] = {name: [] for name in cases}
            for _ in range(runs):
                for name, case in cases.items():
                    before = resource.getrusage(resource.RUSAGE_CHILDREN)
                    times[name].append(case())
                    after = resource.getrusage(resource.RUSAGE_CHILDREN)
                    used = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
                    cpu[name].append(used * 1000)
        finally:
            hub.close()
            registry.close()
            tokens.close()
    print(f"{'command':<28} {'min':>8} {'median':>8} {'max':>8}   CPU (user+sys) median")
    for name, values in times.items():
        print(
            f"{name:<28} {min(values):8.1f} {statistics.median(values):8.1f} {max(values):8.1f}"
            f"   {statistics.median(cpu[name]):8.1f}"
        )
    med = {name: statistics.median(values) for name, values in times.items()}
    print(f"check --repo / skopeo: {med['regtui check --repo'] / med['skopeo inspect --raw']:.2f}x")
    print(f"ratelimit / curl: {med['regtui ratelimit --json'] / med['curl token + HEAD']:.2f}x")
    print(f"with httpcore: check {med['check --repo (httpcore)'] / med['skopeo inspect --raw']:.2f}x, ", end="")
    print(f"ratelimit {med['ratelimit (httpcore)'] / med['curl token + HEAD']:.2f}x")


if __name__ == "__main__":
    main()
