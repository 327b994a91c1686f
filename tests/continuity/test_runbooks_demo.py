"""The demo's plans: approved runbooks for HIS, PACS and LIS, a finished
drill last spring and one planned next month."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.factories.continuity import ProtectedSystemFactory
from wardkeeper.continuity.choices import DrillState, RunbookState
from wardkeeper.continuity.demo_plans import write_plans
from wardkeeper.continuity.models import Drill, Runbook
from wardkeeper.continuity.services import drill_pdf, drills
from wardkeeper.inventory.choices import Criticality

pytestmark = pytest.mark.django_db


def test_the_demo_writes_plans_and_drills():
    for name in ("HIS", "PACS", "LIS"):
        ProtectedSystemFactory(name=name, criticality=Criticality.CRITICAL)
    today = timezone.localdate()
    counts = write_plans(42, today)
    assert counts == {"runbooks": 4, "runbook steps": 25, "drills": 2}
    approved = Runbook.objects.filter(state=RunbookState.APPROVED)
    assert sorted(approved.values_list("system__name", flat=True)) == [
        "HIS",
        "LIS",
        "PACS",
    ]
    spring = Drill.objects.get(state=DrillState.FINISHED)
    assert spring.steps.filter(outcome="problem").count() == 1
    assert drills.result(spring).rpo_minutes == 12
    planned = Drill.objects.get(state=DrillState.PLANNED)
    assert planned.scheduled_for.date() > today + dt.timedelta(days=20)
    rows = {row.name: row.uncovered for row in drills.coverage()}
    assert rows == {"HIS": False, "PACS": True, "LIS": True}
    assert drill_pdf.drill_report_pdf(spring).startswith(b"%PDF")


def test_the_demo_skips_systems_it_does_not_find():
    ProtectedSystemFactory(name="LIS")
    assert write_plans(1, timezone.localdate())["runbooks"] == 1
