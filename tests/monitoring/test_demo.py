"""The demo hospital's monitoring: its equipment's checks probe loopback
stand-ins (or are paused when nothing here can answer them), a month of
simulated history, rules and the weekly window, and one standing fault — a
ward's switch down with the devices behind it — that the real monitor keeps
exactly as the demo built it. One build per test: a build takes seconds."""

import asyncio
import datetime as dt
import ipaddress
import random
import time
from urllib.parse import urlsplit

import pytest
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from wardkeeper.inventory.demo import DEFAULT_SEED, build_demo
from wardkeeper.monitoring.choices import (
    AlertState,
    CheckKind,
    CheckStatus,
    Recurrence,
)
from wardkeeper.monitoring.demo import equipment, fault, standins
from wardkeeper.monitoring.models import (
    Alert,
    AlertRule,
    Check,
    CheckTemplate,
    MaintenanceWindow,
    Outage,
    Result,
    Rollup,
)
from wardkeeper.monitoring.runner import Monitor
from wardkeeper.monitoring.services import alerts, availability, board, templates
from wardkeeper.servicedesk.choices import Category, Source
from wardkeeper.servicedesk.models import Ticket

# (Redfish: the backup demo's storage checks, demo_storage.py.)
PAUSED_KINDS = {CheckKind.SNMP, CheckKind.DICOM_ECHO, CheckKind.TLS, CheckKind.REDFISH}


def is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def the_fault():
    """The open alert's check (the root cause) and its ticket."""
    alert = Alert.objects.exclude(state=AlertState.RESOLVED).get()
    return alert, alert.source, alert.ticket


@pytest.mark.django_db
def test_the_demo_watches_its_equipment_through_loopback_stand_ins():
    result = build_demo(scale=0.05, accounts=False)
    assert result.counts["checks"] == Check.objects.count()

    kinds = {(t.asset_type.code, t.kind) for t in CheckTemplate.objects.all()}
    assert {("switch", "icmp"), ("server", "tcp"), ("ups", "snmp")} <= kinds
    # The template job gives none of the demo's devices a made-up address.
    assert not CheckTemplate.objects.filter(is_active=True).exists()
    assert templates.apply_all() == 0

    live = Check.objects.filter(enabled=True).exclude(kind=CheckKind.POSTGRES)
    assert all(is_loopback(c.host) for c in live)
    pages = live.filter(kind=CheckKind.HTTP)
    assert all(is_loopback(urlsplit(c.params["url"]).hostname) for c in pages)
    assert set(live.values_list("kind", flat=True)) == {"icmp", "tcp", "http"}
    pings = live.filter(kind=CheckKind.ICMP).select_related("asset")
    network = ipaddress.ip_network(f"{standins.STANDIN_NETWORK}")
    assert all(ipaddress.ip_address(c.host) in network for c in pings)
    assert len({c.host for c in pings}) == len({c.asset_id for c in pings})
    for check in pings:
        # The inventory keeps the real address; the notes name it.
        assert check.asset.ip_address.startswith("10.")
        assert check.asset.ip_address in check.notes

    paused = Check.objects.filter(enabled=False).select_related("asset")
    assert paused.count() > 10
    assert set(paused.values_list("kind", flat=True)) <= PAUSED_KINDS
    assert all(c.status == CheckStatus.PAUSED for c in paused)
    assert all(c.host == c.asset.ip_address for c in paused)
    assert all(c.asset.ip_address in c.notes for c in paused)

    shown = board.build()
    assert shown.paused == paused.count()
    assert shown.counts["up"] > 0.8 * shown.total
    assert shown.counts["unknown"] == shown.counts["degraded"] == 0
    assert {g.name for g in shown.groups} >= {"Main Campus", "East Campus"}

    window = MaintenanceWindow.objects.get()
    starts = timezone.localtime(window.starts_at)
    assert window.recurrence == Recurrence.WEEKLY
    assert (starts.weekday(), starts.hour, window.duration) == (6, 2, 120)
    assert AlertRule.objects.filter(open_ticket=True).exists()


@pytest.mark.django_db
def test_the_board_shows_a_wards_switch_down_with_the_devices_behind_it():
    build_demo(scale=0.05, accounts=False)
    alert, switch, ticket = the_fault()
    children = list(switch.children.all())

    shown = board.build()
    (cause,) = shown.down
    assert cause.check == switch
    assert cause.affected == alert.affected == len(children) >= 2
    assert {c.pk for c in cause.children} == {c.pk for c in children}
    assert not shown.orphans
    assert shown.counts["down"] == 1
    assert shown.counts["unreachable"] == len(children)
    assert switch.asset.asset_type.code == "switch"
    assert f"{len(children)} dependent checks are unreachable" in alert.message
    assert {c.status for c in children} == {CheckStatus.UNREACHABLE}
    # It began before the build, and it is on a ward, not in the data centre.
    assert switch.status_since < timezone.now() - dt.timedelta(minutes=5)
    assert switch.params["port"] == standins.FAULT_PORT
    floor = equipment.place(switch.asset, 3)
    assert {equipment.place(c.asset, 3) for c in children} == {floor}
    assert {c.asset.asset_type.code for c in children} & fault.WARD_TYPES

    assert ticket.source == Source.MONITORING
    assert ticket.origin == f"check:{switch.pk}"
    assert ticket.team == alerts.team_of(switch)
    assert Category.NETWORK in ticket.team.categories
    assert ticket.priority <= 2

    # The same seed picks the same switch again.
    again = fault.plan(random.Random(f"{DEFAULT_SEED}:monitoring"), timezone.now())
    assert again.switch == switch.asset


