"""The demo hospital's backup and recovery: systems on the demo's servers,
sixty days of runs, and the problems the pages must show (a stopped job, a
shrunk copy, failing runs, 3-2-1 gaps). One build per module; a build is
the same for the same seed."""

from __future__ import annotations

import pytest
from django.db import transaction

from wardkeeper.continuity.choices import (
    FindingKind,
    FindingState,
    ProofStatus,
    RunStatus,
    Trigger,
)
from wardkeeper.continuity.models import (
    BackupDestination,
    BackupJob,
    BackupRun,
    DataStore,
    Finding,
    ProtectedSystem,
    RestoreRun,
)
from wardkeeper.continuity.services import rule321
from wardkeeper.continuity.services.rpo import RpoStatus, rpo_state
from wardkeeper.core.models.audit import AuditEntry
from wardkeeper.inventory.demo import build_demo

# On one worker: the module's build is made once.
pytestmark = pytest.mark.xdist_group("continuity_demo")


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        result = build_demo(scale=0.05, accounts=False)
        yield result
        transaction.set_rollback(True)


@pytest.fixture
def db_demo(demo, db):
    return demo


def test_the_systems_stand_on_the_demo_servers(db_demo):
    his = ProtectedSystem.objects.get(name="HIS")
    hosts = set(his.assets.values_list("hostname", flat=True))
    assert {"his-db-01", "his-app-01"} <= hosts
    assert his.owner.username == "bo.apps"  # amy.apps without the sign-ins
    assert his.data_stores.get(name="HIS database").asset.hostname.startswith(
        ("his-db", "ec-his-db")
    )
    assert ProtectedSystem.objects.count() == 7
    assert db_demo.counts["backup runs"] == BackupRun.objects.count() > 10_000


def test_the_problems_are_there_to_be_found(db_demo):
    pacs, his, emr = (
        ProtectedSystem.objects.get(name=n) for n in ("PACS", "HIS", "EMR")
    )
    assert rpo_state(pacs).status == RpoStatus.OVERDUE  # image archive stopped
    assert rpo_state(his).is_ok
    assert rule321.evaluate(his).met
    # EMR keeps every copy on disks; PACS's image archive job stopped, its
    # only copy is the tape (3-2-1 is judged per data store).
    assert rule321.evaluate(emr).missing == ("EMR database: one kind of medium",)
    assert rule321.evaluate(pacs).missing == ("Image archive: only 2 copies",)
    mail = BackupJob.objects.get(name="Mailboxes nightly")
    assert list(mail.runs.values_list("status", flat=True)[:2]) == [
        RunStatus.FAILED,
        RunStatus.FAILED,
    ]
    shrunk = BackupJob.objects.get(name="Nightly object-store copy")
    newest, *older = shrunk.runs.values_list("size_bytes", flat=True)[:10]
    assert newest < 0.5 * min(older[2:])


def test_every_record_but_the_runs_is_audited(db_demo):
    from django.apps import apps

    from wardkeeper.core.models.base import AuditedModel

    created = AuditEntry.objects.filter(
        content_type__app_label="continuity", action="create"
    )
    kept = (ProtectedSystem, DataStore, BackupDestination, BackupJob)
    assert sum(model.objects.count() for model in kept) == 38
    audited = [
        model
        for model in apps.get_app_config("continuity").get_models()
        if issubclass(model, AuditedModel)
    ]
    # Runs are reports, not audited, but for the restores recorded by hand.
    by_hand = RestoreRun.objects.filter(trigger=Trigger.MANUAL).count()
    assert by_hand == 4
    assert created.count() == by_hand + sum(model.objects.count() for model in audited)


def test_restores_done_by_hand_prove_the_log_and_tape_jobs(db_demo):
    from wardkeeper.continuity.services import proofs

    systems = list(ProtectedSystem.objects.all())
    states = proofs.proof_states(systems)
    summary = {system.name: states[system.pk] for system in systems}
    assert "Database logs" not in summary["HIS"].summary
    assert "Weekly tape" not in summary["HIS"].summary
    # The PACS tape's restore by hand is older than PACS's interval.
    assert "Weekly tape" in summary["PACS"].summary


def test_the_storage_section_shows_the_arrays_last_readings(db_demo):
    from wardkeeper.continuity.services import storage

    rows = storage.array_rows(ProtectedSystem.objects.all())
    by_name = {row.name: row for row in rows}
    rebuilding = by_name["pacs-archive-a"]
    assert rebuilding.status == "degraded"
    assert "Archive LUN 1" in rebuilding.problems
    # The made-up controllers are not on this network: paused, last reading shown.
    assert rebuilding.paused
    assert "last reading" in rebuilding.paused_note
    assert "battery warning" in by_name["PERC H755"].cache_and_battery
    assert by_name["Smart Array P816i"].status == "up"
    assert rows[0].status != "up"  # the worst first


def test_the_lis_failed_restore_has_its_finding_and_ticket(db_demo):
    job = BackupJob.objects.get(system__name="LIS", name="Nightly object-store copy")
    finding = Finding.objects.get(
        job=job, kind=FindingKind.RESTORE_FAILED, state=FindingState.OPEN
    )
    assert finding.ticket is not None
    newest = job.restore_tests.get().runs.order_by("-started_at").first()
    assert newest.status == ProofStatus.FAILED
    assert newest.ticket_id == finding.ticket_id
