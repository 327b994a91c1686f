"""The findings pages and the upload of runs, on a laptop and a phone: a size
anomaly in the list, its evidence and ticket, resolved by hand; a CSV with a
bad row refused with the row named."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import shot, sign_in
from tests.factories.continuity import BackupJobFactory, database_engineer_persona
from tests.factories.continuity_ingest import ingest_urls  # noqa: F401
from wardkeeper.continuity.choices import FindingKind
from wardkeeper.continuity.services import findings
from wardkeeper.inventory.choices import Criticality

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("ingest_urls"),
]


def test_a_size_anomaly_from_the_list_to_its_evidence_and_resolved(page):
    job = BackupJobFactory(
        name="PACS images",
        system__name="PACS",
        system__criticality=Criticality.CRITICAL,
    )
    findings.raise_finding(
        FindingKind.SIZE_ANOMALY,
        system=job.system,
        job=job,
        message="PACS images: the backup of 2026-03-04 01:00 fell to 29.3 KB "
        "(usual: 234.4 KB)",
        evidence={
            "run": 7,
            "started_at": "2026-03-04T01:00:00+00:00",
            "size_bytes": 30_000,
            "median_bytes": 240_000,
            "ratio": 0.5,
            "runs_in_median": 10,
            "change": -0.875,
        },
    )
    sign_in(page, database_engineer_persona())
    page.goto("/continuity/findings/")
    expect(page.locator("table")).to_contain_text("the backup of 2026-03-04")
    shot(page, "continuity-findings-list")

    page.get_by_role("link", name="PACS images: the backup").click()
    expect(page.locator("#finding-evidence")).to_contain_text("Usual size (median)")
    expect(page.locator("#finding-evidence")).to_contain_text("-88%")
    expect(page.locator("#finding-ticket")).to_contain_text("T0")
    shot(page, "continuity-finding-detail")

    page.get_by_role("button", name="Resolve").click()
    expect(page.locator("#finding-message")).to_have_class("alert alert-success")
    page.goto("/continuity/findings/")
    expect(page.locator("table")).to_contain_text("Nothing matches.")


def test_a_csv_with_a_bad_row_names_it_and_stores_nothing(page, tmp_path):
    job = BackupJobFactory(name="Mail archive", system__name="Mail")
    upload = tmp_path / "runs.csv"
    upload.write_text(
        "started_at,status,size_bytes\n"
        "2026-03-01 01:00,success,1000\n"
        "2026-03-02 01:00,maybe,1000\n"
    )
    sign_in(page, database_engineer_persona())
    page.goto(f"/continuity/jobs/{job.pk}/runs/upload/")
    expect(page.locator("#upload-columns")).to_contain_text("started_at")
    shot(page, "continuity-runs-upload")
    page.get_by_label("File").set_input_files(str(upload))
    page.get_by_role("button", name="Check the file").click()
    expect(page.locator(".wk-errors")).to_contain_text("Unknown value “maybe”")
    shot(page, "continuity-runs-upload-refused")
    assert not job.runs.exists()
