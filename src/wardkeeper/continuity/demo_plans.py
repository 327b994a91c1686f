"""The demo hospital's disaster-recovery plans: an approved runbook for HIS
(version 2, replacing a superseded version 1), PACS and LIS, a finished
HIS drill last spring with its lessons (one step went wrong), and a LIS
drill planned for next month. PACS has none in twelve months, so the
coverage view has something to say.

Runs after ``continuity.demo.write_continuity`` (it needs the systems).
Deterministic from the seed; written in bulk and audited like the rest of
the demo."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from wardkeeper.continuity.choices import DrillState, RunbookState, StepOutcome
from wardkeeper.continuity.models import (
    Drill,
    DrillStep,
    ProtectedSystem,
    Runbook,
    RunbookStep,
)
from wardkeeper.core.models import User
from wardkeeper.inventory.demo.writer import insert

__all__ = ["write_plans"]

# (title, role, minutes, after: positions of earlier steps)
Step = tuple[str, str, int, tuple[int, ...]]
HIS_STEPS: tuple[Step, ...] = (
    ("Declare the outage and start downtime procedures", "IT director", 10, ()),
    ("Fence the failed database server", "database engineer", 15, (1,)),
    (
        "Restore the HIS database from the last full backup",
        "database engineer",
        90,
        (2,),
    ),
    ("Replay archived WAL up to the failure", "database engineer", 30, (3,)),
    (
        "Check the application servers and their configuration",
        "system administrator",
        20,
        (1,),
    ),
    (
        "Start the HIS application and interface engine",
        "application coordinator",
        15,
        (4, 5),
    ),
    (
        "Run the sanity checks with ward super-users",
        "application coordinator",
        20,
        (6,),
    ),
    ("Enter the paper records from the downtime", "ward clerks", 60, (7,)),
)
PACS_STEPS: tuple[Step, ...] = (
    (
        "Declare the outage; radiology switches to modality local storage",
        "IT director",
        10,
        (),
    ),
    ("Restore the PACS database", "database engineer", 60, (1,)),
    ("Re-attach the image archive volumes", "storage administrator", 45, (1,)),
    (
        "Start the PACS servers and DICOM services",
        "PACS administrator (vendor)",
        30,
        (2, 3),
    ),
    ("C-ECHO every modality and send one test study", "PACS administrator", 30, (4,)),
    ("Resend studies kept on the modalities", "radiographers", 90, (5,)),
)
LIS_STEPS: tuple[Step, ...] = (
    ("Declare the outage; laboratory uses paper request forms", "IT director", 10, ()),
    ("Restore the LIS database", "database engineer", 60, (1,)),
    ("Start the LIS and the analyser middleware", "application coordinator", 20, (2,)),
    (
        "Check results flow from each analyser to the HIS",
        "laboratory super-user",
        30,
        (3,),
    ),
)
CONTACTS = {
    "HIS": "Duty DBA: ext. 8801\nApplication coordinator on call: 138 0000 1234\nIT director: 139 0000 5678",
    "PACS": "PACS administrator: ext. 8820\nRadiology duty: ext. 6100",
    "LIS": "Laboratory duty: ext. 6200\nDuty DBA: ext. 8801",
}
DOWNTIME = {
    "HIS": "Wards use the paper order and medication forms in the red downtime box; "
    "the pharmacy dispenses from printed last-known medication lists.",
    "PACS": "Modalities keep studies locally; urgent reads on the modality console.",
    "LIS": "Results are phoned to the wards and written on paper result slips.",
}


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _last_spring(today: dt.date) -> dt.date:
    spring = dt.date(today.year, 4, 22)
    return spring if spring < today else dt.date(today.year - 1, 4, 22)


def _runbook(
    system: ProtectedSystem,
    version: int,
    state: str,
    approved: dt.datetime,
    people: dict[str, Any],
) -> Runbook:
    return Runbook(
        system=system,
        title=f"Bring {system.name} back after losing its database server",
        version=version,
        state=state,
        summary=f"Total loss of the {system.name} database server or its storage.",
        contacts=CONTACTS[system.name],
        downtime_procedure=DOWNTIME[system.name],
        author=people.get("dan.dba"),
        edited_by=people.get("amy.apps") or people.get("dan.dba"),
        approved_by=people.get("dora.director"),
        approved_at=approved,
    )


def _steps(runbooks: list[tuple[Runbook, tuple[Step, ...]]]) -> list[RunbookStep]:
    rows = [
        RunbookStep(
            runbook=runbook,
            position=position,
            title=title,
            role=role,
            expected_minutes=minutes,
        )
        for runbook, steps in runbooks
        for position, (title, role, minutes, _after) in enumerate(steps, start=1)
    ]
    made = insert(RunbookStep, rows)
    by_key = {(s.runbook_id, s.position): s for s in made}
    through = RunbookStep.depends_on.through
    links = [
        through(
            from_runbookstep_id=by_key[(runbook.pk, position)].pk,
            to_runbookstep_id=by_key[(runbook.pk, earlier)].pk,
        )
        for runbook, steps in runbooks
        for position, (*_s, after) in enumerate(steps, start=1)
        for earlier in after
    ]
    through.objects.bulk_create(links)
    return made


def _drill_steps(
    rng: random.Random, drill: Drill, steps: list[RunbookStep], people: dict[str, Any]
) -> None:
    """The HIS drill as it went: each step a little off its plan; the WAL
    replay found archived WAL missing and took twice as long."""
    assert drill.started_at is not None
    clock = drill.started_at
    rows = []
    for step in steps:
        took = max(5, round(step.expected_minutes * rng.uniform(0.8, 1.3)))
        outcome, notes = StepOutcome.DONE, ""
        if step.position == 4:
            took = step.expected_minutes * 2
            outcome = StepOutcome.PROBLEM
            notes = "Two WAL segments were missing from the archive; replayed from the standby."
        who = (
            people.get("dan.dba") if "database" in step.role else people.get("amy.apps")
        )
        rows.append(
            DrillStep(
                drill=drill,
                step=step,
                position=step.position,
                title=step.title,
                role=step.role,
                expected_minutes=step.expected_minutes,
                outcome=outcome,
                started_at=clock,
                finished_at=clock + dt.timedelta(minutes=took),
                done_by=who,
                notes=notes,
            )
        )
        clock += dt.timedelta(minutes=took)
    made = insert(DrillStep, rows)
    by_position = {s.position: s for s in made}
    through = DrillStep.depends_on.through
    through.objects.bulk_create(
        through(from_drillstep_id=by_position[p].pk, to_drillstep_id=by_position[e].pk)
        for p, (*_s, after) in enumerate(HIS_STEPS, start=1)
        for e in after
    )
    drill.finished_at = clock
    drill.save()


def write_plans(seed: object, day: dt.date) -> dict[str, int]:
    """Runbooks, steps and drills for HIS, PACS and LIS; returns the counts."""
    rng = random.Random(f"{seed}:plans")
    systems = {
        s.name: s
        for s in ProtectedSystem.objects.filter(name__in=["HIS", "PACS", "LIS"])
    }
    people = {u.username: u for u in User.objects.filter(username__contains=".")}
    spring = _last_spring(day)
    plans: list[tuple[Runbook, tuple[Step, ...]]] = []
    for name, steps in (("HIS", HIS_STEPS), ("PACS", PACS_STEPS), ("LIS", LIS_STEPS)):
        system = systems.get(name)
        if system is None:
            continue
        approved = _at(spring - dt.timedelta(days=60), 10)
        if name == "HIS":
            old = _runbook(
                system,
                1,
                RunbookState.SUPERSEDED,
                approved - dt.timedelta(days=400),
                people,
            )
            plans.append((insert(Runbook, [old])[0], steps[:-1]))
        runbook = _runbook(
            system, 2 if name == "HIS" else 1, RunbookState.APPROVED, approved, people
        )
        if name == "HIS":
            runbook.previous = plans[-1][0]
        plans.append((insert(Runbook, [runbook])[0], steps))
    made = _steps(plans)
    drills = []
    current = {
        rb.system.name: rb for rb, _s in plans if rb.state == RunbookState.APPROVED
    }
    if "HIS" in current:
        his = current["HIS"]
        drill = insert(
            Drill,
            [
                Drill(
                    runbook=his,
                    title="HIS database loss drill (spring)",
                    scenario="The HIS database server's storage fails at 08:00 on a weekday.",
                    state=DrillState.FINISHED,
                    scheduled_for=_at(spring, 8),
                    leader=people.get("dora.director"),
                    started_at=_at(spring, 8),
                    data_loss_minutes=12,
                    lessons="Check the WAL archive daily, not only the nightly dump.\n"
                    "Keep the downtime box's medication lists printed each shift.",
                )
            ],
        )[0]
        _drill_steps(rng, drill, [s for s in made if s.runbook_id == his.pk], people)
        drills.append(drill)
    if "LIS" in current:
        next_month = day + dt.timedelta(days=30)
        drills += insert(
            Drill,
            [
                Drill(
                    runbook=current["LIS"],
                    title="LIS restore drill",
                    scenario="Restore the LIS database onto the standby server.",
                    scheduled_for=_at(next_month, 9),
                    leader=people.get("dan.dba"),
                )
            ],
        )
    return {"runbooks": len(plans), "runbook steps": len(made), "drills": len(drills)}
