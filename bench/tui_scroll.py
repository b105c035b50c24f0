"""Benchmark: scrolling the Registries table with 100, 1,000 and 5,000 registries (issue 12: record
the curve; RSS <= 120 MB).

Each size runs in a fresh process: config.json with N plaintext registries, the app headless
(120x36) on the real Workstation, as `regtui` starts it. Each key (down/up, pagedown/pageup, end/home) is
timed from the driver to the first frame Textual draws that shows the cursor on the row the key
moves it to (hooked at App._display). Sizes alternate round by round; figures are min / median /
p90 / max over all rounds, and the child's peak RSS.
Run: .venv/bin/python bench/tui_scroll.py [ROUNDS] [SIZES...]   (default: 3 100 1000 5000)
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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import asyncio, json, resource, sys, time
from textual import events
from regtui.ui.launch import build_app
from regtui.ui.widgets.registries_table import RegistriesTable

config_dir, rows = sys.argv[1], int(sys.argv[2])
frames = []

async def main():
    app = build_app(config_dir=config_dir)  # as the `regtui` script starts it
    original = app._display
    def display(screen, renderable):
        result = original(screen, renderable)
        if renderable is not None:
            frames.append((time.perf_counter(), app.query_one(RegistriesTable).cursor_row))
        return result
    app._display = display
    times = {"down/up": [], "page": [], "end/home": []}
    async with app.run_test(size=(120, 36)) as pilot:
        table = app.query_one(RegistriesTable)
        while table.row_count < rows:
            await asyncio.sleep(0.01)
        await pilot.pause(0.3)
        plan = [("down", "down/up")] * 10 + [("up", "down/up")] * 10
        plan += ([("pagedown", "page")] * 3 + [("pageup", "page")] * 3) * 2
        plan += [("end", "end/home"), ("home", "end/home")] * 3
        for key, kind in plan:
            before = table.cursor_row
            start = time.perf_counter()
            app._driver.send_message(events.Key(key, None))
            while True:
                moved = [at for at, row in frames[-5:] if at >= start and row != before]
                if moved:
                    times[kind].append((moved[0] - start) * 1000)
                    break
                if time.perf_counter() - start > 10:
                    raise SystemExit(f"no frame showed {key} within 10 s (row {before})")
                await asyncio.sleep(0.0005)
            await asyncio.sleep(0.03)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"times": times, "rss": rss}))

asyncio.run(main())
"""


def write_config(base: Path, n: int) -> Path:
    directory = base / f"docker-{n}"
    directory.mkdir()
    auth = base64.b64encode(b"user:secret").decode()
    auths = {f"registry-{i:04d}.example.com:5000": {"auth": auth} for i in range(n)}
    (directory / "config.json").write_text(json.dumps({"auths": auths}, indent="\t"))
    return directory


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    sizes = [int(a) for a in sys.argv[2:]] or [100, 1000, 5000]
    compileall.compile_dir(str(ROOT / "regtui"), quiet=1)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    results: dict[int, dict[str, list[float]]] = {n: {} for n in sizes}
    rss: dict[int, float] = dict.fromkeys(sizes, 0.0)
    with tempfile.TemporaryDirectory() as tmp:
        dirs = {n: write_config(Path(tmp), n) for n in sizes}
        for _ in range(rounds):
            for n in sizes:
                child_env = {**env, "HOME": tmp, "REGTUI_CONFIG_DIR": str(Path(tmp, "state")), "PYTHONPATH": str(ROOT)}
                done = subprocess.run(
                    [sys.executable, "-c", CHILD, str(dirs[n]), str(n)],
                    capture_output=True,
                    text=True,
                    env=child_env,
                    check=False,
                )
                if done.returncode != 0:
                    raise SystemExit(f"{n} registries: {done.stdout[-300:]}{done.stderr[-800:]}")
                out = json.loads(done.stdout.strip().splitlines()[-1])
                for kind, values in out["times"].items():
                    results[n].setdefault(kind, []).extend(values)
                rss[n] = max(rss[n], out["rss"])
    print(f"{rounds} rounds, headless 120x36; ms from the key to the frame that shows the move")
    print(f"{'registries':>10} {'key':<9} {'min':>6} {'median':>7} {'p90':>6} {'max':>6}   peak RSS")
    for n in sizes:
        for kind, values in results[n].items():
            ordered = sorted(values)
            p90 = ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]
            print(
                f"{n:>10} {kind:<9} {ordered[0]:6.1f} {statistics.median(ordered):7.1f} {p90:6.1f} {ordered[-1]:6.1f}"
                f"   {rss[n]:.0f} MB"
            )


if __name__ == "__main__":
    main()
