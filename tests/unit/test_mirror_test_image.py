"""The image a registry's mirrors are tested with: parsed as the distribution spec names images,
kept per registry in regtui's state file, Docker Hub's default, hostile state refused."""

from __future__ import annotations

import json

import pytest

from regtui.core.errors import ConfigError, InputError
from regtui.core.mirrors.test_image import HUB_TEST_IMAGE, images_for, parse_image, remember
from regtui.core.settings import State, state_path


@pytest.mark.parametrize(
    ("typed", "registry", "image"),
    [
        ("alpine", "docker.io", "library/alpine:latest"),
        ("docker.io/alpine:3.20", "docker.io", "library/alpine:3.20"),
        ("index.docker.io/team/app:1", "docker.io", "team/app:1"),
        ("  team/app:1.0 ", "ghcr.io", "team/app:1.0"),
        ("ghcr.io/team/app", "ghcr.io", "team/app:latest"),
        ("127.0.0.1:5000/a/b__c-d.e:v_1.2-x", "127.0.0.1:5000", "a/b__c-d.e:v_1.2-x"),
        ("app", "quay.io", "app:latest"),
    ],
)
def test_an_image_is_read_as_docker_reads_it(typed: str, registry: str, image: str) -> None:
    assert parse_image(typed, registry) == image


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("", "no image named"),
        ("Team/App", "'Team/App' is not a repository name"),
        ("team//app", "is not a repository name"),
        ("team/app:-x", "'-x' is not a tag"),
        ("team/app@sha256:" + "a" * 64, "name a tag, not a digest"),
        ("quay.io/team/app", "'quay.io' is another registry, not ghcr.io"),
        ("a" * 300, "is not a repository name"),
        ("team/app:" + "t" * 129, "is not a tag"),
        ("team/\x1b]0;x\x07app", "is not a repository name"),
    ],
)
def test_a_wrong_name_says_what_is_wrong(typed: str, says: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_image(typed, "ghcr.io")
    assert says in caught.value.what and caught.value.fix


def test_a_named_image_is_kept_per_registry_and_hub_has_a_default() -> None:
    assert images_for(["docker.io", "ghcr.io"]) == {"docker.io": HUB_TEST_IMAGE, "ghcr.io": None}
    assert remember("GHCR.io", "team/app:1") == "team/app:1"
    assert remember("docker.io", "busybox") == "library/busybox:latest"
    assert images_for(["docker.io", "ghcr.io", "quay.io"]) == {
        "docker.io": "library/busybox:latest",
        "ghcr.io": "team/app:1",
        "quay.io": None,
    }
    saved = json.loads(state_path().read_text())
    assert saved["test_images"] == {"ghcr.io": "team/app:1", "docker.io": "library/busybox:latest"}
    assert state_path().stat().st_mode & 0o777 == 0o600


def test_remembering_keeps_the_rest_of_the_state() -> None:
    state_path().parent.mkdir(parents=True)
    record = {"disabled": {"/d.json": {"docker.io": [{"url": "https://m.example", "position": 0}]}}}
    state_path().write_text(json.dumps(record))
    remember("ghcr.io", "team/app:1")
    saved = json.loads(state_path().read_text())
    assert saved["disabled"] == record["disabled"] and saved["test_images"] == {"ghcr.io": "team/app:1"}


@pytest.mark.parametrize("images", [[], {"ghcr.io": 1}, {"ghcr.io": ["a"]}, "x"])
def test_a_state_file_with_a_bad_test_images_entry_is_a_config_error(images: object) -> None:
    state_path().parent.mkdir(parents=True)
    state_path().write_text(json.dumps({"test_images": images}))
    with pytest.raises(ConfigError) as caught:
        State()
    assert "`test_images` must map each registry to an image name" in caught.value.what
