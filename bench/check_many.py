"""Benchmark: `regtui check` over 100 registries each 200 ms away vs one (docs/architecture.md, "Budgets": <= 1.5x).

This kernel has no netem, so distance is simulated in the servers: N open registries on
127.0.0.1, in a separate process, that answer every exchange (the TLS ClientHello too)
after 200 ms. Each check then spends ~400 ms on the wire: HTTPS attempt, then /v2/.
Run: .venv/bin/python bench/check_many.py [N] [RUNS]
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DELAY = 0.2
ANSWER = (
    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nDocker-Distribution-Api-Version: registry/2.0\r\n"
    b"Content-Length: 2\r\nConnection: close\r\n\r\n{}"
)


async def serve(n: int) -> None:
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await reader.read(65536)
            await asyncio.sleep(DELAY)
            writer.write(ANSWER)
            await writer.drain()
        finally:
            writer.close()

    servers = [await asyncio.start_server(handle, "127.0.0.1", 0, backlog=256) for _ in range(n)]
    print(json.dumps([s.sockets[0].getsockname()[1] for s in servers]), flush=True)
    await asyncio.Event().wait()


def timed(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    out = subprocess.run(argv, capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - start
    data = json.loads(out.stdout)
    assert data["healthy"], out.stdout[:500]
    return elapsed


def main() -> None:
    if sys.argv[1:2] == ["serve"]:
        asyncio.run(serve(int(sys.argv[2])))
        return
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    server = subprocess.Popen([sys.executable, __file__, "serve", str(n)], stdout=subprocess.PIPE, text=True)
    try:
        ports = json.loads(server.stdout.readline())
        hosts = [f"127.0.0.1:{p}" for p in ports]
        regtui = str(Path(sys.executable).parent / "regtui")
        with tempfile.TemporaryDirectory() as tmp:
            env = {
                **os.environ,
                "DOCKER_CONFIG": tmp,
                "REGTUI_DAEMON_JSON": f"{tmp}/daemon.json",
                "REGTUI_DOCKER_CERTS_D": f"{tmp}/certs.d",
                "REGTUI_CONFIG_DIR": tmp,
            }
            one = [timed([regtui, "check", "--json", hosts[0]], env) for _ in range(runs)]
            many = [timed([regtui, "check", "--json", *hosts], env) for _ in range(runs)]
    finally:
        server.kill()
    m1, mn = statistics.median(one), statistics.median(many)
    print(f"{runs} runs each, registries {DELAY * 1000:.0f} ms away, {os.cpu_count()} cores")
    print(f"  regtui check, 1 registry:    median {m1 * 1000:.0f} ms (min {min(one) * 1000:.0f})")
    print(f"  regtui check, {n} registries: median {mn * 1000:.0f} ms (min {min(many) * 1000:.0f})")
    print(f"  ratio: {mn / m1:.2f}x (budget 1.5x)")


if __name__ == "__main__":
    main()
