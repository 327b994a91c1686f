"""`wardkeeper audit prune` removes only what is past retention, and the chain
still verifies afterwards."""

import pytest

from tests.factories.audit import record_events, run_audit
from wardkeeper.core.auditing import chain, prune
from wardkeeper.core.checks import check_audit_retention
from wardkeeper.core.models import AuditEntry
from wardkeeper.core.models.audit import AuditAction

pytestmark = pytest.mark.django_db


@pytest.fixture
def aged_trail(settings):
    settings.AUDIT_RETENTION_DAYS = 365
    record_events(4, days_ago=400, message="old")
    record_events(3, days_ago=200, message="recent")


def messages() -> list[str]:
    return list(AuditEntry.objects.order_by("id").values_list("message", flat=True))


def test_entries_past_retention_go_and_the_chain_still_verifies(aged_trail):
    code, out, _err = run_audit("prune")
    assert code == 0
    assert "pruned 4 entries" in out
    assert not any(text.startswith("old") for text in messages())
    assert [m for m in messages() if m.startswith("recent")] == [
        f"recent {n}" for n in range(3)
    ]
    assert run_audit("verify")[0] == 0


def test_pruning_records_how_many_entries_went_and_up_to_when(aged_trail):
    run_audit("prune")
    entry = AuditEntry.objects.order_by("-id").first()
    assert entry.action == AuditAction.SECURITY
    assert entry.changes["pruned_entries"] == [None, 4]
    assert entry.changes["pruned_until"][1][:4].isdigit()
    assert "pruned 4 audit entries" in entry.message


def test_a_dry_run_counts_and_deletes_nothing(aged_trail):
    before = messages()
    code, out, _err = run_audit("prune", "--dry-run")
    assert code == 0
    assert "would prune 4 entries" in out
    assert messages() == before


def test_a_retention_below_180_days_still_keeps_180_days(settings):
    settings.AUDIT_RETENTION_DAYS = 30
    record_events(1, days_ago=181, message="gone")
    record_events(2, days_ago=100, message="kept")
    run_audit("prune")
    assert [m for m in messages() if m.startswith(("kept", "gone"))] == [
        "kept 0",
        "kept 1",
    ]
    assert prune.retention_days() == 180


def test_the_system_check_refuses_a_retention_below_180_days(settings):
    settings.AUDIT_RETENTION_DAYS = 90
    errors = check_audit_retention(None)
    assert [error.id for error in errors] == ["wardkeeper.E010"]
    assert "180" in errors[0].msg
    settings.AUDIT_RETENTION_DAYS = 180
    assert check_audit_retention(None) == []


def test_pruning_everything_leaves_a_verifiable_trail(settings):
    settings.AUDIT_RETENTION_DAYS = 180
    record_events(3, days_ago=300)
    run_audit("prune")
    assert AuditEntry.objects.count() == 1  # the record of the pruning itself
    assert run_audit("verify") == (0, "audit trail intact: 1 entries\n", "")


def test_pruning_in_small_batches_keeps_the_chain_anchored(aged_trail):
    result = prune.prune(batch_size=1)
    assert result.count == 4
    assert run_audit("verify")[0] == 0


def test_a_raw_delete_of_the_oldest_entry_without_pruning_is_found(aged_trail):
    from tests.factories.audit import raw_sql

    oldest = AuditEntry.objects.order_by("id").first()
    raw_sql("DELETE FROM {table} WHERE id = %s", oldest.id)
    code, _out, err = run_audit("verify")
    assert code == 1
    assert "start of the trail" in err


def test_a_prune_during_a_verify_is_not_mistaken_for_tampering(aged_trail, monkeypatch):
    walk = chain.walk

    def walk_while_pruning(*args, **kwargs):
        for number, entry in enumerate(walk(*args, **kwargs)):
            if number == 1:
                prune.prune()  # removes entries the walk has not reached yet
            yield entry

    monkeypatch.setattr(chain, "walk", walk_while_pruning)
    assert run_audit("verify", "--batch-size", "2")[0] == 0
