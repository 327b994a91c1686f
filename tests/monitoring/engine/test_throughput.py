"""The throughput probe against a real sink and a real web server on
loopback: what a run moved, its rate, and each way it can fail."""

from __future__ import annotations

import asyncio
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from wardkeeper.monitoring.engine.probes.throughput import (
    MB,
    Sink,
    SinkLimits,
    check_throughput,
    listen_address,
)
from wardkeeper.monitoring.engine.spec import CheckSpec, Status


def spec(port, timeout=10.0, host="127.0.0.1", **params):
    return CheckSpec(7, "throughput", host, {"port": port, **params}, timeout=timeout)


async def with_sink(make_spec, limits=None, runs=1):
    """Start a sink on a free loopback port, run the probe ``runs`` times at
    once against it, stop the sink; return (outcomes, sink)."""
    sink = Sink(limits)
    server = await sink.start("127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        outcomes = await asyncio.gather(
            *(check_throughput(make_spec(port)) for _ in range(runs))
        )
    finally:
        server.close()
    return outcomes, sink


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_run_moves_the_size_to_the_sink_and_reports_its_rate():
    (outcome,), sink = asyncio.run(with_sink(lambda port: spec(port, size_mb=5)))
    assert outcome.status == Status.UP, outcome.message
    assert outcome.values["bytes"] == 5 * MB
    assert outcome.values["mbps"] > 0
    assert outcome.values["seconds"] >= 0
    assert outcome.latency_ms > 0
    assert "5 MB in" in outcome.message
    assert (sink.transfers, sink.received) == (1, 5 * MB)


def test_a_sink_that_is_not_running_is_down_as_refused():
    outcome = asyncio.run(check_throughput(spec(free_port())))
    assert (outcome.status, outcome.reason) == (Status.DOWN, "refused")
    assert outcome.values == {}


def test_a_rate_below_the_floor_is_degraded_as_slow():
    (outcome,), _sink = asyncio.run(
        with_sink(lambda port: spec(port, size_mb=1, min_mbps=10_000_000))
    )
    assert (outcome.status, outcome.reason) == (Status.DEGRADED, "slow")
    assert "below 1e+07" in outcome.message
    assert outcome.values["bytes"] == MB


def test_the_sink_turns_away_a_transfer_over_its_cap_and_one_too_many():
    (big,), sink = asyncio.run(
        with_sink(lambda port: spec(port, size_mb=5), SinkLimits(max_bytes=MB))
    )
    assert (big.status, big.reason) == (Status.DOWN, "too-big")
    assert "at most 1 MB" in big.message
    assert sink.received == 0
    outcomes, _sink = asyncio.run(
        with_sink(
            lambda port: spec(port, size_mb=20), SinkLimits(max_connections=1), runs=3
        )
    )
    reasons = sorted(o.reason for o in outcomes)
    assert reasons.count("busy") >= 1
    assert "" in reasons  # the one let in went through


def test_a_peer_that_never_answers_times_out_within_the_timeout():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    try:
        outcome = asyncio.run(
            check_throughput(spec(listener.getsockname()[1], timeout=0.5))
        )
    finally:
        listener.close()
    assert (outcome.status, outcome.reason) == (Status.DOWN, "timeout")


class _Files(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        if self.path != "/study.dcm":
            self.send_error(404)
            return
        size = 8 * MB
        self.send_response(200)
        self.send_header("Content-Length", str(size))
        self.end_headers()
        block = b"\x00" * 100_000
        try:
            for _ in range(size // len(block)):
                self.wfile.write(block)
        except OSError:
            pass  # the probe read its size and hung up


@pytest.fixture
def file_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Files)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_download_reads_the_size_and_an_error_page_is_down(file_server):
    outcome = asyncio.run(
        check_throughput(
            spec(0, mode="http", url=f"{file_server}/study.dcm", size_mb=3)
        )
    )
    assert outcome.status == Status.UP, outcome.message
    assert outcome.values["bytes"] == 3 * MB
    assert outcome.values["mbps"] > 0
    whole = asyncio.run(
        check_throughput(
            spec(0, mode="http", url=f"{file_server}/study.dcm", size_mb=50)
        )
    )
    assert whole.values["bytes"] == 8 * MB  # the file is smaller than asked
    missing = asyncio.run(
        check_throughput(spec(0, mode="http", url=f"{file_server}/nothing"))
    )
    assert (missing.status, missing.reason) == (Status.DOWN, "status")
    assert "404" in missing.message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (":5201", (None, 5201)),
        ("0.0.0.0:5300", ("0.0.0.0", 5300)),
        ("[::]:5201", ("::", 5201)),
        ("5202", (None, 5202)),
    ],
)
def test_the_listen_address_is_read_as_operators_write_it(text, expected):
    assert listen_address(text) == expected


@pytest.mark.parametrize("text", ["pacs:http", ":99999", "x:y", ":0"])
def test_a_bad_listen_address_is_refused(text):
    with pytest.raises(ValueError):  # noqa: PT011 - int() or our own
        listen_address(text)
