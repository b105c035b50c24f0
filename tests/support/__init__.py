"""Test support: real components on loopback, fakes, fixtures."""

import os


def fuzz_examples(default: int) -> int:
    """Hypothesis examples per property: ``default`` in CI, ``REGTUI_FUZZ_EXAMPLES`` for a long run."""
    return int(os.environ.get("REGTUI_FUZZ_EXAMPLES", default))
