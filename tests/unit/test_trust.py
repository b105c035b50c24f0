"""The system CA store, looked up lazily from a hashed directory, or loaded from a bundle."""

from __future__ import annotations

import asyncio
import shutil
import ssl
import subprocess
from pathlib import Path

import pytest
import trustme

from regtui.core.trust import system_context


@pytest.fixture
def ca() -> trustme.CA:
    return trustme.CA(organization_name="regtui trust test")


async def handshake(ca: trustme.CA) -> None:
    """A TLS server on 127.0.0.1 with a certificate from ``ca``; connect with system_context()."""
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(server_context)

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.close()

    server = await asyncio.start_server(serve, "127.0.0.1", 0, ssl=server_context)
    port = server.sockets[0].getsockname()[1]
    try:
        _, writer = await asyncio.open_connection("127.0.0.1", port, ssl=system_context(), server_hostname="127.0.0.1")
        writer.close()
    finally:
        server.close()


def hashed_dir(ca: trustme.CA, directory: Path) -> Path:
    """What update-ca-certificates keeps: <subject hash>.0 per CA."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.fail("openssl is not installed (bash .ci/run installs it)")
    directory.mkdir()
    pem = directory / "ca.pem"
    ca.cert_pem.write_to_path(str(pem))
    subject_hash = subprocess.run(
        [openssl, "x509", "-hash", "-noout", "-in", str(pem)], capture_output=True, text=True, check=True
    ).stdout.strip()
    pem.rename(directory / f"{subject_hash}.0")
    return directory


async def test_a_ca_in_the_hashed_directory_is_trusted(
    ca: trustme.CA, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.setenv("SSL_CERT_DIR", str(hashed_dir(ca, tmp_path / "certs")))
    await handshake(ca)


async def test_a_ca_nobody_trusts_is_refused(ca: trustme.CA, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.setenv("SSL_CERT_DIR", str(hashed_dir(trustme.CA(), tmp_path / "other")))
    with pytest.raises(ssl.SSLCertVerificationError):
        await handshake(ca)


async def test_a_bundle_named_by_ssl_cert_file_is_loaded(
    ca: trustme.CA, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundle = tmp_path / "bundle.pem"
    ca.cert_pem.write_to_path(str(bundle))
    monkeypatch.setenv("SSL_CERT_FILE", str(bundle))
    monkeypatch.setenv("SSL_CERT_DIR", str(tmp_path / "absent"))
    await handshake(ca)


def test_a_directory_without_hashed_names_falls_back_to_the_bundle(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A directory of plain .pem files (no c_rehash) means nothing to OpenSSL's lookup."""
    (tmp_path / "plain").mkdir()
    (tmp_path / "plain" / "ca.pem").write_text("not hashed")
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.setenv("SSL_CERT_DIR", str(tmp_path / "plain"))
    assert system_context().cert_store_stats()["x509_ca"] > 0  # the system bundle, loaded whole


def test_the_system_bundle_named_in_ssl_cert_file_still_means_the_fast_lookup(
    ca: trustme.CA, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Many images set SSL_CERT_FILE to the system bundle itself: that is no custom bundle."""
    default = ssl.get_default_verify_paths().cafile
    if default is None:
        pytest.fail("this machine has no system CA bundle (bash .ci/run installs ca-certificates)")
    monkeypatch.setenv("SSL_CERT_FILE", default)
    monkeypatch.setenv("SSL_CERT_DIR", str(hashed_dir(ca, tmp_path / "certs")))
    assert system_context().cert_store_stats()["x509_ca"] == 0  # nothing loaded up front
    asyncio.run(handshake(ca))
