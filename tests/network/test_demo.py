"""The demo hospital's network: built on the inventory's demo equipment,
the same for the same seed, every ward outlet wired through its floor's
patch panel to a switch port, no point with two cables, every address in
its prefix, written in bulk with its audit trail. A build takes seconds: the tests that
only read the network share one build (``TestBuiltNetwork``, on one worker,
rolled back at its end); the determinism test rolls its own builds back."""

from __future__ import annotations

import ipaddress
from collections import Counter

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from wardkeeper.core.models.audit import AuditEntry
from wardkeeper.inventory.demo import build_demo
from wardkeeper.monitoring.models import Poller
from wardkeeper.network.choices import FlowAction, RackKind
from wardkeeper.network.models import (
    Cable,
    CableEnd,
    CableTest,
    FlowRule,
    Interface,
    IPAddress,
    Outlet,
    Placement,
    Prefix,
    Rack,
)

pytestmark = pytest.mark.django_db


class Rollback(Exception):
    pass


def fingerprint():
    """The network by what people see (labels, names, addresses), not ids."""
    ends = Counter()
    for end in CableEnd.objects.select_related(
        "cable", "interface__device", "port__panel__location", "outlet"
    ):
        point = end.point
        where = (
            f"{point.device.tag} {point.name}"
            if end.interface_id
            else point.label
            if end.outlet_id
            else f"{point.panel.location.code} {point.panel.name} {point.number}"
        )
        ends[(end.cable.label, str(end.cable.length_m), end.side, where, end.face)] += 1
    return (
        sorted(ends.items()),
        sorted(
            Interface.objects.values_list(
                "device__tag", "name", "mode", "untagged_vlan__vid", "enabled"
            )
        ),
        sorted(Placement.objects.values_list("rack__name", "asset__tag", "position")),
        sorted(IPAddress.objects.values_list("address", "interface__name")),
        sorted(CableTest.objects.values_list("cable__label", "passed", "margin_db")),
        sorted(FlowRule.objects.values_list("service", "action", "targets")),
    )


def built(seed, scale=0.05):
    """Build the demo, read its network, and roll it all back."""
    try:
        with transaction.atomic():
            build_demo(seed=seed, scale=scale, accounts=False)
            shape = fingerprint()
            raise Rollback
    except Rollback:
        return shape


def test_the_same_seed_builds_the_same_network():
    first = built(7)
    assert first[0], "the demo has cables"
    assert built(7) == first
    assert built(8) != first


def trace_to_switch(outlet):
    """The switch interface at the far end of the outlet's cables: through
    the trace service (services/trace.py)."""
    from wardkeeper.network.services.trace import trace

    path = trace(outlet)
    assert path.complete, outlet.label
    assert not path.looped
    return path.end, [hop[0] for hop in path.hops]


@pytest.fixture(scope="class")
def demo_queries(django_db_setup, django_db_blocker):
    """One demo build at scale 0.2 for the tests that only read it, with the
    queries it took; rolled back once the class is done."""
    with django_db_blocker.unblock(), transaction.atomic():
        with CaptureQueriesContext(connection) as queries:
            build_demo(scale=0.2, accounts=False)
        yield queries.captured_queries
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_queries, db):
    return demo_queries


@pytest.mark.xdist_group("network_demo")
class TestBuiltNetwork:
    def test_every_ward_outlet_traces_through_its_panel_to_a_switch_port(self, demo):
        ward = Outlet.objects.filter(location__name__contains="ward room").order_by(
            "label"
        )
        assert ward.count() > 20
        for outlet in ward:
            end, cables = trace_to_switch(outlet)
            assert isinstance(end, Interface), outlet.label
            assert end.device.asset_type.code == "switch"
            assert end.device.location_id != outlet.location_id  # in the closet
            assert end.device.location.parent_id == outlet.location.parent_id
            assert len(cables) == 2  # the horizontal cable and the patch cord
            assert end.mode == "access"
            assert end.untagged_vlan.vid in (10, 20)
        label = ward.first().label
        assert label.count("-") == 4  # IPD-5F-CARD-012-A
        assert label[-1] in "AB"

    def test_no_point_carries_two_cables_and_every_address_lies_in_its_prefix(
        self, demo
    ):
        for field in ("interface", "outlet"):
            doubled = (
                CableEnd.objects.exclude(**{field: None})
                .values(field)
                .annotate(n=Count("pk"))
                .filter(n__gt=1)
            )
            assert not doubled.exists()
        doubled = (
            CableEnd.objects.exclude(port=None)
            .values("port", "face")
            .annotate(n=Count("pk"))
            .filter(n__gt=1)
        )
        assert not doubled.exists()
        sides = Counter(CableEnd.objects.values_list("cable_id", flat=True))
        assert set(sides.values()) == {2}
        assert len(sides) == Cable.objects.count()

        # Every address lies in its prefix, and sits on its device's interface.
        networks = [
            (ipaddress.ip_network(p), vid)
            for p, vid in Prefix.objects.exclude(vlan=None).values_list(
                "prefix", "vlan__vid"
            )
        ]
        addresses = list(IPAddress.objects.select_related("interface__device"))
        assert len(addresses) > 500
        for address in addresses:
            iface = ipaddress.ip_interface(address.address)
            assert (iface.network, True) in {(n, True) for n, _vid in networks}, address
        on_interfaces = [a for a in addresses if a.interface_id]
        assert on_interfaces
        for address in on_interfaces:
            host = address.address.split("/")[0]
            assert address.interface.device.ip_address == host

    def test_the_policy_refuses_guests_the_his_database_and_the_racks_stand(self, demo):
        refused = {
            (r.service, r.ports)
            for r in FlowRule.objects.filter(
                source__kind="guest", destination__kind="servers"
            )
            if r.action == FlowAction.REFUSE
        }
        assert {("HIS database", "1521"), ("PACS DICOM", "104")} <= refused
        passing = FlowRule.objects.get(
            source__kind="clinical", destination__kind="servers", service="HIS web"
        )
        assert passing.action == FlowAction.PASS
        assert passing.targets
        assert not Poller.objects.exists()  # nothing verifies a zone in the demo

        # Closets hold an IDF each, each campus's core room the MDF.
        assert Rack.objects.filter(kind=RackKind.FRAME, name="MDF").count() == 2
        idfs = Rack.objects.filter(name__startswith="IDF-")
        assert idfs.count() >= 38  # one per floor
        tests = CableTest.objects.all()
        assert (
            tests.filter(passed=True).count() > 10 * tests.filter(passed=False).count()
        )
        assert tests.filter(passed=False).exists()
        untested = Cable.objects.filter(
            tests=None, kind="cat6", ends__outlet__isnull=False
        )
        assert untested.exists()

    def test_the_network_is_written_in_bulk_with_its_audit_trail(self, demo):
        network = [q for q in demo if '"network_' in q["sql"]]
        rows = (
            Interface.objects.count() + Cable.objects.count() + Outlet.objects.count()
        )
        assert rows > 5000
        assert len(network) < 300  # batches, not a query per row
        for model in (Outlet, Interface, Cable, IPAddress):
            kind = ContentType.objects.get_for_model(model)
            assert AuditEntry.objects.filter(content_type=kind).count() == (
                model.objects.count()
            )
        entry = AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Cable)
        ).first()
        assert "↔" in entry.changes["ends"][1]
