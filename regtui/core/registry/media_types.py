"""The manifest media types regtui asks for, in one order, wherever it HEADs a manifest.

The OCI image index and manifest (opencontainers/image-spec, media-types.md) and Docker's
manifest list and image manifest v2 schema 2 (distribution/distribution, docs/spec/manifest-v2-2.md).
Multi-platform types come first, so a multi-arch image answers with its index, as it does for
``docker pull``.
"""

from __future__ import annotations

OCI_INDEX = "application/vnd.oci.image.index.v1+json"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json"
DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"

MANIFEST_TYPES = (OCI_INDEX, OCI_MANIFEST, DOCKER_MANIFEST_LIST, DOCKER_MANIFEST)
MANIFEST_ACCEPT = ", ".join(MANIFEST_TYPES)
"""The Accept header of a manifest HEAD."""
