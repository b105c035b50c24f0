"""The credential helper's lean JSON and D-Bus wire code, against the stdlib and hostile input."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from regtui.core.credentials import dbus_wire, lean_json
from tests.support import fuzz_examples

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
    max_leaves=20,
)


@given(JSON_VALUES)
def test_lean_json_reads_what_json_writes(value: object) -> None:
    assert lean_json.loads(json.dumps(value)) == value
    assert lean_json.loads(" \n" + json.dumps(value, indent=2) + "\n") == value


@given(st.text())
def test_lean_json_quote_is_json_dumps(text: str) -> None:
    assert lean_json.quote(text) == json.dumps(text)


@pytest.mark.parametrize("text", ["", "nope", '{"a": 1} trailing', "[" * 100_000, "NaN", '{"a": "\x01"}', "{'a': 1}"])
def test_lean_json_refuses_what_json_refuses(text: str) -> None:
    with pytest.raises(ValueError):
        lean_json.loads(text)


def _roundtrip(signature: str, values: tuple) -> tuple:
    writer = dbus_wire._Writer()
    for t, value in zip(dbus_wire._split(signature), values, strict=True):
        writer.write(t, value)
    reader = dbus_wire._Reader(bytes(writer.buf), "<")
    return tuple(reader.read(t) for t in dbus_wire._split(signature))


def test_dbus_marshalling_round_trips_the_types_the_secret_service_uses() -> None:
    values = (
        "plain",
        ("s", ""),
        {"service": "docker-credential-regtui:ü.example", "username": "u"},
        ["/org/freedesktop/secrets/collection/login/1", "/o/2"],
        "/org/freedesktop/secrets/session/1",
        {"/o/1": ("/s/1", b"", "pässwörd".encode(), "text/plain")},
        7,
        True,
        [(1, ("o", "/p")), (8, ("g", "a{ss}")), (5, ("u", 3))],
    )
    assert _roundtrip("sva{ss}aooa{o(oayays)}uba(yv)", values) == values


@pytest.mark.parametrize(
    "signature", ["a" * 100 + "y", "(" * 40 + "y" + ")" * 40, "a{ss", "(s", "z", "a", "{ss}", "a{vs}", "a{sss}", "()"]
)
def test_dbus_hostile_signatures_are_errors(signature: str) -> None:
    with pytest.raises(dbus_wire.DBusError):
        dbus_wire._split(signature)


def test_dbus_truncated_or_lying_lengths_are_errors() -> None:
    writer = dbus_wire._Writer()
    writer.write("as", ["one", "two"])
    data = bytes(writer.buf)
    for cut in range(1, len(data)):
        with pytest.raises(dbus_wire.DBusError):
            dbus_wire._Reader(data[:cut], "<").read("as")
    liar = b"\xff\xff\xff\x7f" + data[4:]
    with pytest.raises(dbus_wire.DBusError):
        dbus_wire._Reader(liar, "<").read("ay")


def test_dbus_addresses() -> None:
    assert dbus_wire.socket_addresses("unix:path=/run/user/1000/bus") == ["/run/user/1000/bus"]
    assert dbus_wire.socket_addresses("tcp:host=127.0.0.1,port=1;unix:abstract=/tmp/dbus-x,guid=ab") == [
        "\0/tmp/dbus-x"
    ]
    assert dbus_wire.socket_addresses("unix:path=/tmp/a%2cb,guid=1") == ["/tmp/a,b"]
    assert dbus_wire.socket_addresses("") == []
    with pytest.raises(dbus_wire.DBusError, match="no reachable"):
        dbus_wire.Connection("unix:path=/nonexistent/bus")


@given(st.binary(max_size=200), st.sampled_from(["a{o(oayays)}", "(aoao)", "v", "a(yv)", "oas"]))
def test_dbus_reader_on_arbitrary_bytes_only_raises_dbus_error(data: bytes, signature: str) -> None:
    reader = dbus_wire._Reader(data, "<")
    try:
        for t in dbus_wire._split(signature):
            reader.read(t)
    except dbus_wire.DBusError:
        pass


SERVER_TEXT = st.text(alphabet="abcdxyz:/@.?#[]019-_ABHTPSdockerindexvhttps%", max_size=40)


@settings(max_examples=fuzz_examples(2000))  # a pure function: cheap, and its edge cases are narrow
@given(st.sampled_from(["", "https://", "http://", "HTTPS://", "://", "1a://", "a b://"]), SERVER_TEXT)
def test_root_form_agrees_with_registry_key(scheme: str, rest: str) -> None:
    from regtui.core.credentials.keyring_store import root_form
    from regtui.core.registry_names import registry_key

    server = scheme + rest
    root = root_form(server)
    if root is not None:
        assert root == registry_key(server)
