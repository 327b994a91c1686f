"""What the run checks refuse and how an upload says so: a start or an end
later than now (beyond a few minutes of clock skew) in a CSV row, the API or
the webhook; every error of a row at once; an unknown system named as such;
the review lists the runs it would store."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.test import Client
from django.utils import timezone

from tests.factories.continuity import BackupJobFactory, database_engineer_persona
from tests.factories.continuity_ingest import ingest_urls  # noqa: F401
from wardkeeper.continuity.services import jobs
from wardkeeper.continuity.services.ingest import CLOCK_SKEW, RunReport, problems_of
from wardkeeper.core.models.tokens import ApiToken

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("ingest_urls")]


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()


def csv(text):
    return SimpleUploadedFile("runs.csv", text.encode(), content_type="text/csv")


def local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def test_an_end_beyond_the_clock_skew_is_refused_and_a_little_ahead_is_not():
    now = timezone.now()
    start = now - dt.timedelta(hours=1)
    ahead = RunReport("success", start, now + CLOCK_SKEW - dt.timedelta(minutes=1))
    assert problems_of(ahead, now) == []
    later = RunReport("success", start, now + dt.timedelta(hours=6))
    assert problems_of(later, now) == [("finished_at", "The end is in the future.")]
    soon = RunReport("success", now + dt.timedelta(minutes=10))
    assert problems_of(soon, now) == [("started_at", "The start is in the future.")]


def test_a_csv_row_ending_tomorrow_is_refused_with_its_row(login):
    job = BackupJobFactory(name="Mail archive")
    client = login(database_engineer_persona())
    now = timezone.now()
    text = (
        "started_at,finished_at,status\n"
        f"{local(now - dt.timedelta(hours=2))},{local(now - dt.timedelta(hours=1))},"
        "success\n"
        f"{local(now - dt.timedelta(hours=1))},{local(now + dt.timedelta(days=1))},"
        "success\n"
    )
    page = client.post(f"/continuity/jobs/{job.pk}/runs/upload/", {"file": csv(text)})
    assert page.status_code == 422
    errors = {(e.row, e.column, e.message) for e in page.context["report"].errors}
    assert errors == {(3, "finished_at", "The end is in the future.")}
    assert not job.runs.exists()


def future_body():
    now = timezone.now()
    return {
        "status": "success",
        "started_at": (now - dt.timedelta(minutes=30)).isoformat(),
        "finished_at": (now + dt.timedelta(hours=8)).isoformat(),
        "external_id": "r-future",
    }


def test_the_webhook_refuses_an_end_in_the_future_with_400():
    job = BackupJobFactory()
    token = jobs.issue_webhook_token(job)
    answer = Client().post(
        f"/continuity/hooks/{token}/", future_body(), content_type="application/json"
    )
    assert answer.status_code == 400
    assert "The end is in the future." in answer.content.decode()
    assert not job.runs.exists()


def test_the_api_refuses_an_end_in_the_future_with_400():
    job = BackupJobFactory()
    _row, raw = ApiToken.issue(
        database_engineer_persona(), "product", timezone.now() + dt.timedelta(days=1)
    )
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    answer = client.post(
        f"/api/continuity/jobs/{job.pk}/runs/",
        future_body(),
        content_type="application/json",
    )
    assert answer.status_code == 400
    fields = {item["field"] for item in answer.json()["error"]["fields"]}
    assert fields == {"finished_at"}
    assert not job.runs.exists()


def test_every_error_of_a_row_is_reported_and_an_unknown_system_is_named(login):
    BackupJobFactory(name="Mail archive", system__name="Mail")
    client = login(database_engineer_persona())
    text = (
        "job,system,started_at,status,size_bytes\n"
        "Nonexistent,Mail,2026-03-01 01:00,maybe,-5\n"
        "Mail archive,Mial,2026-03-01 02:00,success,\n"
        "Mail archive,Mail,2026-03-01 03:00,success,\n"
    )
    page = client.post("/continuity/runs/upload/", {"file": csv(text)})
    assert page.status_code == 422
    errors = {(e.row, e.column): e.message for e in page.context["report"].errors}
    assert set(errors) == {
        (2, "job"),
        (2, "status"),
        (2, "size_bytes"),
        (3, "system"),
    }
    assert errors[2, "job"] == "Mail has no backup job named “Nonexistent”."
    assert errors[3, "system"] == "No protected system is named “Mial”."


def test_the_review_lists_the_runs_it_would_store(login):
    job = BackupJobFactory(name="Mail archive", system__name="Mail")
    job.runs.create(
        status="success",
        started_at=dt.datetime(2026, 3, 1, 1, tzinfo=dt.UTC),
        external_id="n-1",
        received_at=timezone.now(),
    )
    client = login(database_engineer_persona())
    text = "started_at,finished_at,status,size_bytes,external_id\n" + "".join(
        f"2026-03-{day:02d} 01:00,2026-03-{day:02d} 01:40,success,{day}000000,n-{day}\n"
        for day in range(1, 4)
    )
    page = client.post(f"/continuity/jobs/{job.pk}/runs/upload/", {"file": csv(text)})
    assert page.status_code == 200
    preview = page.context["report"].preview
    assert [row.run.external_id for row in preview] == ["n-2", "n-3"]
    html = page.content.decode()
    assert 'id="runs-preview"' in html
    assert filesizeformat(2_000_000) in html
    assert html.count("Mail · Mail archive") >= 2
