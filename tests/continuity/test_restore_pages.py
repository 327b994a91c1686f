"""The restore-test pages: the list, a test's page with "Run now", its form
with sanity queries, and a run's page with its evidence."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from tests.factories.continuity import (
    BackupJobFactory,
    RestoreRunFactory,
    RestoreTestFactory,
    SanityQueryFactory,
    database_engineer_persona,
)
from wardkeeper.continuity.choices import BackupTool, ProofStatus, RestoreMethod
from wardkeeper.continuity.models import RestoreRun, RestoreTest

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_engineer(db):
    return database_engineer_persona()


EVIDENCE = {
    "tool": "restic",
    "snapshot": {"id": "abc123", "time": "2026-03-04T01:00:00+00:00"},
    "files_compared": 2,
    "bytes_compared": 2048,
    "problems": 1,
    "notes": 0,
    "sample": True,
    "error": "ignoring error for /live/scan.dcm: ciphertext verification failed",
    "files": [
        {
            "path": "/live/scan.dcm",
            "size": 1024,
            "sha256": "",
            "result": "not_restored",
            "detail": "",
        },
        {
            "path": "/live/a.txt",
            "size": 1024,
            "sha256": "ab" * 32,
            "result": "match",
            "detail": "",
        },
    ],
    "commands": [
        {
            "command": "restic restore abc123",
            "exit": 1,
            "seconds": 0.4,
            "stderr": ["Fatal: There were 1 errors"],
        }
    ],
}


def form_data(job, **extra):
    data = {
        "job": job.pk,
        "name": "Nightly HIS dump",
        "method": RestoreMethod.DATABASE,
        "sample_files": 100,
        "compare_with": "snapshot",
        "every_days": 7,
        "enabled": "on",
        "queries-TOTAL_FORMS": "1",
        "queries-INITIAL_FORMS": "0",
        "queries-0-position": "0",
        "queries-0-label": "admissions",
        "queries-0-sql": "SELECT count(*) FROM admission",
        "queries-0-expectation": "at_least",
        "queries-0-value": "1000",
    }
    data.update(extra)
    return data


def test_the_engineer_adds_a_database_test_with_its_queries(login, database_engineer):
    job = BackupJobFactory(tool=BackupTool.PG_DUMP)
    client = login(database_engineer)
    page = client.get(reverse("continuity:restoretest-add") + f"?job={job.pk}")
    assert page.status_code == 200
    assert "Sanity queries" in page.text
    answer = client.post(reverse("continuity:restoretest-add"), form_data(job))
    test = RestoreTest.objects.get()
    assert answer.url == reverse("continuity:restoretest-detail", args=[test.pk])
    assert test.queries.get().value == "1000"


def test_the_form_refuses_a_method_the_job_cannot_do_and_a_bad_query(
    login, database_engineer
):
    job = BackupJobFactory(tool=BackupTool.RESTIC)
    data = form_data(job, **{"queries-0-sql": "DELETE FROM admission"})
    page = login(database_engineer).post(reverse("continuity:restoretest-add"), data)
    assert page.status_code == 200
    assert "Restoring a database needs a pg_dump job." in page.text
    assert "Write one SELECT" in page.text
    assert not RestoreTest.objects.exists()


def test_comparing_with_live_data_needs_the_jobs_live_path(login, database_engineer):
    job = BackupJobFactory(tool=BackupTool.BORG, source_path="")
    data = form_data(job, method=RestoreMethod.SAMPLE, compare_with="live")
    data["queries-TOTAL_FORMS"] = "0"
    page = login(database_engineer).post(reverse("continuity:restoretest-add"), data)
    assert "no live data path" in page.text


def test_run_now_queues_a_run_and_follows_it(login, database_engineer):
    test = RestoreTestFactory()
    client = login(database_engineer)
    page = client.get(reverse("continuity:restoretest-detail", args=[test.pk]))
    assert "Run now" in page.text
    answer = client.post(reverse("continuity:restoretest-run", args=[test.pk]))
    run = RestoreRun.objects.get()
    assert answer.url == reverse("continuity:restorerun-detail", args=[run.pk])
    assert run.started_by == database_engineer
    followed = client.get(answer.url)
    assert "Waiting for the background worker" in followed.text
    assert 'hx-trigger="every 3s"' in followed.text
    again = client.post(
        reverse("continuity:restoretest-run", args=[test.pk]), follow=True
    )
    assert "already running" in again.text
    assert RestoreRun.objects.count() == 1


def test_a_reader_sees_tests_but_cannot_run_them(login, system_admin):
    test = RestoreTestFactory()
    client = login(system_admin)
    page = client.get(reverse("continuity:restoretest-detail", args=[test.pk]))
    assert page.status_code == 200
    assert "Run now" not in page.text
    refused = client.post(reverse("continuity:restoretest-run", args=[test.pk]))
    assert refused.status_code == 403


def test_outsiders_see_nothing(login, outsider):
    test = RestoreTestFactory()
    client = login(outsider)
    assert client.get(reverse("continuity:restoretest-list")).status_code == 403
    assert (
        client.get(reverse("continuity:restoretest-detail", args=[test.pk])).status_code
        == 403
    )


def test_a_failed_run_shows_its_error_and_names_the_files(login, database_engineer):
    run = RestoreRunFactory(
        status=ProofStatus.FAILED,
        message="The restore failed: ciphertext verification failed",
        evidence=EVIDENCE,
        duration_seconds=12.5,
        within_rto=True,
    )
    page = login(database_engineer).get(
        reverse("continuity:restorerun-detail", args=[run.pk])
    )
    text = page.text
    assert "ciphertext verification failed" in text
    assert "/live/scan.dcm" in text
    assert "not restored" in text
    assert "12.5 s" in text
    assert "within the RTO" not in text  # a failed restore proves no RTO
    assert "hx-trigger" not in text  # finished: no more polling


def test_a_run_page_asked_by_htmx_answers_its_body_only(login, database_engineer):
    run = RestoreRunFactory(claimed_at="2026-03-04T02:00:00Z")
    page = login(database_engineer).get(
        reverse("continuity:restorerun-detail", args=[run.pk]), HTTP_HX_REQUEST="true"
    )
    assert page.text.lstrip().startswith('<div id="run-body"')
    assert "Restoring; this page shows the result" in page.text


def test_database_answers_are_shown_with_their_expectation(login, database_engineer):
    run = RestoreRunFactory(
        status=ProofStatus.FAILED,
        evidence={
            "queries": [
                {
                    "label": "admissions",
                    "sql": "SELECT count(*) FROM admission",
                    "expectation": "at_least",
                    "expected": "1000",
                    "value": 40,
                    "passed": False,
                    "error": "",
                }
            ]
        },
    )
    page = login(database_engineer).get(
        reverse("continuity:restorerun-detail", args=[run.pk])
    )
    assert "admissions" in page.text
    assert "at least 1000" in page.text


def test_the_lists_stay_within_a_query_budget(
    login, database_engineer, django_assert_max_num_queries
):
    for _ in range(3):
        test = RestoreTestFactory()
        RestoreRunFactory(test=test, status=ProofStatus.PASSED)
    client = login(database_engineer)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("continuity:restoretest-list")).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(reverse("continuity:restorerun-list")).status_code == 200


def test_the_job_page_include_lists_its_tests(database_engineer):
    job = BackupJobFactory()
    test = RestoreTestFactory(job=job, name="weekly sample")
    RestoreRunFactory(test=test, status=ProofStatus.PASSED, duration_seconds=3)
    RestoreTestFactory(job=job, name="full restore", method=RestoreMethod.FULL)
    request = RequestFactory().get("/")
    request.user = database_engineer
    html = render_to_string(
        "continuity/includes/restore_tests.html", {"job": job}, request=request
    )
    assert "weekly sample" in html
    assert "passed" in html
    assert "full restore" in html
    assert "never run" in html
    assert f"?job={job.pk}" in html  # "New restore test" for this job


def test_a_query_row_is_kept_in_order_on_the_test_page(login, database_engineer):
    test = RestoreTestFactory(method=RestoreMethod.DATABASE)
    SanityQueryFactory(test=test, label="beta-check", position=2)
    SanityQueryFactory(test=test, label="alpha-check", position=1)
    page = login(database_engineer).get(
        reverse("continuity:restoretest-detail", args=[test.pk])
    )
    assert page.text.index("alpha-check") < page.text.index("beta-check")
