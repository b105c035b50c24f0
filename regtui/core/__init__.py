"""The domain: no Textual, rich or click import, ever.

httpx imports its own command-line client (``httpx._main``: click, rich, pygments; about 30 ms)
whenever it is imported, and falls back to a stub when that import fails. regtui never runs
that client, so the import is blocked here, before any core module imports httpx. A ``None``
entry in ``sys.modules`` is Python's documented way to make an import raise ImportError.
"""

import sys

sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
