"""A throughput path between two zones on one machine: namespaces for an
imaging zone and a PACS zone joined by a veth whose imaging end is shaped
to 20 Mbit/s (``tc qdisc … tbf``, a token bucket: netem is not in every
kernel); a real ``wardkeeper poller`` runs in each
zone — the PACS one with ``--sink :5201`` — and both report to this test's
server over the imaging namespace, which routes to the host.

    host 10.214.0.1 ── imaging 10.214.0.2 / 10.214.1.1 ══ pacs 10.214.1.2
                                         (20 Mbit/s →)      (sink :5201)

The history the page shows reads about 20 Mbit/s; once the shaping is
removed the next figure is far higher. Needs root, ``ip`` and ``tc``;
skipped otherwise. Namespaces and processes are removed even when it fails.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator

import pytest
from django.db import connections
from django.test.testcases import LiveServerThread
from django.utils import timezone

from tests.network import test_segmentation_netns as segmentation
from tests.network.test_segmentation_netns import (
    DB_LOCK,
    Processes,
    _LockedHandler,
    in_ns,
    sh,
    wait_for,
)
from wardkeeper.monitoring.choices import CheckKind, CheckStatus
from wardkeeper.monitoring.models import Check, Poller
from wardkeeper.network.models import Zone
from wardkeeper.network.services import throughput

pytestmark = [
    pytest.mark.skipif(
        os.geteuid() != 0 or not shutil.which("ip") or not shutil.which("tc"),
        reason="needs root, ip and tc",
    ),
    pytest.mark.django_db(transaction=True),
]

TAG = f"wt{os.getpid() % 10000}"
IMAGING, PACS = f"{TAG}i", f"{TAG}p"
HOST_IP, IMAGING_UP = "10.214.0.1", "10.214.0.2"
IMAGING_IP, PACS_IP = "10.214.1.1", "10.214.1.2"
LINK = f"{TAG}ip"  # the imaging end of the imaging ↔ PACS link
SINK_PORT = 5201


def build_network() -> None:
    for ns in (IMAGING, PACS):
        sh("ip", "netns", "add", ns)
        in_ns(ns, "ip", "link", "set", "lo", "up")
    sh("ip", "link", "add", f"{TAG}h", "type", "veth", "peer", "name", f"{TAG}ih")
    sh("ip", "link", "set", f"{TAG}ih", "netns", IMAGING)
    sh("ip", "addr", "add", f"{HOST_IP}/30", "dev", f"{TAG}h")
    sh("ip", "link", "set", f"{TAG}h", "up")
    in_ns(IMAGING, "ip", "addr", "add", f"{IMAGING_UP}/30", "dev", f"{TAG}ih")
    in_ns(IMAGING, "ip", "link", "set", f"{TAG}ih", "up")
    sh("ip", "link", "add", LINK, "type", "veth", "peer", "name", f"{TAG}pi")
    sh("ip", "link", "set", LINK, "netns", IMAGING)
    sh("ip", "link", "set", f"{TAG}pi", "netns", PACS)
    in_ns(IMAGING, "ip", "addr", "add", f"{IMAGING_IP}/24", "dev", LINK)
    in_ns(IMAGING, "ip", "link", "set", LINK, "up")
    in_ns(PACS, "ip", "addr", "add", f"{PACS_IP}/24", "dev", f"{TAG}pi")
    in_ns(PACS, "ip", "link", "set", f"{TAG}pi", "up")
    in_ns(PACS, "ip", "route", "add", "default", "via", IMAGING_IP)
    in_ns(IMAGING, "sysctl", "-qw", "net.ipv4.ip_forward=1")
    sh("ip", "route", "add", "10.214.1.0/24", "via", IMAGING_UP)


def tear_down_network() -> None:
    sh("ip", "route", "del", "10.214.1.0/24", check=False)
    sh("ip", "link", "del", f"{TAG}h", check=False)
    for ns in (IMAGING, PACS):
        sh("ip", "netns", "del", ns, check=False)


# The segmentation test's processes, stopped even when the test fails.
running = segmentation.processes


def shape(rate: str | None) -> None:
    """Limit what the imaging zone sends to the PACS zone (None: no limit)."""
    if rate is None:
        in_ns(IMAGING, "tc", "qdisc", "del", "dev", LINK, "root")
    else:
        limit = ("tbf", "rate", rate, "burst", "64kb", "latency", "100ms")
        in_ns(IMAGING, "tc", "qdisc", "add", "dev", LINK, "root", *limit)


@pytest.fixture
def server(settings) -> Iterator[str]:
    tear_down_network()  # leftovers of an interrupted run
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, HOST_IP]
    shared = {
        c.alias: c
        for c in connections.all()
        if c.vendor == "sqlite" and c.is_in_memory_db()
    }
    for conn in shared.values():
        conn.inc_thread_sharing()
    try:
        build_network()
        thread = LiveServerThread(HOST_IP, _LockedHandler, shared, port=0)
        thread.daemon = True
        thread.start()
        thread.is_ready.wait()
        if thread.error:
            raise thread.error
        yield f"http://{HOST_IP}:{thread.port}"
        thread.terminate()
    finally:
        for conn in shared.values():
            conn.dec_thread_sharing()
        tear_down_network()


def start_poller(procs: Processes, server: str, ns: str, poller: Poller, *extra: str):
    token = poller.new_token()
    with DB_LOCK:
        poller.save()
    command = [sys.executable, "-m", "wardkeeper.cli", "poller", "--server", server]
    command += ["--token", token, "--zone", ns, "--reload", "1", *extra]
    return procs.start(ns, *command, name=f"poller-{poller.name}")


def test_a_shaped_path_between_two_pollers_reads_its_rate(server, running):
    imaging = Poller.objects.create(
        name="imaging-1", zone=Zone.objects.create(name="imaging")
    )
    pacs = Poller.objects.create(name="pacs-1", zone=Zone.objects.create(name="pacs"))
    path = Check.objects.create(
        name="Imaging → PACS",
        kind=CheckKind.THROUGHPUT,
        host=PACS_IP,
        params={"size_mb": 5, "port": SINK_PORT, "min_mbps": 15},
        poller=imaging,
        interval=3,  # a test's pace; the form keeps real paths to 900 s
        timeout=20,
        confirm_up=1,
    )
    shape("20mbit")  # the imaging → PACS direction, the one measured
    start_poller(running, server, PACS, pacs, "--sink", f":{SINK_PORT}")
    start_poller(running, server, IMAGING, imaging)

    def latest(after=None):
        with DB_LOCK:
            found = throughput.figures([Check.objects.get(pk=path.pk)])[path.pk]
        if found.last_mbps is None or (after and found.last_at < after):
            return None
        return found

    shaped = wait_for("a figure through the shaped link", latest, running)
    assert 10 <= shaped.last_mbps <= 30, running.logs()
    with DB_LOCK:
        assert Check.objects.get(pk=path.pk).status == CheckStatus.UP

    unshaped_at = timezone.now()
    shape(None)
    free = wait_for("a figure once unshaped", lambda: latest(unshaped_at), running)
    assert free.last_mbps > 3 * shaped.last_mbps, running.logs()
    assert free.median_24h is not None
