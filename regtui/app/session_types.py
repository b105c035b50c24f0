"""What the session, rate-limit, preference and report use cases answer (regtui.app.workstation).

NamedTuples, not frozen dataclasses: as immutable, and about 0.07 ms to build against 0.5 ms, on
the path of every command and of the TUI's start.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from pathlib import Path

    from regtui.core.ratelimit_model import RateLimitStatus


class Session(NamedTuple):
    """What a front end says about the session as a whole."""

    source: str
    """Where the registries come from: config.json's path, or "demo data"."""
    demo: bool = False
    """Made-up data (--demo): the TUI's header says so, and so does every action that would write."""
    read_only: bool = False
    """--read-only: every use case that writes is refused by the front end before it asks."""


class PullSample(NamedTuple):
    """One Docker Hub reading as kept between runs: when, as whom, pulls left of how many."""

    at: str
    """ISO 8601 with the UTC offset."""
    mode: str
    remaining: int
    limit: int

    @staticmethod
    def of(status: RateLimitStatus, at: str) -> PullSample | None:
        """The reading's counts, if it has them (an error or an unlimited account has none)."""
        if status.remaining is None or not status.limit:
            return None
        return PullSample(at, str(status.mode), status.remaining, status.limit)


class RateLimitReading(NamedTuple):
    anonymous: RateLimitStatus
    authenticated: RateLimitStatus | None
    """None when not logged in to Docker Hub (or --anonymous)."""
    note: str = ""
    """Why there is no logged-in reading, when there is none."""


class Preferences(NamedTuple):
    """What the TUI remembers between runs (regtui's state; no secrets)."""

    theme: str | None = None
    token_users: Mapping[tuple[str, str], str] = MappingProxyType({})
    """(file, registry key) -> the user name of a login that stored an identity token: docker
    keeps only ``<token>`` (docker/cli: an identity token is stored with that user name)."""


class ReportWritten(NamedTuple):
    path: Path
    healthy: bool
    """Whether every registry passed its check."""
