"""A label's QR code: ward staff land on the report, IT staff on the asset."""

import pytest
from django.urls import reverse

from tests.factories.inventory import AssetFactory

pytestmark = pytest.mark.django_db


def test_a_nurse_scanning_a_label_lands_on_the_report_with_the_device(client, nurse):
    AssetFactory(tag="WK-8")
    client.force_login(nurse)

    response = client.get("/a/WK-8/", follow=True)

    assert response.redirect_chain[-1][0] == (
        f"{reverse('servicedesk:report')}?asset=WK-8&via=label"
    )
    assert 'value="WK-8"' in response.content.decode()


def test_someone_without_inventory_access_also_lands_on_the_report(client, outsider):
    AssetFactory(tag="WK-8")
    client.force_login(outsider)

    response = client.get("/a/WK-8/")

    assert response.url.startswith(reverse("servicedesk:report"))


def test_an_engineer_scanning_a_label_lands_on_the_asset(login, hardware_engineer):
    asset = AssetFactory(tag="WK-8")
    client = login(hardware_engineer)

    response = client.get("/a/WK-8/")

    assert response.url == reverse("inventory:asset-detail", args=[asset.pk])


def test_report_1_leads_an_engineer_to_the_report(login, hardware_engineer):
    AssetFactory(tag="WK-8")
    client = login(hardware_engineer)

    response = client.get("/a/WK-8/?report=1")

    assert response.url.startswith(reverse("servicedesk:report"))


def test_an_unknown_label_is_not_found(client, nurse):
    client.force_login(nurse)

    assert client.get("/a/NOPE/").status_code == 404
