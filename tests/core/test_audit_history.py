"""Every object page's history shows each change readably."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from tests.factories.core import UserFactory
from tests.factories.inventory import AssetFactory, RoomFactory
from wardkeeper.core.auditing.display import describe
from wardkeeper.core.models import AuditEntry
from wardkeeper.inventory.choices import Criticality

pytestmark = pytest.mark.django_db


def history_html(obj, viewer) -> str:
    request = RequestFactory().get("/")
    request.user = viewer
    template = Template("{% load wardkeeper %}{% history obj %}")
    return template.render(Context({"obj": obj, "request": request}))


def test_related_records_show_by_name_and_choices_by_label(hardware_engineer):
    first, second = RoomFactory(name="Ward 3 bay"), RoomFactory(name="ICU bay")
    asset = AssetFactory(location=first)
    asset.location = second
    asset.criticality_override = Criticality.CRITICAL
    asset.save()
    html = history_html(asset, hardware_engineer)
    assert str(first) in html
    assert str(second) in html
    assert "critical" in html
    assert "Criticality" in html or "criticality" in html


def test_a_record_deleted_since_shows_its_id():
    old_room = RoomFactory()
    asset = AssetFactory(location=old_room)
    asset.location = RoomFactory()
    asset.save()
    gone = old_room.pk
    old_room.delete()
    entry = describe([AuditEntry.objects.for_object(asset).order_by("-id").first()])[0]
    assert [(line.before, line.after) for line in entry.change_lines] == [
        (f"#{gone}", str(asset.location))
    ]


def test_secrets_show_masked(hardware_engineer):
    user = UserFactory()
    user.set_password("Another-long-Secret-42")
    user.save()
    html = history_html(user, hardware_engineer)
    assert "••••••" in html
    assert user.password not in html


def test_audit_admins_get_a_link_to_the_full_trail(audit_admin, hardware_engineer):
    asset = AssetFactory()
    assert "object_type=inventory.asset" in history_html(asset, audit_admin)
    assert "object_type=" not in history_html(asset, hardware_engineer)


def test_a_new_record_shows_its_creation(hardware_engineer):
    room = RoomFactory(name="Radiology 2")
    html = history_html(room, hardware_engineer)
    assert "created" in html
    assert "Radiology 2" in html
