"""Normalisation cases as docker/cli resolves them (cli/config/credentials/file_store.go ConvertToHostname,
cli/config/configfile/file.go getAuthConfigKey)."""

from __future__ import annotations

import pytest

from regtui.core.registry_names import HUB_KEY, convert_to_hostname, display_name, is_hub, registry_key


@pytest.mark.parametrize(
    ("server", "host"),
    [
        ("https://reg.example.com:5000/v2/", "reg.example.com:5000"),
        ("reg.example.com/foo", "reg.example.com"),
        ("127.0.0.1:5001", "127.0.0.1:5001"),
        ("http://127.0.0.1:5001", "127.0.0.1:5001"),
        ("https://127.0.0.1:5001/v1/", "127.0.0.1:5001"),
        ("127.0.0.1:5001/regtui/hello", "127.0.0.1:5001"),
        ("https://user@reg.example.com", "reg.example.com"),
        ("https://[::1]:5000/v2/", "[::1]:5000"),
        ("  ghcr.io  ", "ghcr.io"),
    ],
)
def test_convert_to_hostname_matches_docker(server: str, host: str) -> None:
    assert convert_to_hostname(server) == host


@pytest.mark.parametrize(
    "alias",
    [
        "",
        "docker.io",
        "index.docker.io",
        "registry-1.docker.io",
        "https://index.docker.io/v1/",
        "https://index.docker.io/v1",
        "https://registry-1.docker.io",
        "DOCKER.IO",
    ],
)
def test_every_hub_alias_maps_to_the_hub_key(alias: str) -> None:
    assert is_hub(alias)
    assert registry_key(alias) == HUB_KEY
    assert display_name(alias) == "docker.io"


def test_no_registry_means_docker_hub() -> None:
    assert registry_key(None) == HUB_KEY


@pytest.mark.parametrize("other", ["ghcr.io", "quay.io", "docker.io.example.com", "mydocker.io", "127.0.0.1:5001"])
def test_lookalikes_are_not_hub(other: str) -> None:
    assert not is_hub(other)
    assert registry_key(other) == convert_to_hostname(other)
