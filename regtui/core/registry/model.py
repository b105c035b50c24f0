"""What a registry check produces: one timed result per step, and the verdict."""

from __future__ import annotations

import time
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


class _Frozen:
    """What ``@dataclass(frozen=True)`` gives Step and CheckResult (equality, a hash, a repr, no
    assignment), written out: the decorator costs ~0.5 ms per class to build at import, and these
    two are on the path of every check and of the TUI's start."""

    _fields: tuple[str, ...] = ()

    def _values(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in self._fields)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields)
        return f"{self.__class__.__qualname__}({shown})"

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"cannot assign to field {name!r}")  # frozen, as the dataclass was

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r}")


class Step(_Frozen):
    _fields = ("name", "status", "ms", "detail", "cause", "fix")
    name: StepName
    status: StepStatus
    ms: float
    detail: str
    cause: Cause | NoCause  # a stable code for a failure or a warning
    fix: str

    def __init__(
        self,
        name: StepName,
        status: StepStatus,
        ms: float = 0.0,
        detail: str = "",
        cause: Cause | NoCause = "",
        fix: str = "",
    ) -> None:
        # Details and fixes quote what servers sent: no control sequence may reach a terminal, and
        # no server can make one line of a check's output longer than MAX_DETAIL.
        put = object.__setattr__
        put(self, "name", name)
        put(self, "status", status)
        put(self, "ms", ms)
        put(self, "detail", _bounded(detail))
        put(self, "cause", cause if isinstance(cause, Cause) else _bounded(cause))  # ours: printable and short
        put(self, "fix", _bounded(fix))

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


class CheckResult(_Frozen):
    _fields = ("registry", "endpoint", "steps", "auth_scheme", "username", "ms", "notes")
    registry: str
    endpoint: str
    steps: tuple[Step, ...]
    auth_scheme: str | None  # "bearer" | "basic" | None (open)
    username: str | None
    ms: float
    notes: tuple[str, ...]

    def __init__(
        self,
        registry: str,
        endpoint: str,
        steps: tuple[Step, ...],
        auth_scheme: str | None = None,
        username: str | None = None,
        ms: float = 0.0,
        notes: tuple[str, ...] = (),
    ) -> None:
        # The registry name and user come from config files, notes may quote servers: all printable.
        put = object.__setattr__
        put(self, "registry", printable(registry))
        put(self, "endpoint", printable(endpoint))
        put(self, "steps", steps)
        put(self, "auth_scheme", auth_scheme)
        put(self, "username", None if username is None else printable(username))
        put(self, "ms", ms)
        put(self, "notes", tuple(printable(n) for n in notes))

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


def _bounded(value: object) -> str:
    text = printable(value)
    return text if len(text) <= MAX_DETAIL else text[:MAX_DETAIL] + "…"


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
