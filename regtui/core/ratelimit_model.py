"""Docker Hub rate-limit readings and header parsing: no network, no httpx (the TUI imports this at start)."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from enum import StrEnum

NO_RESET_NOTE = "Docker Hub sends no reset time: pulls come back as they leave the rolling window"

_NUMBER = re.compile(r"^\s*(\d+)")
_WINDOW = re.compile(r"\bw\s*=\s*(\d+)")


class RateLimitState(StrEnum):
    """What one reading says (``state`` in ``regtui ratelimit --json``)."""

    OK = "ok"
    LOW = "low"  # fewer pulls left than the caller's warning threshold
    EXHAUSTED = "exhausted"  # the pull limit is reached (429 with rate-limit headers, or 0 left)
    UNLIMITED = "unlimited"  # no rate-limit headers: not limited, or Hub does not say
    ABUSE_LIMIT = "abuse-limit"  # 429 without rate-limit headers: Hub's abuse limit, not the pull limit
    ERROR = "error"  # no reading: the network, the token server or Hub failed


class RateLimitMode(StrEnum):
    """Whose limit a reading is: this address's, or the logged-in account's."""

    ANONYMOUS = "anonymous"
    AUTHENTICATED = "authenticated"


@dataclass(frozen=True)
class RateLimitStatus:
    """One reading of Docker Hub's pull limit."""

    mode: RateLimitMode
    state: RateLimitState
    username: str | None = None
    limit: int | None = None
    remaining: int | None = None
    window_seconds: int | None = None
    policies: tuple[str, ...] = ()
    source: str | None = None
    http_status: int | None = None
    message: str = ""
    fix: str = ""
    notes: tuple[str, ...] = field(default=())

    @property
    def percent_remaining(self) -> float | None:
        if self.limit and self.remaining is not None:
            return round(100 * self.remaining / self.limit, 1)
        return None

    @property
    def healthy(self) -> bool:
        return self.state in (RateLimitState.OK, RateLimitState.UNLIMITED)

    def to_json(self) -> dict[str, object]:
        data = asdict(self)
        data["policies"] = list(self.policies)
        data["notes"] = list(self.notes)
        data["percent_remaining"] = self.percent_remaining
        return data


def parse_policy_header(value: str | None) -> tuple[int | None, int | None, tuple[str, ...]]:
    """``100;w=21600`` or ``100;w=21600, 25;w=3600`` -> (100, 21600, policies)."""
    """A number of more than 18 digits is no count of pulls: ValueError (the caller reports it)."""
    if not value:
        return None, None, ()
    policies = tuple(p.strip()[:100] for p in value.split(",", 8)[:8] if p.strip())
    first = value.split(",", 1)[0]
    number = _NUMBER.match(first)
    window = _WINDOW.search(first)
    for found in (number, window):
        if found and len(found.group(1)) > 18:
            raise ValueError(f"a number of {len(found.group(1))} digits in {first[:40]!r}…")
    return (int(number.group(1)) if number else None, int(window.group(1)) if window else None, policies)


def human_window(seconds: int | None) -> str:
    if seconds is None:
        return "not reported"
    if seconds % 3600 == 0:
        hours = seconds // 3600
        return f"{hours} hour{'s' if hours != 1 else ''}"
    if seconds % 60 == 0:
        return f"{seconds // 60} minutes"
    return f"{seconds} seconds"
