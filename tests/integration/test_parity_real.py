"""Docker parity and where credentials go, against real registries and token servers on loopback.

127.0.0.2 is loopback too (all of 127.0.0.0/8 is): it stands for "another host".
"""

from __future__ import annotations

import json
import ssl
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from regtui.cli import main
from regtui.core.docker_config import encode_auth
from regtui.core.registry.probe import Ladder
from regtui.core.registry.target import target_for
from regtui.core.registry.tls_step import tls_step
from tests.integration.test_check_real import check, only, save_auth, steps
from tests.support.fault_servers import FaultServer
from tests.support.realparts import REGISTRY_PASSWORD, REGISTRY_USER, Registry
from tests.support.token_server import ISSUER, SERVICE, TokenServer


# -- certs.d: the directory docker reads ---------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "directory"),
    [
        ("registry.example.com", "registry.example.com"),
        ("registry.example.com:443", "registry.example.com:443"),
        ("registry.example.com:5000", "registry.example.com:5000"),
        ("https://registry.example.com/v2/", "registry.example.com"),
        ("[::1]:5000", "[::1]:5000"),
        ("docker.io", ""),  # docker reads no certs.d for Docker Hub
    ],
)
def test_the_certs_d_name_is_the_registry_name_as_written(name: str, directory: str) -> None:
    assert target_for(name, insecure_list=[]).certs_name == directory


