import datetime as dt
import io
from decimal import Decimal

import pytest

from tests.factories.inventory import (
    AssetFactory,
    AssetModelFactory,
    DepartmentFactory,
    RoomFactory,
    VendorFactory,
)
from tests.factories.transfer import export_csv, export_xlsx, import_rows
from wardkeeper.core.models import AuditEntry
from wardkeeper.inventory.choices import AssetStatus, Criticality
from wardkeeper.inventory.transfer import run_import


@pytest.fixture
def inventory():
    room = RoomFactory(criticality=Criticality.CRITICAL, description="ICU bay")
    department = DepartmentFactory(campus=room.campus, is_clinical=False)
    vendor = VendorFactory(email="sales@vendor.example", address="1 Road\nCity")
    parent = AssetFactory(location=room, status=AssetStatus.IN_USE)
    AssetFactory(
        location=room,
        department=department,
        vendor=vendor,
        parent=parent,
        model=AssetModelFactory(part_number="=1+1", end_of_support=dt.date(2030, 1, 2)),
        serial="SN-1",
        ip_address="fe80::0:1",
        mac_address="00-1A-2B-3C-4D-5E",
        purchase_date=dt.date(2022, 3, 4),
        purchase_cost=Decimal("1200.50"),
        criticality_override=Criticality.HIGH,
        notes="needs 中文 notes, with a comma",
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "kind", ["locations", "departments", "vendors", "models", "assets"]
)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_exported_file_imports_back_without_changing_anything(inventory, kind, fmt):
    data = export_csv(kind) if fmt == "csv" else export_xlsx(kind)
    entries = AuditEntry.objects.count()
    report = run_import(
        kind, io.BytesIO(data), filename=f"x.{fmt}", dry_run=False, actor=None
    )
    assert report.errors == []
    assert (report.created, report.updated) == (0, 0)
    assert report.unchanged == report.total > 0
    assert AuditEntry.objects.count() == entries


@pytest.mark.django_db
def test_importing_the_same_file_twice_changes_nothing_the_second_time():
    model = AssetModelFactory(name="M1", manufacturer__name="Acme")
    rows = [
        ["tag", "name", "model", "purchase_cost", "ip_address", "mac_address"],
        ["A1", "PC", str(model), "1200", "10.0.0.1", "00-11-22-33-44-55"],
        ["A2", "PC", str(model), "", "2001:db8:0::1", ""],
    ]
    assert import_rows("assets", rows).created == 2
    entries = AuditEntry.objects.count()
    report = import_rows("assets", rows)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)
    assert AuditEntry.objects.count() == entries
