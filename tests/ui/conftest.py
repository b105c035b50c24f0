"""Pilot tests fail loudly: an unexpected worker error is re-raised when ``run_test`` ends
(the app itself turns it into a notification and keeps running)."""

from __future__ import annotations

import pytest

from regtui.ui.app import RegTUI


@pytest.fixture(autouse=True)
def _reraise_unexpected(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(RegTUI, "reraise_unexpected", True)
