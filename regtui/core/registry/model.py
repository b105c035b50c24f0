"""What a registry check produces: one timed result per step, and the verdict."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

from regtui.core.registry.causes import Cause
from regtui.core.safetext import printable


class StepStatus(StrEnum):
    """How one step of a check ended (``status`` in ``regtui check --json``)."""

    OK = "ok"
    FAIL = "fail"
    WARN = "warn"
    SKIP = "skip"


OK, FAIL, WARN, SKIP = StepStatus.OK, StepStatus.FAIL, StepStatus.WARN, StepStatus.SKIP
NoCause = Literal[""]
MAX_DETAIL = 1000


class StepName(StrEnum):
    """The steps of the check ladder, in order (``step`` in ``regtui check --json``)."""

    DNS = "dns"
    TCP = "tcp"
    TLS = "tls"
    PING = "ping"
    CHALLENGE = "challenge"
    SENT_TO = "sent-to"
    CREDENTIALS = "credentials"
    ANONYMOUS = "anonymous"
    ANONYMOUS_V2 = "anonymous-v2"
    AUTHORIZED = "authorized"
    REPOSITORY = "repository"
    UNEXPECTED = "unexpected"  # a failure no step accounts for (registry/safety.py)


STEP_TITLES = {
    StepName.DNS: "DNS",
    StepName.TCP: "TCP connect",
    StepName.TLS: "TLS",
    StepName.PING: "GET /v2/ (anonymous)",
    StepName.CHALLENGE: "auth challenge",
    StepName.SENT_TO: "where credentials go",
    StepName.CREDENTIALS: "credentials",
    StepName.ANONYMOUS: "anonymous token",
    StepName.ANONYMOUS_V2: "GET /v2/ (anonymous token)",
    StepName.AUTHORIZED: "GET /v2/ (authenticated)",
    StepName.REPOSITORY: "repository pull access",
}


@dataclass(frozen=True)
class Step:
    name: StepName
    status: StepStatus
    ms: float = 0.0
    detail: str = ""
    cause: Cause | NoCause = ""  # a stable code for a failure or a warning
    fix: str = ""

    def __post_init__(self) -> None:
        # Details and fixes quote what servers sent: no control sequence may reach a terminal, and
        # no server can make one line of a check's output longer than MAX_DETAIL.
        for name in ("detail", "cause", "fix"):
            if name == "cause" and isinstance(self.cause, Cause):
                continue  # one of ours: printable and short
            text = printable(getattr(self, name))
            object.__setattr__(self, name, text if len(text) <= MAX_DETAIL else text[:MAX_DETAIL] + "…")

    @property
    def title(self) -> str:
        return STEP_TITLES.get(self.name, self.name)

    def to_json(self) -> dict[str, object]:
        return {
            "step": self.name,
            "status": self.status,
            "ms": round(self.ms, 1),
            "detail": self.detail,
            "cause": self.cause or None,
            "fix": self.fix or None,
        }


@dataclass(frozen=True)
class CheckResult:
    registry: str
    endpoint: str
    steps: tuple[Step, ...]
    auth_scheme: str | None = None  # "bearer" | "basic" | None (open)
    username: str | None = None
    ms: float = 0.0
    notes: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        # The registry name and user come from config files, notes may quote servers: all printable.
        object.__setattr__(self, "notes", tuple(printable(n) for n in self.notes))
        object.__setattr__(self, "registry", printable(self.registry))
        object.__setattr__(self, "endpoint", printable(self.endpoint))
        if self.username is not None:
            object.__setattr__(self, "username", printable(self.username))

    @property
    def failure(self) -> Step | None:
        return next((s for s in self.steps if s.status == FAIL), None)

    @property
    def healthy(self) -> bool:
        return self.failure is None

    @property
    def anonymous(self) -> bool:
        """No stored credentials, so the ladder tried what docker tries: an anonymous token."""
        return any(s.name == StepName.ANONYMOUS for s in self.steps)

    def to_json(self) -> dict[str, object]:
        failure = self.failure
        return {
            "registry": self.registry,
            "endpoint": self.endpoint,
            "healthy": self.healthy,
            "cause": failure.cause if failure else None,
            "fix": failure.fix if failure else None,
            "auth_scheme": self.auth_scheme,
            "username": self.username,
            "anonymous": self.anonymous,
            "ms": round(self.ms, 1),
            "steps": [s.to_json() for s in self.steps],
            "notes": list(self.notes),
        }


class Ladder:
    """Collects the timed steps of one check."""

    def __init__(self) -> None:
        self.steps: list[Step] = []
        self._start = time.perf_counter()

    def add(
        self, name: StepName, status: StepStatus, detail: str = "", cause: Cause | NoCause = "", fix: str = ""
    ) -> Step:
        step = Step(name, status, (time.perf_counter() - self._start) * 1000, detail, cause, fix)
        self.steps.append(step)
        self._start = time.perf_counter()
        return step
