"""WWW-Authenticate parsing: real headers, edge cases, and a property: parse or ChallengeParseError."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from regtui.core.registry.challenge import ChallengeParseError, parse_challenges, pick
from tests.support import fuzz_examples


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (
            'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",'
            'scope="repository:samalba/my-app:pull,push"',
            [
                (
                    "bearer",
                    {
                        "realm": "https://auth.docker.io/token",
                        "service": "registry.docker.io",
                        "scope": "repository:samalba/my-app:pull,push",
                    },
                )
            ],
        ),
        ('Basic realm="regtui-plain"', [("basic", {"realm": "regtui-plain"})]),
        (
            'Basic realm="a", Bearer realm="b",service="c"',
            [("basic", {"realm": "a"}), ("bearer", {"realm": "b", "service": "c"})],
        ),
        ('BEARER Realm="x\\"y", ERROR=invalid_token', [("bearer", {"realm": 'x"y', "error": "invalid_token"})]),
        (
            'Bearer realm = "x" , scope="repository:a:pull repository:b:pull"',
            [("bearer", {"realm": "x", "scope": "repository:a:pull repository:b:pull"})],
        ),
        ("Basic, Bearer realm=x", [("basic", {}), ("bearer", {"realm": "x"})]),
        ('Digest realm="", nonce="abc"', [("digest", {"realm": "", "nonce": "abc"})]),
        ('Bearer realm="a,b", service="c"', [("bearer", {"realm": "a,b", "service": "c"})]),
        (" , Basic realm=x ,, ", [("basic", {"realm": "x"})]),
        ("Bearer realm=x,", [("bearer", {"realm": "x"})]),
    ],
)
def test_real_and_odd_headers(header: str, expected: list) -> None:
    assert [(c.scheme, c.params) for c in parse_challenges(header)] == expected


def test_token68() -> None:
    [challenge] = parse_challenges("Negotiate abc==")
    assert challenge.token68 == "abc==" and challenge.params == {}


@pytest.mark.parametrize(
    "header",
    [
        "",
        "   ",
        '"x"',
        'Bearer realm="x',
        "Bearer =x",
        'Bearer realm="x" junk',
        "Bearer a=b c",
        'Bearer realm="x\\',
    ],
)
def test_malformed_headers_raise_parse_errors(header: str) -> None:
    with pytest.raises(ChallengeParseError):
        parse_challenges(header)


def test_bearer_is_picked_before_basic() -> None:
    assert pick(parse_challenges('Basic realm="a", Bearer realm="b"')).scheme == "bearer"
    assert pick(parse_challenges("Negotiate abc")) is None


@settings(max_examples=fuzz_examples(800))
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=80))
def test_any_text_parses_or_raises_a_parse_error(header: str) -> None:
    try:
        challenges = parse_challenges(header)
    except ChallengeParseError:
        return
    assert challenges and all(c.scheme == c.scheme.lower() for c in challenges)


@settings(max_examples=fuzz_examples(400))
@given(
    st.lists(st.sampled_from(["Bearer", "Basic", 'realm="r"', "service=s", ",", " ", '"', "=", "\\", "x"]), max_size=12)
)
def test_header_shaped_noise_parses_or_raises_a_parse_error(parts: list[str]) -> None:
    with contextlib.suppress(ChallengeParseError):
        parse_challenges("".join(parts))
