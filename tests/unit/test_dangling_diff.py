"""The dangling-helper removal's diff (shown before config.json is written) never holds a secret,
however the file spells it: escaped keys and values, other letter cases, one-line JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from regtui.app.dangling import plan_removal
from regtui.core import fileio
from regtui.core.docker_config import parse_docker_config

SECRET = "s3cret-value-42"


def planned(text: str, registry: str = "quay.io"):  # noqa: ANN201
    path = Path("/home/user/.docker/config.json")
    config = parse_docker_config(fileio.FileSnapshot(path, path, text, "digest-of-text"))
    return plan_removal(config, registry, None)


@pytest.mark.parametrize(
    "entry",
    [
        '{"auth": "SECRET"}',
        '{"\\u0061uth": "\\u00733cret-value-42"}',  # escaped key and value
        '{"Password": "SECRET", "username": "bob"}',  # docker matches keys without case
        '{"registrytoken": "SECRET"}',
    ],
)
def test_no_secret_in_the_removed_lines_or_the_context(entry: str) -> None:
    entry = entry.replace("SECRET", SECRET)
    other = entry.replace(SECRET, "other-" + SECRET)
    helpers = '"credHelpers": {"quay.io": "nosuchhelper"}'
    text = "{" + f'"auths": {{"quay.io": {entry}, "ghcr.io": {other}}},\n {helpers},\n "x": 1' + "}\n"
    json.loads(text)
    plan = planned(text)
    assert '-{"auths": {"quay.io"' in plan.diff and "<redacted>" in plan.diff
    assert SECRET not in plan.diff.replace("\\u0073", "s")
    assert plan.entries[0] == 'credHelpers["quay.io"]: "nosuchhelper" (docker-credential-nosuchhelper is not installed)'
    assert plan.digest == "digest-of-text"


def test_a_dangling_creds_store_is_shown_as_its_own_line_removed() -> None:
    text = json.dumps({"auths": {"quay.io": {}}, "credsStore": "nosuchstore"}, indent=2) + "\n"
    plan = planned(text)
    assert '-  "credsStore": "nosuchstore"' in plan.diff
    assert plan.entries[-1] == 'auths["quay.io"]'
