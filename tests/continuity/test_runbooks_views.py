"""Runbook pages: who may see, draft, edit steps, approve; the RTO warning;
the printable PDF (Chinese included)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from tests.factories import continuity_plans as people
from tests.factories.continuity import ProtectedSystemFactory
from tests.factories.continuity_plans import approved_runbook, pdf_text
from wardkeeper.continuity.choices import RunbookState
from wardkeeper.continuity.models import Runbook
from wardkeeper.continuity.services import runbooks

pytestmark = pytest.mark.django_db


def test_the_list_shows_versions_within_a_query_budget(
    login, django_assert_max_num_queries
):
    for _ in range(5):
        approved_runbook()
    client = login(people.reader())
    with django_assert_max_num_queries(20):
        response = client.get(reverse("continuity:runbook-list"))
    assert response.status_code == 200
    assert b"Restore the database" not in response.content  # steps stay on pages
    assert b"approved" in response.content


def test_a_reader_sees_but_cannot_draft(login):
    runbook = approved_runbook()
    client = login(people.reader())
    page = client.get(reverse("continuity:runbook-detail", args=[runbook.pk]))
    assert page.status_code == 200
    assert b"Restore the database" in page.content
    assert b"Start a new version" not in page.content
    assert client.get(reverse("continuity:runbook-add")).status_code == 403
    refused = client.post(reverse("continuity:runbook-new-version", args=[runbook.pk]))
    assert refused.status_code == 403


def test_a_planner_drafts_a_runbook_with_steps(login):
    system = ProtectedSystemFactory(name="LIS", rto_minutes=30)
    client = login(people.planner())
    response = client.post(
        reverse("continuity:runbook-add"),
        {"system": system.pk, "title": "Bring LIS back", "contacts": "Lab 4410"},
    )
    runbook = Runbook.objects.get(title="Bring LIS back")
    assert response.url == reverse("continuity:runbook-detail", args=[runbook.pk])
    assert (runbook.version, runbook.state, runbook.author.username) == (
        1,
        RunbookState.DRAFT,
        "dana",
    )
    add = reverse("continuity:runbookstep-add", args=[runbook.pk])
    client.post(
        add,
        {"title": "Restore the LIS database", "role": "DBA", "expected_minutes": 40},
    )
    first = runbook.steps.get()
    client.post(
        add,
        {
            "title": "Start the LIS service",
            "role": "application coordinator",
            "expected_minutes": 10,
            "depends_on": [first.pk],
        },
    )
    second = runbook.steps.get(position=2)
    assert list(second.depends_on.all()) == [first]
    page = client.get(reverse("continuity:runbook-detail", args=[runbook.pk]))
    assert b"cannot meet the RTO" in page.content  # 50 minutes against 30


def test_a_loop_is_refused_beside_the_field(login):
    planner = people.planner()
    draft = runbooks.new_version(approved_runbook(), actor=planner)
    first, _second, third = draft.steps.order_by("position")
    client = login(planner)
    response = client.post(
        reverse("continuity:runbookstep-edit", args=[first.pk]),
        {
            "title": first.title,
            "role": first.role,
            "expected_minutes": 5,
            "depends_on": [third.pk],
        },
    )
    assert response.status_code == 200
    assert b"loop" in response.content
    assert not first.depends_on.exists()


def test_the_director_approves_a_draft_someone_else_wrote(login):
    draft = runbooks.new_version(approved_runbook(), actor=people.planner())
    client = login(people.director())
    page = client.get(reverse("continuity:runbook-detail", args=[draft.pk]))
    assert b"Approve" in page.content
    client.post(reverse("continuity:runbook-approve", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.state == RunbookState.APPROVED
    assert draft.previous.__class__.objects.get(pk=draft.previous_id).state == (
        RunbookState.SUPERSEDED
    )


def test_the_approve_button_is_refused_to_planners(login):
    draft = runbooks.new_version(approved_runbook(), actor=None)
    client = login(people.planner())
    response = client.post(reverse("continuity:runbook-approve", args=[draft.pk]))
    assert response.status_code == 403


def test_an_approved_version_cannot_be_edited(login):
    runbook = approved_runbook()
    client = login(people.planner())
    response = client.get(reverse("continuity:runbook-edit", args=[runbook.pk]))
    assert response.url == reverse("continuity:runbook-detail", args=[runbook.pk])


def test_the_pdf_has_what_is_needed_during_an_outage(login):
    runbook = approved_runbook(rto=60)
    client = login(people.reader())
    response = client.get(reverse("continuity:runbook-pdf", args=[runbook.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    for expected in (
        runbook.system.name,
        "Duty DBA 8801",
        "Wards use paper request forms.",
        "Restore the database",
        "cannot meet the RTO",
        "Started",
        "Initials",
    ):
        assert expected in text


def test_the_pdf_prints_chinese(login):
    system = ProtectedSystemFactory(name="检验信息系统")
    runbook = approved_runbook(
        system=system, steps=(("恢复数据库", "数据库工程师", 30, ()),)
    )
    client = login(people.reader())
    with translation.override("zh-hans"):
        response = client.get(
            reverse("continuity:runbook-pdf", args=[runbook.pk]),
            HTTP_ACCEPT_LANGUAGE="zh-hans",
        )
    text = pdf_text(response.content)
    assert "检验信息系统" in text
    assert "恢复数据库" in text
