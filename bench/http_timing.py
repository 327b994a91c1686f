"""Latency of the asset list API and page, through `wardkeeper serve` on a
loopback port: bounded in requests and in time, never leaving 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import http.client
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

Figures = dict[str, Any]
TIME_BUDGET = 180.0  # seconds per list, whatever --requests says
WARM_UP = 10


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(port: int) -> subprocess.Popen[bytes]:
    """`wardkeeper serve` in this process's environment, waiting until it answers."""
    log = open(os.path.join(os.environ["WARDKEEPER_DATA_DIR"], "serve.log"), "wb")  # noqa: SIM115
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "wardkeeper",
            "serve",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("the server exited; see serve.log in the data dir")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/accounts/login/")
            conn.getresponse().read()
            return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise RuntimeError("the server did not answer within 90 s")


def credentials() -> tuple[str, str]:
    """A hardware engineer's API token and session cookie for the requests."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.models import Group
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone

    from wardkeeper.core.models import ApiToken, User

    user = User.objects.create(username="bench.hw", display_name="Bench engineer")
    user.set_unusable_password()
    user.save()
    user.groups.set([Group.objects.get(name="hardware_engineer")])
    _token, raw = ApiToken.issue(user, "bench", timezone.now() + dt.timedelta(days=1))
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return raw, f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def list_urls() -> tuple[list[str], list[str]]:
    """Filtered list URLs: in use, and in use on one campus or of one type."""
    from wardkeeper.inventory.models import AssetType, Location

    campus = Location.objects.campuses().order_by("code").first()
    kind = AssetType.objects.get(code="workstation")
    api = "/api/assets/?status=in_use&page_size=50"
    page = "/inventory/assets/?status=in_use"
    filters = ["", f"&campus={campus.pk}", f"&asset_type={kind.pk}", "&page=20"]
    return [api + f for f in filters], [page + f for f in filters]


def percentiles(samples: list[float]) -> tuple[float, float]:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return cuts[49] * 1000, cuts[94] * 1000


def timed_gets(
    port: int, urls: list[str], headers: dict[str, str], count: int
) -> list[float]:
    """GET the URLs in turn ``count`` times on one kept-alive connection."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    samples: list[float] = []
    deadline = time.monotonic() + TIME_BUDGET
    for number in range(WARM_UP + count):
        if time.monotonic() > deadline:
            break
        url = urls[number % len(urls)]
        started = time.perf_counter()
        conn.request("GET", url, headers=headers)
        response = conn.getresponse()
        response.read()
        elapsed = time.perf_counter() - started
        if response.status != 200:
            raise RuntimeError(f"GET {url} answered {response.status}")
        if number >= WARM_UP:
            samples.append(elapsed)
    conn.close()
    return samples


def time_lists(figures: Figures, count: int) -> None:
    """(a) and (b): p50/p95 of the list API and the list page."""
    token, cookie = credentials()
    api_urls, page_urls = list_urls()
    port = free_port()
    server = start_server(port)
    try:
        for key, urls, headers in (
            (
                "api",
                api_urls,
                {"Authorization": f"Bearer {token}", "Accept": "application/json"},
            ),
            ("page", page_urls, {"Cookie": cookie}),
        ):
            guarded(
                figures, key, lambda u=urls, h=headers: timed_gets(port, u, h, count)
            )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)


def guarded(figures: Figures, key: str, run: Callable[[], list[float]]) -> None:
    try:
        samples = run()
    except (RuntimeError, OSError) as exc:
        figures[f"{key}_p50"] = "failed"
        figures["notes"].append(f"{key}: {exc}")
        return
    figures[f"{key}_p50"], figures[f"{key}_p95"] = percentiles(samples)
    figures["notes"].append(f"{key}: {len(samples)} requests")
