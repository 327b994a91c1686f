"""DNS checks against dnsmasq (Debian's package) started by the test on a
loopback port, serving a small zone for the hospital's domain ward.test:
addresses, a CNAME, a PTR, MX hosts, SPF and DMARC records; plus a UDP
socket that never answers (a dead DNS server)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time

import dns.resolver
import pytest

from tests.monitoring.probes.conftest import run
from wardkeeper.monitoring.engine.probes.dns import dns_probe
from wardkeeper.monitoring.engine.spec import CheckSpec, Status

ZONE = [
    "--local=/ward.test/",  # unknown names are NXDOMAIN, not passed upstream
    "--host-record=pacs.ward.test,10.1.2.3,fd00::3",
    "--host-record=pacs.ward.test,10.1.2.4",
    "--cname=portal.ward.test,pacs.ward.test",
    "--ptr-record=3.2.1.10.in-addr.arpa,pacs.ward.test",
    "--mx-host=ward.test,mail.ward.test,10",
    "--mx-host=ward.test,mx2.ward.test,20",
    "--txt-record=ward.test,v=spf1 mx ip4:192.0.2.0/24 -all",
    "--txt-record=_dmarc.ward.test,v=DMARC1; p=quarantine; rua=mailto:d@ward.test",
    "--txt-record=nospf.ward.test,site-verification=abc",
    "--txt-record=twospf.ward.test,v=spf1 -all",
    "--txt-record=twospf.ward.test,v=spf1 mx -all",
    "--txt-record=_dmarc.twospf.ward.test,v=DMARC1; rua=mailto:d@ward.test",
]


def _free_port() -> int:
    """A loopback port free for both UDP and TCP (dnsmasq binds both)."""
    for _ in range(20):
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
            udp.bind(("127.0.0.1", 0))
            port = udp.getsockname()[1]
            with socket.socket() as tcp:
                try:
                    tcp.bind(("127.0.0.1", port))
                except OSError:
                    continue
                return port
    raise RuntimeError("no free port")


def _answering(server: subprocess.Popen, port: int) -> bool:
    resolver = dns.resolver.Resolver(configure=False)
    resolver.nameservers, resolver.port = ["127.0.0.1"], port
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and server.poll() is None:
        try:
            resolver.resolve("pacs.ward.test", "A", lifetime=0.5)
            return True
        except dns.exception.DNSException:
            time.sleep(0.1)
    return False


@pytest.fixture(scope="module")
def dnsmasq():
    """dnsmasq in the foreground with only the test zone; yields its port
    (a second port is tried if another process took the first meanwhile)."""
    if not shutil.which("dnsmasq"):
        pytest.fail("dnsmasq is not installed (apt-get install dnsmasq)")
    for _attempt in range(3):
        port = _free_port()
        command = [
            "dnsmasq", "--keep-in-foreground", "--conf-file=/dev/null",
            f"--port={port}", "--listen-address=127.0.0.1", "--bind-interfaces",
            "--no-resolv", "--no-hosts", "--pid-file=", "--user=root",
            "--log-facility=/dev/null", *ZONE,
        ]  # fmt: skip
        server = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
        try:
            if _answering(server, port):
                yield port
                return
        finally:
            server.terminate()
            _, errors = server.communicate(timeout=5)
    raise RuntimeError(f"dnsmasq did not start answering: {errors}")


@pytest.fixture
def silent_server():
    """A UDP port that receives queries and never answers."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]


def check(port, name, record="A", timeout=3.0, **params):
    params = {"port": port, "name": name, "record": record, **params}
    return run(dns_probe(CheckSpec(1, "dns", "127.0.0.1", params, timeout=timeout)))


def test_addresses_match_as_a_set_in_any_order(dnsmasq):
    outcome = check(dnsmasq, "pacs.ward.test", expect=["10.1.2.4", "10.1.2.3"])
    assert outcome.status == Status.UP
    assert outcome.values["answers"] == ["10.1.2.3", "10.1.2.4"]
    assert outcome.values["server"] == "127.0.0.1"
    assert outcome.latency_ms is not None
    assert outcome.latency_ms > 0


