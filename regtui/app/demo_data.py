"""Made-up, deterministic data for `regtui --demo`, the snapshot tests and the screenshots
(served by regtui.app.demo.DemoWorkstation)."""

from __future__ import annotations

from pathlib import Path

from regtui.app.workstation import MirrorChange
from regtui.core.credentials.status import Diagnostic, DiagnosticCode, RegistryStatus, Severity, StoreKind, StoreRef
from regtui.core.errors import InputError
from regtui.core.mirrors.model import FileChange, Mirror, MirrorHealth, MirrorSet, Plan
from regtui.core.ratelimit_model import RateLimitMode, RateLimitState, RateLimitStatus
from regtui.core.registry.causes import Cause
from regtui.core.registry.model import FAIL, OK, CheckResult, Step, StepName
from regtui.core.registry_names import HUB_AUTH_URL, HUB_KEY, HUB_REGISTRY_URL, HUB_TOKEN_SERVICE

HUB = HUB_KEY
KEYRING = "OS keyring via docker-credential-regtui (SecretService)"


def registries() -> list[RegistryStatus]:
    return [
        RegistryStatus("docker.io", HUB, (HUB,), StoreRef(StoreKind.HELPER, "regtui"), "alice", True, False, KEYRING),
        RegistryStatus(
            "ghcr.io",
            "ghcr.io",
            ("ghcr.io",),
            StoreRef(StoreKind.FILE),
            "alice",
            True,
            False,
            "config.json (plaintext)",
            (
                Diagnostic(
                    DiagnosticCode.PLAINTEXT,
                    Severity.WARNING,
                    "the secret is stored in plaintext in config.json",
                    "regtui migrate ghcr.io",
                ),
            ),
        ),
        RegistryStatus(
            "registry.example.com:5000",
            "registry.example.com:5000",
            ("registry.example.com:5000",),
            StoreRef(StoreKind.HELPER, "secretservice"),
            None,
            None,
            False,
            "docker-credential-secretservice",
            (
                Diagnostic(
                    DiagnosticCode.HELPER_FAILED,
                    Severity.ERROR,
                    "docker-credential-secretservice get failed (exit 1): Cannot autolaunch D-Bus without X11 $DISPLAY",
                ),
            ),
        ),
        RegistryStatus("quay.io", "quay.io", (), StoreRef(StoreKind.HELPER, "regtui"), None, False, False, KEYRING),
    ]


def _ok(name: str, ms: float, detail: str) -> Step:
    return Step(StepName(name), OK, ms, detail)


_HUB_TLS = [
    _ok("dns", 4.1, "44.219.3.189"),
    _ok("tcp", 21.7, "44.219.3.189:443"),
    _ok("tls", 48.2, "CN=*.docker.io, issued by CN=Amazon RSA 2048 M02"),
]
CHECKS = [
    CheckResult(
        "docker.io",
        HUB_REGISTRY_URL,
        (
            *_HUB_TLS,
            _ok("ping", 95.3, "401: authentication required; API registry/2.0"),
            _ok("challenge", 0.1, f"Bearer realm={HUB_AUTH_URL}, service={HUB_TOKEN_SERVICE}"),
            _ok("credentials", 188.4, "token issued via GET; expires in 300 s"),
            _ok("authorized", 92.0, "200 with the token"),
        ),
        "bearer",
        "alice",
        450.0,
    ),
    CheckResult(
        "ghcr.io",
        "https://ghcr.io",
        (
            _ok("dns", 3.0, "140.82.121.34"),
            _ok("tcp", 19.2, "140.82.121.34:443"),
            _ok("tls", 41.0, "CN=ghcr.io, issued by CN=Sectigo ECC Domain Validation"),
            _ok("ping", 60.9, "401: authentication required; API registry/2.0"),
            _ok("challenge", 0.1, "Bearer realm=https://ghcr.io/token, service=ghcr.io"),
            Step(
                StepName.CREDENTIALS,
                FAIL,
                102.3,
                "the token server refused the credentials (401: unauthorized)",
                Cause.BAD_CREDENTIALS,
                "log in again: regtui login ghcr.io -u alice",
            ),
        ),
        "bearer",
        "alice",
        310.0,
    ),
    CheckResult(
        "registry.example.com:5000",
        "https://registry.example.com:5000",
        (
            _ok("dns", 2.2, "10.20.0.15"),
            _ok("tcp", 1.1, "10.20.0.15:5000"),
            Step(
                StepName.TLS,
                FAIL,
                12.5,
                "certificate signed by an untrusted CA (O=Example Corp CA): unable to get local issuer certificate",
                Cause.UNTRUSTED_CERT,
                "put the registry's CA certificate at /etc/docker/certs.d/registry.example.com:5000/ca.crt "
                "(docker and regtui read *.crt there)",
            ),
        ),
        None,
        None,
        16.0,
    ),
    CheckResult(
        "quay.io",
        "https://quay.io",
        (
            _ok("dns", 5.2, "3.226.176.195"),
            _ok("tcp", 88.1, "3.226.176.195:443"),
            _ok("tls", 190.4, "CN=quay.io, issued by CN=DigiCert Global G2 TLS RSA SHA256 2020 CA1"),
            _ok("ping", 180.7, "401: authentication required; API registry/2.0"),
            _ok("challenge", 0.1, "Bearer realm=https://quay.io/v2/auth, service=quay.io"),
            Step(
                StepName.CREDENTIALS,
                FAIL,
                0.2,
                "no stored credentials for quay.io",
                Cause.NOT_LOGGED_IN,
                "regtui login quay.io -u USER",
            ),
        ),
        "bearer",
        None,
        470.0,
    ),
]


