"""Real components started by the tests on 127.0.0.1: a D-Bus session with gnome-keyring,
the distribution registry (Debian docker-registry) and a tiny OCI image to push to it.

Everything listens on loopback, on ports the kernel picks, and is stopped by the fixture
that started it.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import io
import json
import os
import signal
import socket
import subprocess
import tarfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

REGISTRY_USER = "regtui"
REGISTRY_PASSWORD = "regtui-s3cret"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(predicate, timeout: float = 10.0, what: str = "a service") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise TimeoutError(f"{what} did not come up within {timeout} s")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)


# -- D-Bus + gnome-keyring -----------------------------------------------------------------
@dataclass
class KeyringSession:
    """A private session bus with an unlocked gnome-keyring 'login' collection."""

    home: Path
    password: str = "keyring-pw"
    bus: subprocess.Popen | None = None
    daemon: subprocess.Popen | None = None
    address: str = ""

    def start(self) -> KeyringSession:
        self.home.mkdir(parents=True, exist_ok=True)
        self.bus = subprocess.Popen(
            ["dbus-daemon", "--session", "--nofork", "--print-address=1"],
            stdout=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        self.address = self.bus.stdout.readline().strip()
        self.start_keyring(self.password)
        return self

    def start_keyring(self, password: str) -> None:
        env = {**self.base_env(), "HOME": str(self.home)}
        self.daemon = subprocess.Popen(
            ["gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets"],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
            start_new_session=True,
        )
        self.daemon.stdin.write(password.encode())
        self.daemon.stdin.close()
        wait_for(self._owns_secrets_name, what="gnome-keyring-daemon")

    def stop_keyring(self) -> None:
        if self.daemon is not None:
            stop(self.daemon)
            wait_for(lambda: not self._owns_secrets_name(), what="gnome-keyring-daemon to stop")

    def _owns_secrets_name(self) -> bool:
        out = subprocess.run(
            [
                "dbus-send",
                "--session",
                "--print-reply",
                "--dest=org.freedesktop.DBus",
                "/org/freedesktop/DBus",
                "org.freedesktop.DBus.NameHasOwner",
                "string:org.freedesktop.secrets",
            ],
            capture_output=True,
            text=True,
            env=self.base_env(),
        ).stdout
        return "boolean true" in out

    def base_env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHON_KEYRING_BACKEND", "DISPLAY")}
        env["DBUS_SESSION_BUS_ADDRESS"] = self.address
        return env

    def close(self) -> None:
        self.stop_keyring()
        if self.bus is not None:
            stop(self.bus)


# -- the distribution registry ---------------------------------------------------------------
@dataclass
class Registry:
    """docker-registry on 127.0.0.1: htpasswd basic auth by default, or ``auth_yaml`` (token auth);
    plain HTTP, or HTTPS with ``tls`` = (certificate chain PEM, key PEM)."""

    root: Path
    port: int = field(default_factory=free_port)
    auth_yaml: str | None = None  # None: htpasswd; "": no auth at all
    tls: tuple[Path, Path] | None = None
    extra_yaml: str = ""  # e.g. a proxy: section, for a pull-through mirror
    clientcas: Path | None = None  # with tls: require a client certificate signed by this CA (mutual TLS)
    proc: subprocess.Popen | None = None

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        return f"{'https' if self.tls else 'http'}://{self.host}"

    @property
    def log(self) -> Path:
        return self.root / "registry.log"

    def _htpasswd_yaml(self) -> str:
        htpasswd = subprocess.run(
            ["htpasswd", "-niB", REGISTRY_USER], input=REGISTRY_PASSWORD, capture_output=True, text=True, check=True
        ).stdout
        (self.root / "htpasswd").write_text(htpasswd)
        return f"auth:\n  htpasswd:\n    realm: regtui-test\n    path: {self.root / 'htpasswd'}\n"

    def start(self) -> Registry:
        self.root.mkdir(parents=True, exist_ok=True)
        tls = f"  tls:\n    certificate: {self.tls[0]}\n    key: {self.tls[1]}\n" if self.tls else ""
        if self.tls and self.clientcas:
            tls += f"    clientcas:\n      - {self.clientcas}\n"
        config = self.root / "config.yml"
        config.write_text(
            "version: 0.1\nlog:\n  level: info\n  accesslog:\n    disabled: false\n"
            f"storage:\n  filesystem:\n    rootdirectory: {self.root / 'data'}\n  delete:\n    enabled: true\n"
            f"http:\n  addr: {self.host}\n  secret: regtui-test\n{tls}"
            + (self.auth_yaml if self.auth_yaml is not None else self._htpasswd_yaml())
            + self.extra_yaml
        )
        self.proc = subprocess.Popen(
            ["docker-registry", "serve", str(config)],
            stdout=self.log.open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_for(self._answers, what="docker-registry")
        return self

    def _answers(self) -> bool:
        if self.clientcas:  # no client certificate here: a listening port is all that can be seen
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return True
            except OSError:
                return False
        try:
            return httpx.get(f"{self.url}/v2/", timeout=1, verify=False).status_code in (200, 401)
        except httpx.HTTPError:
            return False

    def close(self) -> None:
        if self.proc is not None:
            stop(self.proc)


def htpasswd_registry(root: Path, user: str, password: str, realm: str = "canary") -> Registry:
    """A distribution registry whose one htpasswd user is ``user`` (for canary-password tests)."""
    line = subprocess.run(["htpasswd", "-niB", user], input=password, capture_output=True, text=True, check=True)
    (root / "htpasswd").write_text(line.stdout)
    auth = f"auth:\n  htpasswd:\n    realm: {realm}\n    path: {root / 'htpasswd'}\n"
    return Registry(root, auth_yaml=auth).start()


def _blob(layout: Path, data: bytes) -> dict[str, object]:
    digest = hashlib.sha256(data).hexdigest()
    (layout / "blobs" / "sha256").mkdir(parents=True, exist_ok=True)
    (layout / "blobs" / "sha256" / digest).write_bytes(data)
    return {"digest": f"sha256:{digest}", "size": len(data)}


def _architecture() -> str:
    import platform

    machine = platform.machine().lower()
    return {"x86_64": "amd64", "aarch64": "arm64", "armv7l": "arm"}.get(machine, machine)


def make_oci_layout(layout: Path, tag: str = "v1") -> Path:
    """A one-layer OCI image on disk, built byte-for-byte the same every time."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        payload = b"hello from regtui tests\n"
        info = tarfile.TarInfo("hello.txt")
        info.size, info.mtime, info.mode = len(payload), 0, 0o644
        tar.addfile(info, io.BytesIO(payload))
    layer_tar = raw.getvalue()
    layer = _blob(layout, gzip.compress(layer_tar, mtime=0))
    config = _blob(
        layout,
        json.dumps(
            {
                "architecture": "amd64",
                "os": "linux",
                "rootfs": {"type": "layers", "diff_ids": [f"sha256:{hashlib.sha256(layer_tar).hexdigest()}"]},
                "config": {},
            }
        ).encode(),
    )
    manifest = _blob(
        layout,
        json.dumps(
            {
                "schemaVersion": 2,
                "mediaType": "application/vnd.oci.image.manifest.v1+json",
                "config": {"mediaType": "application/vnd.oci.image.config.v1+json", **config},
                "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", **layer}],
            }
        ).encode(),
    )
    (layout / "oci-layout").write_text('{"imageLayoutVersion": "1.0.0"}')
    (layout / "index.json").write_text(
        json.dumps(
            {
                "schemaVersion": 2,
                "manifests": [
                    {
                        "mediaType": "application/vnd.oci.image.manifest.v1+json",
                        **manifest,
                        "annotations": {"org.opencontainers.image.ref.name": tag},
                    }
                ],
            }
        )
    )
    return layout


