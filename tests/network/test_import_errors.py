"""A file with one bad row changes nothing, and the error names the row,
the column and why; the command line says the same."""

import io

import pytest
from django.core.management import CommandError, call_command

from tests.factories.transfer import csv_bytes
from tests.network.import_world import build_network
from wardkeeper.inventory.transfer import run_import
from wardkeeper.network.models import Cable, Interface, Outlet


def load(kind, rows):
    return run_import(
        kind,
        io.BytesIO(csv_bytes(rows)),
        filename=f"{kind}.csv",
        dry_run=False,
        actor=None,
    )


@pytest.mark.django_db
def test_a_bad_row_in_the_middle_changes_nothing_and_is_named():
    build_network()
    report = load(
        "interfaces",
        [
            ["device", "name", "type", "untagged_vlan"],
            ["SW-01", "Gi1/0/2", "1000base-t", "10@MAIN"],
            ["SW-01", "Gi1/0/3", "warp-drive", ""],
            ["SW-01", "Gi1/0/4", "", "999"],
            ["SW-01", "Gi1/0/5", "", ""],
        ],
    )
    assert not report.ok
    found = {(e.row, e.column) for e in report.errors}
    assert found == {(3, "type"), (4, "untagged_vlan")}
    assert "warp-drive" in report.errors[0].message
    assert not Interface.objects.filter(name__in=["Gi1/0/2", "Gi1/0/5"]).exists()


@pytest.mark.django_db
def test_a_cable_onto_a_point_another_cable_holds_is_refused():
    build_network()
    report = load(
        "cables",
        [
            ["label", "a_device", "a_interface", "b_outlet"],
            ["C-003", "PC-07", "eth0", "W3-01"],
        ],
    )
    assert [(e.row, e.column) for e in report.errors] == [(2, "b_device")]
    assert "C-002" in report.errors[0].message
    assert not Cable.objects.filter(label="C-003").exists()


@pytest.mark.django_db
def test_two_rows_on_one_point_are_refused():
    build_network()
    Outlet.objects.create(label="W3-02", location=Outlet.objects.get().location)
    report = load(
        "cables",
        [
            ["label", "a_device", "a_interface", "b_outlet"],
            ["X1", "SW-01", "Te1/1/1", "W3-02"],
            ["X2", "PC-07", "eth0", "W3-02"],
        ],
    )
    assert [(e.row, e.column) for e in report.errors] == [(3, "b_device")]


@pytest.mark.django_db
def test_the_import_command_takes_network_kinds(tmp_path):
    build_network()
    path = tmp_path / "outlets.csv"
    path.write_bytes(csv_bytes([["label", "room"], ["W3-09", "W3"], ["W3-10", "NOPE"]]))
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 errors"):
        call_command("import", "outlets", str(path), stdout=io.StringIO(), stderr=err)
    assert "row 3, room: No location code is named “NOPE”." in err.getvalue()
    assert not Outlet.objects.filter(label="W3-09").exists()
