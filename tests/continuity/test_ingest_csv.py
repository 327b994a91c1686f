"""Runs uploaded in a CSV file: checked whole and shown for review; a bad
row is named and nothing is stored; a good file is stored once, audited once
per job."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.conftest import make_persona
from tests.factories.continuity import BackupJobFactory, database_engineer_persona
from tests.factories.continuity_ingest import ingest_urls  # noqa: F401
from wardkeeper.continuity.choices import RunSource, RunStatus
from wardkeeper.core.models.audit import AuditEntry

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("ingest_urls")]

GOOD = (
    "started_at,finished_at,status,size_bytes,message,external_id\n"
    "2026-03-01 01:00,2026-03-01 01:40,success,1000000,ok,n-1\n"
    "2026-03-02 01:00,2026-03-02 01:45,failed,,tape jammed,n-2\n"
)


def csv(text, name="runs.csv"):
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


@pytest.fixture
def job():
    return BackupJobFactory(name="Mail archive", system__name="Mail")


def test_a_bad_row_is_named_and_nothing_is_stored(login, job):
    client = login(database_engineer_persona())
    bad = GOOD + "2026-03-03 01:00,2026-03-02 01:00,maybe,-5,,n-3\n"
    page = client.post(f"/continuity/jobs/{job.pk}/runs/upload/", {"file": csv(bad)})
    assert page.status_code == 422
    text = page.content.decode()
    assert "Nothing was stored" in text
    errors = {(e.row, e.column) for e in page.context["report"].errors}
    assert errors == {(4, "status"), (4, "size_bytes")}
    assert not job.runs.exists()


def test_the_end_before_the_start_is_refused(login, job):
    client = login(database_engineer_persona())
    bad = "started_at,finished_at,status\n2026-03-03 01:00,2026-03-02 01:00,success\n"
    page = client.post(f"/continuity/jobs/{job.pk}/runs/upload/", {"file": csv(bad)})
    assert page.status_code == 422
    assert "The end is before the start." in page.content.decode()


def test_a_good_file_is_reviewed_then_stored_once(login, job):
    client = login(database_engineer_persona())
    review = client.post(f"/continuity/jobs/{job.pk}/runs/upload/", {"file": csv(GOOD)})
    assert review.status_code == 200
    assert review.context["report"].created == 2
    assert not job.runs.exists()  # a dry run so far

    token = review.context["staged"].token
    done = client.post("/continuity/runs/upload/confirm/", {"token": token})
    assert done.status_code == 302
    runs = list(job.runs.order_by("started_at"))
    assert [r.status for r in runs] == [RunStatus.SUCCESS, RunStatus.FAILED]
    assert {r.source for r in runs} == {RunSource.CSV}
    assert runs[0].size_bytes == 1_000_000
    entry = AuditEntry.objects.get(object_id=str(job.pk), message__contains="runs.csv")
    assert entry.source == "import"

    again = client.post(f"/continuity/jobs/{job.pk}/runs/upload/", {"file": csv(GOOD)})
    assert again.context["report"].created == 0
    assert again.context["report"].unchanged == 2


def test_a_file_for_many_jobs_names_them(login, job):
    other = BackupJobFactory(name="Mail archive", system__name="Mail relay")
    client = login(database_engineer_persona())
    text = (
        "job,system,started_at,status\n"
        "Mail archive,Mail,2026-03-01 01:00,success\n"
        "Mail archive,Mail relay,2026-03-01 02:00,success\n"
        "Mail archive,,2026-03-01 03:00,success\n"
        "Payroll,,2026-03-01 03:00,success\n"
    )
    page = client.post("/continuity/runs/upload/", {"file": csv(text)})
    messages = {(e.row, e.message) for e in page.context["report"].errors}
    assert (4, "2 jobs are named “Mail archive”; add a system column.") in messages
    assert (5, "No backup job is named “Payroll”.") in messages

    good = "\n".join(text.splitlines()[:3]) + "\n"
    review = client.post("/continuity/runs/upload/", {"file": csv(good)})
    client.post(
        "/continuity/runs/upload/confirm/", {"token": review.context["staged"].token}
    )
    assert job.runs.count() == 1
    assert other.runs.count() == 1


def test_an_analyst_cannot_upload(login, job):
    client = login(make_persona("ana", "analyst"))
    assert client.get(f"/continuity/jobs/{job.pk}/runs/upload/").status_code == 403
