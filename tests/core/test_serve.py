"""`wardkeeper serve` runs gunicorn on a real port, static files included."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

WARDKEEPER = [sys.executable, "-m", "wardkeeper"]


def command_env(data_dir: Path) -> dict[str, str]:
    """A private SQLite data directory, whatever database the suite runs on."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("WARDKEEPER_")}
    env["WARDKEEPER_DATA_DIR"] = str(data_dir)
    env["WARDKEEPER_THREADS"] = "2"
    return env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def wait_until_answering(url: str, server: subprocess.Popen, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert server.poll() is None, "the server exited before answering"
        try:
            fetch(url)
        except OSError:
            time.sleep(0.3)
        else:
            return
    pytest.fail(f"no answer from {url} within {seconds} s")


@pytest.fixture
def migrated_dir(tmp_path):
    data_dir = tmp_path / "data"
    subprocess.run(
        [*WARDKEEPER, "migrate", "-v", "0"],
        env=command_env(data_dir),
        check=True,
        timeout=120,
    )
    return data_dir


def test_it_serves_pages_and_hashed_static_files_and_stops_on_sigterm(migrated_dir):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [*WARDKEEPER, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        env=command_env(migrated_dir),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_until_answering(f"{base}/accounts/login/", server, 30)
        status, body = fetch(f"{base}/accounts/login/")
        assert status == 200
        css = re.search(
            rb'href="(/static/vendor/bootstrap/bootstrap\.min[^"]*\.css)"', body
        )
        assert css, "the login page links Bootstrap's stylesheet"
        assert css.group(1) != b"/static/vendor/bootstrap/bootstrap.min.css"
        status, stylesheet = fetch(base + css.group(1).decode())
        assert status == 200
        assert b".container" in stylesheet
        assert (migrated_dir / "static" / "staticfiles.json").exists()
    finally:
        server.send_signal(signal.SIGTERM)
        output, _ = server.communicate(timeout=30)
    assert server.returncode == 0
    assert b"GET /accounts/login/" in output  # the access log goes to stdout


def test_it_refuses_to_start_while_migrations_are_pending(tmp_path):
    result = subprocess.run(
        [*WARDKEEPER, "serve", "--bind", f"127.0.0.1:{free_port()}"],
        env=command_env(tmp_path / "fresh"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "wardkeeper migrate" in result.stderr
