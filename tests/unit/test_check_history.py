"""The check results kept between runs: only the verdict, cause and step times (no detail, user,
secret or token), under $REGTUI_CONFIG_DIR, and a hostile file is ignored with a message."""

from __future__ import annotations

import json
import os
import stat
import threading
from pathlib import Path

import pytest

from regtui.core import check_history
from regtui.core.registry.causes import Cause
from regtui.core.registry.model import FAIL, OK, CheckResult, Step, StepName

AT = "2026-11-30T14:02:00+01:00"


def result(registry: str = "ghcr.io", healthy: bool = False) -> CheckResult:
    refused = "refused for alice: token s3cret-tok"
    last = Step(StepName.AUTHORIZED, OK, 40.0) if healthy else Step(
        StepName.CREDENTIALS, FAIL, 85.5, refused, Cause("bad-credentials"), "log in again"
    )  # fmt: skip
    return CheckResult(
        registry,
        "https://alice:hunter2@ghcr.io/v2/",
        (Step(StepName.DNS, OK, 1.25, "140.82.1.1"), last),
        auth_scheme="bearer",
        username="alice",
        ms=130.0,
    )


def test_kept_then_read_back_with_no_detail_user_or_secret(isolated: Path) -> None:
    assert check_history.keep([result(), result("quay.io", healthy=True)], AT) == ""
    path = isolated / ".config" / "regtui" / "checks.json"  # $REGTUI_CONFIG_DIR
    text = path.read_text()
    for leak in ("alice", "hunter2", "s3cret-tok", "140.82.1.1", "log in again", "bearer"):
        assert leak not in text, leak
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    kept, problem = check_history.load()
    assert problem == ""
    by_name = {k.result.registry: k for k in kept}
    ghcr = by_name["ghcr.io"]
    assert ghcr.at == AT and ghcr.result.endpoint == "https://ghcr.io/v2/" and ghcr.result.ms == 130.0
    assert [(s.name, s.status, s.ms, s.cause) for s in ghcr.result.steps] == [
        (StepName.DNS, OK, 1.2, ""),
        (StepName.CREDENTIALS, FAIL, 85.5, "bad-credentials"),
    ]
    assert not ghcr.result.healthy and by_name["quay.io"].result.healthy


def test_a_later_run_replaces_only_the_registries_it_checked() -> None:
    check_history.keep([result(), result("quay.io", healthy=True)], AT)
    check_history.keep([result("ghcr.io", healthy=True)], "2026-11-30T15:00:00+01:00")
    kept = {k.result.registry: k for k in check_history.load()[0]}
    assert kept["ghcr.io"].at.startswith("2026-11-30T15") and kept["ghcr.io"].result.healthy
    assert kept["quay.io"].at == AT


def test_no_file_is_no_result_and_no_message() -> None:
    assert check_history.load() == ([], "")


@pytest.mark.parametrize(
    ("content", "said"),
    [
        ('{"checks": {"ghcr.io": ', "not valid JSON"),
        ("[" * 100_000, "nested too deeply"),
        ('{"checks": [1, 2]}', "no `checks` object"),
        ("1" * 5000, "nested too deeply or holds a number too long"),
        (b"\xff\xfe{}", "not UTF-8"),
        ("x" * (check_history.MAX_BYTES + 1), "larger than 256 KiB"),
    ],
)
def test_a_hostile_file_is_ignored_with_a_message_never_raised(content: str | bytes, said: str) -> None:
    path = check_history.checks_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    kept, problem = check_history.load()
    assert kept == [] and said in problem and str(path) in problem
    assert check_history.keep([result()], AT) == ""  # the next run's results replace it
    assert [k.result.registry for k in check_history.load()[0]] == ["ghcr.io"]


def test_bad_entries_are_dropped_and_counted_the_good_ones_kept() -> None:
    check_history.keep([result()], AT)
    path = check_history.checks_path()
    data = json.loads(path.read_text())
    good = data["checks"]["ghcr.io"]
    data["checks"].update(
        {
            "a": {**good, "steps": [{"step": "rm -rf", "status": "ok", "ms": 1}]},
            "b": {**good, "ms": True},
            "c": {**good, "at": "yesterday"},
            "d\x1b]0;title\x07": good,
            "e": {**good, "steps": [{"step": "dns", "status": "ok", "ms": 1e300}]},
        }
    )
    path.write_text(json.dumps(data))
    kept, problem = check_history.load()
    assert [k.result.registry for k in kept] == ["ghcr.io"]
    assert "5 kept results not understood; ignored" in problem


def test_a_fifo_is_refused_not_waited_on() -> None:
    path = check_history.checks_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(path)
    outcome: list[object] = []
    reader = threading.Thread(target=lambda: outcome.append(check_history.load()), daemon=True)
    reader.start()
    reader.join(5)
    assert outcome and outcome[0] == ([], f"{path}: not a regular file; ignored")
