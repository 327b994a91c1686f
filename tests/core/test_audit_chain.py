import itertools

import pytest

from tests.factories.inventory import AssetFactory
from wardkeeper.core import audit
from wardkeeper.core.models import AuditEntry
from wardkeeper.core.models.audit import AuditAction, AuditSource


@pytest.mark.django_db
def test_each_entry_links_to_the_one_before():
    AssetFactory.create_batch(3)
    entries = list(AuditEntry.objects.order_by("id"))
    assert entries[0].prev_hash == audit.GENESIS
    for before, after in itertools.pairwise(entries):
        assert after.prev_hash == before.hash
        assert after.hash == after.compute_hash()


@pytest.mark.django_db
def test_a_change_records_only_the_fields_that_changed(hardware_engineer):
    asset = AssetFactory(name="Ward 3 PC")
    with audit.audit_context(
        source=AuditSource.UI, actor=hardware_engineer, client_ip="10.1.2.3"
    ):
        asset.name = "Ward 4 PC"
        asset.save()
    entry = audit.history(asset).first()
    assert entry.action == AuditAction.UPDATE
    assert entry.changes == {"name": ["Ward 3 PC", "Ward 4 PC"]}
    assert (entry.actor, entry.source, entry.client_ip) == (
        hardware_engineer,
        "ui",
        "10.1.2.3",
    )


@pytest.mark.django_db
def test_entries_cannot_be_changed_or_deleted_through_the_application():
    AssetFactory()
    entry = AuditEntry.objects.first()
    entry.message = "edited"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.update(message="x")
