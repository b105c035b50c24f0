"""The image a mirror is tested with (``HEAD <mirror>/v2/<repo>/manifests/<tag>?ns=<registry>``).

Every Docker Hub mirror can serve ``library/alpine:latest``. No image exists on every other
registry, so the user names one once per registry and regtui keeps it in its state
(regtui/core/settings.py); until then a mirror of that registry is not tested, rather than
reported ``not-found`` for an image its registry never had.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from regtui.core.errors import InputError, RegtuiError
from regtui.core.mirrors import journal
from regtui.core.registry_names import is_hub
from regtui.core.settings import State

HUB_TEST_IMAGE = "library/alpine:latest"

# Repository names and tags as the distribution spec defines them (distribution/reference grammar).
_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_NAME = re.compile(rf"{_COMPONENT}(?:/{_COMPONENT})*")
_TAG = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}")
_EXAMPLE = "name it as repository[:tag], e.g. team/app:1.0"


def _is_host(component: str) -> bool:
    return "." in component or ":" in component or component == "localhost"


def parse_image(text: str, registry: str) -> str:
    """``repository:tag`` from what the user typed (a leading ``<registry>/`` is dropped).

    Raises:
        InputError: not a repository name and tag as the distribution spec defines them.
    """
    text = text.strip()
    if not text:
        raise InputError("no image named", fix=_EXAMPLE)
    if "@" in text:
        raise InputError(f"{text[:200]!r}: name a tag, not a digest", fix=_EXAMPLE)
    first, _, rest = text.partition("/")
    if rest and _is_host(first):
        if first.lower() != registry.lower() and not (is_hub(first) and is_hub(registry)):
            raise InputError(f"{first[:200]!r} is another registry, not {registry}", fix=_EXAMPLE)
        text = rest
    name, tag = text, "latest"
    if ":" in text.rsplit("/", 1)[-1]:
        name, _, tag = text.rpartition(":")
    if len(name) > 255 or not _NAME.fullmatch(name):
        raise InputError(f"{name[:200]!r} is not a repository name (lower case, digits, . _ - and /)", fix=_EXAMPLE)
    if not _TAG.fullmatch(tag):
        raise InputError(f"{tag[:200]!r} is not a tag (letters, digits, _ . -; up to 128)", fix=_EXAMPLE)
    if is_hub(registry) and "/" not in name:
        name = f"library/{name}"  # docker pull alpine means library/alpine
    return f"{name}:{tag}"


def image_for(state: State, registry: str) -> str | None:
    """The image named for ``registry``; Docker Hub's default; None when none is known."""
    return state.test_image(registry.lower()) or (HUB_TEST_IMAGE if is_hub(registry) else None)


def images_for(registries: Iterable[str]) -> dict[str, str | None]:
    """Blocking (reads regtui's state): each registry's test image, None when none is known."""
    state = State()
    return {registry: image_for(state, registry) for registry in registries}


def remember(registry: str, text: str) -> str:
    """Blocking: check the image named for ``registry``, keep it in regtui's state; the image kept."""
    image = parse_image(text, registry)
    with journal.mirrors_lock():  # the state file is shared with mirror changes: take turns
        state = State()
        state.set_test_image(registry.lower(), image)
        try:
            state.save()
        except RegtuiError as exc:
            raise journal.StateNotSaved(
                f"cannot save regtui's state: {exc.what}; the test image is not remembered", where=exc.where
            ) from exc
    return image
