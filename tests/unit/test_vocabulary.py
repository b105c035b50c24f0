"""The core's typed vocabulary keeps the exact strings of --json (README "Checks", ratelimit, registries)."""

from __future__ import annotations

import json

from regtui.core.credentials.exposure import FindingCode
from regtui.core.credentials.migrate import MigrationAction
from regtui.core.credentials.status import Diagnostic, DiagnosticCode, RegistryStatus, Severity, StoreKind, StoreRef
from regtui.core.docker_config import ToolFamily
from regtui.core.ratelimit_model import RateLimitMode, RateLimitState, RateLimitStatus
from regtui.core.registry.causes import Cause
from regtui.core.registry.model import FAIL, OK, SKIP, STEP_TITLES, WARN, Ladder, Step, StepName, StepStatus


def test_the_string_values_are_the_json_contract() -> None:
    assert [s.value for s in StepStatus] == ["ok", "fail", "warn", "skip"]
    assert (OK, FAIL, WARN, SKIP) == ("ok", "fail", "warn", "skip")
    assert [s.value for s in RateLimitState] == ["ok", "low", "exhausted", "unlimited", "abuse-limit", "error"]
    assert [m.value for m in RateLimitMode] == ["anonymous", "authenticated"]
    assert [k.value for k in StoreKind] == ["file", "helper", "env"]
    assert [s.value for s in Severity] == ["info", "warning", "error"]
    assert [a.value for a in MigrationAction] == ["move", "skip"]
    assert [t.value for t in ToolFamily] == ["docker", "containers"]
    assert [n.value for n in StepName][:6] == ["dns", "tcp", "tls", "ping", "challenge", "sent-to"]
    assert set(STEP_TITLES) == set(StepName) - {StepName.UNEXPECTED} and STEP_TITLES["tls"] == "TLS"
    assert {c.value for c in FindingCode} == {"config-readable", "secret-leftover", "stray-key"}
    assert "plaintext" in {c.value for c in DiagnosticCode}
    assert len({c.value for c in Cause}) == len(Cause)  # no two causes share a string
    for cause in ("dns", "refused", "timeout", "untrusted-cert", "bad-credentials", "not-logged-in", "clock-skew"):
        assert Cause(cause) == cause


def test_typed_values_serialise_as_the_plain_strings() -> None:
    ladder = Ladder()
    step = ladder.add(StepName.TLS, FAIL, "untrusted", Cause.UNTRUSTED_CERT, "install the CA")
    assert json.dumps(step.to_json()) == json.dumps(
        {
            "step": "tls",
            "status": "fail",
            "ms": step.to_json()["ms"],
            "detail": "untrusted",
            "cause": "untrusted-cert",
            "fix": "install the CA",
        }
    )
    assert f"{step.status} {step.cause}" == "fail untrusted-cert"
    reading = RateLimitStatus(RateLimitMode.ANONYMOUS, RateLimitState.ABUSE_LIMIT)
    data = json.loads(json.dumps(reading.to_json()))
    assert (data["mode"], data["state"], reading.healthy) == ("anonymous", "abuse-limit", False)
    assert StoreRef(StoreKind.HELPER, "regtui").label == "helper:regtui" and StoreRef(StoreKind.ENV).label == "env"
    row = RegistryStatus("r", "r", (), StoreRef(StoreKind.FILE), None, False, False, "f", read_by=tuple(ToolFamily))
    assert (json.loads(json.dumps(row.to_json()))["read_by"], row.tools) == (["docker", "containers"], "both")
    diagnostic = Diagnostic(DiagnosticCode.PLAINTEXT, Severity.WARNING, "m")
    assert json.dumps([diagnostic.code, diagnostic.severity]) == '["plaintext", "warning"]'


def test_hostile_causes_are_still_made_printable() -> None:
    """A cause that is not one of ours (a plain string) is cleaned like the detail and the fix."""
    step = Step("ping", StepStatus.FAIL, 0, "d", "a\x1b[31mb")  # type: ignore[arg-type]
    assert step.cause == "a[31mb" and isinstance(Step("x", OK, cause=Cause.DNS).cause, Cause)
