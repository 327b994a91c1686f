"""`wardkeeper audit verify` finds edits made in the database directly."""

import pytest

from tests.factories.audit import raw_sql, record_events, run_audit
from tests.factories.core import UserFactory
from tests.factories.inventory import AssetFactory
from wardkeeper.core import audit
from wardkeeper.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def middle_entry() -> AuditEntry:
    ids = list(AuditEntry.objects.order_by("id").values_list("id", flat=True))
    return AuditEntry.objects.get(id=ids[len(ids) // 2])


def test_an_untouched_trail_is_reported_intact_with_its_size():
    AssetFactory.create_batch(3)
    record_events(5)
    code, out, _err = run_audit("verify")
    assert code == 0
    assert f"audit trail intact: {AuditEntry.objects.count()} entries" in out


def test_editing_an_entry_in_the_database_is_found_and_named():
    record_events(8)
    victim = middle_entry()
    raw_sql("UPDATE {table} SET message = %s WHERE id = %s", "nothing here", victim.id)
    code, _out, err = run_audit("verify")
    assert code == 1
    assert f"entry #{victim.id} " in err
    assert "edited" in err
    assert victim.at.isoformat() in err


def test_editing_the_recorded_changes_of_a_real_change_is_found():
    asset = AssetFactory(name="Ward 3 PC")
    asset.name = "Ward 4 PC"
    asset.save()
    entry = AuditEntry.objects.for_object(asset).order_by("-id").first()
    raw_sql(
        "UPDATE {table} SET changes = %s WHERE id = %s",
        '{"name": ["Ward 3 PC", "Ward 5 PC"]}',
        entry.id,
    )
    code, _out, err = run_audit("verify")
    assert (code, f"#{entry.id} " in err) == (1, True)


def test_deleting_a_middle_entry_breaks_the_link_of_the_one_after_it():
    record_events(8)
    victim = middle_entry()
    after = AuditEntry.objects.filter(id__gt=victim.id).order_by("id").first()
    raw_sql("DELETE FROM {table} WHERE id = %s", victim.id)
    code, _out, err = run_audit("verify")
    assert code == 1
    assert f"entry #{after.id} " in err
    assert "removed or altered" in err


def test_an_edit_that_also_recomputes_the_hash_still_breaks_the_next_link():
    record_events(6)
    victim = middle_entry()
    victim.message = "forged"
    forged_hash = victim.compute_hash()
    raw_sql(
        "UPDATE {table} SET message = %s, hash = %s WHERE id = %s",
        "forged",
        forged_hash,
        victim.id,
    )
    following = AuditEntry.objects.filter(id__gt=victim.id).order_by("id").first()
    code, _out, err = run_audit("verify")
    assert code == 1
    assert f"entry #{following.id} " in err


def test_deleting_the_newest_entries_is_found_through_the_chain_head():
    record_events(5)
    newest = AuditEntry.objects.order_by("-id").first()
    raw_sql("DELETE FROM {table} WHERE id = %s", newest.id)
    code, _out, err = run_audit("verify")
    assert code == 1
    assert f"names entry #{newest.id}" in err


def test_small_batches_walk_the_whole_trail():
    record_events(25)
    code, out, _err = run_audit("verify", "--batch-size", "4")
    assert code == 0
    assert f"{AuditEntry.objects.count()} entries" in out


def test_deleting_an_account_that_acted_leaves_its_entries_intact():
    user = UserFactory()
    with audit.audit_context(actor=user):
        AssetFactory()
    user_id = user.id
    user.delete()
    code, _out, err = run_audit("verify")
    assert (code, err) == (0, "")
    assert AuditEntry.objects.filter(actor_id=user_id).exists()
