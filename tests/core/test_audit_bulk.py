"""The audit's bulk path (``append_events``, ``record_created``): one entry
per record, chained with the rest of the trail, found by `audit verify` when
edited like any other entry."""

import pytest

from tests.factories.audit import raw_sql, run_audit
from tests.factories.inventory import AssetFactory, VendorFactory
from wardkeeper.core import audit
from wardkeeper.core.models import AuditEntry
from wardkeeper.core.models.audit import AuditAction, AuditChainHead, AuditSource
from wardkeeper.inventory.models import Vendor

pytestmark = pytest.mark.django_db


def vendors(count):
    return Vendor.objects.bulk_create(
        [Vendor(name=f"Supplier {n}", phone=f"555-{n:04d}") for n in range(count)]
    )


def test_each_record_gets_its_created_entry_with_its_values(network_engineer):
    made = vendors(3)
    with audit.audit_context(
        source=AuditSource.IMPORT, actor=network_engineer, client_ip="10.1.2.3"
    ):
        assert audit.record_created(made, message="from a file") == 3
    entry = audit.history(made[1]).get()
    assert (entry.action, entry.object_repr, entry.message) == (
        "create",
        "Supplier 1",
        "from a file",
    )
    assert entry.changes["phone"] == [None, "555-0001"]
    assert (entry.actor, entry.source, entry.client_ip) == (
        network_engineer,
        "import",
        "10.1.2.3",
    )


def test_bulk_entries_chain_between_ordinary_ones_and_verify():
    AssetFactory()  # an entry through the ordinary path first
    made = vendors(2500)  # more than one INSERT batch
    audit.append_events(
        audit.Event(AuditAction.CREATE, v, {"name": [None, v.name]}) for v in made
    )
    VendorFactory()  # and one after
    head = AuditChainHead.objects.get(pk=1)
    newest = AuditEntry.objects.order_by("-id").first()
    assert (head.hash, head.last_id) == (newest.hash, newest.id)
    assert head.entries == AuditEntry.objects.count()
    code, out, _err = run_audit("verify")
    assert code == 0, out
    assert f"intact: {AuditEntry.objects.count()} entries" in out


def test_an_edit_to_a_bulk_entry_is_found():
    audit.record_created(vendors(5))
    victim = AuditEntry.objects.order_by("id")[2]
    raw_sql("UPDATE {table} SET message = %s WHERE id = %s", "nothing", victim.id)
    code, _out, err = run_audit("verify")
    assert code == 1
    assert f"entry #{victim.id} " in err
    assert "edited" in err


def test_nothing_to_record_leaves_the_trail_as_it_was():
    before = AuditChainHead.objects.get(pk=1).hash
    assert audit.append_events([]) == 0
    assert AuditChainHead.objects.get(pk=1).hash == before
