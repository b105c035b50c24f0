"""Regenerate the README screenshots from the demo data: .venv/bin/python screenshots/make_screenshots.py

Writes SVGs next to this file (and PNGs to look at, when rsvg-convert is installed).
"""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import sys
from dataclasses import replace
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from regtui.app.demo import DemoWorkstation  # noqa: E402
from regtui.ui.app import RegTUI  # noqa: E402

SHOTS = {
    "registries": [],
    "registries-helper-failed": ["down", "down"],
    "checks": ["2", "down", "down"],
    "mirrors": ["3", "t"],
    "mirror-diff": ["3", "down", "space"],
    "ratelimit": ["4"],
    "row-menu": ["down", "enter"],
    "mirror-undo": ["3", "u"],
    "checks-earlier": ["2", "down"],
}
EARLIER = {"checks-earlier"}
"""Shots of a second run: the demo's check results kept from an earlier one (at 08:02)."""


async def shoot(name: str, keys: list[str]) -> Path:
    workstation = DemoWorkstation()
    workstation.session = replace(workstation.session, demo=False)  # the app as it looks, without the DEMO marker
    if name in EARLIER:
        from regtui.app.demo_data import CHECKS

        workstation.keep_checks(CHECKS, "2026-11-30T08:02:00+01:00")
    app = RegTUI(workstation)
    app.clock = lambda: datetime(2026, 11, 30, 9, 15)  # "read at" the same in every regeneration
    async with app.run_test(size=(120, 36)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        for key in keys:
            await pilot.press(key)
            others = [w for w in app.workers if w.group != "write"]  # a write flow waits on its modal
            if others:
                await app.workers.wait_for_complete(others)
            await pilot.pause()
        app.save_screenshot(filename=f"{name}.svg", path=str(HERE))
    return HERE / f"{name}.svg"


def main() -> None:
    for name, keys in SHOTS.items():
        svg = asyncio.run(shoot(name, keys))
        print(svg)
        if shutil.which("rsvg-convert"):
            subprocess.run(["rsvg-convert", "-w", "1200", str(svg), "-o", str(svg.with_suffix(".png"))], check=True)


if __name__ == "__main__":
    main()
