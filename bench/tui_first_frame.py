"""Benchmark: the TUI's first frame with 200 registries in config.json vs Textual apps without regtui.

Budgets (docs/architecture.md, issue 12): the first frame with the table filled <= 1.1x an app
built from the same Textual widgets (Header, TabbedContent with four TabPanes, Statics, a
DataTable with the same 200 rows and six columns, Footer) that reads no file; RSS <= 120 MB.
A bare app (one Static) is shown for scale. Each run is a fresh process (imports included, as a
user pays them), headless, timed from process start until Textual draws the first frame (bare) or the first frame
that shows every row (regtui), hooked at App._display; RSS is the peak of the child, CPU its
user + system time (all threads) up to that frame.
Run: .venv/bin/python bench/tui_first_frame.py [RUNS]
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

ROWS = 200
ROOT = Path(__file__).resolve().parent.parent

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
            drawn["cpu"] = time.process_time()
    return _display(self, screen, renderable)

App._display = display

async def main():
    if mode == "bare":
        from textual.widgets import Static
        class Bare(App):
            def compose(self):
                yield Static("hello")
        target = Bare()
    elif mode == "widgets":
        from textual.widgets import DataTable, Footer, Header, Static, TabbedContent, TabPane
        class SameWidgets(App):
            def compose(self):
                yield Header()
                with TabbedContent(initial="registries"):
                    with TabPane("Registries", id="registries"):
                        yield Static("config: /home/user/.docker/config.json")
                        yield Static("")
                        yield DataTable(cursor_type="row", zebra_stripes=True)
                        yield Static("registry-000.example.com:5000\nuser: user\nstored in config.json")
                    for name in ("Checks", "Mirrors", "Rate limit"):
                        with TabPane(name):
                            yield Static("")
                yield Footer()
            def on_mount(self):
                table = self.query_one(DataTable)
                table.add_columns("Registry", "User", "Store", "Status", "Issues", "Latency")
                for i in range(rows):
                    table.add_row(f"registry-{i:03d}.example.com:5000", "user", "config.json", "plaintext", "", "")
                table.focus()
        target = SameWidgets()
        target._rows_drawn = lambda: target.query_one(DataTable).row_count >= rows
    else:
        from regtui.ui.widgets.registries_table import RegistriesTable
        target = app
        target._rows_drawn = lambda: target.query_one(RegistriesTable).row_count >= rows
    async with target.run_test(size=(120, 36)):
        while "at" not in drawn:
            await asyncio.sleep(0.001)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{drawn['at'] - start:.4f} {rss:.1f} {drawn['cpu']:.4f}")

asyncio.run(main())
"""


def run(mode: str, env: dict[str, str], rows: int = ROWS) -> tuple[float, float, float]:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, repr(time.time()), mode, str(rows)],
        capture_output=True,
        text=True,
        env={k: v for k, v in env.items() if k != "PYTHONDONTWRITEBYTECODE"},
        check=True,
    ).stdout.split()
    return float(out[0]) * 1000, float(out[1]), float(out[2]) * 1000


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
        cases: dict[str, list[tuple[float, float, float]]] = {
            "bare Textual app (one Static)": [],
            f"same widgets, {ROWS} rows": [],
            "regtui, empty config.json": [],
            f"regtui, {ROWS} registries": [],
        }
        compileall.compile_dir(str(ROOT / "regtui"), quiet=1)
        for _ in range(runs):  # interleaved, so machine noise hits all alike
            for name, (mode, case_env, rows) in zip(
                cases,
                [("bare", env, ROWS), ("widgets", env, ROWS), ("regtui", empty_env, 0), ("regtui", env, ROWS)],
                strict=True,
            ):
                cases[name].append(run(mode, case_env, rows=rows))
    print(f"{runs} runs each, headless 120x36, {os.cpu_count()} cores; ms from process start to the frame")
    print(f"  {'':<32} {'min':>6} {'median':>6} {'max':>6}  peak RSS  CPU min / median (all threads)")
    for name, values in cases.items():
        times, cpu = [t for t, _, _ in values], [c for _, _, c in values]
        print(
            f"  {name:<32} {min(times):6.0f} {statistics.median(times):6.0f} {max(times):6.0f}"
            f"  {max(r for _, r, _ in values):.0f} MB     {min(cpu):.0f} / {statistics.median(cpu):.0f} ms"
        )
    med = {name: statistics.median(t for t, _, _ in values) for name, values in cases.items()}
    cpu_med = {name: statistics.median(c for _, _, c in values) for name, values in cases.items()}
    full, same = med[f"regtui, {ROWS} registries"], med[f"same widgets, {ROWS} rows"]
    bare = med["bare Textual app (one Static)"]
    print(f"  regtui / same widgets: {full / same:.2f}x (budget 1.1x); / bare: {full / bare:.2f}x")
    by_cpu = cpu_med[f"regtui, {ROWS} registries"] / cpu_med[f"same widgets, {ROWS} rows"]
    print(f"  by CPU time (medians): regtui / same widgets {by_cpu:.2f}x")


if __name__ == "__main__":
    main()
