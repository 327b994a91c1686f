import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories.inventory import AssetFactory, VendorFactory
from tests.factories.transfer import csv_bytes, read_csv
from wardkeeper.core import audit
from wardkeeper.core.models import AuditEntry
from wardkeeper.core.models.audit import AuditAction
from wardkeeper.inventory.models import Vendor

ROWS = [["name", "email"], ["Acme Medical", "sales@acme.example"]]


def post(client, rows, *, dry_run=None, name="vendors.csv"):
    url = "/api/import/vendors/" + ("?dry_run=true" if dry_run else "")
    upload = SimpleUploadedFile(name, csv_bytes(rows), content_type="text/csv")
    return client.post(url, {"file": upload}, format="multipart")


@pytest.mark.django_db
def test_a_dry_run_over_the_api_reports_and_writes_nothing(api, hardware_engineer):
    response = post(api(hardware_engineer), ROWS, dry_run=True)
    assert response.status_code == 200
    assert response.json() == {
        "kind": "vendors",
        "dry_run": True,
        "ok": True,
        "total": 1,
        "created": 1,
        "updated": 0,
        "unchanged": 0,
    }
    assert not Vendor.objects.exists()


@pytest.mark.django_db
def test_an_import_over_the_api_writes_and_is_attributed(api, hardware_engineer):
    response = post(api(hardware_engineer), ROWS)
    assert response.json()["created"] == 1
    vendor = Vendor.objects.get()
    entry = audit.history(vendor).get()
    assert (entry.actor, entry.source) == (hardware_engineer, "import")


@pytest.mark.django_db
def test_row_errors_use_the_standard_error_body(api, hardware_engineer):
    rows = [["name", "email"], ["Acme", "not-an-address"], ["Acme", ""]]
    response = post(api(hardware_engineer), rows)
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert [f["field"] for f in fields] == ["row 2: email", "row 3: name"]
    assert "already on row 2" in fields[1]["message"]
    assert response.json()["report"]["ok"] is False
    assert not Vendor.objects.exists()


@pytest.mark.django_db
def test_a_file_that_cannot_be_read_is_a_file_error(api, hardware_engineer):
    response = post(api(hardware_engineer), ROWS, name="vendors.xlsx")
    [field] = response.json()["error"]["fields"]
    assert field["field"] == "file"
    assert "XLSX" in field["message"]


@pytest.mark.django_db
def test_importing_needs_the_import_permission(api, network_engineer):
    assert post(api(network_engineer), ROWS).status_code == 403
    assert post(api(), ROWS).status_code == 401


@pytest.mark.django_db
def test_the_export_endpoint_filters_and_records_the_export(api, hardware_engineer):
    keep = AssetFactory(status="in_use")
    AssetFactory(status="in_stock")
    response = api(hardware_engineer).get(
        "/api/export/assets/", {"format": "csv", "status": "in_use"}
    )
    assert response.status_code == 200
    rows = read_csv(b"".join(response.streaming_content))
    assert [row["tag"] for row in rows] == [keep.tag]
    assert AuditEntry.objects.filter(action=AuditAction.EXPORT).count() == 1


@pytest.mark.django_db
def test_an_unknown_export_format_is_refused(api, hardware_engineer):
    VendorFactory()
    response = api(hardware_engineer).get("/api/export/vendors/", {"format": "pdf"})
    assert response.status_code == 400
    assert response.json()["error"]["fields"][0]["field"] == "format"
