"""Every network kind exports to a file that imports back to the same
records: after deleting them all, and again over them (nothing changes)."""

import io

import pytest

from tests.factories.transfer import export_csv
from tests.network.import_world import NETWORK_MODELS, build_network
from wardkeeper.core.models import AuditEntry
from wardkeeper.inventory.transfer import run_import
from wardkeeper.network.models import Cable, Interface

# In the order a new site is loaded.
KINDS = (
    "zones",
    "flow-rules",
    "vlans",
    "prefixes",
    "racks",
    "placements",
    "patch-panels",
    "outlets",
    "interfaces",
    "ip-addresses",
    "cables",
    "cable-tests",
)


def load(kind, data, dry_run=False):
    return run_import(
        kind, io.BytesIO(data), filename=f"{kind}.csv", dry_run=dry_run, actor=None
    )


@pytest.mark.django_db
def test_every_kind_round_trips_through_its_own_export():
    build_network()
    exported = {kind: export_csv(kind) for kind in KINDS}
    for model in NETWORK_MODELS:
        model.objects.all().delete()
    for kind in KINDS:
        report = load(kind, exported[kind])
        assert report.ok, (kind, report.errors)
        assert report.created == exported[kind].count(b"\n") - 1, kind
    assert {kind: export_csv(kind) for kind in KINDS} == exported
    for kind in KINDS:
        report = load(kind, exported[kind])
        assert (report.created, report.updated) == (0, 0), (kind, report.errors)


@pytest.mark.django_db
def test_the_imported_cables_join_the_same_points_and_are_audited():
    build_network()
    exported = {kind: export_csv(kind) for kind in KINDS}
    for model in NETWORK_MODELS:
        model.objects.all().delete()
    for kind in KINDS:
        load(kind, exported[kind])
    cable = Cable.objects.get(label="C-001")
    ends = {end.side: end for end in cable.ends.all()}
    assert ends["a"].interface.name == "Gi1/0/1"
    assert (ends["b"].port.panel.name, ends["b"].port.number, ends["b"].face) == (
        "PP1",
        1,
        "front",
    )
    trunk = Interface.objects.get(name="Te1/1/1")
    assert sorted(trunk.tagged_vlans.values_list("vid", flat=True)) == [10, 20]
    entry = AuditEntry.objects.filter(message__contains="cables.csv, row 2").get()
    assert entry.action == "create"


@pytest.mark.django_db
def test_a_dry_run_counts_what_would_change_and_writes_nothing():
    build_network()
    data = export_csv("outlets").replace(b"W3-01", b"W3-02")
    report = load("outlets", data, dry_run=True)
    assert (report.ok, report.created) == (True, 1)
    assert not Cable.objects.filter(ends__outlet__label="W3-02").exists()
    assert report.dry_run
