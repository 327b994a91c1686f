"""The report screen: with a device or without, a photo, duplicates."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories.inventory import AssetFactory, DepartmentFactory, RoomFactory
from tests.factories.servicedesk_tickets import reported
from wardkeeper.core.models import Attachment
from wardkeeper.inventory.choices import Criticality
from wardkeeper.servicedesk.choices import Priority, Source
from wardkeeper.servicedesk.models import Ticket

pytestmark = pytest.mark.django_db
REPORT = reverse("servicedesk:report")


def form_data(**extra):
    return {
        "title": "Screen stays black",
        "description": "Since this morning",
        "category": "hardware",
        "impact": "3",
        "urgency": "1",
        "reporter_phone": "6021",
        **extra,
    }


def test_a_device_reported_in_theatre_opens_a_p1_ticket(client, nurse):
    theatre = RoomFactory(name="OR-3", criticality=Criticality.CRITICAL)
    ward = DepartmentFactory(name="Surgery")
    device = AssetFactory(tag="WK-77", location=theatre, department=ward)
    client.force_login(nurse)

    response = client.post(REPORT, form_data(asset_tag="wk-77", source="label"))

    ticket = Ticket.objects.get()
    assert response.url == reverse("servicedesk:report-done", args=[ticket.pk])
    assert (ticket.asset, ticket.location, ticket.department) == (device, theatre, ward)
    assert ticket.priority == Priority.P1
    assert ticket.reporter == nurse
    assert ticket.reporter_phone == "6021"
    assert ticket.source == Source.LABEL
    done = client.get(response.url).content.decode()
    assert ticket.reference in done
    assert "P1 critical" in done


def test_a_fault_without_a_device_takes_the_place_chosen(client, nurse):
    room = RoomFactory(name="Clinic 4")
    department = DepartmentFactory(name="Outpatients")
    client.force_login(nurse)

    client.post(REPORT, form_data(location=room.pk, department=department.pk))

    ticket = Ticket.objects.get()
    assert ticket.asset is None
    assert (ticket.location, ticket.department) == (room, department)


def test_an_unknown_tag_is_refused_on_its_field(client, nurse):
    client.force_login(nurse)

    response = client.post(REPORT, form_data(asset_tag="NOPE-1"))

    assert response.status_code == 400
    assert "No device has the tag NOPE-1" in response.content.decode()
    assert not Ticket.objects.exists()


def test_the_form_opens_with_the_device_its_place_and_my_phone(client, nurse):
    nurse.phone = "6021"
    nurse.save()
    device = AssetFactory(tag="WK-5", location=RoomFactory(name="Ward 3 bay 2"))
    client.force_login(nurse)

    page = client.get(REPORT, {"asset": "WK-5", "via": "label"}).content.decode()

    assert 'value="WK-5"' in page
    assert "Ward 3 bay 2" in page
    assert device.name in page
    assert 'value="6021"' in page
    assert 'accept="image/*"' in page
    assert "capture" in page


def test_a_photo_from_the_phone_is_kept_with_the_ticket(client, nurse):
    client.force_login(nurse)
    photo = SimpleUploadedFile("screen.jpg", b"\xff\xd8\xff fake", "image/jpeg")

    client.post(REPORT, {**form_data(asset_tag=AssetFactory().tag), "photo": photo})

    ticket = Ticket.objects.get()
    (kept,) = Attachment.objects.filter(object_id=str(ticket.pk))
    assert kept.target == ticket
    assert kept.uploaded_by == nurse


def test_the_place_of_a_typed_tag_is_shown_while_typing(client, nurse):
    AssetFactory(tag="WK-9", location=RoomFactory(name="ICU bed 4"))
    client.force_login(nurse)
    where = reverse("servicedesk:report-where")

    assert "ICU bed 4" in client.get(where, {"asset_tag": "wk-9"}).content.decode()
    unknown = client.get(where, {"asset_tag": "XX"}).content.decode()
    assert "No device has the tag XX" in unknown
    assert 'name="location"' in unknown


def test_a_device_with_an_open_ticket_is_offered_to_join_it(client, nurse, outsider):
    device = AssetFactory()
    first = reported(outsider, asset=device, title="Printer jammed")
    client.force_login(nurse)

    response = client.post(REPORT, form_data(asset_tag=device.tag))

    page = response.content.decode()
    assert Ticket.objects.count() == 1
    assert first.reference in page
    assert "Join this ticket" in page
    assert "Report separately" in page


def test_joining_follows_the_open_ticket_instead_of_opening_one(client, nurse):
    device = AssetFactory()
    first = reported(None, asset=device)
    client.force_login(nurse)

    response = client.post(reverse("servicedesk:ticket-join", args=[first.pk]))

    assert response.url == first.get_absolute_url()
    assert list(first.watchers.all()) == [nurse]
    assert Ticket.objects.count() == 1
    mine = client.get(reverse("servicedesk:my-reports")).content.decode()
    assert first.reference in mine


def test_report_separately_opens_a_second_ticket(client, nurse):
    device = AssetFactory()
    reported(None, asset=device)
    client.force_login(nurse)

    client.post(REPORT, form_data(asset_tag=device.tag, separate="1"))

    assert Ticket.objects.filter(asset=device).count() == 2
