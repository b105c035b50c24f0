"""Benchmark: the TUI's first frame with 200 registries in config.json vs a bare Textual app.

docs/architecture.md, "Budgets": first frame with the table filled <= 1.3x a bare Textual app's first frame;
RSS <= 120 MB. Each run is a fresh process (imports included, as a user pays them), headless,
timed from process start until Textual draws the first frame (bare) or the first frame
that shows every row (regtui), hooked at App._display; RSS is the peak of the child.
Run: .venv/bin/python bench/tui_first_frame.py [RUNS]
"""

from __future__ import annotations

import base64
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROWS = 200

CHILD = r"""
import asyncio, resource, sys, time
start = float(sys.argv[1])
mode, rows = sys.argv[2], int(sys.argv[3])
if mode == "regtui":
    import regtui.entry  # what the `regtui` script runs; bare, it goes to the TUI's launch path
    from regtui.ui.launch import build_app  # preload, then Textual
    app = build_app()
from textual.app import App

drawn = {}
_display = App._display

def display(self, screen, renderable):
    # The first frame Textual draws (bare), or the first one that shows every row (regtui).
    if renderable is not None and "at" not in drawn:
        if mode == "bare" or getattr(self, "_rows_drawn", lambda: True)() :
            drawn["at"] = time.time()
    return _display(self, screen, renderable)

App._display = display

async def main():
    if mode == "bare":
        from textual.widgets import Static
        class Bare(App):
            def compose(self):
                yield Static("hello")
        target = Bare()
    else:
        from regtui.ui.widgets.registries_table import RegistriesTable
        target = app
        target._rows_drawn = lambda: target.query_one(RegistriesTable).row_count >= rows
    async with target.run_test(size=(120, 36)):
        while "at" not in drawn:
            await asyncio.sleep(0.001)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{drawn['at'] - start:.4f} {rss:.1f}")

asyncio.run(main())
"""


def run(mode: str, env: dict[str, str], rows: int = ROWS) -> tuple[float, float]:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, repr(time.time()), mode, str(rows)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    ).stdout.split()
    return float(out[0]) * 1000, float(out[1])


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    with tempfile.TemporaryDirectory() as tmp:
        auth = base64.b64encode(b"user:secret").decode()
        config = {"auths": {f"registry-{i:03d}.example.com:5000": {"auth": auth} for i in range(ROWS)}}
        (Path(tmp) / "config.json").write_text(json.dumps(config, indent="\t"))
        env = {**os.environ, "DOCKER_CONFIG": tmp, "REGTUI_CONFIG_DIR": tmp}
        empty_dir = Path(tmp) / "empty"
        empty_dir.mkdir()
        empty_env = {**env, "DOCKER_CONFIG": str(empty_dir)}
        bare, empty, full = [], [], []
        for _ in range(runs):  # interleaved, so machine noise hits all three alike
            bare.append(run("bare", env))
            empty.append(run("regtui", empty_env, rows=0))
            full.append(run("regtui", env))
    b, e, f = (statistics.median(t for t, _ in xs) for xs in (bare, empty, full))
    print(f"{runs} runs each, headless 120x36, {os.cpu_count()} cores; time from process start to the frame")
    print(f"  bare Textual app (one Static), first frame:   median {b:.0f} ms, RSS {max(r for _, r in bare):.0f} MB")
    print(f"  regtui, empty config.json, first frame:       median {e:.0f} ms, RSS {max(r for _, r in empty):.0f} MB")
    print(f"  regtui, {ROWS} registries, table filled:       median {f:.0f} ms, RSS {max(r for _, r in full):.0f} MB")
    print(
        f"  ratio to the bare app: {f / b:.2f}x; to regtui's own empty start: {f / e:.2f}x (budget 1.3x); "
        "RSS budget 120 MB"
    )


if __name__ == "__main__":
    main()
