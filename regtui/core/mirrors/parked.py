"""Backends whose file holds a plain list of mirror URLs and cannot keep a disabled one as a comment.

Docker's daemon.json (``registry-mirrors``) and containerd's deprecated ``registry.mirrors``
``endpoint`` list are such lists. A disabled mirror is "parked" in regtui's state instead:
its URL, its position in the try order (every mirror, on or off) and the list's text before
and after it was switched off, so switching it back on restores the file byte for byte.
"""

from __future__ import annotations

from typing import Any

from regtui.core.mirrors.model import Mirror
from regtui.core.mirrors.ops import Disable, Enable, MirrorOp, ReplaceUrl
from regtui.core.mirrors.planner import BaseBackend, Edited, Meaning


def with_parked(enabled: list[str], parked: list[dict[str, Any]]) -> tuple[Mirror, ...]:
    """The try order as listed: the file's mirrors with the parked ones put back at their positions."""
    mirrors = [Mirror(url) for url in enabled]
    for entry in sorted(parked, key=lambda e: e["position"]):
        mirrors.insert(min(entry["position"], len(mirrors)), Mirror(entry["url"], enabled=False))
    return tuple(mirrors)


class ListBackend(BaseBackend):
    """A backend over one list of URLs in a file (``values``) and parked records in regtui's state."""

    keeps_disabled_in_state = True

    def values(self, text: str) -> tuple[list[str], object]:
        """The list the text holds, and everything else it says; a ConfigError when it does not parse."""
        raise NotImplementedError

    def write(self, text: str, values: list[str]) -> str:
        """``text`` holding ``values`` instead, every other byte kept."""
        raise NotImplementedError

    def list_text(self, text: str) -> str | None:
        """The list's own text as written (to restore it exactly), or None when there is none."""
        raise NotImplementedError

    def restore(self, text: str, before: str | None, after: str) -> str | None:
        """``text`` with the list text ``after`` put back to ``before``, or None when that cannot be done."""
        raise NotImplementedError

    def meaning(self, text: str, disabled: list[dict[str, Any]]) -> Meaning:
        values, rest = self.values(text)
        return Meaning(with_parked(values, disabled), rest, records=tuple(disabled))

    def edit(self, text: str, op: MirrorOp, before: Meaning, wanted: tuple[Mirror, ...]) -> Edited:
        values = [m.url for m in wanted if m.enabled]
        records = {self.key(e["url"]): e for e in before.records}
        list_before = self.list_text(text)
        new_text = self.write(text, values)
        parked = records.get(self.key(op.url))
        if isinstance(op, Enable) and parked and parked.get("array_after") and parked["array_after"] == list_before:
            restored = self.restore(text, parked.get("array_before"), parked["array_after"])
            if restored is not None and self._means(restored) == values:
                new_text = restored  # exactly the text from before the mirror was switched off
        disabled = []
        for position, mirror in enumerate(wanted):
            if mirror.enabled:
                continue
            renamed = isinstance(op, ReplaceUrl) and self._is(mirror, op.new_url)
            key = self.key(op.url if renamed else mirror.url)
            entry = {**records.get(key, {}), "url": mirror.url, "position": position}
            if isinstance(op, Disable) and self._is(mirror, op.url):
                entry.update(array_before=list_before, array_after=self.list_text(new_text))
            disabled.append(entry)
        return Edited(new_text, disabled)

    def _is(self, mirror: Mirror, url: str) -> bool:
        return self.key(mirror.url) == self.key(url)

    def _means(self, text: str) -> list[str] | None:
        from regtui.core.errors import ConfigError

        try:
            return self.values(text)[0]
        except ConfigError:
            return None
