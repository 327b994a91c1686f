"""Real peers on loopback for the probe tests: TCP servers that greet, stay
silent or are closed, HTTP(S) servers with pages that are slow, change or
redirect, and certificates made here (a CA, good, expired, nearly expired,
wrong-host and self-signed ones)."""

from __future__ import annotations

import asyncio
import datetime as dt
import socket
import ssl
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


def run(coroutine):
    """Run one probe the way the engine does: in an event loop."""
    return asyncio.run(coroutine)


@dataclass
class Issued:
    cert: Path
    key: Path


class Pki:
    """A test CA that issues leaf certificates into a directory."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.ca_key = ec.generate_private_key(ec.SECP256R1())
        now = dt.datetime.now(dt.UTC)
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Ward Test CA")])
        self.ca_cert = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(self.ca_key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=400))
            .not_valid_after(now + dt.timedelta(days=4000))
            .add_extension(
                x509.BasicConstraints(ca=True, path_length=None), critical=True
            )
            .sign(self.ca_key, hashes.SHA256())
        )
        self.ca_file = folder / "ca.pem"
        self.ca_file.write_bytes(self.ca_cert.public_bytes(serialization.Encoding.PEM))

    def issue(
        self,
        label: str,
        *,
        names=("localhost", "127.0.0.1"),
        days_left=365.0,
        self_signed=False,
    ) -> Issued:
        key = ec.generate_private_key(ec.SECP256R1())
        now = dt.datetime.now(dt.UTC)
        subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])])
        sans = []
        for item in names:
            try:
                import ipaddress

                sans.append(x509.IPAddress(ipaddress.ip_address(item)))
            except ValueError:
                sans.append(x509.DNSName(item))
        builder = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(subject if self_signed else self.ca_cert.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=30))
            .not_valid_after(now + dt.timedelta(days=days_left))
            .add_extension(x509.SubjectAlternativeName(sans), critical=False)
        )
        cert = builder.sign(key if self_signed else self.ca_key, hashes.SHA256())
        issued = Issued(self.folder / f"{label}.crt", self.folder / f"{label}.key")
        issued.cert.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        issued.key.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        return issued


@pytest.fixture(scope="session")
def pki(tmp_path_factory):
    return Pki(tmp_path_factory.mktemp("pki"))


class Site:
    """What the test web server answers; tests change it between runs."""

    def __init__(self) -> None:
        self.pages = {
            "/": (200, "<html><main><div class='news'>Visiting hours 10-18</div>"
                  "<p>stamp 1</p></main></html>"),
            "/missing": (404, "not here"),
        }  # fmt: skip
        self.delay = 0.0
        self.requests = 0


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    site: Site

    def log_message(self, *args):  # keep the test output clean
        pass

    def do_HEAD(self):
        self.do_GET(body=False)

    def do_GET(self, body=True):
        site = self.server.site  # type: ignore[attr-defined]
        site.requests += 1
        if self.path.startswith("/slow"):
            time.sleep(site.delay)
        if self.path.startswith("/redirect"):
            hops = int(self.path.rsplit("/", 1)[1] or 0)
            target = f"/redirect/{hops - 1}" if hops > 1 else "/"
            self.send_response(302)
            self.send_header("Location", target)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if self.path == "/chunked":
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            if body:
                for part in (b"Ward ", b"status: ", b"all good"):
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
                self.wfile.write(b"0\r\n\r\n")
            return
        status, text = site.pages.get(
            self.path.replace("/slow", "", 1) or "/", (404, "no")
        )
        data = text.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if body:
            self.wfile.write(data)


def _serve(server):
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    return server


@pytest.fixture
def web():
    """A plain HTTP server on loopback; yields (base URL, Site)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    server.site = Site()  # type: ignore[attr-defined]
    _serve(server)
    yield f"http://127.0.0.1:{server.server_address[1]}", server.site  # type: ignore[attr-defined]
    server.shutdown()
    server.server_close()


@pytest.fixture
def tls_server(pki):
    """Start an HTTPS server presenting a given certificate; returns its port."""
    servers = []

    def start(issued: Issued) -> int:
        server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        server.daemon_threads = True
        server.site = Site()  # type: ignore[attr-defined]
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(issued.cert, issued.key)
        server.socket = context.wrap_socket(server.socket, server_side=True)
        servers.append(_serve(server))
        return server.server_address[1]

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture
def closed_port():
    """A loopback port nothing listens on (connecting is refused)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


@pytest.fixture
def tcp_peer():
    """A TCP server on loopback: greet=bytes sends a banner and echoes what
    it reads; greet=None accepts and never answers (a hung service)."""
    stops = []

    def start(greet: bytes | None) -> int:
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        listener.settimeout(0.1)
        stop = threading.Event()
        held = []

        def loop():
            while not stop.is_set():
                try:
                    conn, _ = listener.accept()
                except TimeoutError:
                    continue
                held.append(conn)
                if greet is not None:
                    conn.sendall(greet)
            for conn in held:
                conn.close()
            listener.close()

        threading.Thread(target=loop, daemon=True).start()
        stops.append(stop)
        return listener.getsockname()[1]

    yield start
    for stop in stops:
        stop.set()