def test_a_missing_or_extra_address_is_a_mismatch_unless_contains(dnsmasq):
    exact = check(dnsmasq, "pacs.ward.test", expect="10.1.2.3")
    assert (exact.status, exact.reason) == (Status.DOWN, "mismatch")
    assert "10.1.2.4" in exact.message
    contains = check(dnsmasq, "pacs.ward.test", expect="10.1.2.3", match="contains")
    assert contains.status == Status.UP
    moved = check(dnsmasq, "pacs.ward.test", expect=["10.9.9.9"], match="contains")
    assert (moved.status, moved.reason) == (Status.DOWN, "mismatch")


def test_aaaa_cname_and_ptr_compare_in_normal_form(dnsmasq):
    v6 = check(dnsmasq, "pacs.ward.test", "AAAA", expect="FD00:0:0::3")
    assert v6.status == Status.UP, v6.message
    alias = check(dnsmasq, "portal.ward.test", "CNAME", expect="PACS.ward.test.")
    assert alias.status == Status.UP, alias.message
    reverse = check(dnsmasq, "3.2.1.10.in-addr.arpa", "PTR", expect="pacs.ward.test")
    assert reverse.status == Status.UP, reverse.message


def test_unknown_name_and_missing_type_are_told_apart(dnsmasq):
    gone = check(dnsmasq, "ris.ward.test")
    assert (gone.status, gone.reason) == (Status.DOWN, "nxdomain")
    no_mx = check(dnsmasq, "pacs.ward.test", "MX")
    assert (no_mx.status, no_mx.reason) == (Status.DOWN, "noanswer")


def test_mx_hosts_of_the_mail_domain(dnsmasq):
    outcome = check(
        dnsmasq, "ward.test", "MX", expect=["mx2.ward.test", "mail.ward.test"]
    )
    assert outcome.status == Status.UP
    lost = check(dnsmasq, "ward.test", "MX", expect=["mail.ward.test"])
    assert (lost.status, lost.reason) == (Status.DOWN, "mismatch")


def test_spf_record_and_its_mechanisms(dnsmasq):
    outcome = check(
        dnsmasq, "ward.test", "SPF", mechanisms=["ip4:192.0.2.0/24", "-all"]
    )
    assert outcome.status == Status.UP
    assert outcome.values["record"] == "v=spf1 mx ip4:192.0.2.0/24 -all"
    softer = check(dnsmasq, "ward.test", "SPF", mechanisms=["include:_spf.ward.test"])
    assert (softer.status, softer.reason) == (Status.DOWN, "mismatch")
    assert check(dnsmasq, "nospf.ward.test", "SPF").reason == "missing"
    assert check(dnsmasq, "twospf.ward.test", "SPF").reason == "invalid"


def test_dmarc_policy(dnsmasq):
    outcome = check(dnsmasq, "ward.test", "DMARC", policy="quarantine")
    assert outcome.status == Status.UP
    assert outcome.values["policy"] == "quarantine"
    stricter = check(dnsmasq, "ward.test", "DMARC", policy="reject")
    assert (stricter.status, stricter.reason) == (Status.DOWN, "policy")
    assert check(dnsmasq, "nospf.ward.test", "DMARC").reason == "missing"
    assert check(dnsmasq, "twospf.ward.test", "DMARC").reason == "invalid"


def test_slow_answer_is_degraded(dnsmasq):
    outcome = check(dnsmasq, "pacs.ward.test", degraded_ms=0.001)
    assert (outcome.status, outcome.reason) == (Status.DEGRADED, "slow")


def test_a_dead_server_times_out_within_the_check_timeout(silent_server):
    started = time.monotonic()
    outcome = check(silent_server, "pacs.ward.test", timeout=1.0)
    assert (outcome.status, outcome.reason) == (Status.DOWN, "timeout")
    assert time.monotonic() - started < 1.5


def test_a_bad_record_type_is_a_configuration_error(dnsmasq):
    outcome = check(dnsmasq, "pacs.ward.test", "BOGUS")
    assert (outcome.status, outcome.reason) == (Status.UNKNOWN, "config")
