"""Runbooks and drills for tests: an approved three-step runbook (database
before application), and the people who write, approve and run them."""

from __future__ import annotations

import datetime as dt
import io

from django.utils import timezone
from pypdf import PdfReader

from tests.conftest import make_persona
from tests.factories.continuity import (
    DrillFactory,
    ProtectedSystemFactory,
    RunbookFactory,
    RunbookStepFactory,
)
from wardkeeper.continuity.choices import RunbookState
from wardkeeper.inventory.choices import Criticality

STEPS = (
    ("Restore the database", "database engineer", 60, ()),
    ("Restore the file store", "system administrator", 45, ()),
    ("Start the application servers", "application coordinator", 30, (1, 2)),
)


def approved_runbook(*, system=None, rto: int = 240, author=None, steps=STEPS):
    """An approved runbook whose step 3 comes after steps 1 and 2."""
    system = system or ProtectedSystemFactory(
        criticality=Criticality.CRITICAL, rto_minutes=rto, rpo_minutes=15
    )
    runbook = RunbookFactory(
        system=system,
        state=RunbookState.APPROVED,
        approved_at=timezone.now() - dt.timedelta(days=3),
        author=author,
        edited_by=author,
        contacts="Duty DBA 8801",
        downtime_procedure="Wards use paper request forms.",
    )
    made = []
    for position, (title, role, minutes, after) in enumerate(steps, start=1):
        step = RunbookStepFactory(
            runbook=runbook,
            position=position,
            title=title,
            role=role,
            expected_minutes=minutes,
        )
        step.depends_on.set([made[i - 1] for i in after])
        made.append(step)
    return runbook


def planned_drill(runbook=None, **fields):
    return DrillFactory(runbook=runbook or approved_runbook(), **fields)


def planner():
    """Writes runbooks and plans drills (database engineer)."""
    return make_persona("dana", "database_engineer")


def director():
    """Approves runbooks (IT director)."""
    return make_persona("iris", "it_director")


def drill_hand():
    """Takes part in drills (network engineer)."""
    return make_persona("nick", "network_engineer")


def reader():
    """Reads backup and recovery only (analyst)."""
    return make_persona("anna", "analyst")


def pdf_text(data: bytes) -> str:
    """The text of a PDF, read with pypdf as the other PDF tests do."""
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)