@pytest.mark.django_db
def test_the_same_seed_builds_the_same_checks_on_the_same_stand_ins():
    def built():
        with transaction.atomic():
            build_demo(scale=0.05, accounts=False)
            rows = sorted(Check.objects.values_list("name", "host", "enabled", "notes"))
            transaction.set_rollback(True)
        return rows

    assert built() == built()


@pytest.mark.django_db
def test_the_month_report_shows_the_past_switch_outage_and_what_it_took_down():
    build_demo(scale=0.05, accounts=False)
    past = Outage.objects.filter(ended_at__isnull=False, in_maintenance=False)
    root = past.filter(status=CheckStatus.DOWN, source__kind=CheckKind.ICMP)
    switch = root.filter(source__asset__asset_type__code="switch").get().source
    children = past.filter(status=CheckStatus.UNREACHABLE)
    assert children.count() >= 2
    assert set(children.values_list("root_cause", flat=True)) == {switch.pk}
    alert = Alert.objects.get(source=switch)
    assert alert.affected == children.count()
    assert Outage.objects.filter(in_maintenance=True).exists()

    now = timezone.now()
    report = availability.compute(now - dt.timedelta(days=30), now, grouping="check")
    rows = {row.key: row for row in report.rows}
    assert 99 < rows[switch.pk].percent < 100
    assert rows[switch.pk].outages == 1
    assert 40 <= rows[switch.pk].downtime.total_seconds() / 60 <= 50
    assert report.total.maintenance > 0  # the data centre's Sundays
    assert report.total.percent_strict < report.total.percent
    assert Rollup.objects.filter(period=Rollup.DAY, source=switch).count() >= 30


async def until(monitor, condition, seconds=60.0):
    """Wait for ``condition``, asked on the monitor's own database thread
    (SQLite's in-memory test database is locked while the monitor writes)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if await monitor._in_thread(condition):
            return
        await asyncio.sleep(0.2)
    pytest.fail(f"not reached within {seconds} s")


def snapshot():
    shown = board.build()
    return {
        "counts": shown.counts,
        "paused": shown.paused,
        "down": [(c.check.pk, c.affected, len(c.children)) for c in shown.down],
        "orphans": shown.orphans,
        "alerts": Alert.objects.exclude(state=AlertState.RESOLVED).count(),
        "tickets": Ticket.objects.filter(source=Source.MONITORING).count(),
        "outages": Outage.objects.filter(ended_at=None).count(),
    }


@pytest.mark.django_db(transaction=True)
def test_the_real_monitor_keeps_the_demo_board_as_built(live_server, monkeypatch):
    # The demo's web checks are Wardkeeper's own pages: here, the live server.
    address = urlsplit(live_server.url)
    monkeypatch.setenv("WARDKEEPER_BIND", f"127.0.0.1:{address.port}")
    build_demo(scale=0.05, accounts=False)
    before = snapshot()
    enabled = Check.objects.filter(enabled=True)
    # Test only: a round a second instead of a minute.
    enabled.update(interval=1)
    count = enabled.count()
    started = timezone.now()

    def two_rounds():
        ran = (
            Result.objects.filter(at__gte=started)
            .values("source")
            .annotate(n=Count("pk"))
            .filter(n__gte=2)
        )
        return ran.count() == count

    async def scenario():
        monitor = Monitor(reload_every=1, flush_interval=0.1, listen=[])
        stop = asyncio.Event()
        running = asyncio.create_task(monitor.run(stop))
        try:
            await until(monitor, two_rounds)
        finally:
            stop.set()
            await asyncio.wait_for(running, 30)

    asyncio.run(scenario())

    assert snapshot() == before
    results = Result.objects.filter(at__gte=started)
    _alert, switch, _ticket = the_fault()
    faulty = {switch.pk, *switch.children.values_list("pk", flat=True)}
    assert set(results.filter(reason="refused").values_list("source", flat=True)) == (
        faulty
    )
    standing = enabled.exclude(pk__in=faulty)
    up = set(results.filter(status="up").values_list("source", flat=True))
    assert up == set(standing.values_list("pk", flat=True))
    assert not results.exclude(source__in=faulty).exclude(status="up").exists()
