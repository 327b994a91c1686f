"""TCP connect against real loopback peers: open, closed, silent, greeting."""

from __future__ import annotations

import time

from tests.monitoring.probes.conftest import run
from wardkeeper.monitoring.engine.probes.tcp import check_tcp
from wardkeeper.monitoring.engine.spec import CheckSpec, Status


def spec(port, timeout=2.0, **params):
    return CheckSpec(1, "tcp", "127.0.0.1", {"port": port, **params}, timeout=timeout)


def test_an_open_port_is_up_with_its_connect_time(tcp_peer):
    outcome = run(check_tcp(spec(tcp_peer(b""))))
    assert outcome.status == Status.UP
    assert 0 < outcome.latency_ms < 1000
    assert outcome.values["connect_ms"] == outcome.latency_ms


def test_a_closed_port_is_down_as_refused(closed_port):
    outcome = run(check_tcp(spec(closed_port)))
    assert (outcome.status, outcome.reason) == (Status.DOWN, "refused")


def test_the_expected_banner_is_matched_and_a_wrong_one_is_not(tcp_peer):
    port = tcp_peer(b"220 pacs.ward ESMTP ready\r\n")
    assert run(check_tcp(spec(port, expect="220 "))).status == Status.UP
    assert (
        run(check_tcp(spec(port, expect_regex=r"^220 \S+ ESMTP"))).status == Status.UP
    )
    wrong = run(check_tcp(spec(port, expect="+OK", read_bytes=20)))
    assert (wrong.status, wrong.reason) == (Status.DOWN, "mismatch")


def test_a_service_that_accepts_but_never_answers_times_out_in_time(tcp_peer):
    port = tcp_peer(None)
    started = time.monotonic()
    outcome = run(check_tcp(spec(port, timeout=0.5, send="PING\\r\\n", expect="PONG")))
    assert (outcome.status, outcome.reason) == (Status.DOWN, "timeout")
    assert time.monotonic() - started < 1.0
    assert outcome.latency_ms is not None  # it did connect


def test_a_name_that_does_not_resolve_is_down_as_dns():
    outcome = run(check_tcp(CheckSpec(1, "tcp", "no-such-host.invalid", {"port": 80})))
    assert (outcome.status, outcome.reason) == (Status.DOWN, "dns")


def test_a_slow_connect_limit_makes_it_degraded(tcp_peer):
    outcome = run(check_tcp(spec(tcp_peer(b""), degraded_ms=-1)))
    assert (outcome.status, outcome.reason) == (Status.DEGRADED, "slow")
