"""One entry's page with its hashes, the web export, and that nothing on the
audit pages can change or delete an entry."""

import json

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from tests.factories.audit import raw_sql, record_events
from tests.factories.core import UserFactory
from tests.factories.inventory import AssetFactory
from wardkeeper.core.models import AuditEntry
from wardkeeper.core.models.audit import AuditAction, AuditSource

pytestmark = pytest.mark.django_db
EXPORT = reverse("core:audit-export")


def detail_url(entry) -> str:
    return reverse("core:audit-detail", args=[entry.pk])


def test_an_entry_page_shows_its_hash_and_the_previous_one(login, audit_admin):
    entry = record_events(2)[-1]
    text = login(audit_admin).get(detail_url(entry)).content.decode()
    assert entry.hash in text
    assert entry.prev_hash in text
    assert "The content matches its hash." in text


def test_an_entry_edited_in_the_database_says_so_on_its_page(login, audit_admin):
    entry = record_events(3)[1]
    raw_sql("UPDATE {table} SET actor_name = %s WHERE id = %s", "nobody", entry.id)
    text = login(audit_admin).get(detail_url(entry)).content.decode()
    assert "does NOT match its hash" in text


def test_the_web_export_streams_the_filtered_range_and_is_recorded(login, audit_admin):
    asset = AssetFactory()
    record_events(5)
    response = login(audit_admin).get(
        EXPORT, {"format": "jsonl", "object_type": "inventory.asset"}
    )
    rows = [
        json.loads(line) for line in b"".join(response.streaming_content).splitlines()
    ]
    assert response["Content-Disposition"].endswith('.jsonl"')
    assert {row["object_id"] for row in rows} == {str(asset.pk)}
    recorded = AuditEntry.objects.order_by("-id").first()
    assert (recorded.action, recorded.source, recorded.actor) == (
        AuditAction.EXPORT,
        AuditSource.UI,
        audit_admin,
    )


def test_the_web_export_defaults_to_csv(login, audit_admin):
    record_events(2)
    response = login(audit_admin).get(EXPORT)
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert response["Content-Type"].startswith("text/csv")
    assert lines[0].startswith("id,at,actor_id")


def test_viewing_without_the_export_permission_cannot_export(login):
    reader = UserFactory()
    reader.user_permissions.add(Permission.objects.get(codename="view_auditentry"))
    client = login(reader)
    assert client.get(reverse("core:audit-list")).status_code == 200
    assert client.get(EXPORT).status_code == 403


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_no_audit_page_accepts_a_write(login, audit_admin, method):
    entry = record_events(1)[0]
    client = login(audit_admin)
    for url in (reverse("core:audit-list"), detail_url(entry), EXPORT):
        assert getattr(client, method)(url).status_code == 405
    assert AuditEntry.objects.get(pk=entry.pk).hash == entry.hash
