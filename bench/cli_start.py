"""Benchmark: `regtui --help` and `regtui --version` against a minimal click app (budget ≤ 1.3×).

Each run is a fresh process started through the console script, so interpreter start-up,
site and the imports are all counted. The commands run in alternation so that load on this
shared machine falls on both alike.
Run: .venv/bin/python bench/cli_start.py [RUNS]
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MINIMAL = '''import click

@click.group()
@click.version_option("1.0")
def main():
    """A minimal click app."""

@main.command()
def one():
    """One command."""

main()
'''


def wall(argv: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, check=True)
    return (time.perf_counter() - start) * 1000


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    bin_dir = Path(sys.executable).parent
    with tempfile.TemporaryDirectory() as tmp:
        minimal = Path(tmp, "minimal.py")
        minimal.write_text(MINIMAL)
        cases = {
            "minimal click --help": [sys.executable, str(minimal), "--help"],
            "regtui --help": [str(bin_dir / "regtui"), "--help"],
            "minimal click --version": [sys.executable, str(minimal), "--version"],
            "regtui --version": [str(bin_dir / "regtui"), "--version"],
        }
        times: dict[str, list[float]] = {name: [] for name in cases}
        for argv in cases.values():  # warm the page cache
            wall(argv)
        for _ in range(runs):
            for name, argv in cases.items():
                times[name].append(wall(argv))
    print(f"{'command':<26} {'min':>8} {'median':>8} {'max':>8}")
    for name, values in times.items():
        print(f"{name:<26} {min(values):8.1f} {statistics.median(values):8.1f} {max(values):8.1f}")
    for flag in ("--help", "--version"):
        ratio = statistics.median(times[f"regtui {flag}"]) / statistics.median(times[f"minimal click {flag}"])
        print(f"ratio {flag}: {ratio:.2f}x (median / median)")


if __name__ == "__main__":
    main()
