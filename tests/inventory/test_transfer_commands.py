import io

import pytest
from django.core.management import CommandError, call_command

from tests.factories.inventory import AssetFactory, AssetModelFactory, VendorFactory
from tests.factories.transfer import csv_bytes, read_csv, read_xlsx
from wardkeeper.core import audit
from wardkeeper.core.models import AuditEntry
from wardkeeper.core.models.audit import AuditAction
from wardkeeper.inventory.models import Asset, Vendor


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def vendors_file(tmp_path):
    path = tmp_path / "vendors.csv"
    path.write_bytes(csv_bytes([["name"], ["Acme"], ["Bolt"]]))
    return path


@pytest.mark.django_db
def test_the_import_command_reports_counts_and_exits_zero(vendors_file):
    out, err = run("import", "vendors", str(vendors_file))
    assert "vendors.csv: 2 created, 0 updated, 0 unchanged." in out
    assert "100%" in err
    assert Vendor.objects.count() == 2
    out, _err = run("import", "vendors", str(vendors_file))
    assert "0 created, 0 updated, 2 unchanged" in out


@pytest.mark.django_db
def test_a_dry_run_from_the_command_line_writes_nothing(vendors_file):
    out, _err = run("import", "vendors", str(vendors_file), "--dry-run")
    assert "2 created" in out
    assert "Dry run: nothing was written." in out
    assert not Vendor.objects.exists()


@pytest.mark.django_db
def test_errors_are_listed_and_the_command_exits_one(tmp_path):
    path = tmp_path / "vendors.csv"
    path.write_bytes(csv_bytes([["name", "email"], ["Acme", "nope"], ["Bolt", ""]]))
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 errors; nothing was imported") as caught:
        call_command("import", "vendors", str(path), stdout=io.StringIO(), stderr=err)
    assert caught.value.returncode == 1
    assert (
        "vendors.csv: row 2, email: “nope” is not an e-mail address." in err.getvalue()
    )
    assert not Vendor.objects.exists()


@pytest.mark.django_db
def test_progress_goes_by_tenths_when_the_output_is_not_a_terminal(tmp_path):
    model = AssetModelFactory(name="M", manufacturer__name="Acme")
    rows = [["tag", "name", "model"]] + [
        [f"A{n}", "PC", str(model)] for n in range(3000)
    ]
    path = tmp_path / "assets.csv"
    path.write_bytes(csv_bytes(rows))
    _out, err = run("import", "assets", str(path))
    lines = err.splitlines()
    assert lines[0].startswith("Importing  16% (1,000/6,000)")
    assert lines[-1] == "Importing 100% (6,000/6,000)"
    assert Asset.objects.count() == 3000


@pytest.mark.django_db
def test_the_import_is_recorded_as_the_account_named(vendors_file, hardware_engineer):
    run("import", "vendors", str(vendors_file), "--as", hardware_engineer.username)
    entry = audit.history(Vendor.objects.get(name="Acme")).get()
    assert (entry.actor, entry.source) == (hardware_engineer, "import")


@pytest.mark.django_db
def test_an_account_without_the_permission_cannot_import(vendors_file, nurse):
    with pytest.raises(CommandError, match="may not do this"):
        run("import", "vendors", str(vendors_file), "--as", nurse.username)
    assert not Vendor.objects.exists()


@pytest.mark.django_db
def test_the_size_limit_can_be_lifted_on_the_command_line(vendors_file, settings):
    with pytest.raises(CommandError):
        run("import", "vendors", str(vendors_file), "--max-mb", "0")
    out, _err = run("import", "vendors", str(vendors_file), "--no-size-limit")
    assert "2 created" in out


@pytest.mark.django_db
def test_the_export_command_filters_and_writes_csv_or_xlsx(tmp_path):
    keep = AssetFactory(status="in_use")
    AssetFactory(status="retired")
    out, _err = run("export", "assets", "status=in_use")
    assert [row["tag"] for row in read_csv(out.encode())] == [keep.tag]
    path = tmp_path / "vendors.xlsx"
    VendorFactory(name="Acme")
    run("export", "vendors", "--format", "xlsx", "--output", str(path))
    assert read_xlsx(path.read_bytes())[1][0] == "Acme"
    assert AuditEntry.objects.filter(action=AuditAction.EXPORT).count() == 2


@pytest.mark.django_db
def test_a_bad_export_filter_exits_one():
    with pytest.raises(CommandError) as caught:
        run("export", "assets", "status=lost")
    assert caught.value.returncode == 1
