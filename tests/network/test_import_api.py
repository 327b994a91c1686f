"""Network kinds over the import/export API: the kind's own permissions."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories.inventory import RoomFactory
from tests.factories.transfer import csv_bytes
from wardkeeper.network.models import Outlet


def post(client, rows):
    upload = SimpleUploadedFile("outlets.csv", csv_bytes(rows), content_type="text/csv")
    return client.post("/api/import/outlets/", {"file": upload}, format="multipart")


@pytest.mark.django_db
def test_a_network_engineer_imports_outlets_and_a_hardware_engineer_may_not(
    api, network_engineer, hardware_engineer
):
    RoomFactory(code="W3")
    rows = [["label", "room"], ["W3-01", "W3"]]
    assert post(api(hardware_engineer), rows).status_code == 403
    response = post(api(network_engineer), rows)
    assert response.status_code == 200
    assert response.json()["created"] == 1
    assert Outlet.objects.get().location.code == "W3"


@pytest.mark.django_db
def test_the_export_of_a_network_kind_reimports(api, network_engineer):
    RoomFactory(code="W3")
    post(api(network_engineer), [["label", "room", "kind"], ["W3-01", "W3", "voice"]])
    response = api(network_engineer).get("/api/export/outlets/?format=csv")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert text.splitlines() == ["label,room,kind,description", "W3-01,W3,voice,"]


@pytest.mark.django_db
def test_netbox_kinds_are_imported_only(api, network_engineer):
    response = api(network_engineer).get("/api/export/netbox-devices/?format=csv")
    assert response.status_code == 400
