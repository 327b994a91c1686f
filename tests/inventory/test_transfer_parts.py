"""Smaller parts of import and export: progress, staging, catalogue rows."""

import io
import os
import time

import pytest
from django.core.management.base import OutputWrapper

from tests.factories.inventory import BuildingFactory, VendorFactory
from tests.factories.transfer import import_rows
from wardkeeper.inventory.models import Vendor
from wardkeeper.inventory.transfer import engine, staging
from wardkeeper.inventory.transfer.cli import ProgressLine


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_on_a_terminal_the_progress_line_is_redrawn_in_place():
    out = Terminal()
    progress = ProgressLine(OutputWrapper(out), "Importing")
    progress(1000, 4000)
    progress(4000, 4000)
    progress.close()
    assert out.getvalue() == (
        "\rImporting  25% (1,000/4,000)\rImporting 100% (4,000/4,000)\n"
    )


def test_staged_files_older_than_a_day_are_swept(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    session = {}
    old = staging.stage(session, "vendors", "old.csv", [b"name\n"])
    fresh = staging.stage(session, "vendors", "new.csv", [b"name\n"])
    day_ago = time.time() - 25 * 3600
    os.utime(old.path, (day_ago, day_ago))
    staging.sweep()
    assert not old.path.exists()
    assert staging.find(session, fresh.token).path == fresh.path
    assert oct(fresh.path.stat().st_mode & 0o777) == "0o600"


@pytest.mark.django_db
def test_a_department_names_a_campus_not_another_kind_of_place():
    building = BuildingFactory(code="SB")
    rows = [
        ["code", "name", "campus_code", "is_clinical"],
        ["CARD", "Cardiology", building.code, "yes"],
        ["FIN", "Finance", building.parent.code, "maybe"],
    ]
    errors = {
        (e.row, e.column): e.message for e in import_rows("departments", rows).errors
    }
    assert "is a building, not a campus" in errors[(2, "campus_code")]
    assert "Expected yes or no" in errors[(3, "is_clinical")]


@pytest.mark.django_db
def test_a_model_of_an_unknown_type_lists_the_types():
    rows = [["manufacturer", "name", "type_code"], ["Acme", "X1", "toaster"]]
    [error] = import_rows("models", rows).errors
    assert error.column == "type_code"
    assert "Unknown type “toaster”" in error.message
    assert "workstation" in error.message


@pytest.mark.django_db
def test_a_record_made_by_someone_else_meanwhile_fails_the_import_cleanly(
    monkeypatch,
):
    checked = engine.build_plan

    def racing(*args):
        plan = checked(*args)
        VendorFactory(name="Acme")  # another user, between the check and the write
        return plan

    monkeypatch.setattr(engine, "build_plan", racing)
    report = import_rows("vendors", [["name"], ["Bolt"], ["Acme"]])
    [error] = report.errors
    assert "changed while the file was imported" in error.message
    assert list(Vendor.objects.values_list("name", flat=True)) == ["Acme"]
