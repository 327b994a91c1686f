"""`GET /api/audit-entries/`: the trail for audit administrators, read-only."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories.audit import record_events
from tests.factories.inventory import AssetFactory
from wardkeeper.core.models import AuditEntry

pytestmark = pytest.mark.django_db
URL = "/api/audit-entries/"


def test_an_audit_admin_reads_entries_with_their_hashes(api, audit_admin):
    asset = AssetFactory()
    response = api(audit_admin).get(
        URL, {"object_type": "inventory.asset", "object": asset.tag}
    )
    body = response.json()
    assert response.status_code == 200
    assert body["count"] == 1
    row = body["results"][0]
    assert (row["content_type"], row["object_id"], row["action"]) == (
        "inventory.asset",
        str(asset.pk),
        "create",
    )
    stored = AuditEntry.objects.get(pk=row["id"])
    assert (row["hash"], row["prev_hash"]) == (stored.hash, stored.prev_hash)


def test_the_list_is_paged_newest_first(api, audit_admin):
    record_events(60)
    body = api(audit_admin).get(URL, {"action": "security"}).json()
    ids = [row["id"] for row in body["results"]]
    assert body["count"] == 60
    assert len(ids) == 50
    assert ids == sorted(ids, reverse=True)
    assert body["next"]


def test_others_cannot_read_the_trail(api, hardware_engineer):
    response = api(hardware_engineer).get(URL)
    assert response.status_code == 403
    assert response.json()["error"]["message"]


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_api_has_no_way_to_write_an_entry(api, audit_admin, method):
    entry = record_events(1)[0]
    client = api(audit_admin)
    for url in (URL, f"{URL}{entry.pk}/"):
        response = getattr(client, method)(url, {"message": "x"}, format="json")
        assert response.status_code in (403, 405)
    assert AuditEntry.objects.get(pk=entry.pk).message == entry.message


def test_the_query_count_does_not_grow_with_the_page(
    api, audit_admin, django_assert_max_num_queries
):
    client = api(audit_admin)
    AssetFactory()
    with CaptureQueriesContext(connection) as small:
        client.get(URL)
    AssetFactory.create_batch(10)
    record_events(40)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(client.get(URL).json()["results"]) == 50
