"""Benchmark: key-to-screen latency in the TUI while "check all" runs on 50 slow registries.

50 open registries on 127.0.0.1, in another process, answer every exchange after 1 s, so a
check of all of them keeps the Checks tab busy for several seconds. The app runs headless
(Textual's Pilot) with the real workstation; each key is a cursor move, timed as below. The same keys are timed
on an idle app first. Each key is timed from the moment it reaches the driver until the first
frame Textual draws that shows the moved cursor (hooked at App._display), so a blocked event
loop shows up in full. Budget: p99 ≤ 50 ms while checks run. The app is built as `regtui`
builds it (ui/launch.py: the lean HTTP transport); REGTUI_HTTP=httpcore runs the checks over
httpcore instead, as before. Also printed: what the garbage collector found and how long its
full collections took while the checks ran, and what overlapped the worst keys (collections,
batches of results, screen updates). Then keys after pauses of 0.2-1.2 s: the full collections
now run in such pauses (ui/gcpause.py). BENCH_BEFORE=1 runs the app as it was before that and
before the Checks tab took results a batch at a time (CPython's own full collections; the
summary and detail redrawn per result; a batch every 50 ms), for alternating runs. BENCH_SPREAD=1: server i answers
after 0.5 + 1.5 i/50 s, so results trickle in over 1.5 s instead of arriving together.
BENCH_INTERVAL=0.05: hand results over every 50 ms (ui/offloop.py's interval before session 9).
Run: .venv/bin/python bench/tui_keys_during_checks.py [KEYS]
"""

from __future__ import annotations

import asyncio
import base64
import gc
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

N = 50
PAUSED_KEYS = 12
DELAY = 1.0
SERVER = f"""
import asyncio, json, sys
SPREAD = sys.argv[1] == "1"
ANSWER = (b"HTTP/1.1 200 OK\\r\\nContent-Type: application/json\\r\\n"
          b"Docker-Distribution-Api-Version: registry/2.0\\r\\nContent-Length: 2\\r\\n"
          b"Connection: close\\r\\n\\r\\n{{}}")
def handler(delay):
    async def handle(reader, writer):
        try:
            await reader.read(65536)
            await asyncio.sleep(delay)
            writer.write(ANSWER)
            await writer.drain()
        finally:
            writer.close()
    return handle
async def main():
    # BENCH_SPREAD=1: server i answers after 0.5-2 s (results trickle in), else all after {DELAY} s
    delays = [{DELAY} * (0.5 + 1.5 * i / {N}) if SPREAD else {DELAY} for i in range({N})]
    servers = [await asyncio.start_server(handler(d), "127.0.0.1", 0) for d in delays]
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


UPDATES: list[tuple[float, float]] = []  # (start, end) of each screen update (layout and render)
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


def hook_updates() -> None:
    """Time each screen update (layout and render of what changed), before the screen starts."""
    from textual.screen import Screen

    update = Screen._on_timer_update

    def timed_update(screen):  # noqa: ANN001, ANN202
        start = time.perf_counter()
        result = update(screen)
        UPDATES.append((start, time.perf_counter()))
        return result

    Screen._on_timer_update = timed_update


KEYS: list[tuple[float, float]] = []  # (key sent, frame drawn), perf_counter seconds, every timed key


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
        KEYS.append((start, drawn))
        await asyncio.sleep(0.03)
    return latencies


BATCHES: list[tuple[float, float, int]] = []  # (handed to the UI, its table updates done, results)


def note_batches() -> None:
    """Time each batch of results the Checks tab receives (ui/offloop.py), and its handling."""
    import regtui.ui.loaders as loaders

    original = loaders.in_batches

    async def timed(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        async for batch in original(*args, **kwargs):
            start = time.perf_counter()
            yield batch
            BATCHES.append((start, time.perf_counter(), len(batch)))

    loaders.in_batches = timed


SAMPLES: list[tuple[float, list[str]]] = []  # BENCH_SAMPLE: (when, the main thread's stack)


def sample_main_thread(stop: threading.Event, every: float = 0.002) -> None:
    """Note the main thread's stack every few ms (BENCH_SAMPLE=1), to say what held up the worst keys."""
    main = threading.main_thread().ident
    while not stop.wait(every):
        frame = sys._current_frames().get(main)
        stack = []
        while frame is not None:
            code = frame.f_code
            stack.append(f"{Path(code.co_filename).name}:{code.co_name}")
            frame = frame.f_back
        SAMPLES.append((time.perf_counter(), stack))


