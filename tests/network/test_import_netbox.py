"""A NetBox export set imports in order: devices, VLANs, interfaces, cables,
prefixes; the cables join the interfaces NetBox joined."""

import io
from pathlib import Path

import pytest

from tests.factories.inventory import (
    AssetFactory,
    CampusFactory,
    RoomFactory,
    asset_type,
)
from tests.factories.transfer import csv_bytes
from wardkeeper.inventory.models import Asset
from wardkeeper.inventory.transfer import run_import
from wardkeeper.network.models import VLAN, Cable, Interface, Prefix, Zone

FIXTURES = Path(__file__).parent / "fixtures" / "netbox"


def load(kind, name, dry_run=False):
    return run_import(kind, FIXTURES / name, filename=name, dry_run=dry_run, actor=None)


def load_rows(kind, rows):
    data = io.BytesIO(csv_bytes(rows))
    return run_import(kind, data, filename=f"{kind}.csv", dry_run=False, actor=None)


@pytest.fixture
def hospital(db):
    """What Wardkeeper holds before the move: the site, its server room, a
    rack and a patch panel, the switch already in the inventory by tag."""
    asset_type("workstation")
    campus = CampusFactory(name="Main Campus", code="MAIN")
    room = RoomFactory(code="SR1", name="Server room", parent__parent__parent=campus)
    AssetFactory(tag="SW-01", name="Core switch 1", location=room)
    Zone.objects.create(name="Clinical", kind="clinical")
    assert load_rows("racks", [["room", "name"], ["SR1", "A1"]]).ok
    assert load_rows(
        "patch-panels",
        [["room", "name", "rack", "ports"], ["SR1", "pp-a1", "A1", "24"]],
    ).ok
    asset_type("switch")


def test_the_netbox_set_imports_in_order_and_cables_join_the_right_interfaces(hospital):
    dry = load("netbox-devices", "devices.csv", dry_run=True)
    assert dry.ok, dry.errors
    assert (dry.created, dry.updated) == (2, 1)
    assert not Asset.objects.filter(name="acc-sw-02").exists()
    notes = " ".join(str(n) for n in dry.notes)
    assert (
        "acc-sw-02 is not in the inventory; it will be created as NB-acc-sw-02" in notes
    )
    assert "A patch panel" in notes
    for kind, name in (
        ("netbox-devices", "devices.csv"),
        ("netbox-vlans", "vlans.csv"),
        ("netbox-interfaces", "interfaces.csv"),
        ("netbox-cables", "cables.csv"),
        ("netbox-prefixes", "prefixes.csv"),
    ):
        report = load(kind, name)
        assert report.ok, (kind, report.errors)
    switch = Asset.objects.get(tag="SW-01")
    assert (switch.hostname, switch.ip_address) == ("core-sw-01", "10.20.0.2")
    assert (switch.placement.rack.name, switch.placement.position) == ("A1", 40)
    assert Asset.objects.get(name="ward3-pc").status == "ordered"
    uplink = Cable.objects.get(label="C-002")
    ends = {e.side: e.interface for e in uplink.ends.all()}
    assert (ends["a"].device.tag, ends["a"].name) == (
        "SW-01",
        "TenGigabitEthernet1/1/1",
    )
    assert (ends["b"].device.name, ends["b"].name) == ("acc-sw-02", "1/1/25")
    assert (uplink.kind, uplink.length_m) == ("om4", 3)
    patch = {e.side: e for e in Cable.objects.get(label="C-001").ends.all()}
    assert patch["a"].interface.name == "GigabitEthernet1/0/1"
    assert (patch["b"].port.panel.name, patch["b"].port.number, patch["b"].face) == (
        "pp-a1",
        1,
        "front",
    )
    assert not Cable.objects.filter(label="PWR-1").exists()
    trunk = Interface.objects.get(name="1/1/25")
    assert (trunk.kind, trunk.mode) == ("10gbase-x-sfpp", "trunk")
    assert sorted(trunk.tagged_vlans.values_list("vid", flat=True)) == [10, 20]
    assert Interface.objects.get(name="1/1/1").untagged_vlan.vid == 20
    assert VLAN.objects.get(vid=10).site.code == "MAIN"
    clinical = Prefix.objects.get(prefix="10.20.0.0/24")
    assert (clinical.vlan.vid, clinical.zone.name) == (10, "Clinical")
    assert Prefix.objects.get(prefix="172.16.0.0/22").is_pool


def test_a_second_import_of_the_set_changes_nothing(hospital):
    order = (
        ("netbox-devices", "devices.csv"),
        ("netbox-vlans", "vlans.csv"),
        ("netbox-interfaces", "interfaces.csv"),
        ("netbox-cables", "cables.csv"),
        ("netbox-prefixes", "prefixes.csv"),
    )
    for kind, name in order:
        load(kind, name)
    for kind, name in order:
        report = load(kind, name)
        assert (report.created, report.updated) == (0, 0), (kind, report.notes)


def test_an_unknown_interface_type_is_reported_on_its_row(hospital):
    load("netbox-devices", "devices.csv")
    report = load_rows(
        "netbox-interfaces",
        [
            ["Device", "Name", "Type", "Enabled"],
            ["core-sw-01", "Gi1/0/9", "1000BASE-T (1GE)", "True"],
            ["core-sw-01", "fc1", "32GFC (SFP28)", "True"],
        ],
    )
    assert [(e.row, e.column) for e in report.errors] == [(3, "type")]
    assert "Unknown interface type “32GFC (SFP28)”" in report.errors[0].message
    assert not Interface.objects.filter(name="Gi1/0/9").exists()
