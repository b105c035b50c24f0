"""Bugs mypy found when it was first run over regtui, each pinned by a test."""

from __future__ import annotations

from pathlib import Path

from regtui.core.mirrors import containerd
from regtui.core.mirrors.ops import Enable
from regtui.core.registry.login import LoginRefused
from regtui.core.registry.model import FAIL, OK, CheckResult, Step
from regtui.core.settings import State


def test_login_refused_for_a_result_without_a_failed_step_says_so_instead_of_crashing() -> None:
    # result.failure is None when every step passed; the message used to read failure.title from None.
    healthy = CheckResult("registry.test", "https://registry.test", (Step("ping", OK),), "basic", "alice", 1.0)
    error = LoginRefused(healthy)
    assert "login to registry.test was refused" in error.what
    assert error.result is healthy


def test_login_refused_names_the_failed_step() -> None:
    failed = CheckResult(
        "registry.test", "https://registry.test", (Step("authorized", FAIL, detail="401", fix="log in again"),), None
    )
    error = LoginRefused(failed)
    assert error.what == "login to registry.test failed at GET /v2/ (authenticated): 401"
    assert error.fix == "log in again"


LEGACY = """version = 2

[plugins."io.containerd.grpc.v1.cri".registry.mirrors."quay.io"]
  endpoint = ["https://quay-mirror.example"]
"""


def test_enabling_a_legacy_mirror_whose_table_was_removed_by_hand_writes_the_table_again(tmp_path: Path) -> None:
    # The disabled record says where the mirror was; the docker.io table itself is gone from the file.
    path = tmp_path / "config.toml"
    path.write_text(LEGACY, encoding="utf-8")
    state = State.__new__(State)
    parked = {"url": "https://hub-mirror.example", "position": 0, "array_before": None, "array_after": None}
    state.data = {"disabled": {str(path): {"docker.io": [parked]}}}
    plan = containerd.plan(containerd.load(path), state, Enable("https://hub-mirror.example"), "docker.io")
    after = containerd.load_text(plan.changes[0].after, path)
    assert after.legacy == {"quay.io": ["https://quay-mirror.example"], "docker.io": ["https://hub-mirror.example"]}
    assert plan.state_update["disabled"] == (str(path), "docker.io", [])