@pytest.fixture
def tls_server(test_ca, tmp_path: Path) -> Iterator[FaultServer]:
    """An open registry (200 to /v2/) over TLS, its certificate from the test CA, for 127.0.0.1."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    test_ca.issue_cert("127.0.0.1").configure_cert(context)
    server = FaultServer("open", tls=context).start()
    yield server
    server.close()


def _place_ca(certs_d: Path, directory: str, test_ca) -> Path:
    (certs_d / directory).mkdir(parents=True)
    test_ca.cert_pem.write_to_path(str(certs_d / directory / "ca.crt"))
    return certs_d / directory


def test_a_port_given_reads_host_port_and_the_fix_names_it(
    tls_server: FaultServer, test_ca, certs_d: Path, loopback_secure: None
) -> None:
    misplaced = _place_ca(certs_d, "127.0.0.1", test_ca)  # docker ignores it for 127.0.0.1:PORT
    code, data = check(tls_server.host)
    result = only(data)
    assert code == 1 and result["cause"] == "untrusted-cert"
    assert f"{certs_d}/{tls_server.host}/ca.crt" in result["fix"]

    (misplaced / "ca.crt").rename(_place_ca(certs_d, tls_server.host, test_ca) / "ca.crt")
    code, data = check(tls_server.host)
    assert code == 0 and f"{certs_d}/{tls_server.host}/ca.crt" in steps(only(data))["tls"]["detail"]


async def test_no_port_reads_the_bare_host_directory(
    tls_server: FaultServer, test_ca, certs_d: Path, loopback_secure: None
) -> None:
    """``127.0.0.1`` means port 443, whose directory is ``certs.d/127.0.0.1``. Tests may not bind 443,
    so the target keeps the name's directory and only its port is moved to the test server's."""
    target = target_for("127.0.0.1")._replace(port=tls_server.port)
    assert target.certs_name == "127.0.0.1"
    _place_ca(certs_d, "127.0.0.1:443", test_ca)  # the other form: docker does not read it
    ladder = Ladder()
    assert await tls_step(ladder, target, "127.0.0.1", 5.0, insecure=False) is None
    [step] = ladder.steps
    assert step.cause == "untrusted-cert"
    assert step.fix.startswith(f"docker reads {certs_d}/127.0.0.1 for 127.0.0.1, not {certs_d}/127.0.0.1:443")

    _place_ca(certs_d, "127.0.0.1", test_ca)
    ladder = Ladder()
    assert await tls_step(ladder, target, "127.0.0.1", 5.0, insecure=False) == ("https", True)
    assert ladder.steps[0].status == "ok" and f"{certs_d}/127.0.0.1/ca.crt" in ladder.steps[0].detail


def test_a_cert_without_its_key_stops_docker_and_the_check(
    tls_server: FaultServer, test_ca, certs_d: Path, loopback_secure: None
) -> None:
    directory = _place_ca(certs_d, tls_server.host, test_ca)
    test_ca.cert_pem.write_to_path(str(directory / "client.cert"))
    code, data = check(tls_server.host)
    result = only(data)
    assert code == 1 and result["cause"] == "certs-dir"
    assert f"missing key client.key for client certificate {directory}/client.cert" in steps(result)["tls"]["detail"]
    assert str(directory) in result["fix"]


def test_a_crt_file_without_a_certificate_is_skipped_as_docker_skips_it(
    tls_server: FaultServer, test_ca, certs_d: Path, loopback_secure: None
) -> None:
    directory = _place_ca(certs_d, tls_server.host, test_ca)
    (directory / "broken.crt").write_text("not a certificate\n")
    code, data = check(tls_server.host)
    assert code == 0, data
    assert "broken.crt" not in steps(only(data))["tls"]["detail"]


# -- insecure registries as docker treats them ---------------------------------------------------
def test_an_untrusted_certificate_on_loopback_is_a_warning(
    tls_registry: Registry, certs_d: Path, docker_dir: Path
) -> None:
    """docker does not verify TLS for 127.0.0.0/8: the check passes and says what others would see."""
    save_auth(docker_dir, tls_registry.host)
    code, data = check(tls_registry.host)
    result = only(data)
    tls = steps(result)["tls"]
    assert code == 0 and result["healthy"] and result["endpoint"] == f"https://{tls_registry.host}", result
    assert (tls["status"], tls["cause"]) == ("warn", "untrusted-cert")
    assert "not verified: docker does not verify an insecure registry (loopback)" in tls["detail"]
    assert f"{certs_d}/{tls_registry.host}/ca.crt" in tls["fix"]
    assert steps(result)["authorized"]["status"] == "ok"


def _daemon_json(certs_d: Path, entries: list[str]) -> None:
    (certs_d.parent / "daemon.json").write_text(json.dumps({"insecure-registries": entries}))


def test_a_plain_http_registry_listed_by_cidr_passes(
    registry: Registry, certs_d: Path, docker_dir: Path, loopback_secure: None
) -> None:
    save_auth(docker_dir, registry.host)
    code, data = check(registry.host)
    result = only(data)
    assert code == 1 and result["cause"] == "plain-http"
    assert f'add "{registry.host}" to "insecure-registries"' in result["fix"]

    _daemon_json(certs_d, ["10.0.0.0/8", "127.0.0.0/24"])
    code, data = check(registry.host)
    result = only(data)
    assert code == 0 and result["endpoint"] == f"http://{registry.host}", result
    tls = steps(result)["tls"]
    assert tls["status"] == "skip" and "plain HTTP allowed (insecure-registries: 127.0.0.0/24)" in tls["detail"]


def test_insecure_registry_names_match_exactly_as_in_dockerd(
    registry: Registry, certs_d: Path, docker_dir: Path, loopback_secure: None
) -> None:
    save_auth(docker_dir, registry.host)
    _daemon_json(certs_d, ["127.0.0.1"])  # no port: dockerd does not match 127.0.0.1:PORT with it
    code, data = check(registry.host)
    assert code == 1 and only(data)["cause"] == "plain-http"
    _daemon_json(certs_d, [f"http://{registry.host}"])  # dockerd strips http:// (with a warning)
    code, data = check(registry.host)
    assert code == 0 and f"insecure-registries: http://{registry.host}" in steps(only(data))["tls"]["detail"]


def test_a_cidr_matches_the_resolved_addresses() -> None:
    target = target_for("registry.example.com:5000", insecure_list=["10.0.0.0/8"])
    assert not target.http_allowed
    assert target.resolved(["192.0.2.1"]).http_allowed is False
    moved = target.resolved(["192.0.2.1", "10.1.2.3"])
    assert (moved.http_allowed, moved.http_reason) == (True, "insecure-registries: 10.0.0.0/8")
    assert target.resolved(["127.0.0.1"]).http_reason == "loopback"  # always on dockerd's list
    assert target.resolved(["::1"]).http_reason == "loopback"


# -- where credentials go ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def other_token_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TokenServer]:
    server = TokenServer(tmp_path_factory.mktemp("token-127-0-0-2"), host="127.0.0.2").start()
    yield server
    server.close()


class Redirector:
    """A token realm that answers every request with a redirect to ``to`` + the same path and query."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.to = ""
        self.status = 302
        self.seen: list[tuple[str, bool]] = []  # (method, had an Authorization header)
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def _redirect(self) -> None:
                owner.seen.append((self.command, "Authorization" in self.headers))
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                self.send_response(owner.status)
                self.send_header("Location", (owner.to or f"http://{host}:{owner.port}") + self.path)
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_GET = do_POST = _redirect  # noqa: N815

        self.server = ThreadingHTTPServer((host, 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def redirector() -> Iterator[Redirector]:
    server = Redirector()
    yield server
    server.close()


def _token_yaml(realm: str, root: Path, *servers: TokenServer) -> str:
    bundle = root / "bundle.pem"
    bundle.write_bytes(b"".join(s.bundle.read_bytes() for s in servers))
    return (
        f"auth:\n  token:\n    realm: {realm}\n    service: {SERVICE}\n    issuer: {ISSUER}\n"
        f"    rootcertbundle: {bundle}\n"
    )


@pytest.fixture(scope="module")
def foreign_realm_registry(other_token_server, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Registry]:
    """A registry on 127.0.0.1 whose token realm is on 127.0.0.2, over plain HTTP."""
    from tests.conftest import require

    require("docker-registry")
    root = tmp_path_factory.mktemp("foreign-realm")
    reg = Registry(root, auth_yaml=_token_yaml(other_token_server.realm, root, other_token_server)).start()
    yield reg
    reg.close()


@pytest.fixture(scope="module")
def redirecting_registry(
    redirector, token_server, other_token_server, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Registry]:
    """A registry whose realm is the redirector on 127.0.0.1; it trusts tokens from both servers."""
    from tests.conftest import require

    require("docker-registry")
    root = tmp_path_factory.mktemp("redirect-realm")
    realm = f"http://127.0.0.1:{redirector.port}/token"
    reg = Registry(root, auth_yaml=_token_yaml(realm, root, token_server, other_token_server)).start()
    yield reg
    reg.close()


def test_a_realm_on_another_host_is_named_in_check_and_login(
    foreign_realm_registry: Registry, other_token_server: TokenServer, docker_dir: Path
) -> None:
    save_auth(docker_dir, foreign_realm_registry.host)
    code, data = check(foreign_realm_registry.host)
    result = only(data)
    sent = steps(result)["sent-to"]
    assert code == 0 and result["healthy"], result  # a warning, as docker works
    assert (sent["status"], sent["cause"]) == ("warn", "foreign-realm")
    assert sent["detail"].startswith("credentials are sent to 127.0.0.2, not the registry 127.0.0.1")
    assert f"http://127.0.0.2:{other_token_server.server.server_address[1]}/token" in sent["detail"]
    assert "over plain HTTP" in sent["detail"] and "on this machine (loopback)" in sent["detail"]
    assert [s["step"] for s in result["steps"]].index("sent-to") < [s["step"] for s in result["steps"]].index(
        "credentials"
    )

    login = CliRunner().invoke(
        main,
        ["login", foreign_realm_registry.host, "-u", REGISTRY_USER, "--password-stdin", "--store", "file"],
        input=REGISTRY_PASSWORD,
        catch_exceptions=False,
    )
    assert login.exit_code == 0, login.stderr
    assert "WARNING! credentials are sent to 127.0.0.2, not the registry 127.0.0.1" in login.stderr
    assert REGISTRY_PASSWORD not in login.output


def test_a_realm_on_the_same_loopback_host_over_http_is_a_calm_note(token_registry: Registry, docker_dir: Path) -> None:
    save_auth(docker_dir, token_registry.host)
    code, data = check(token_registry.host)
    sent = steps(only(data))["sent-to"]
    assert code == 0 and sent["status"] == "ok" and sent["cause"] is None
    assert sent["detail"].startswith("your password goes over plain HTTP to http://127.0.0.1:")
    assert "on this machine (loopback)" in sent["detail"]


def test_basic_auth_over_plain_http_says_where_the_password_goes(registry: Registry, docker_dir: Path) -> None:
    save_auth(docker_dir, registry.host)
    code, data = check(registry.host)
    sent = steps(only(data))["sent-to"]
    assert code == 0 and sent["status"] == "ok"
    assert (
        sent["detail"]
        == f"your password goes over plain HTTP to http://{registry.host}/v2/, on this machine (loopback)"
    )


# -- token realm redirects -----------------------------------------------------------------------
def test_a_redirect_within_the_realm_host_keeps_the_credentials(
    redirecting_registry: Registry, redirector: Redirector, token_server: TokenServer, docker_dir: Path
) -> None:
    port = token_server.server.server_address[1]
    redirector.to, redirector.status, redirector.seen = f"http://127.0.0.1:{port}", 302, []
    save_auth(docker_dir, redirecting_registry.host)
    mark = len(token_server.log)
    code, data = check(redirecting_registry.host)
    result = only(data)
    assert code == 0, result
    credentials = steps(result)["credentials"]
    assert credentials["status"] == "ok"
    assert f"after 1 redirect(s) to http://127.0.0.1:{port}/token" in credentials["detail"]
    assert redirector.seen == [("GET", True)]
    assert any(line.startswith("GET user=regtui ") for line in token_server.log[mark:])


def test_a_redirect_to_another_host_never_carries_the_credentials(
    redirecting_registry: Registry, redirector: Redirector, other_token_server: TokenServer, docker_dir: Path
) -> None:
    port = other_token_server.server.server_address[1]
    redirector.to, redirector.status, redirector.seen = f"http://127.0.0.2:{port}", 302, []
    save_auth(docker_dir, redirecting_registry.host)
    mark = len(other_token_server.log)
    code, data = check(redirecting_registry.host)
    result = only(data)
    credentials = steps(result)["credentials"]
    assert (credentials["status"], credentials["cause"]) == ("warn", "token-redirect"), result
    assert "redirected to 127.0.0.2, where the credentials were not sent" in credentials["detail"]
    served = other_token_server.log[mark:]
    assert served and all(line.startswith("GET user=None ") for line in served), served
    assert redirector.seen == [("GET", True)]


def test_an_identity_token_is_never_reposted_to_another_host(
    redirecting_registry: Registry, redirector: Redirector, other_token_server: TokenServer, docker_dir: Path
) -> None:
    """307 repeats the POST body (the refresh token) as it was: regtui stops rather than send it."""
    port = other_token_server.server.server_address[1]
    redirector.to, redirector.status, redirector.seen = f"http://127.0.0.2:{port}", 307, []
    refresh = other_token_server._new_refresh("regtui")
    (docker_dir / "config.json").write_text(
        json.dumps(
            {"auths": {redirecting_registry.host: {"auth": encode_auth("regtui", ""), "identitytoken": refresh}}}
        )
    )
    mark = len(other_token_server.log)
    code, data = check(redirecting_registry.host)
    result = only(data)
    assert code == 1 and result["cause"] == "token-redirect", result
    assert "would repeat a request holding a secret to another host" in steps(result)["credentials"]["detail"]
    assert other_token_server.log[mark:] == []
    assert refresh not in json.dumps(data)


def test_a_redirect_loop_stops_after_ten(
    redirecting_registry: Registry, redirector: Redirector, docker_dir: Path
) -> None:
    redirector.to, redirector.status, redirector.seen = "", 302, []  # back to itself, for ever
    save_auth(docker_dir, redirecting_registry.host)
    code, data = check(redirecting_registry.host, "--timeout", "5")
    result = only(data)
    assert code == 1 and result["cause"] == "token-redirect", result
    assert "stopped after 10 redirects" in steps(result)["credentials"]["detail"]
    assert len(redirector.seen) == 11  # the first request and ten redirects, as Go's client
    assert all(auth for _, auth in redirector.seen)  # the same host all along


# -- client certificates (mutual TLS) ------------------------------------------------------------
@pytest.fixture(scope="module")
def client_ca():
    import trustme

    return trustme.CA(organization_name="regtui client CA")


@pytest.fixture(scope="module")
def mtls_registry(test_ca, client_ca, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Registry]:
    """distribution with http.tls.clientcas: no client certificate signed by client_ca, no registry."""
    from tests.conftest import require

    require("docker-registry")
    root = tmp_path_factory.mktemp("mtls")
    leaf = test_ca.issue_cert("127.0.0.1")
    (root / "certs").mkdir()
    leaf.cert_chain_pems[0].write_to_path(str(root / "certs" / "server.pem"))
    leaf.private_key_pem.write_to_path(str(root / "certs" / "server.key"))
    client_ca.cert_pem.write_to_path(str(root / "clientca.pem"))
    reg = Registry(
        root,
        auth_yaml="",
        tls=(root / "certs" / "server.pem", root / "certs" / "server.key"),
        clientcas=root / "clientca.pem",
    ).start()
    yield reg
    reg.close()


def _pair(ca, directory: Path, name: str = "client") -> None:
    leaf = ca.issue_cert("regtui-client.test")
    leaf.cert_chain_pems[0].write_to_path(str(directory / f"{name}.cert"))
    leaf.private_key_pem.write_to_path(str(directory / f"{name}.key"))


def _skopeo_tags(registry: Registry, cert_dir: Path) -> str:
    import subprocess

    from tests.conftest import require

    out = subprocess.run(
        [require("skopeo"), "list-tags", "--cert-dir", str(cert_dir), f"docker://{registry.host}/regtui/none"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    return out.stdout + out.stderr


def test_client_certificates_are_presented_as_docker_presents_them(
    mtls_registry: Registry, test_ca, client_ca, certs_d: Path, loopback_secure: None
) -> None:
    directory = _place_ca(certs_d, mtls_registry.host, test_ca)
    code, data = check(mtls_registry.host)
    result = only(data)
    assert code == 1 and result["cause"] == "client-cert-required", result
    assert f"{directory}/client.cert" in result["fix"] and f"{directory}/client.key" in result["fix"]
    assert "certificate" in _skopeo_tags(mtls_registry, directory).lower()  # skopeo is refused the same way

    import trustme

    _pair(trustme.CA(organization_name="a CA the registry does not know"), directory)
    code, data = check(mtls_registry.host)
    result = only(data)
    assert code == 1 and result["cause"] == "client-cert-refused", result
    assert f"{directory}/client.cert" in steps(result)["tls"]["detail"] and "clientcas" in result["fix"]

    _pair(client_ca, directory)
    code, data = check(mtls_registry.host)
    result = only(data)
    assert code == 0, result
    assert f"client certificate {directory}/client.cert" in steps(result)["tls"]["detail"]
    assert steps(result)["ping"]["status"] == "ok"
    reached = _skopeo_tags(mtls_registry, directory)  # past TLS with the same pair: the registry's own 404
    assert "404" in reached and "certificate" not in reached.lower()


def test_docker_presents_no_client_certificate_to_an_insecure_registry(
    mtls_registry: Registry, test_ca, client_ca, certs_d: Path, tmp_path: Path
) -> None:
    """On loopback (insecure for docker) the docker CLI reads no certs.d: the same pair that works
    for regtui and skopeo gets docker refused, and the check says so instead of a plain pass."""
    import os
    import subprocess

    from tests.conftest import require

    code, data = check(mtls_registry.host)  # unverified and no client certificate, as docker connects here
    result = only(data)
    assert code == 1 and result["cause"] == "client-cert-required", result
    assert "unverified, as docker connects to an insecure registry (loopback)" in steps(result)["tls"]["detail"]
    assert f"{certs_d}/{mtls_registry.host}/ca.crt" in result["fix"]

    directory = _place_ca(certs_d, mtls_registry.host, test_ca)
    _pair(client_ca, directory)
    code, data = check(mtls_registry.host)
    tls = steps(only(data))["tls"]
    assert code == 0 and (tls["status"], tls["cause"]) == ("warn", "client-cert-insecure"), tls
    assert "docker does not present it: it reads no certs.d for an insecure registry (loopback)" in tls["detail"]

    # The docker CLI with the same files where rootless docker looks (moby registry/config.go CertsDir);
    # the machine's /etc/docker/certs.d is not touched. docker is refused all the same.
    xdg = tmp_path / "xdg"
    (xdg / "docker").mkdir(parents=True)
    (xdg / "docker" / "certs.d").symlink_to(certs_d)
    env = {
        **os.environ,
        "XDG_CONFIG_HOME": str(xdg),
        "ROOTLESSKIT_STATE_DIR": str(tmp_path / "rootlesskit"),
    }
    out = subprocess.run(
        [require("docker"), "manifest", "inspect", f"{mtls_registry.host}/regtui/none:v1"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert out.returncode != 0 and "bad certificate" in out.stderr, out.stderr


async def test_the_tui_login_says_where_the_password_went(foreign_realm_registry: Registry, docker_dir: Path) -> None:
    from regtui.app.real import RealWorkstation

    result = await RealWorkstation(str(docker_dir)).login(
        foreign_realm_registry.host, REGISTRY_USER, REGISTRY_PASSWORD, "file", auth_file="docker"
    )
    assert result.where == "config.json (plaintext)"
    assert len(result.warnings) == 1
    assert "credentials are sent to 127.0.0.2, not the registry 127.0.0.1" in result.warnings[0].detail
    assert REGISTRY_PASSWORD not in repr(result)


def test_a_certs_d_entry_that_is_not_a_directory_stops_the_check(
    tls_server: FaultServer, certs_d: Path, loopback_secure: None
) -> None:
    (certs_d / tls_server.host).write_text("ca.crt was meant to go inside\n")
    code, data = check(tls_server.host)
    result = only(data)
    assert code == 1 and result["cause"] == "certs-dir"
    assert f"cannot read {certs_d}/{tls_server.host}: Not a directory" in steps(result)["tls"]["detail"]


def test_an_unreadable_certs_d_directory_is_named_not_a_traceback(tls_server: FaultServer, test_ca) -> None:
    """regtui run as nobody; the registry's certs.d directory is root's, mode 0700. On loopback docker
    reads no certs.d, so it is a warning there, and the check goes on unverified."""
    import os
    import shutil
    import subprocess
    import sys
    import tempfile

    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        pytest.fail("this test needs root and setpriv (util-linux) to drop to nobody")
    base = Path(tempfile.mkdtemp(prefix="regtui-certs-"))  # pytest's tmp root is 0700: nobody can't enter
    try:
        base.chmod(0o755)
        directory = _place_ca(base / "certs.d", tls_server.host, test_ca)
        (base / "certs.d").chmod(0o755)
        directory.chmod(0o700)
        state = base / "nobody"
        state.mkdir()
        os.chown(state, 65534, 65534)
        env = {
            **os.environ,
            "REGTUI_DOCKER_CERTS_D": str(base / "certs.d"),
            "REGTUI_DAEMON_JSON": str(state / "daemon.json"),
            "REGTUI_CONFIG_DIR": str(state),
            "DOCKER_CONFIG": str(state),
            "HOME": str(state),
        }
        run = subprocess.run(
            ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", sys.executable, "-m", "regtui"]
            + ["check", "--json", tls_server.host],
            capture_output=True,
            text=True,
            env=env,
            cwd=state,
            timeout=60,
        )
    finally:
        shutil.rmtree(base)
    assert "Traceback" not in run.stderr, run.stderr
    tls = steps(only(json.loads(run.stdout)))["tls"]
    assert run.returncode == 0 and tls["status"] == "warn", tls
    assert f"cannot read {directory}: Permission denied" in tls["detail"]
