"""The domain: no Textual, rich or click import, ever.

httpx imports its own command-line client (``httpx._main``: click, rich, pygments; about 30 ms)
whenever it is imported, and falls back to a stub when that import fails; httpcore tries
``import sniffio`` again for every lock it sets up, to tell trio from asyncio. regtui never runs
that client and runs only on asyncio, so both imports are blocked here, before any core module
imports httpx. A ``None`` entry in ``sys.modules`` is Python's documented way to make an import
raise ImportError.
"""

import sys

sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
sys.modules.setdefault("sniffio", None)  # type: ignore[arg-type]
