"""Benchmark: key-to-screen latency in the TUI while "check all" runs on 50 slow registries.

50 open registries on 127.0.0.1, in another process, answer every exchange after 1 s, so a
check of all of them keeps the Checks tab busy for several seconds. The app runs headless
(Textual's Pilot) with the real workstation; each key is a cursor move, timed as below. The same keys are timed
on an idle app first. Each key is timed from the moment it reaches the driver until the first
frame Textual draws that shows the moved cursor (hooked at App._display), so a blocked event
loop shows up in full. Budget: p99 ≤ 50 ms while checks run. The app is built as `regtui`
builds it (ui/launch.py: the lean HTTP transport); REGTUI_HTTP=httpcore runs the checks over
httpcore instead, as before. Also printed: what the garbage collector found and how long its
full collections took while the checks ran.
Run: .venv/bin/python bench/tui_keys_during_checks.py [KEYS]
"""

from __future__ import annotations

import asyncio
import base64
import gc
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

N = 50
DELAY = 1.0
SERVER = f"""
import asyncio, json
ANSWER = (b"HTTP/1.1 200 OK\\r\\nContent-Type: application/json\\r\\n"
          b"Docker-Distribution-Api-Version: registry/2.0\\r\\nContent-Length: 2\\r\\n"
          b"Connection: close\\r\\n\\r\\n{{}}")
async def handle(reader, writer):
    try:
        await reader.read(65536)
        await asyncio.sleep({DELAY})
        writer.write(ANSWER)
        await writer.drain()
    finally:
        writer.close()
async def main():
    servers = [await asyncio.start_server(handle, "127.0.0.1", 0) for _ in range({N})]
    print(json.dumps([s.sockets[0].getsockname()[1] for s in servers]), flush=True)
    await asyncio.Event().wait()
asyncio.run(main())
"""


def summary(values: list[float]) -> str:
    ordered = sorted(values)
    p = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return (
        f"min {ordered[0]:6.1f}  median {statistics.median(ordered):6.1f}  p90 {p(0.9):6.1f}  "
        f"p99 {p(0.99):6.1f}  max {ordered[-1]:6.1f} ms"
    )


FRAMES: list[tuple[float, int]] = []  # (when a frame went to the terminal, the cursor row it showed)


def hook_frames(app) -> None:  # noqa: ANN001
    """Record every frame Textual draws, with the Registries table's cursor at that moment."""
    from regtui.ui.widgets.registries_table import RegistriesTable

    original = app._display

    def display(screen, renderable):  # noqa: ANN001, ANN202
        result = original(screen, renderable)
        if renderable is not None:
            FRAMES.append((time.perf_counter(), app.query_one(RegistriesTable).cursor_row))
        return result

    app._display = display


async def timed_keys(app, count: int) -> list[float]:  # noqa: ANN001
    """Each key: from handing it to the driver to the first frame that shows its cursor move."""
    from textual import events

    from regtui.ui.widgets.registries_table import RegistriesTable

    table = app.query_one(RegistriesTable)
    latencies = []
    for i in range(count):
        key = ("down", "up")[i % 2]
        want = table.cursor_row + (1 if key == "down" else -1)
        start = time.perf_counter()
        app._driver.send_message(events.Key(key, None))
        while not any(at >= start and row == want for at, row in FRAMES[-5:]):
            if time.perf_counter() - start > 10:
                focused = app.focused
                raise SystemExit(
                    f"no frame showed {key} within 10 s (key {i}; focus on {focused!r}, "
                    f"cursor {table.cursor_row}, wanted {want}, tab {app.query_one('TabbedContent').active})"
                )
            await asyncio.sleep(0.0005)
        drawn = next(at for at, row in FRAMES[-5:] if at >= start and row == want)
        latencies.append((drawn - start) * 1000)
        await asyncio.sleep(0.03)
    return latencies


class Collector:
    """gc.callbacks: the objects each collection freed and the time of each full (gen 2) one."""

    def __init__(self) -> None:
        self.on = False
        self.collected = 0
        self.full: list[float] = []
        self._start = 0.0
        gc.callbacks.append(self.callback)

    def callback(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._start = time.perf_counter()
        elif self.on:
            self.collected += info["collected"]
            if info["generation"] == 2:
                self.full.append((time.perf_counter() - self._start) * 1000)


async def run(config_dir: Path, count: int) -> None:
    from regtui.ui.launch import build_app

    app = build_app(config_dir=str(config_dir))
    collector = Collector()
    if os.environ.get("BENCH_SLOW_CALLBACKS"):  # name what blocks the event loop longer than 30 ms
        import logging

        logging.basicConfig(level=logging.WARNING)
        loop = asyncio.get_running_loop()
        loop.set_debug(True)
        loop.slow_callback_duration = 0.03
    async with app.run_test(size=(120, 36)) as pilot:
        hook_frames(app)
        await pilot.pause(0.5)
        idle = await timed_keys(app, count)
        collector.on = True  # from the start of the checks: the network stack's import included
        cpu = time.process_time()
        await pilot.press("2")  # the Checks tab: its first showing checks every registry
        await pilot.press("1")
        started = time.perf_counter()
        during = []
        while any(w.group == "checks" and w.is_running for w in app.workers):
            during += await timed_keys(app, 10)
        took = time.perf_counter() - started
        collector.on = False
        cpu = time.process_time() - cpu
    print(f"keys when idle:          {summary(idle)}  ({len(idle)} keys)")
    print(f"keys while checks ran:   {summary(during)}  ({len(during)} keys over {took:.1f} s of checks)")
    full = ", ".join(f"{ms:.0f}" for ms in collector.full) or "none"
    print(
        f"while checks ran:        {cpu * 1000:.0f} ms CPU (all threads); {collector.collected} objects"
        f" collected; full collections: {full} ms"
    )


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    server = subprocess.Popen([sys.executable, "-c", SERVER], stdout=subprocess.PIPE, text=True)
    try:
        ports = json.loads(server.stdout.readline())
        with tempfile.TemporaryDirectory() as tmp:
            docker = Path(tmp, "docker")
            docker.mkdir()
            auth = base64.b64encode(b"user:pass").decode()
            auths = {f"127.0.0.1:{port}": {"auth": auth} for port in ports}
            (docker / "config.json").write_text(json.dumps({"auths": auths}))
            os.environ.update(
                HOME=tmp,
                DOCKER_CONFIG=str(docker),
                REGTUI_CONFIG_DIR=str(Path(tmp, "state")),
                REGTUI_DOCKER_CERTS_D=str(Path(tmp, "certs.d")),
                REGTUI_DAEMON_JSON=str(Path(tmp, "daemon.json")),
            )
            asyncio.run(run(docker, count))
    finally:
        server.kill()


if __name__ == "__main__":
    main()
