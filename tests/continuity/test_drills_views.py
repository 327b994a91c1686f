"""Drill pages and API: schedule, start, work the steps from the run page,
raise a ticket, finish, the report PDF, and the coverage view and CSV."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import continuity_plans as people
from tests.factories.continuity import DrillFactory, ProtectedSystemFactory
from tests.factories.continuity_plans import approved_runbook, pdf_text, planned_drill
from wardkeeper.continuity.choices import DrillState, StepOutcome
from wardkeeper.continuity.models import Drill
from wardkeeper.continuity.services import drills
from wardkeeper.inventory.choices import Criticality
from wardkeeper.servicedesk.models import Ticket

pytestmark = pytest.mark.django_db


def test_a_planner_schedules_a_drill_of_an_approved_runbook(login):
    runbook = approved_runbook()
    client = login(people.planner())
    form = client.get(reverse("continuity:drill-add") + f"?runbook={runbook.pk}")
    assert form.status_code == 200
    when = (timezone.now() + dt.timedelta(days=30)).strftime("%Y-%m-%dT%H:%M")
    client.post(
        reverse("continuity:drill-add"),
        {"runbook": runbook.pk, "title": "Spring drill", "scheduled_for": when},
    )
    drill = Drill.objects.get(title="Spring drill")
    assert drill.state == DrillState.PLANNED


def test_a_drill_hand_cannot_schedule_but_can_run(login):
    drill = planned_drill()
    client = login(people.drill_hand())
    assert client.get(reverse("continuity:drill-add")).status_code == 403
    client.post(reverse("continuity:drill-start", args=[drill.pk]))
    drill.refresh_from_db()
    assert drill.state == DrillState.RUNNING
    page = client.get(reverse("continuity:drill-run", args=[drill.pk]))
    assert page.content.decode().count('data-testid="ready-step"') == 2
    first = drill.steps.get(position=1)
    act = reverse("continuity:drillstep-act", args=[first.pk])
    client.post(act, {"action": "start", "notes": "Restoring from tape 12"})
    client.post(act, {"action": "done"})
    first.refresh_from_db()
    assert first.outcome == StepOutcome.DONE
    assert first.done_by.username == "nick"
    assert "tape 12" in first.notes


def test_a_reader_sees_the_run_page_without_buttons(login):
    drill = drills.start_drill(planned_drill(), actor=None)
    client = login(people.reader())
    page = client.get(reverse("continuity:drill-run", args=[drill.pk]))
    assert page.status_code == 200
    assert b'value="done"' not in page.content
    step = drill.steps.first()
    response = client.post(
        reverse("continuity:drillstep-act", args=[step.pk]), {"action": "done"}
    )
    assert response.status_code == 403


def test_a_refused_step_says_why(login):
    drill = drills.start_drill(planned_drill(), actor=None)
    client = login(people.drill_hand())
    last = drill.steps.get(position=3)
    response = client.post(
        reverse("continuity:drillstep-act", args=[last.pk]),
        {"action": "start"},
        follow=True,
    )
    assert "waits for" in response.content.decode()


def test_an_issue_ticket_is_raised_from_a_step(login):
    drill = drills.start_drill(planned_drill(), actor=None)
    step = drill.steps.get(position=2)
    client = login(people.drill_hand())
    client.post(
        reverse("continuity:drillstep-issue", args=[step.pk]),
        {"title": "File store restore is slow", "description": "40 MB/s only"},
    )
    step.refresh_from_db()
    ticket = Ticket.objects.get(title="File store restore is slow")
    assert step.ticket == ticket


def test_finishing_and_the_report(login):
    drill = drills.start_drill(planned_drill(), actor=None)
    step = drill.steps.get(position=1)
    drills.finish_step(
        step, StepOutcome.PROBLEM, actor=None, notes="Backup catalogue missing"
    )
    ticket = drills.raise_issue(step, title="Keep a copy of the catalogue", actor=None)
    client = login(people.planner())
    client.post(
        reverse("continuity:drill-finish", args=[drill.pk]),
        {"data_loss_minutes": 10, "lessons": "Print the catalogue location."},
    )
    drill.refresh_from_db()
    assert drill.state == DrillState.FINISHED
    page = client.get(reverse("continuity:drill-detail", args=[drill.pk]))
    assert b"Print the catalogue location." in page.content
    report = client.get(reverse("continuity:drill-report", args=[drill.pk]))
    text = pdf_text(report.content)
    for expected in (
        drill.title,
        "Backup catalogue missing",
        ticket.reference,
        "Print the catalogue location.",
        "Achieved RTO",
        "10 min",
    ):
        assert expected in text


def test_the_coverage_page_and_csv(login, django_assert_max_num_queries):
    now = timezone.now()
    ProtectedSystemFactory(name="PACS", criticality=Criticality.CRITICAL)
    his = approved_runbook(system=ProtectedSystemFactory(name="HIS"))
    DrillFactory(
        runbook=his,
        state=DrillState.FINISHED,
        scheduled_for=now - dt.timedelta(days=20),
        finished_at=now - dt.timedelta(days=20),
    )
    client = login(people.reader())
    with django_assert_max_num_queries(15):
        page = client.get(reverse("continuity:drill-coverage"))
    html = page.content.decode()
    assert html.index("PACS") < html.index("HIS")
    assert "No drill in 12 months" in html
    csv = client.get(
        reverse("continuity:drill-coverage") + "?uncovered=true&format=csv"
    )
    body = b"".join(csv.streaming_content).decode()
    assert "PACS" in body
    assert "HIS" not in body


def test_the_api_runs_a_drill(api):
    drill = planned_drill()
    client = api(people.drill_hand())
    started = client.post(f"/api/continuity/drills/{drill.pk}/start/")
    assert started.status_code == 200, started.content
    first = started.json()["steps"][0]
    done = client.post(
        f"/api/continuity/drill-steps/{first['id']}/done/", {"notes": "ok"}
    )
    assert done.json()["outcome"] == "done"
    third = started.json()["steps"][2]
    refused = client.post(f"/api/continuity/drill-steps/{third['id']}/start/")
    assert refused.status_code == 400
    assert "waits for" in refused.json()["error"]["message"]
    runbooks = api(people.reader()).get("/api/continuity/runbooks/").json()
    assert runbooks["results"][0]["timing"]["critical_path_minutes"] == 90


def test_the_api_lists_runbooks_and_drills_within_a_query_budget(
    api, django_assert_max_num_queries
):
    for _ in range(4):
        drills.start_drill(planned_drill(), actor=None)
    client = api(people.reader())
    with django_assert_max_num_queries(12):
        assert client.get("/api/continuity/runbooks/").json()["count"] == 4
    with django_assert_max_num_queries(12):
        assert client.get("/api/continuity/drills/").json()["count"] == 4


def test_the_run_page_can_tell_when_the_drill_moved_on(login):
    from wardkeeper.continuity.services import drills

    drill = planned_drill()
    hand = people.drill_hand()
    drills.start_drill(drill, actor=hand)
    client = login(hand)
    url = reverse("continuity:drill-stamp", args=[drill.pk])
    before = client.get(url).json()
    assert before["state"] == "running"
    assert client.get(url).json() == before  # nothing happened
    step = drill.steps.order_by("position").first()
    drills.start_step(step, actor=hand)
    started = client.get(url).json()["stamp"]
    assert started != before["stamp"]
    drills.note_step(step, "Tape drive slow", actor=hand)
    assert client.get(url).json()["stamp"] != started
    page = client.get(reverse("continuity:drill-run", args=[drill.pk])).content
    assert client.get(url).json()["stamp"].encode() in page
