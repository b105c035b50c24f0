"""The TUI's checks go over the lean HTTP/1.1 transport (core/lean_http.py): the TUI never loads
httpcore, h11 or anyio, and "check all" leaves less cyclic garbage for the collector to walk
while keys arrive (bench/tui_keys_during_checks.py)."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

# A child process, for a clean sys.modules: a registry on 127.0.0.1 that lets everyone in, the
# app built as `regtui` builds it (ui/launch.py), its checks run as the Checks tab runs them.
CHILD = """
import asyncio, sys
ANSWER = (b"HTTP/1.1 200 OK\\r\\nContent-Type: application/json\\r\\n"
          b"Docker-Distribution-Api-Version: registry/2.0\\r\\nContent-Length: 2\\r\\n\\r\\n{}")

async def handle(reader, writer):
    try:  # plain HTTP only: a TLS hello is answered by closing
        while (await reader.read(65536)).startswith((b"GET ", b"HEAD ")):
            writer.write(ANSWER)
            await writer.drain()
    except ConnectionError:
        pass
    finally:
        writer.close()

async def main(config_dir):
    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    with open(config_dir + "/config.json", "w") as f:
        f.write('{"auths": {"127.0.0.1:%d": {}}}' % port)
    from regtui.ui.launch import build_app
    from regtui.ui.offloop import in_batches

    app = build_app(config_dir=config_dir)
    names = ["127.0.0.1:%d" % port]
    results = [r async for batch in in_batches(lambda: app.workstation.check(names)) for r in batch]
    loaded = sorted({m.split(".")[0] for m, v in sys.modules.items() if v} & {"httpcore", "h11", "anyio"})
    print(repr([(r.registry, r.endpoint, r.healthy) for r in results]), repr(loaded), sep="\\n")

asyncio.run(main(sys.argv[1]))
"""


def test_the_tuis_checks_load_no_httpcore_h11_or_anyio(tmp_path: Path) -> None:
    config_dir = tmp_path / "docker"
    config_dir.mkdir()
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(config_dir)], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    results, loaded = (ast.literal_eval(line) for line in done.stdout.strip().splitlines())
    port = json.loads((config_dir / "config.json").read_text())["auths"].popitem()[0].split(":")[1]
    assert results == [(f"127.0.0.1:{port}", f"http://127.0.0.1:{port}", True)]
    assert loaded == []
