"""The TLS step: a handshake with the CAs docker would use, and a diagnosis when it fails.

CAs: the system store plus ``<certs.d>/<host:port>/*.crt`` (docker's per-registry CA dir,
reference/domain.md §5.5). When verification fails, a second, unverified handshake reads
the certificate so the message can say what is wrong with it.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import ssl
from dataclasses import dataclass
from pathlib import Path

from regtui.core.paths import docker_certs_d

PLAIN_HTTP_REASONS = (
    "WRONG_VERSION_NUMBER",
    "HTTP_REQUEST",
    "RECORD_LAYER_FAILURE",
    "PACKET_LENGTH_TOO_LONG",
    "UNKNOWN_PROTOCOL",
    "TLSV1_ALERT_PROTOCOL_VERSION",
)


@dataclass(frozen=True)
class CertInfo:
    subject: str
    issuer: str
    not_after: dt.datetime | None
    names: tuple[str, ...]

    def days_left(self, now: dt.datetime) -> int | None:
        return None if self.not_after is None else (self.not_after - now).days


@dataclass(frozen=True)
class TlsOutcome:
    ok: bool
    cause: str = ""  # untrusted-cert | expired-cert | wrong-host | plain-http | tls-error
    detail: str = ""
    cert: CertInfo | None = None
    ca_dir: Path | None = None
    ca_files: tuple[str, ...] = ()


def certs_dir_for(hostport: str) -> Path:
    return docker_certs_d() / hostport


def ca_files_for(hostport: str) -> tuple[str, ...]:
    directory = certs_dir_for(hostport)
    return tuple(str(p) for p in sorted(directory.glob("*.crt"))) if directory.is_dir() else ()


@functools.lru_cache(maxsize=64)
def _context(ca_files: tuple[str, ...]) -> ssl.SSLContext:
    # Building a context loads the system store (milliseconds): share one per set of CAs.
    context = ssl.create_default_context()
    for ca in ca_files:
        context.load_verify_locations(cafile=ca)
    return context


def build_context(hostport: str) -> tuple[ssl.SSLContext, tuple[str, ...]]:
    """The verifying context for a registry: the system store plus its certs.d *.crt files."""
    ca_files = ca_files_for(hostport)
    return _context(ca_files), ca_files


def _cert_info(der: bytes) -> CertInfo | None:
    try:
        from cryptography import x509
        from cryptography.x509.oid import ExtensionOID
    except ImportError:
        return None
    try:
        cert = x509.load_der_x509_certificate(der)
        try:
            san = cert.extensions.get_extension_for_oid(ExtensionOID.SUBJECT_ALTERNATIVE_NAME).value
            names = tuple(str(n.value) for n in san)
        except x509.ExtensionNotFound:
            names = ()
        return CertInfo(cert.subject.rfc4514_string(), cert.issuer.rfc4514_string(), cert.not_valid_after_utc, names)
    except ValueError:
        return None


async def _handshake(host: str, port: int, context: ssl.SSLContext, server_name: str, timeout: float) -> bytes:
    _, writer = await asyncio.wait_for(
        asyncio.open_connection(host, port, ssl=context, server_hostname=server_name), timeout
    )
    try:
        ssl_object = writer.get_extra_info("ssl_object")
        return ssl_object.getpeercert(binary_form=True) if ssl_object else b""
    finally:
        # Abort, not close: a clean TLS shutdown waits for the peer's close_notify, and a stuck
        # server never sends it (asyncio would wait 30 s).
        writer.transport.abort()


async def _read_unverified(host: str, port: int, server_name: str, timeout: float) -> CertInfo | None:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    try:
        return _cert_info(await _handshake(host, port, context, server_name, timeout))
    except (TimeoutError, OSError, ssl.SSLError):
        return None


async def check_tls(address: str, port: int, server_name: str, hostport: str, timeout: float) -> TlsOutcome:
    """Handshake with ``address`` (already resolved) presenting ``server_name``."""
    context, ca_files = build_context(hostport)
    ca_dir = certs_dir_for(hostport)
    try:
        der = await _handshake(address, port, context, server_name, timeout)
    except ssl.SSLCertVerificationError as exc:
        cert = await _read_unverified(address, port, server_name, timeout)
        code = exc.verify_code
        if code == 10:  # X509_V_ERR_CERT_HAS_EXPIRED
            when = cert.not_after.date().isoformat() if cert and cert.not_after else "?"
            return TlsOutcome(False, "expired-cert", f"the certificate expired on {when}", cert, ca_dir, ca_files)
        if code in (62, 64):  # X509_V_ERR_HOSTNAME_MISMATCH, X509_V_ERR_IP_ADDRESS_MISMATCH
            names = ", ".join(cert.names) if cert and cert.names else (cert.subject if cert else "?")
            return TlsOutcome(
                False, "wrong-host", f"the certificate is for {names}, not {server_name}", cert, ca_dir, ca_files
            )
        issuer = cert.issuer if cert else "an unknown issuer"
        return TlsOutcome(
            False,
            "untrusted-cert",
            f"certificate signed by an untrusted CA ({issuer}): {exc.verify_message}",
            cert,
            ca_dir,
            ca_files,
        )
    except TimeoutError:
        return TlsOutcome(
            False, "timeout", f"no answer to the TLS handshake within {timeout:g} s", None, ca_dir, ca_files
        )
    except (ConnectionError, ssl.SSLEOFError) as exc:
        return TlsOutcome(
            False, "reset", f"the connection was closed during the TLS handshake ({exc})", None, ca_dir, ca_files
        )
    except ssl.SSLError as exc:
        if exc.reason in PLAIN_HTTP_REASONS:
            return TlsOutcome(False, "plain-http", f"no TLS on this port ({exc.reason})", None, ca_dir, ca_files)
        return TlsOutcome(False, "tls-error", f"TLS handshake failed: {exc.reason or exc}", None, ca_dir, ca_files)
    return TlsOutcome(True, "", "", _cert_info(der), ca_dir, ca_files)
