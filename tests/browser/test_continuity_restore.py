"""A restore test run from its page on a laptop and a phone: "Run now", the
page follows the run while the worker restores, then shows the evidence."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import shot, sign_in
from tests.factories.continuity import BackupJobFactory, database_engineer_persona
from tests.factories.continuity_proofs import (
    file_job,
    file_test,
    live_folder,
    restic_repo,
    scratch,  # noqa: F401
)
from wardkeeper.continuity.choices import BackupTool
from wardkeeper.continuity.services import restore


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("scratch")
def test_run_now_follows_the_restore_to_its_evidence(page, tmp_path):
    live = live_folder(tmp_path)
    job = file_job(BackupTool.RESTIC, restic_repo(tmp_path, live), live, name="PACS")
    test = file_test(job, sample_files=5, name="Weekly PACS sample")
    sign_in(page, database_engineer_persona())

    page.goto(f"/continuity/restore-tests/{test.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Weekly PACS sample")
    page.get_by_role("button", name="Run now").click()
    expect(page.locator("#run-body")).to_contain_text(
        "Waiting for the background worker"
    )
    shot(page, "continuity-restore-queued")

    assert restore.run_pending() == 1  # what the worker's restore thread does
    expect(page.locator("#run-message")).to_contain_text("5 restored files match")
    expect(page.locator("#run-files")).to_contain_text("matches")
    # A 5-file sample proves the backup readable, not a full restore's time.
    expect(page.locator("#run-status")).to_contain_text("no full-restore estimate")
    expect(page.locator("#run-status")).not_to_contain_text("within the RTO")
    shot(page, "continuity-restore-passed")

    page.get_by_role("link", name="Weekly PACS sample").click()
    expect(page.locator("#runs")).to_contain_text("passed")


@pytest.mark.django_db(transaction=True)
def test_the_form_shows_why_a_query_is_refused(page):
    job = BackupJobFactory(tool=BackupTool.PG_DUMP, name="HIS nightly dump")
    sign_in(page, database_engineer_persona())
    page.goto(f"/continuity/restore-tests/add/?job={job.pk}")
    page.get_by_label("Name").fill("HIS dump restore")
    page.get_by_label("Method").select_option("database")
    rows = page.locator(".wk-sanity-query")
    rows.nth(0).get_by_label("What it checks").fill("admissions")
    rows.nth(0).get_by_label("Query").fill("DELETE FROM admission")
    rows.nth(0).get_by_label("Expectation").select_option("at_least")
    rows.nth(0).get_by_label("Value").fill("1000")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#sanity-queries")).to_contain_text("Write one SELECT")
    shot(page, "continuity-restore-form-error")
    rows.nth(0).get_by_label("Query").fill("SELECT count(*) FROM admission")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#queries")).to_contain_text("at least 1000")
    shot(page, "continuity-restore-test")
