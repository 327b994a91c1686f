"""``wardkeeper throughput_sink`` as an operator runs it: a real process
that takes transfers until SIGTERM, and refuses a bad address."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys

from wardkeeper.monitoring.engine.probes.throughput import check_throughput
from wardkeeper.monitoring.engine.spec import CheckSpec, Status


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wardkeeper(*args: str, tmp_path) -> subprocess.Popen[str]:
    env = {**os.environ, "WARDKEEPER_DATA_DIR": str(tmp_path)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.Popen(
        [sys.executable, "-m", "wardkeeper.cli", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_the_sink_takes_transfers_until_it_is_stopped(tmp_path):
    port = free_port()
    sink = wardkeeper(
        "throughput_sink", "--listen", f"127.0.0.1:{port}", "--max-mb", "2",
        tmp_path=tmp_path,
    )  # fmt: skip
    try:
        assert "listening on port" in sink.stdout.readline()
        spec = CheckSpec(1, "throughput", "127.0.0.1", {"port": port, "size_mb": 2})
        assert asyncio.run(check_throughput(spec)).status == Status.UP
        big = CheckSpec(1, "throughput", "127.0.0.1", {"port": port, "size_mb": 3})
        assert asyncio.run(check_throughput(big)).reason == "too-big"
    finally:
        sink.send_signal(signal.SIGTERM)
        out, _err = sink.communicate(timeout=20)
    assert sink.returncode == 0
    assert "stopped after 1 transfer." in out


def test_a_bad_listen_address_is_refused_with_the_form_to_use(tmp_path):
    sink = wardkeeper("throughput_sink", "--listen", "pacs:http", tmp_path=tmp_path)
    _out, err = sink.communicate(timeout=30)
    assert sink.returncode != 0
    assert "[HOST]:PORT" in err
