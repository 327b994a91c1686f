"""SMTP checks against aiosmtpd servers the test starts on loopback: plain,
offering STARTTLS (certificates from the test CA, or self-signed), TLS from
the first byte, and a listener that greets with 554."""

from __future__ import annotations

import socket
import ssl

import pytest
from aiosmtpd.controller import Controller

from tests.monitoring.probes.conftest import run
from wardkeeper.monitoring.engine.probes.smtp import smtp
from wardkeeper.monitoring.engine.spec import CheckSpec, Status


class _Sink:
    async def handle_DATA(self, server, session, envelope):
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _context(issued) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(issued.cert, issued.key)
    return context


@pytest.fixture
def mail_server():
    """Start aiosmtpd; starttls=/implicit= take a certificate."""
    controllers = []

    def start(starttls=None, implicit=None) -> int:
        port = _free_port()
        controller = Controller(
            _Sink(),
            hostname="127.0.0.1",
            port=port,
            ident="Ward Mail Gateway",
            tls_context=_context(starttls) if starttls else None,
            ssl_context=_context(implicit) if implicit else None,
        )
        controller.start()
        controllers.append(controller)
        return port

    yield start
    for controller in controllers:
        controller.stop()


def check(port, pki=None, timeout=3.0, **params):
    params = {"port": port, **params}
    if pki is not None:
        params.setdefault("ca_file", str(pki.ca_file))
    return run(smtp(CheckSpec(1, "smtp", "localhost", params, timeout=timeout)))


def test_plain_server_is_up_with_its_banner_and_extensions(mail_server):
    outcome = check(mail_server(), expect_banner="Ward Mail Gateway")
    assert outcome.status == Status.UP, outcome.message
    assert "Ward Mail Gateway" in outcome.values["banner"]
    assert "8BITMIME" in outcome.values["capabilities"]
    assert outcome.values["tls"] is False
    assert outcome.latency_ms is not None


def test_a_banner_without_the_expected_text_is_down(mail_server):
    outcome = check(mail_server(), expect_banner="Exchange")
    assert (outcome.status, outcome.reason) == (Status.DOWN, "mismatch")


def test_starttls_is_used_when_offered_and_the_certificate_verified(mail_server, pki):
    port = mail_server(starttls=pki.issue("smtp"))
    outcome = check(port, pki)
    assert outcome.status == Status.UP, outcome.message
    assert outcome.values["tls"] is True
    assert outcome.values["tls_version"].startswith("TLS")
    # The extensions are the ones offered inside TLS (STARTTLS no longer is).
    assert "STARTTLS" not in outcome.values["capabilities"]


def test_an_untrusted_certificate_is_down_unless_verification_is_off(mail_server, pki):
    port = mail_server(starttls=pki.issue("smtp-self", self_signed=True))
    outcome = check(port, pki)
    assert (outcome.status, outcome.reason) == (Status.DOWN, "certificate")
    assert "STARTTLS" in outcome.message
    assert check(port, pki, verify_tls=False).status == Status.UP


def test_required_starttls_missing_is_down(mail_server):
    outcome = check(mail_server(), tls="starttls")
    assert (outcome.status, outcome.reason) == (Status.DOWN, "starttls")


def test_implicit_tls(mail_server, pki):
    port = mail_server(implicit=pki.issue("smtps"))
    outcome = check(port, pki, tls="implicit")
    assert outcome.status == Status.UP, outcome.message
    assert outcome.values["tls"] is True


def test_a_554_greeting_is_down_as_rejected(tcp_peer):
    port = tcp_peer(b"554 5.3.2 mail.ward.test no service for you\r\n")
    outcome = check(port)
    assert (outcome.status, outcome.reason) == (Status.DOWN, "rejected")
    assert "554" in outcome.message


def test_a_closed_port_and_a_silent_server_are_down(closed_port, tcp_peer):
    assert check(closed_port).reason == "refused"
    silent = check(tcp_peer(None), timeout=1.0)
    assert (silent.status, silent.reason) == (Status.DOWN, "timeout")
    assert "greeting" in silent.message


def test_slow_greeting_is_degraded(mail_server):
    outcome = check(mail_server(), degraded_ms=0.001)
    assert (outcome.status, outcome.reason) == (Status.DEGRADED, "slow")