ANONYMOUS = RateLimitStatus(
    RateLimitMode.ANONYMOUS,
    RateLimitState.OK,
    None,
    100,
    23,
    21600,
    ("100;w=21600",),
    "203.0.113.7",
    notes=("Docker Hub sends no reset time",),
)
AUTHENTICATED = RateLimitStatus(
    RateLimitMode.AUTHENTICATED,
    RateLimitState.OK,
    "alice",
    200,
    187,
    21600,
    ("200;w=21600",),
    "6f4e1c2a-5b7d-4e21-9c3a-0d8f2b6a1e90",
    notes=("Docker Hub sends no reset time",),
)

MIRRORS = [
    MirrorSet(
        "docker",
        "docker.io",
        (Mirror("https://mirror.gcr.io"), Mirror("https://hub-cache.corp.example", enabled=False)),
        Path("/etc/docker/daemon.json"),
        HUB_REGISTRY_URL,
        "systemctl reload docker (dockerd re-reads registry-mirrors on SIGHUP)",
    ),
    MirrorSet(
        "containerd",
        "docker.io",
        (Mirror("https://hub-cache.corp.example", capabilities=("pull", "resolve")),),
        Path("/etc/containerd/certs.d/docker.io/hosts.toml"),
        HUB_REGISTRY_URL,
        "nothing: hosts.toml is read on every pull",
    ),
    MirrorSet(
        "podman",
        "docker.io",
        (Mirror("mirror.corp.example/dockerhub", pull_from_mirror="digest-only"),),
        Path("/etc/containers/registries.conf"),
        "docker.io",
        "nothing for podman and skopeo (read per command); CRI-O: systemctl reload crio",
    ),
]

HEALTH = {
    "https://mirror.gcr.io": MirrorHealth(
        "https://mirror.gcr.io", True, 31.5, 48.2, "serves library/alpine:latest (sha256:c5b1…)"
    ),
    "https://hub-cache.corp.example": MirrorHealth(
        "https://hub-cache.corp.example", False, None, None, "ConnectError: connection refused", "unreachable"
    ),
}


def health(url: str, image: str | None = None) -> MirrorHealth:
    image = image or "library/alpine:latest"
    return HEALTH.get(url, MirrorHealth(url, True, 12.0, 20.5, f"serves {image} (sha256:c5b1…)"))


_DAEMON_JSON = '{\n  "log-driver": "json-file"\n}\n'


def _daemon_json(mirrors: list[str]) -> str:
    from regtui.core.mirrors import jsonspan

    return jsonspan.set_array(_DAEMON_JSON, "registry-mirrors", mirrors)


def plan_daemon_json(change: MirrorChange) -> Plan:
    """A real plan (regtui's own JSON editor) over a made-up daemon.json holding the docker row
    that is on: add, remove, enable, disable, move or change a URL."""
    from regtui.core.mirrors.ops import Move, ReplaceUrl, describe

    op = change.op
    if change.runtime != "docker":
        raise InputError("the demo edits only Docker's daemon.json")
    current = ["https://mirror.gcr.io"]
    wanted = list(current)
    if isinstance(op, Move):
        current = wanted = [m.url for m in MIRRORS[0].mirrors]  # both, as if the corp cache were on
        wanted = [u for u in current if u != op.url]
        wanted.insert(max(0, current.index(op.url) + op.to if op.relative else op.to), op.url)
    elif isinstance(op, ReplaceUrl):
        wanted = [op.new_url if u == op.url else u for u in current]
    elif op.kind in ("add", "enable"):
        wanted = current + [op.url]
    else:
        wanted = [u for u in current if u != op.url]
    docker = MIRRORS[0]
    summary = (
        f"{op.kind} Docker Hub mirror {op.url}" if op.kind in ("add", "remove", "enable", "disable") else describe(op)
    )
    return Plan(
        "docker", summary, (FileChange(docker.source, _daemon_json(current), _daemon_json(wanted), docker.activation),)
    )


def plan_daemon_json_undo(runtime: str) -> Plan:
    """Undo over the made-up daemon.json: the switched-off corp cache comes back."""
    if runtime != "docker":
        raise InputError(f"regtui has no change to undo for {runtime}")
    now, before = _daemon_json(["https://mirror.gcr.io"]), _daemon_json([m.url for m in MIRRORS[0].mirrors])
    change = FileChange(MIRRORS[0].source, now, before, MIRRORS[0].activation)  # as the forward change says
    return Plan("docker", "undo the last docker change", (change,))
