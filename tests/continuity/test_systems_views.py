"""Pages of protected systems and data stores: who may see and change them,
what a system's page tells, and the criticality analysis with its exports."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.factories.continuity import (
    BackupJobFactory,
    BackupRunFactory,
    DataStoreFactory,
    ProtectedSystemFactory,
    database_engineer_persona,
)
from tests.factories.continuity_plans import pdf_text
from tests.factories.inventory import AssetFactory
from wardkeeper.continuity.models import DataStore, ProtectedSystem
from wardkeeper.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def engineer(db):
    """A database engineer: keeps the systems, jobs and destinations."""
    return database_engineer_persona()


def test_a_nurse_cannot_see_systems(login, nurse):
    client = login(nurse)
    assert client.get(reverse("continuity:protectedsystem-list")).status_code == 403
    assert client.get(reverse("continuity:criticality")).status_code == 403


def test_an_analyst_reads_but_cannot_edit(login):
    from tests.conftest import make_persona

    system = ProtectedSystemFactory(name="LIS")
    client = login(make_persona("ana", "analyst"))
    page = client.get(reverse("continuity:protectedsystem-detail", args=[system.pk]))
    assert page.status_code == 200
    assert b"Edit" not in page.content.split(b"<main")[-1].split(b"history")[0]
    edit = reverse("continuity:protectedsystem-edit", args=[system.pk])
    assert client.get(edit).status_code == 403


def test_the_database_engineer_adds_a_system_linked_to_servers(login, engineer):
    server = AssetFactory(tag="SRV-0001")
    client = login(engineer)
    response = client.post(
        reverse("continuity:protectedsystem-add"),
        {
            "name": "HIS",
            "criticality": 1,
            "rpo_minutes": 15,
            "rto_minutes": 240,
            "restore_proof_days": 30,
            "assets": ["SRV-0001"],
        },
    )
    system = ProtectedSystem.objects.get(name="HIS")
    assert response.status_code == 302
    assert list(system.assets.all()) == [server]
    assert AuditEntry.objects.filter(object_id=str(system.pk)).exists()


def test_an_unknown_asset_tag_is_named(login, engineer):
    client = login(engineer)
    response = client.post(
        reverse("continuity:protectedsystem-add"),
        {
            "name": "X",
            "criticality": 2,
            "rpo_minutes": 1,
            "rto_minutes": 1,
            "restore_proof_days": 30,
            "assets": ["NOPE-1"],
        },
    )
    assert "Not found: NOPE-1." in response.content.decode()
    assert not ProtectedSystem.objects.exists()


def test_data_stores_are_added_and_edited_on_the_system(login, engineer):
    system = ProtectedSystemFactory(name="PACS")
    client = login(engineer)
    add = reverse("continuity:datastore-add", args=[system.pk])
    response = client.post(add, {"name": "images", "kind": "images", "where": "/pacs"})
    assert response.url.endswith("#stores")
    store = DataStore.objects.get(system=system)
    again = client.post(add, {"name": "images", "kind": "files"})
    assert "already has a data store of that name" in again.content.decode()
    edit = reverse("continuity:datastore-edit", args=[store.pk])
    client.post(edit, {"name": "images", "kind": "images", "where": "/archive"})
    store.refresh_from_db()
    assert store.where == "/archive"
    page = client.get(reverse("continuity:protectedsystem-detail", args=[system.pk]))
    assert "/archive" in page.content.decode()


def test_the_system_page_shows_an_overdue_job_and_the_321_gaps(login, engineer):
    job = BackupJobFactory(system__name="EMR", system__rpo_minutes=60, name="nightly")
    BackupRunFactory(job=job, started_at=timezone.now() - dt.timedelta(days=3))
    DataStoreFactory(system=job.system, name="emr-db")
    client = login(engineer)
    page = client.get(
        reverse("continuity:protectedsystem-detail", args=[job.system.pk])
    )
    text = page.content.decode()
    assert "older than the RPO" in text
    assert "wk-overdue" in text
    assert "only 1 copy" in text
    assert "no offsite copy" in text
    assert "emr-db" in text


def test_the_analysis_puts_the_most_critical_and_shortest_rto_first(
    login, engineer, django_assert_max_num_queries
):
    ProtectedSystemFactory(name="Website", criticality=3, rto_minutes=60)
    ProtectedSystemFactory(name="PACS", criticality=1, rto_minutes=480)
    ProtectedSystemFactory(name="HIS", criticality=1, rto_minutes=120)
    client = login(engineer)
    with django_assert_max_num_queries(25):
        page = client.get(reverse("continuity:criticality"))
    text = page.content.decode()
    assert text.index("HIS") < text.index("PACS") < text.index("Website")
    assert "3 systems outside their RPO" in text


def test_the_analysis_exports_as_csv_and_xlsx(login, engineer):
    job = BackupJobFactory(system__name="LIS", system__rpo_minutes=24 * 60)
    BackupRunFactory(job=job)
    client = login(engineer)
    url = reverse("continuity:criticality-export", args=["csv"])
    csv_text = b"".join(client.get(url).streaming_content).decode("utf-8-sig")
    header, line = csv_text.splitlines()[:2]
    assert header.startswith("system,criticality,rpo_minutes")
    assert line.startswith("LIS,high,1440,240,")
    response = client.get(reverse("continuity:criticality-export", args=["xlsx"]))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.values)
    assert rows[1][0] == "LIS"
    assert rows[1][6] == "yes"
    assert AuditEntry.objects.filter(action="export").count() == 2


def test_the_system_list_is_filtered_and_counted(
    login, engineer, django_assert_max_num_queries
):
    for n in range(30):
        ProtectedSystemFactory(name=f"Sys {n}", criticality=1 + n % 4)
    client = login(engineer)
    with django_assert_max_num_queries(15):
        page = client.get(
            reverse("continuity:protectedsystem-list"), {"criticality": 1}
        )
    assert page.context["page_obj"].paginator.count == 8


def test_the_analysis_prints_as_a_pdf_most_critical_first(login, engineer):
    late = BackupJobFactory(system__name="HIS", system__criticality=1)
    BackupRunFactory(job=late, started_at=timezone.now() - dt.timedelta(days=3))
    ProtectedSystemFactory(name="Website", criticality=3)
    ProtectedSystemFactory(name="影像归档 PACS", criticality=1, rto_minutes=480)
    client = login(engineer)
    response = client.get(reverse("continuity:criticality-export", args=["pdf"]))
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(pdf_text(response.content).split())
    assert "Criticality analysis" in text
    assert "3 systems outside their RPO" in text
    assert text.index("HIS") < text.index("影像归档") < text.index("Website")
    assert "2 d 23 h ago" in text  # HIS: its run ended ten minutes after it began
    assert AuditEntry.objects.filter(action="export").count() == 1
