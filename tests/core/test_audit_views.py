"""The audit trail page: audit administrators only, filterable, paginated,
with a query count that does not grow with the page."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories.audit import record_events
from tests.factories.inventory import AssetFactory
from wardkeeper.core import audit
from wardkeeper.core.models import AuditEntry
from wardkeeper.core.models.audit import AuditAction

pytestmark = pytest.mark.django_db
URL = reverse("core:audit-list")


def test_an_audit_admin_sees_an_asset_change_before_and_after(login, audit_admin):
    asset = AssetFactory(name="Ward 3 PC")
    asset.name = "Ward 4 PC"
    asset.save()
    response = login(audit_admin).get(
        URL, {"object_type": "inventory.asset", "object": asset.tag}
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "Ward 3 PC" in text
    assert "Ward 4 PC" in text
    assert str(asset.model) in text  # the model's name, not its id


@pytest.mark.parametrize("persona", ["hardware_engineer", "security_admin"])
def test_people_without_the_audit_duty_are_refused(login, persona, request):
    assert login(request.getfixturevalue(persona)).get(URL).status_code == 403


def test_a_visitor_who_is_not_signed_in_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("core:login") in response["Location"]


def test_the_list_filters_by_source_and_action_and_flagged(login, audit_admin):
    record_events(2, message="routine")
    with audit.audit_context(source="cli"):
        audit.record(AuditAction.LOCKOUT, message="locked out: mallory", flagged=True)
    client = login(audit_admin)
    flagged = client.get(URL, {"flagged": "on"}).content.decode()
    assert "locked out: mallory" in flagged
    assert "routine" not in flagged
    assert 'class="table-danger wk-flagged"' in flagged
    by_source = client.get(URL, {"source": "cli", "action": "lockout"})
    assert "mallory" in by_source.content.decode()


def test_times_are_shown_in_the_configured_zone(login, audit_admin, settings):
    settings.TIME_ZONE = "Asia/Shanghai"
    entry = audit.build_entry(AuditAction.SECURITY, message="night shift")
    entry.at = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    audit.append([entry])
    text = login(audit_admin).get(URL, {"since": "2026-01-02"}).content.decode()
    assert "2026-01-02 11:04:05" in text


def test_the_query_count_does_not_grow_with_the_page(
    login, audit_admin, django_assert_max_num_queries
):
    client = login(audit_admin)
    AssetFactory()
    with CaptureQueriesContext(connection) as small:
        client.get(URL)
    AssetFactory.create_batch(12)
    record_events(30)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(URL)
    assert len(response.context["entries"]) == 50


def test_the_counts_match_the_trail_filtered_or_not(login, audit_admin):
    record_events(63, message="routine")
    client = login(audit_admin)
    security = client.get(URL, {"action": "security"}).context["page_obj"]
    everything = client.get(URL).context["page_obj"]
    assert security.paginator.count == 63
    assert everything.paginator.count == AuditEntry.objects.count()
    assert everything.paginator.num_pages == -(-AuditEntry.objects.count() // 50)
