import datetime as dt
from decimal import Decimal

import pytest

from tests.factories.inventory import AssetFactory, AssetModelFactory, RoomFactory
from tests.factories.transfer import import_rows
from wardkeeper.core import audit
from wardkeeper.core.models import AuditEntry
from wardkeeper.core.models.audit import AuditAction, AuditSource
from wardkeeper.inventory.choices import AssetStatus
from wardkeeper.inventory.models import Asset, AssetModel, LifecycleEvent, Location

PLACES = [
    ["code", "name", "kind", "parent_code", "criticality"],
    ["OR-3", "OR-3", "room", "N-3F", "critical"],
    ["N", "North Campus", "campus", "", ""],
    ["N-3F", "3F", "floor", "N-SB", ""],
    ["N-SB", "Surgery Building", "building", "N", "normal"],
]


@pytest.mark.django_db
def test_places_are_created_with_parents_named_anywhere_in_the_file(hardware_engineer):
    report = import_rows("locations", PLACES, actor=hardware_engineer)
    assert (report.ok, report.created, report.total) == (True, 4, 4)
    room = Location.objects.get(code="OR-3")
    assert room.full_name == "North Campus / Surgery Building / 3F / OR-3"
    assert room.campus == Location.objects.get(code="N")
    assert room.criticality == 1
    entry = audit.history(room).get()
    assert (entry.action, entry.source, entry.actor) == (
        AuditAction.CREATE,
        AuditSource.IMPORT,
        hardware_engineer,
    )
    assert entry.changes["code"] == [None, "OR-3"]
    assert "row 2" in entry.message


@pytest.mark.django_db
def test_renaming_a_building_renames_the_places_inside_it():
    import_rows("locations", PLACES)
    report = import_rows(
        "locations", [["code", "name", "kind"], ["N-SB", "Block A", "building"]]
    )
    assert (report.updated, report.created) == (1, 0)
    room = Location.objects.get(code="OR-3")
    assert room.full_name == "North Campus / Block A / 3F / OR-3"


@pytest.mark.django_db
def test_a_model_import_creates_the_manufacturer_once():
    rows = [
        ["manufacturer", "name", "type_code", "end_of_support"],
        ["Mindray", "BeneView T5", "patient-monitor", "2031-12-31"],
        ["mindray", "BeneView T8", "Patient monitor", ""],
    ]
    report = import_rows("models", rows)
    assert report.created == 2
    models = AssetModel.objects.select_related("manufacturer").order_by("name")
    assert {m.manufacturer.name for m in models} == {"Mindray"}
    assert models[0].end_of_support == dt.date(2031, 12, 31)
    assert AuditEntry.objects.filter(object_repr="Mindray").count() == 1


@pytest.mark.django_db
def test_assets_take_their_type_from_the_model_and_parents_from_the_file():
    model = AssetModelFactory(name="S5735", manufacturer__name="Huawei Tech")
    room = RoomFactory(code="IDF-1")
    rows = [
        ["Tag", "Name", "Model", "Location code", "Parent tag", "Purchase cost"],
        ["SW-1-M", "module", "huawei tech s5735", "IDF-1", "SW-1", "1,200.5"],
        ["SW-1", "switch", "Huawei Tech S5735", "IDF-1", "", "300"],
    ]
    report = import_rows("assets", rows)
    assert report.errors == []
    module = Asset.objects.get(tag="SW-1-M")
    assert (module.model, module.asset_type, module.location) == (
        model,
        model.asset_type,
        room,
    )
    assert module.parent == Asset.objects.get(tag="SW-1")
    assert module.purchase_cost == Decimal("1200.50")


@pytest.mark.django_db
def test_a_status_change_follows_the_lifecycle_and_is_recorded():
    asset = AssetFactory(status=AssetStatus.IN_STOCK)
    rows = [["tag", "name", "model", "status"]]
    rows.append([asset.tag, asset.name, str(asset.model), "in use"])
    report = import_rows("assets", rows)
    assert report.updated == 1
    asset.refresh_from_db()
    assert asset.status == AssetStatus.IN_USE
    move = LifecycleEvent.objects.get(asset=asset)
    assert (move.from_status, move.to_status) == ("in_stock", "in_use")
    assert audit.history(asset).first().action == AuditAction.LIFECYCLE


@pytest.mark.django_db
def test_a_move_the_lifecycle_forbids_is_a_row_error():
    asset = AssetFactory(status=AssetStatus.IN_USE)
    rows = [["tag", "name", "model", "status"]]
    rows.append([asset.tag, asset.name, str(asset.model), "ordered"])
    report = import_rows("assets", rows)
    [error] = report.errors
    assert (error.row, error.column) == (2, "status")
    assert "cannot move to ordered" in error.message
    asset.refresh_from_db()
    assert asset.status == AssetStatus.IN_USE


@pytest.mark.django_db
def test_columns_left_out_of_the_file_are_left_alone():
    asset = AssetFactory(serial="KEEP-ME", hostname="old")
    rows = [["tag", "name", "model", "hostname"]]
    rows.append([asset.tag, asset.name, str(asset.model), "new-host"])
    assert import_rows("assets", rows).updated == 1
    asset.refresh_from_db()
    assert (asset.serial, asset.hostname) == ("KEEP-ME", "new-host")
    assert audit.history(asset).first().changes == {"hostname": ["old", "new-host"]}


@pytest.mark.django_db
def test_a_dry_run_counts_what_would_change_and_writes_nothing():
    asset = AssetFactory()
    rows = [["tag", "name", "model"], [asset.tag, "renamed", str(asset.model)]]
    rows.append(["NEW-1", "new", str(asset.model)])
    entries = AuditEntry.objects.count()
    report = import_rows("assets", rows, dry_run=True)
    assert (report.ok, report.created, report.updated) == (True, 1, 1)
    assert not Asset.objects.filter(tag="NEW-1").exists()
    assert AuditEntry.objects.count() == entries
