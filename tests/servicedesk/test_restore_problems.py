"""Problems: candidates from recurring faults, created and linked."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from tests.factories.inventory import AssetFactory, AssetModelFactory
from tests.factories.servicedesk import TicketFactory
from tests.factories.servicedesk_restore import ProblemFactory
from wardkeeper.servicedesk.choices import MaintenanceKind
from wardkeeper.servicedesk.models import Problem, ProblemStatus
from wardkeeper.servicedesk.services import problems

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 5, 31, 12, 0, tzinfo=dt.UTC)


def faults(asset, count, *, days_ago=1, **kw):
    return [
        TicketFactory(asset=asset, created_at=NOW - dt.timedelta(days=days_ago), **kw)
        for _ in range(count)
    ]


def test_an_asset_failing_n_times_in_m_days_is_a_candidate():
    flaky, fine = AssetFactory(tag="FLAKY"), AssetFactory(tag="FINE")
    faults(flaky, 3)
    faults(fine, 2)
    faults(fine, 3, days_ago=40)  # outside the window
    faults(fine, 3, kind=MaintenanceKind.PREVENTIVE)  # not faults
    found = problems.candidates(NOW, n=3, days=30)
    assert [(c.kind, c.subject.tag, c.count) for c in found] == [("asset", "FLAKY", 3)]
    assert problems.candidates(NOW, n=4, days=30) == []


def test_a_model_failing_across_assets_is_a_candidate():
    model = AssetModelFactory(name="Kiosk K2")
    for asset in AssetFactory.create_batch(3, model=model):
        faults(asset, 1)
    found = problems.candidates(NOW, n=3, days=30)
    assert [(c.kind, str(c.subject.name), c.count, c.assets) for c in found] == [
        ("model", "Kiosk K2", 3, 3)
    ]


def test_linked_tickets_no_longer_count():
    flaky = AssetFactory()
    tickets = faults(flaky, 3)
    problems.link(tickets[0], ProblemFactory())
    assert problems.candidates(NOW, n=3, days=30) == []


def test_creating_a_problem_from_a_candidate_links_its_tickets(hardware_engineer):
    flaky = AssetFactory(tag="FLAKY")
    tickets = faults(flaky, 3)
    other = faults(AssetFactory(), 1)[0]
    problem = problems.create_from_candidate(
        "asset", flaky.pk, actor=hardware_engineer, now=NOW
    )
    assert problem.asset == flaky
    assert problem.asset_model == flaky.model
    assert "FLAKY" in problem.title
    assert set(problem.tickets.all()) == set(tickets)
    other.refresh_from_db()
    assert other.problem is None
    assert problems.candidates(NOW, n=3, days=30) == []
    with pytest.raises(Exception, match="already linked"):
        problems.create_from_candidate("asset", flaky.pk, now=NOW)


def test_a_known_error_needs_a_root_cause_or_workaround():
    problem = Problem(title="Printers drop off", status=ProblemStatus.KNOWN_ERROR)
    with pytest.raises(ValidationError):
        problem.full_clean()
    problem.workaround = "Power-cycle the print server"
    problem.full_clean()
    problem.save()
    problem.status = ProblemStatus.RESOLVED
    problem.save()
    assert problem.resolved_at is not None
    problem.status = ProblemStatus.OPEN
    problem.save()
    assert problem.resolved_at is None
