"""SIP OPTIONS checks against sipp (Debian's sip-tester) started by the test
on loopback as a user agent server, with scenarios written here that answer
OPTIONS with 200 or 403, over UDP and TCP; a UDP socket that never answers
(to see RFC 3261 timer E retransmissions) and a closed port."""

from __future__ import annotations

import asyncio
import shutil
import socket
import subprocess
import time

import pytest

from tests.monitoring.probes.conftest import run
from wardkeeper.monitoring.engine.probes.sip import sip
from wardkeeper.monitoring.engine.spec import CheckSpec, Status

SCENARIO = """<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="answer OPTIONS with {code}">
  <recv request="OPTIONS" crlf="true"/>
  <send>
    <![CDATA[
SIP/2.0 {code} {phrase}
[last_Via:]
[last_From:]
[last_To:];tag=[pid]SIPpTag01[call_number]
[last_Call-ID:]
[last_CSeq:]
Contact: <sip:[local_ip]:[local_port];transport=[transport]>
Allow: INVITE, ACK, BYE, CANCEL, OPTIONS
Server: Ward video gateway
Content-Length: 0

]]>
  </send>
</scenario>
"""


def _free_port(kind=socket.SOCK_DGRAM) -> int:
    with socket.socket(socket.AF_INET, kind) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def check(port, timeout=3.0, **params):
    params = {"port": port, **params}
    return run(sip(CheckSpec(1, "sip", "127.0.0.1", params, timeout=timeout)))


@pytest.fixture
def sipp(tmp_path):
    """Start sipp answering OPTIONS with a code; returns its port."""
    if not shutil.which("sipp"):
        pytest.fail("sipp is not installed (apt-get install sip-tester)")
    running = []

    def start(code=200, phrase="OK", transport="udp") -> int:
        scenario = tmp_path / f"options-{code}-{transport}.xml"
        scenario.write_text(SCENARIO.format(code=code, phrase=phrase))
        tcp = transport == "tcp"
        port = _free_port(socket.SOCK_STREAM if tcp else socket.SOCK_DGRAM)
        command = ["sipp", "-sf", str(scenario), "-i", "127.0.0.1", "-p", str(port),
                   "-t", "t1" if tcp else "u1", "-nostdin"]  # fmt: skip
        running.append(
            subprocess.Popen(
                command,
                cwd=tmp_path,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:  # until sipp listens
            if check(port, timeout=0.5, transport=transport).reason != "refused":
                return port
            time.sleep(0.1)
        raise RuntimeError("sipp did not start")

    yield start
    for process in running:
        process.terminate()
        process.wait(timeout=5)


def test_a_gateway_answering_200_is_up(sipp):
    outcome = check(sipp(), user="consult-room-3")
    assert outcome.status == Status.UP, outcome.message
    assert outcome.values["code"] == 200
    assert outcome.values["server"] == "Ward video gateway"
    assert "OPTIONS" in outcome.values["allow"]
    assert outcome.latency_ms is not None


def test_a_403_is_rejected_unless_accepted(sipp):
    port = sipp(403, "Forbidden")
    outcome = check(port)
    assert (outcome.status, outcome.reason) == (Status.DOWN, "rejected")
    assert outcome.message == "403 Forbidden"
    assert check(port, accept=[200, 403]).status == Status.UP


def test_another_final_code_is_down_with_status(sipp):
    outcome = check(sipp(503, "Service Unavailable"))
    assert (outcome.status, outcome.reason) == (Status.DOWN, "status")


def test_over_tcp(sipp):
    outcome = check(sipp(transport="tcp"), transport="tcp")
    assert outcome.status == Status.UP, outcome.message
    assert outcome.values["code"] == 200


def test_no_answer_retransmits_per_timer_e_then_times_out():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as silent:
        silent.bind(("127.0.0.1", 0))
        silent.setblocking(False)
        started = time.monotonic()
        outcome = check(silent.getsockname()[1], timeout=2.0)
        elapsed = time.monotonic() - started
        received = []
        while True:
            try:
                received.append(silent.recv(65535))
            except BlockingIOError:
                break
    assert (outcome.status, outcome.reason) == (Status.DOWN, "timeout")
    assert elapsed < 2.5
    # Sent at 0, 0.5 and 1.5 s (timer E doubling from T1) within 1.9 s.
    assert len(received) == 3
    assert outcome.values["retransmissions"] == 2
    first = received[0].decode()
    assert first.startswith("OPTIONS sip:127.0.0.1:")
    assert ";branch=z9hG4bK" in first
    assert len({packet for packet in received}) == 1  # the same transaction


def test_nothing_listening_is_refused(closed_port):
    outcome = check(closed_port)
    assert (outcome.status, outcome.reason) == (Status.DOWN, "refused")


def test_probes_run_side_by_side(sipp):
    port = sipp()

    async def many():
        specs = [CheckSpec(n, "sip", "127.0.0.1", {"port": port}) for n in range(20)]
        return await asyncio.gather(*(sip(spec) for spec in specs))

    outcomes = run(many())
    assert [outcome.status for outcome in outcomes] == [Status.UP] * 20
