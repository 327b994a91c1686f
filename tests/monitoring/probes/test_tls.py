"""TLS certificate checks against loopback HTTPS servers presenting
certificates the test issues."""

from __future__ import annotations

from tests.monitoring.probes.conftest import run
from wardkeeper.monitoring.engine.probes.tls import check_tls
from wardkeeper.monitoring.engine.spec import CheckSpec, Status


def spec(port, pki, **params):
    params = {"port": port, "ca_file": str(pki.ca_file), **params}
    return CheckSpec(1, "tls", "localhost", params, timeout=3.0)


def test_a_valid_certificate_is_up_with_its_details(pki, tls_server):
    port = tls_server(pki.issue("ok", days_left=200))
    outcome = run(check_tls(spec(port, pki)))
    assert outcome.status == Status.UP
    assert 199 < outcome.values["days_left"] < 201
    assert "Ward Test CA" in outcome.values["issuer"]
    assert "localhost" in outcome.values["subject"]
    assert outcome.values["not_after"][:4].isdigit()


def test_expiry_within_the_warning_is_degraded_and_within_critical_down(
    pki, tls_server
):
    port = tls_server(pki.issue("soon", days_left=20))
    warn = run(check_tls(spec(port, pki)))
    assert (warn.status, warn.reason) == (Status.DEGRADED, "expiring")
    port = tls_server(pki.issue("three-days", days_left=3))
    crit = run(check_tls(spec(port, pki)))
    assert (crit.status, crit.reason) == (Status.DOWN, "expiring")
    assert (
        run(check_tls(spec(port, pki, crit_days=2, warn_days=5))).status
        == Status.DEGRADED
    )


def test_an_expired_certificate_is_down(pki, tls_server):
    port = tls_server(pki.issue("expired", days_left=-2))
    outcome = run(check_tls(spec(port, pki)))
    assert (outcome.status, outcome.reason) == (Status.DOWN, "expired")
    assert outcome.values["days_left"] < 0


def test_a_self_signed_certificate_is_untrusted_unless_the_chain_is_not_judged(
    pki, tls_server
):
    port = tls_server(pki.issue("self", self_signed=True))
    outcome = run(check_tls(spec(port, pki)))
    assert (outcome.status, outcome.reason) == (Status.DOWN, "untrusted")
    assert outcome.values["days_left"] > 300  # the certificate is still read
    assert run(check_tls(spec(port, pki, verify_chain=False))).status == Status.UP


def test_the_system_store_does_not_trust_the_test_ca(pki, tls_server):
    port = tls_server(pki.issue("ok-system"))
    outcome = run(check_tls(spec(port, pki, ca_file="")))
    assert (outcome.status, outcome.reason) == (Status.DOWN, "untrusted")


def test_a_certificate_for_another_host_is_down(pki, tls_server):
    port = tls_server(pki.issue("other", names=("pacs.ward.example",)))
    outcome = run(check_tls(spec(port, pki)))
    assert (outcome.status, outcome.reason) == (Status.DOWN, "hostname")
    unverified = run(check_tls(spec(port, pki, verify_chain=False)))
    assert (unverified.status, unverified.reason) == (Status.DOWN, "hostname")
    named = run(check_tls(spec(port, pki, server_name="pacs.ward.example")))
    assert named.status == Status.UP


def test_no_listener_is_down_as_refused(pki, closed_port):
    outcome = run(check_tls(spec(closed_port, pki)))
    assert (outcome.status, outcome.reason) == (Status.DOWN, "refused")
