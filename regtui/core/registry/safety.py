"""The check ladder's bounds and safety net: whatever goes wrong inside one registry's check is
that registry's classified failure, never a traceback, and the other registries finish.

Each request is bounded by its client (regtui/core/wire/client.py); a registry's whole ladder by
``REGISTRY_DEADLINE_FACTOR`` × the timeout, a run of many by ``RUN_DEADLINE_FACTOR`` × it.
"""

from __future__ import annotations

from regtui.core import wire
from regtui.core.registry.causes import Cause
from regtui.core.registry.model import FAIL, Ladder, Step, StepName
from regtui.core.wire import ResponseTooLarge

REGISTRY_DEADLINE_FACTOR = 3  # one registry: at most 3 × --timeout
RUN_DEADLINE_FACTOR = 4  # a run of many: at most 4 × --timeout
LADDER = (
    StepName.DNS,
    StepName.TCP,
    StepName.TLS,
    StepName.PING,
    StepName.CHALLENGE,
    StepName.CREDENTIALS,
    StepName.AUTHORIZED,
    StepName.REPOSITORY,
)


def step_in_progress(steps: list[Step]) -> StepName:
    """The step that was running when the ladder stopped: the one after the last recorded."""
    if not steps:
        return StepName.DNS
    last = StepName.CHALLENGE if steps[-1].name == StepName.SENT_TO else steps[-1].name  # sent-to: an optional note
    following = LADDER.index(last) + 1 if last in LADDER else len(LADDER)
    return LADDER[following] if following < len(LADDER) else StepName.UNEXPECTED


def safety_net(ladder: Ladder, exc: Exception) -> None:
    """Record ``exc`` as the failure of the step in progress, classified by its type."""
    step = step_in_progress(ladder.steps)
    if isinstance(exc, ResponseTooLarge):
        ladder.add(step, FAIL, f"{exc}: not a registry API answer", Cause.OVERSIZE, "check the registry and any proxy")
    elif isinstance(exc, wire.TimeoutException | TimeoutError):
        ladder.add(
            step, FAIL, f"{exc}", Cause.TIMEOUT, "the registry is overloaded or hung, or a proxy holds the request"
        )
    elif isinstance(exc, wire.HTTPError | OSError):
        ladder.add(
            step,
            FAIL,
            f"{type(exc).__name__}: {exc}",
            Cause.RESET,
            "the connection failed mid-check: a proxy or load balancer may be in the way; try again",
        )
    else:
        ladder.add(
            step,
            FAIL,
            f"unexpected {type(exc).__name__}: {str(exc)[:300]}",
            Cause.UNEXPECTED,
            "please report this with the output of regtui check --json",
        )
