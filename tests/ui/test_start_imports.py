"""What the TUI's first frame loads: the app built as `regtui` builds it (ui/launch.py), run
headless until the Registries table shows its rows. The modules listed here load when a tab or
an action first needs them, never before the first frame (bench/tui_first_frame.py)."""

from __future__ import annotations

import ast
import base64
import json
import subprocess
import sys
from pathlib import Path

NOT_AT_START = (
    "regtui.core.mirrors",  # the mirror models and ops: the Mirrors tab and the mirror edits
    "httpx",  # the network stack: a check, a rate-limit reading, a mirror test
    "httpcore",
    "tomlkit",  # containerd's hosts.toml: the Mirrors tab
    "click",  # the CLI: a bare `regtui` goes straight to the TUI
    "regtui.app.credential_types",  # the answers of a login, logout or migration (frozen dataclasses)
    "regtui.app.mirror_types",  # the answers of the mirror use cases
)

CHILD = """
import asyncio, sys
import regtui.entry
from regtui.ui.launch import build_app

async def main():
    app = build_app(config_dir=sys.argv[1])
    async with app.run_test(size=(120, 36)) as pilot:
        table = app.query_one("#registries-table")
        for _ in range(500):
            if table.row_count:
                break
            await pilot.pause(0.01)
        await pilot.pause(0.5)  # the hidden tabs' panes mount just after the first frame
        rows = table.row_count
    print(rows)
    print(sorted(m for m, v in sys.modules.items() if v))

asyncio.run(main())
"""


def test_the_first_frame_loads_no_mirror_model_network_stack_or_cli(tmp_path: Path) -> None:
    auth = base64.b64encode(b"user:secret").decode()
    auths = {f"registry-{i}.example.com:5000": {"auth": auth} for i in range(3)}
    (tmp_path / "config.json").write_text(json.dumps({"auths": auths}))
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(tmp_path)], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    rows, loaded = (ast.literal_eval(line) for line in done.stdout.strip().splitlines()[-2:])
    assert rows == 3
    assert "regtui.ui.widgets.mirrors_pane" in loaded  # the check below looks at a real start
    early = [m for m in loaded for n in NOT_AT_START if m == n or m.startswith(n + ".")]
    assert early == []
