"""Backup jobs and destinations: forms (password write-only), the webhook
token shown once, the job page's runs and the API."""

import pytest
from django.urls import reverse

from tests.factories.continuity import (
    BackupDestinationFactory,
    BackupJobFactory,
    BackupRunFactory,
    DataStoreFactory,
    ProtectedSystemFactory,
    database_engineer_persona,
)
from wardkeeper.continuity.models import BackupJob
from wardkeeper.continuity.services.jobs import issue_webhook_token, job_for_token
from wardkeeper.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def engineer(db):
    """A database engineer: keeps the systems, jobs and destinations."""
    return database_engineer_persona()


def job_form(system, destination, **extra):
    return {
        "system": system.pk,
        "name": "nightly",
        "tool": "restic",
        "destination": destination.pk,
        "size_change_ratio": 0.5,
        "enabled": "on",
        **extra,
    }


def test_a_new_job_shows_its_token_once_and_keeps_only_the_hash(login, engineer):
    system, destination = ProtectedSystemFactory(), BackupDestinationFactory()
    store = DataStoreFactory(system=system)
    client = login(engineer)
    response = client.post(
        reverse("continuity:backupjob-add"),
        job_form(
            system,
            destination,
            data_stores=[store.pk],
            new_password="s3cret!",
            expected_size_gb="2.5",
        ),
    )
    token = response.context["token"]
    job = BackupJob.objects.get()
    assert token in response.content.decode()
    assert job_for_token(token) == job
    assert token not in job.webhook_token_hash
    assert job.repository_password == "s3cret!"
    assert job.expected_size_bytes == int(2.5 * 1024**3)
    page = client.get(reverse("continuity:backupjob-detail", args=[job.pk]))
    assert token not in page.content.decode()
    assert "s3cret!" not in page.content.decode()
    trail = str(list(AuditEntry.objects.values_list("changes", flat=True)))
    assert "s3cret!" not in trail
    assert token not in trail


def test_the_password_box_never_shows_the_stored_password(login, engineer):
    job = BackupJobFactory(repository_password="hunter2")
    client = login(engineer)
    edit = reverse("continuity:backupjob-edit", args=[job.pk])
    assert "hunter2" not in client.get(edit).content.decode()
    client.post(edit, job_form(job.system, job.destination, name=job.name))
    job.refresh_from_db()
    assert job.repository_password == "hunter2"  # empty box: kept
    client.post(
        edit, job_form(job.system, job.destination, name=job.name, clear_password="on")
    )
    job.refresh_from_db()
    assert job.repository_password == ""


def test_a_data_store_of_another_system_is_refused(login, engineer):
    other = DataStoreFactory()
    system, destination = ProtectedSystemFactory(), BackupDestinationFactory()
    client = login(engineer)
    response = client.post(
        reverse("continuity:backupjob-add"),
        job_form(system, destination, data_stores=[other.pk]),
    )
    assert response.status_code == 200
    assert not BackupJob.objects.exists()


def test_a_new_token_replaces_the_old(login, engineer):
    job = BackupJobFactory()
    old = issue_webhook_token(job)
    client = login(engineer)
    response = client.post(reverse("continuity:backupjob-token", args=[job.pk]))
    new = response.context["token"]
    assert job_for_token(new) == job
    assert job_for_token(old) is None
    assert job_for_token("wkb_guess") is None


def test_the_job_page_lists_runs_and_charts_sizes(
    login, engineer, django_assert_max_num_queries
):
    job = BackupJobFactory()
    for n in range(30):
        BackupRunFactory(job=job, size_bytes=(n + 1) * 1024**3, message=f"run {n}")
    client = login(engineer)
    with django_assert_max_num_queries(25):
        page = client.get(reverse("continuity:backupjob-detail", args=[job.pk]))
    assert len(page.context["runs"]) == 25
    assert len(page.context["chart"]["points"]) == 30


def test_lists_of_jobs_and_destinations(login, engineer, django_assert_max_num_queries):
    for _ in range(12):
        BackupRunFactory()
    client = login(engineer)
    for name in ("continuity:backupjob-list", "continuity:backupdestination-list"):
        with django_assert_max_num_queries(18):  # the same for 12 rows or 50
            assert client.get(reverse(name)).status_code == 200


def test_a_nurse_sees_no_jobs(login, nurse):
    client = login(nurse)
    assert client.get(reverse("continuity:backupjob-list")).status_code == 403


def test_the_api_never_returns_the_password(api, engineer):
    system, destination = ProtectedSystemFactory(), BackupDestinationFactory()
    client = api(engineer)
    made = client.post(
        "/api/continuity/jobs/",
        {
            "system": system.pk,
            "name": "db",
            "tool": "pg_dump",
            "destination": destination.pk,
            "repository_password": "p@ss",
        },
        format="json",
    )
    assert made.status_code == 201, made.content
    assert "repository_password" not in made.json()
    assert made.json()["has_repository_password"] is True
    token = client.post(f"/api/continuity/jobs/{made.json()['id']}/token/").json()
    assert job_for_token(token["token"]).name == "db"


def test_the_api_lists_runs_by_job_and_status(api, engineer):
    job = BackupJobFactory()
    BackupRunFactory(job=job, status="failed")
    BackupRunFactory(job=job)
    BackupRunFactory()
    client = api(engineer)
    rows = client.get("/api/continuity/runs/", {"job": job.pk, "status": "failed"})
    assert [r["status"] for r in rows.json()["results"]] == ["failed"]
    assert client.post("/api/continuity/runs/", {}).status_code == 405


def test_the_api_refuses_a_nurse(api, nurse):
    assert api(nurse).get("/api/continuity/systems/").status_code == 403


def test_the_api_lists_systems_with_their_state_in_few_queries(
    api, engineer, django_assert_max_num_queries
):
    for n in range(20):
        BackupRunFactory(job__system__name=f"System {n}")
    client = api(engineer)
    with django_assert_max_num_queries(15):
        rows = client.get("/api/continuity/systems/").json()["results"]
    assert {row["rpo_status"] for row in rows} == {"ok"}
    assert rows[0]["rule_321_missing"] == [
        "only 2 copies",
        "one kind of medium",
        "no offsite copy",
    ]
    one = client.get(f"/api/continuity/systems/{rows[0]['id']}/").json()
    assert one["rpo_status"] == "ok"


def test_the_api_refuses_a_second_data_store_of_the_same_name(api, engineer):
    store = DataStoreFactory(name="db")
    answer = api(engineer).post(
        "/api/continuity/data-stores/",
        {"system": store.system_id, "name": "db", "kind": "database"},
        format="json",
    )
    assert answer.status_code == 400
    assert "already has a data store" in str(answer.json())
