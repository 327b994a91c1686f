"""The backup and recovery dashboard: who sees it, what each system's row
and the headline figures tell, its exports and its query budget."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.conftest import make_persona
from tests.factories.continuity import (
    BackupDestinationFactory,
    BackupJobFactory,
    BackupRunFactory,
    DrillFactory,
    FindingFactory,
    ProtectedSystemFactory,
    RestoreRunFactory,
    RestoreTestFactory,
    RunbookFactory,
)
from tests.factories.continuity_plans import pdf_text
from wardkeeper.continuity.choices import DrillState, Media, ProofStatus
from wardkeeper.continuity.services import dashboard
from wardkeeper.core.models import AuditEntry
from wardkeeper.inventory.choices import Criticality

pytestmark = pytest.mark.django_db

URL = reverse("continuity:dashboard")


def ago(**span: float) -> dt.datetime:
    return timezone.now() - dt.timedelta(**span)


def backed_up(system, *, when, media=Media.DISK, offsite=False, name=None):
    destination = BackupDestinationFactory(
        name=name or f"{system.name} {media}", media=media, offsite=offsite
    )
    job = BackupJobFactory(system=system, destination=destination)
    BackupRunFactory(job=job, started_at=when, finished_at=when)
    return job


def proof(job, *, when, status=ProofStatus.PASSED):
    test = RestoreTestFactory(job=job)
    return RestoreRunFactory(
        test=test, status=status, started_at=when, finished_at=when
    )


def drilled(system, *, when):
    runbook = RunbookFactory(system=system)
    DrillFactory(
        runbook=runbook, state=DrillState.FINISHED, started_at=when, finished_at=when
    )


def three_systems():
    """HIS meets everything (both its jobs proven); LIS is late, never
    proven nor drilled and has a finding; the website's only restore proof
    is 40 days old."""
    his = ProtectedSystemFactory(
        name="HIS", criticality=Criticality.CRITICAL, rpo_minutes=60
    )
    job = backed_up(his, when=ago(minutes=20), name="HIS disk")
    tape = backed_up(his, when=ago(minutes=30), media=Media.TAPE, offsite=True)
    proof(job, when=ago(days=5))
    proof(tape, when=ago(days=12))
    drilled(his, when=ago(days=60))
    lis = ProtectedSystemFactory(
        name="LIS", criticality=Criticality.HIGH, rpo_minutes=60
    )
    backed_up(lis, when=ago(hours=3))
    FindingFactory(system=lis, message="LIS backup overdue")
    web = ProtectedSystemFactory(
        name="Website", criticality=Criticality.NORMAL, rpo_minutes=24 * 60
    )
    proof(backed_up(web, when=ago(hours=1)), when=ago(days=40))
    return {"HIS": his, "LIS": lis, "Website": web}


@pytest.fixture
def hospital(db):
    return three_systems()


def test_a_nurse_cannot_see_the_dashboard(login, nurse):
    client = login(nurse)
    assert client.get(URL).status_code == 403
    export = reverse("continuity:dashboard-export", args=["csv"])
    assert client.get(export).status_code == 403


def test_the_headline_counts_systems_meeting_each_objective(login, hospital):
    page = login(make_persona("ana", "analyst")).get(URL)
    assert page.status_code == 200
    figures = {f.key: (f.met, f.total) for f in page.context["headline"].figures}
    assert figures == {
        "rpo": (2, 3),
        "rule321": (1, 3),
        "proven": (1, 3),
        "drilled": (1, 3),
    }
    assert page.context["headline"].open_findings == 1
    html = page.content.decode()
    assert "2 of 3" in html
    assert "1 of 3" in html


def test_each_row_flags_what_the_system_misses(login, hospital):
    page = login(make_persona("ana", "analyst")).get(URL)
    rows = {line.system.name: line for line in page.context["rows"]}
    assert [line.system.name for line in page.context["rows"]] == [
        "HIS",
        "LIS",
        "Website",
    ]
    his, lis, web = rows["HIS"], rows["LIS"], rows["Website"]
    assert his.row.rpo.is_ok
    assert his.row.rule.met
    assert his.proven
    assert his.drilled
    assert not lis.row.rpo.is_ok
    assert lis.proof_flagged
    assert not lis.drilled
    assert lis.open_findings == 1
    # Its last restore test passed, but 40 days ago: older than 30 days.
    assert web.row.proof.status == ProofStatus.PASSED
    assert web.proof_flagged
    html = page.content.decode()
    website_row = html.split('data-system="Website"')[1].split("</tr>")[0]
    assert "not proven in 30 days" in website_row
    his_row = html.split('data-system="HIS"')[1].split("</tr>")[0]
    assert "not proven in" not in his_row
    assert "not in 12 months" not in his_row


def test_the_filter_narrows_rows_and_figures(login, hospital):
    client = login(make_persona("ana", "analyst"))
    page = client.get(URL, {"criticality": Criticality.CRITICAL})
    assert [line.system.name for line in page.context["rows"]] == ["HIS"]
    figures = {f.key: (f.met, f.total) for f in page.context["headline"].figures}
    assert figures["proven"] == (1, 1)


def test_the_csv_and_workbook_hold_every_system(login, hospital):
    client = login(make_persona("ana", "analyst"))
    csv = client.get(reverse("continuity:dashboard-export", args=["csv"]))
    text = b"".join(csv.streaming_content).decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[0].startswith("system,criticality,rpo_minutes")
    assert len(lines) == 4
    assert lines[2].startswith("LIS,")
    xlsx = client.get(reverse("continuity:dashboard-export", args=["xlsx"]))
    sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    header = [cell.value for cell in sheet[1]]
    values = {
        row[0]: dict(zip(header, row, strict=True))
        for row in sheet.iter_rows(min_row=2, values_only=True)
    }
    assert values["Website"]["proven_in_time"] == "no"
    assert values["HIS"]["drilled_in_12_months"] == "yes"
    assert values["LIS"]["open_findings"] == 1
    assert (
        AuditEntry.objects.filter(message__contains="continuity-dashboard").count() == 2
    )


def test_the_pdf_tells_the_figures_and_the_rows(login, hospital):
    client = login(make_persona("ana", "analyst"))
    response = client.get(reverse("continuity:dashboard-export", args=["pdf"]))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Backup and recovery dashboard" in text
    assert "Meeting 3-2-1" in text
    assert "1 / 3" in text
    for name in ("HIS", "LIS", "Website"):
        assert name in text
    # (Words wrap inside a cell: compare the text without line breaks.)
    assert "flagged: not proven in 30 days" in " ".join(text.split())


def test_the_pdf_prints_chinese_names(login, db):
    ProtectedSystemFactory(name="影像归档 PACS")
    client = login(make_persona("ana", "analyst"))
    response = client.get(reverse("continuity:dashboard-export", args=["pdf"]))
    assert "影像归档" in pdf_text(response.content)


def test_an_unknown_export_format_is_not_found(login, hospital):
    client = login(make_persona("ana", "analyst"))
    assert (
        client.get(reverse("continuity:dashboard-export", args=["doc"])).status_code
        == 404
    )


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL).status_code == 200
    return len(captured)


def test_the_page_reads_a_fixed_number_of_queries(login, hospital):
    client = login(make_persona("ana", "analyst"))
    few = _queries(client)
    for n in range(12):
        system = ProtectedSystemFactory(name=f"Extra {n}")
        job = backed_up(system, when=ago(hours=2), name=f"extra-{n}")
        proof(job, when=ago(days=1))
        drilled(system, when=ago(days=10))
        FindingFactory(system=system)
    many = _queries(client)
    assert many == few
    assert many <= 25


def test_a_second_page_still_counts_every_system(login, hospital):
    for n in range(12):
        ProtectedSystemFactory(name=f"Extra {n}", criticality=Criticality.HIGH)
    client = login(make_persona("ana", "analyst"))
    page = client.get(URL, {"per_page": 10, "page": 2})
    assert len(page.context["rows"]) == 5
    figures = {f.key: (f.met, f.total) for f in page.context["headline"].figures}
    assert figures["rpo"] == (2, 15)


def test_rows_for_is_bounded_without_the_page(hospital, django_assert_max_num_queries):
    systems = list(hospital.values())
    # (3-2-1 store by store and each job's restore proof: one more than the
    # system-wide versions read.)
    with django_assert_max_num_queries(10):
        rows = dashboard.rows_for(systems)
    assert len(rows) == 3