def push_image(
    layout: Path,
    registry: Registry,
    repo: str = "regtui/hello",
    tag: str = "v1",
    user: str = REGISTRY_USER,
    password: str = REGISTRY_PASSWORD,
) -> str:
    """Push with skopeo (no daemon needed). Returns the image reference without a scheme."""
    ref = f"{registry.host}/{repo}:{tag}"
    authfile = layout.parent / "push-auth.json"
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    authfile.write_text(json.dumps({"auths": {registry.host: {"auth": token}}}))
    subprocess.run(
        [
            "skopeo",
            "copy",
            "--quiet",
            "--dest-tls-verify=false",
            "--authfile",
            str(authfile),
            f"oci:{layout}:{tag}",
            f"docker://{ref}",
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    authfile.unlink()
    return ref


def pull_through_mirror(root: Path, upstream: Registry) -> Registry:
    """A distribution proxy cache in front of ``upstream``. distribution 2.8 only sends proxy.username
    to a Bearer upstream (distribution#3153), so a Basic upstream gets the credentials in the URL."""
    remote = f"http://{REGISTRY_USER}:{REGISTRY_PASSWORD}@{upstream.host}"
    proxy = f"proxy:\n  remoteurl: {remote}\n  username: {REGISTRY_USER}\n  password: {REGISTRY_PASSWORD}\n"
    return Registry(root, auth_yaml="", extra_yaml=proxy).start()


@dataclass
class Containerd:
    """A private containerd daemon (root, its own root/state/socket; CRI disabled)."""

    root: Path
    proc: subprocess.Popen | None = None

    @property
    def socket(self) -> Path:
        return self.root / "c.sock"

    def start(self) -> Containerd:
        self.root.mkdir(parents=True, exist_ok=True)
        if len(str(self.socket)) > 100:
            raise RuntimeError(f"socket path too long for a unix socket: {self.socket}")
        config = self.root / "config.toml"
        config.write_text(
            f'version = 2\nroot = "{self.root / "root"}"\nstate = "{self.root / "state"}"\n'
            'disabled_plugins = ["io.containerd.grpc.v1.cri"]\n'
            f'[grpc]\n  address = "{self.socket}"\n[ttrpc]\n  address = "{self.socket}.ttrpc"\n'
            f'[plugins."io.containerd.internal.v1.opt"]\n  path = "{self.root / "opt"}"\n'
        )
        self.proc = subprocess.Popen(
            ["containerd", "--config", str(config)],
            stdout=(self.root / "log").open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_for(
            lambda: (
                subprocess.run(["ctr", "--address", str(self.socket), "version"], capture_output=True).returncode == 0
            ),
            what="containerd",
        )
        return self

    def ctr(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["ctr", "--address", str(self.socket), *args], capture_output=True, text=True, timeout=120
        )

    def close(self) -> None:
        if self.proc is not None:
            stop(self.proc)