def print_samples(keys: list[tuple[float, float]], worst: list[int]) -> None:
    """For each of the worst keys: the frames seen most often on the main thread while it waited."""
    from collections import Counter

    for i in worst:
        start, end = keys[i]
        stacks = [stack for at, stack in SAMPLES if start <= at <= end]
        seen = Counter(frame for stack in stacks for frame in dict.fromkeys(stack[:40]))
        top = ", ".join(f"{frame} {n}" for frame, n in seen.most_common(14))
        print(f"  key #{i}: {len(stacks)} samples: {top}")


class Collector:
    """gc.callbacks: the objects each collection freed, the time of each full (gen 2) one, and
    every collection's span (to say which keys a collection held up)."""

    def __init__(self) -> None:
        self.on = False
        self.collected = 0
        self.full: list[float] = []
        self.spans: list[tuple[float, float, int]] = []  # (start, end, generation)
        self._start = 0.0
        gc.callbacks.append(self.callback)

    def callback(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._start = time.perf_counter()
            return
        end = time.perf_counter()
        self.spans.append((self._start, end, info["generation"]))
        if self.on:
            self.collected += info["collected"]
            if info["generation"] == 2:
                self.full.append((end - self._start) * 1000)

    def within(self, start: float, end: float) -> str:
        """What ran while one key waited: collections, e.g. "gen2 31 ms", and batches of results."""
        hits = [(g, (b - a) * 1000) for a, b, g in self.spans if a < end and b > start]
        found = [f"gen{g} {ms:.1f} ms" for g, ms in sorted(hits, key=lambda h: -h[1]) if g or ms > 1][:3]
        found += [f"batch of {n} {(b - a) * 1000:.1f} ms" for a, b, n in BATCHES if a < end and b > start - 0.05]
        found += [f"update {(b - a) * 1000:.1f} ms" for a, b in UPDATES if a < end and b > start and b - a > 0.01]
        return ", ".join(found) or "no collection or batch"


def as_before() -> None:
    """BENCH_BEFORE=1: CPython's own collections (one freeze at the first mount), the Checks
    pane's summary and detail redrawn for each result, a batch every 50 ms: as at the start of
    session 9."""
    from regtui.ui import gcpause
    from regtui.ui.widgets.checks_pane import ChecksPane

    gcpause.hold_until_mount = lambda: None
    os.environ.setdefault("BENCH_INTERVAL", "0.05")  # ui/offloop.py's interval then

    def start(app) -> None:  # noqa: ANN001
        gcpause.freeze_startup_objects()

    gcpause.QuietCollection.start_quiet_collection = start

    def add_many(pane, results) -> None:  # noqa: ANN001
        for result in results:
            pane.add_many_one(result)

    original = ChecksPane.add_many
    ChecksPane.add_many_one = lambda pane, result: original(pane, [result])
    ChecksPane.add_many = add_many


async def run(config_dir: Path, count: int) -> None:
    from regtui.ui.launch import build_app

    if os.environ.get("BENCH_BEFORE"):
        as_before()
    if os.environ.get("BENCH_INTERVAL"):  # the batches' interval (ui/offloop.py), e.g. 0.05 as before
        from regtui.ui import offloop

        offloop.in_batches.__kwdefaults__["interval"] = float(os.environ["BENCH_INTERVAL"])

    note_batches()
    hook_updates()
    app = build_app(config_dir=str(config_dir))
    collector = Collector()
    if os.environ.get("BENCH_SLOW_CALLBACKS"):  # name what blocks the event loop longer than 30 ms
        import logging

        logging.basicConfig(level=logging.WARNING)
        loop = asyncio.get_running_loop()
        loop.set_debug(True)
        loop.slow_callback_duration = float(os.environ["BENCH_SLOW_CALLBACKS"])
    stop = threading.Event()
    if os.environ.get("BENCH_SAMPLE"):
        threading.Thread(target=sample_main_thread, args=(stop,), daemon=True).start()
    async with app.run_test(size=(120, 36)) as pilot:
        hook_frames(app)
        await pilot.pause(0.5)
        idle = await timed_keys(app, count)
        collector.on = True  # from the start of the checks: the network stack's import included
        cpu = time.process_time()
        profile = None
        if os.environ.get("BENCH_PROFILE"):  # cProfile of the UI thread while checks run, to that file
            import cProfile

            profile = cProfile.Profile()
            profile.enable()
        await pilot.press("2")  # the Checks tab: its first showing checks every registry
        await pilot.press("1")
        started = time.perf_counter()
        during = []
        first_during = len(KEYS)
        while any(w.group == "checks" and w.is_running for w in app.workers):
            during += await timed_keys(app, 10)
        took = time.perf_counter() - started
        collector.on = False
        cpu = time.process_time() - cpu
        if profile is not None:
            profile.disable()
            profile.dump_stats(os.environ["BENCH_PROFILE"])
        # Keys after pauses of 0.2-1.2 s, the time a full collection may now take (ui/gcpause.py).
        after_pause, first_paused, pauses = [], len(KEYS), random.Random(12)
        for _ in range(PAUSED_KEYS):
            await asyncio.sleep(pauses.uniform(0.2, 1.2))
            after_pause += await timed_keys(app, 1)
        schedule = getattr(app, "gc_schedule", None)
        why = schedule.collections if schedule is not None else "CPython's own"
    stop.set()
    print(f"keys when idle:          {summary(idle)}  ({len(idle)} keys)")
    print(f"keys while checks ran:   {summary(during)}  ({len(during)} keys over {took:.1f} s of checks)")
    full = ", ".join(f"{ms:.0f}" for ms in collector.full) or "none"
    print(
        f"while checks ran:        {cpu * 1000:.0f} ms CPU (all threads); {collector.collected} objects"
        f" collected; full collections: {full} ms"
    )
    print(f"keys after pauses:       {summary(after_pause)}  ({len(after_pause)} keys)")
    paused = KEYS[first_paused:]
    hit = [f"{(b - a) * 1000:.0f} ms ({collector.within(a, b)})" for a, b in paused if (b - a) > 0.03]
    print(f"  over 30 ms: {'; '.join(hit) or 'none'}")
    every_full = [
        f"{(b - a) * 1000:.0f} (at {a - started:+.2f} s)" for a, b, g in collector.spans if g == 2 and a >= KEYS[0][0]
    ]
    print(f"full collections (at s from the checks' first key): {', '.join(every_full) or 'none'} ms; scheduled: {why}")
    keys = KEYS[first_during:first_paused]
    worst = sorted(range(len(keys)), key=lambda i: keys[i][0] - keys[i][1])[:3]
    print(
        "worst keys during checks: "
        + "; ".join(f"#{i} {(keys[i][1] - keys[i][0]) * 1000:.0f} ms ({collector.within(*keys[i])})" for i in worst)
    )
    if SAMPLES:
        print_samples(keys, worst)


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    spread = "1" if os.environ.get("BENCH_SPREAD") else "0"
    server = subprocess.Popen([sys.executable, "-c", SERVER, spread], stdout=subprocess.PIPE, text=True)
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
