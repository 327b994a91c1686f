"""A problem found by the backup checks is one finding, one alert and (when
asked) one ticket for the system's team; resolving it notes the ticket."""

import datetime as dt

import pytest

from tests.factories.continuity import BackupJobFactory, ProtectedSystemFactory
from tests.factories.core import UserFactory
from tests.factories.servicedesk import TeamFactory
from tests.factories.servicedesk_rota import weekly_rota
from wardkeeper.continuity.choices import FindingKind, FindingState
from wardkeeper.continuity.models import Finding
from wardkeeper.continuity.services import findings
from wardkeeper.core.models.audit import AuditEntry
from wardkeeper.core.models.notifications import Delivery
from wardkeeper.inventory.choices import Criticality
from wardkeeper.servicedesk.choices import Category, Priority, TicketState
from wardkeeper.servicedesk.models import Ticket

pytestmark = pytest.mark.django_db(transaction=True)
NOW = dt.datetime(2026, 3, 4, 2, 0, tzinfo=dt.UTC)


@pytest.fixture
def his_job():
    engineer = UserFactory(email="dba@example.org")
    team = TeamFactory(code="dba", categories=[Category.DATA])
    weekly_rota(team, [engineer])
    owner = UserFactory(email="owner@example.org")
    system = ProtectedSystemFactory(
        name="HIS", criticality=Criticality.CRITICAL, team=team, owner=owner
    )
    return BackupJobFactory(system=system, name="HIS database")


def fail(job, message="HIS database: last run failed", **kwargs):
    return findings.raise_finding(
        FindingKind.RUN_FAILED,
        system=job.system,
        job=job,
        message=message,
        evidence={"run": 7},
        now=NOW,
        **kwargs,
    )


def test_a_finding_on_a_critical_system_opens_a_p1_ticket_for_its_team(his_job):
    finding = fail(his_job)
    ticket = Ticket.objects.get()
    assert finding.ticket == ticket
    assert ticket.priority == Priority.P1
    assert ticket.team.code == "dba"
    assert ticket.assignee.email == "dba@example.org"
    assert ticket.origin == f"continuity:run_failed:s{his_job.system.pk}:j{his_job.pk}"
    told = set(
        Delivery.objects.filter(event=findings.EVENT_FOUND).values_list(
            "user__email", flat=True
        )
    )
    assert told == {"dba@example.org", "owner@example.org"}
    assert AuditEntry.objects.filter(object_id=str(finding.pk)).exists()


def test_raising_it_again_updates_the_open_finding_without_a_second_alert(his_job):
    fail(his_job)
    again = fail(his_job, message="HIS database: failed twice")
    assert Finding.objects.count() == 1
    assert again.message == "HIS database: failed twice"
    assert Ticket.objects.count() == 1
    assert Delivery.objects.filter(event=findings.EVENT_FOUND).count() == 2


def test_without_ticket_only_people_are_told(his_job):
    finding = fail(his_job, ticket=False)
    assert finding.ticket is None
    assert not Ticket.objects.exists()


def test_resolving_notes_the_ticket_and_a_new_problem_is_a_new_finding(his_job):
    first = fail(his_job)
    resolved = findings.resolve_finding(
        FindingKind.RUN_FAILED, system=his_job.system, job=his_job, now=NOW
    )
    assert resolved.pk == first.pk
    assert resolved.state == FindingState.RESOLVED
    assert resolved.resolved_at == NOW
    ticket = Ticket.objects.get()
    assert "Cleared" in ticket.worklogs.order_by("at").last().note
    assert (
        findings.resolve_finding(
            FindingKind.RUN_FAILED, system=his_job.system, job=his_job
        )
        is None
    )
    second = fail(his_job)
    assert second.pk != first.pk
    # The ticket is still open: noted again, not a second one.
    assert Ticket.objects.count() == 1
    assert ticket.state != TicketState.RESOLVED


def test_a_finding_without_a_system_still_opens():
    finding = findings.raise_finding(
        FindingKind.DESTINATION_STALE,
        system=None,
        message="NAS not written",
        ticket=False,
    )
    assert finding.subject == "destination_stale"
