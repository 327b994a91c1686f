"""Runs reported by other products: the API (a token with add_backuprun) and
a job's webhook (its token in the URL) store each run once, say what is
wrong with a bad body, and audit each call once."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from tests.factories.continuity import BackupJobFactory, database_engineer_persona
from tests.factories.continuity_ingest import ingest_urls  # noqa: F401
from tests.factories.core import UserFactory
from wardkeeper.continuity.choices import FindingKind, RunSource, RunStatus
from wardkeeper.continuity.models import Finding
from wardkeeper.continuity.services import jobs
from wardkeeper.core.models.audit import AuditEntry
from wardkeeper.core.models.tokens import ApiToken

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("ingest_urls")]


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()


def body(**changes):
    started = timezone.now() - dt.timedelta(hours=1)
    return {
        "status": "success",
        "started_at": started.isoformat(),
        "finished_at": (started + dt.timedelta(minutes=20)).isoformat(),
        "size_bytes": 52_428_800,
        "message": "Veeam job HIS-DB completed",
        "external_id": "veeam-7731",
        **changes,
    }


def bearer(user):
    _row, raw = ApiToken.issue(
        user, "backup product", timezone.now() + dt.timedelta(days=30)
    )
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def audit_entries(job):
    return AuditEntry.objects.filter(object_id=str(job.pk), message__contains="runs")


def test_the_api_stores_a_run_once_and_audits_each_call():
    job = BackupJobFactory(name="HIS database")
    api = bearer(database_engineer_persona())
    url = f"/api/continuity/jobs/{job.pk}/runs/"

    first = api.post(url, body(), content_type="application/json")
    assert first.status_code == 201, first.content
    assert first.json()["created"] == 1
    again = api.post(url, body(), content_type="application/json")
    assert again.status_code == 200
    assert again.json() == {"created": 0, "skipped": 1, "runs": []}

    run = job.runs.get()
    assert run.source == RunSource.WEBHOOK
    assert run.size_bytes == 52_428_800
    assert run.message == "Veeam job HIS-DB completed"
    assert audit_entries(job).count() == 2


def test_the_api_refuses_a_token_without_the_permission_and_a_bad_body():
    job = BackupJobFactory()
    url = f"/api/continuity/jobs/{job.pk}/runs/"
    reader = bearer(UserFactory(username="ana", roles=["analyst"]))
    assert reader.post(url, body(), content_type="application/json").status_code == 403

    api = bearer(database_engineer_persona())
    bad = api.post(
        url,
        [body(), body(status="fine", external_id="x", finished_at="2020-01-01T00:00Z")],
        content_type="application/json",
    )
    assert bad.status_code == 400
    fields = {item["field"] for item in bad.json()["error"]["fields"]}
    assert fields == {"1.status"}  # the second run, by its place
    assert not job.runs.exists()  # one bad run: none stored


def test_the_webhook_takes_a_failed_run_and_the_job_is_checked_at_once():
    job = BackupJobFactory(name="LIS files")
    token = jobs.issue_webhook_token(job)
    hook = Client(enforce_csrf_checks=True)

    answer = hook.post(
        f"/continuity/hooks/{token}/",
        body(status="failed", message="target unreachable", external_id="r-1"),
        content_type="application/json",
    )

    assert answer.status_code == 201, answer.content
    assert job.runs.get().status == RunStatus.FAILED
    finding = Finding.objects.get(kind=FindingKind.RUN_FAILED)
    assert "target unreachable" in finding.message
    entry = audit_entries(job).get()
    assert entry.source == "api"


def test_the_webhook_refuses_a_wrong_token_and_a_disabled_job():
    job = BackupJobFactory(enabled=False)
    token = jobs.issue_webhook_token(job)
    hook = Client()
    wrong = hook.post(
        "/continuity/hooks/wkb_not-a-token/", body(), content_type="application/json"
    )
    assert wrong.status_code == 404
    assert (
        hook.post(
            f"/continuity/hooks/{token}/", body(), content_type="application/json"
        ).status_code
        == 403
    )
    assert not job.runs.exists()


def test_the_webhook_is_rate_limited(settings):
    settings.CONTINUITY_HOOK_RATE = "2/min"
    hook = Client()
    codes = [
        hook.post(
            "/continuity/hooks/wkb_x/", body(), content_type="application/json"
        ).status_code
        for _ in range(3)
    ]
    assert codes == [404, 404, 429]
