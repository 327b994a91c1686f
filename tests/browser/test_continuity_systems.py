"""A protected system's page, a job's page with its size chart, and the
criticality analysis, at desktop and phone size."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import shot, sign_in
from tests.factories.continuity import (
    BackupDestinationFactory,
    BackupJobFactory,
    BackupRunFactory,
    DataStoreFactory,
    ProtectedSystemFactory,
    database_engineer_persona,
)
from wardkeeper.continuity.choices import Media, RunStatus
from wardkeeper.continuity.models import DataStore

pytestmark = pytest.mark.django_db(transaction=True)


def hospital():
    """HIS fresh and 3-2-1; PACS with its image job stopped days ago."""
    now = timezone.now()
    nas = BackupDestinationFactory(name="Data-centre NAS", media=Media.NAS)
    tape = BackupDestinationFactory(
        name="Tape library", media=Media.TAPE, offsite=True, offline=True, stale_days=8
    )
    his = ProtectedSystemFactory(name="HIS", criticality=1, rpo_minutes=15)
    pacs = ProtectedSystemFactory(name="PACS", criticality=1, rto_minutes=480)
    ProtectedSystemFactory(name="Hospital website", criticality=3)
    DataStoreFactory(system=his, name="HIS database", where="HISDB")
    logs = BackupJobFactory(system=his, name="Database logs", destination=nas)
    weekly = BackupJobFactory(system=his, name="Weekly tape", destination=tape)
    images = BackupJobFactory(
        system=pacs,
        name="Image archive nightly",
        destination=nas,
        expected_size_bytes=2400 * 1024**3,
    )
    for n in range(20):
        BackupRunFactory(job=logs, started_at=now - dt.timedelta(minutes=15 * n + 5))
        BackupRunFactory(
            job=images,
            started_at=now - dt.timedelta(days=n + 4),
            size_bytes=(2300 + 10 * (20 - n)) * 1024**3,
            status=RunStatus.FAILED if n == 3 else RunStatus.SUCCESS,
        )
    BackupRunFactory(job=weekly, started_at=now - dt.timedelta(days=2))
    return his, pacs, images


def test_dana_reads_a_system_and_adds_a_data_store(page):
    his, _pacs, _images = hospital()
    sign_in(page, database_engineer_persona())
    page.goto(f"/continuity/systems/{his.pk}/")
    expect(page.locator("#rpo-state")).to_contain_text("within the RPO")
    expect(page.locator("#rule-321")).to_contain_text("met")
    expect(page.locator("#jobs")).to_contain_text("Database logs")
    shot(page, "continuity-system")

    page.get_by_role("link", name="Add a data store").click()
    page.get_by_label("Name").fill("HIS application files")
    page.get_by_label("Kind").select_option("files")
    page.get_by_label("Where").fill("/opt/his")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#stores")).to_contain_text("/opt/his")
    assert DataStore.objects.filter(system=his, where="/opt/his").exists()

    page.get_by_role("link", name="Edit").first.click()
    expect(page.get_by_label("RPO (minutes)")).to_have_value("15")
    expect(page.locator("[data-lookup-boxes] input").first).to_be_visible()
    shot(page, "continuity-system-form")


def test_the_criticality_analysis_flags_the_overdue_system(page):
    _his, pacs, images = hospital()
    sign_in(page, database_engineer_persona())
    page.goto("/continuity/criticality/")
    rows = page.locator("#criticality-table tbody tr")
    expect(rows.nth(0)).to_contain_text("HIS")
    expect(rows.nth(1)).to_contain_text("PACS")
    expect(rows.nth(2)).to_contain_text("Hospital website")
    expect(rows.nth(1).locator(".wk-overdue")).to_be_visible()
    expect(page.get_by_role("link", name="XLSX")).to_be_visible()
    shot(page, "continuity-criticality")

    page.goto(f"/continuity/jobs/{images.pk}/")
    expect(page.locator("#size-chart canvas")).to_be_visible()
    expect(page.locator("#runs")).to_contain_text("failed")
    shot(page, "continuity-job")
    assert pacs.name == "PACS"


def test_a_new_job_shows_its_webhook_token_once(page):
    his, _pacs, _images = hospital()
    sign_in(page, database_engineer_persona())
    page.goto(f"/continuity/systems/{his.pk}/")
    page.get_by_role("link", name="Add a backup job").click()
    page.get_by_label("Name").fill("Nightly full")
    page.get_by_label("Tool").select_option("restic")
    page.get_by_label("HIS database").check()
    page.get_by_label("Destination").select_option(label="Tape library")
    page.get_by_label("Repository password").fill("correct horse")
    shot(page, "continuity-job-form")
    page.get_by_role("button", name="Save").click()
    token = page.locator("#webhook-token")
    expect(token).to_contain_text("wkb_")
    shot(page, "continuity-job-token")
    page.get_by_role("link", name="Go to the job").click()
    expect(page.locator("#password-state")).to_have_text("stored (encrypted)")
    expect(page.get_by_text("wkb_")).to_have_count(0)
