"""The list of every data store: each with its system and where it lives,
linked; a store is added from its system's page, not here; a store's own
address needs a signed-in user who may see stores."""

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories.continuity import DataStoreFactory, database_engineer_persona
from tests.factories.inventory import AssetFactory

pytestmark = pytest.mark.django_db


def test_the_store_list_shows_every_store_with_its_system(login):
    server = AssetFactory(hostname="lis-db-01")
    lis = DataStoreFactory(name="LIS database", system__name="LIS", asset=server)
    DataStoreFactory(name="Image archive", system__name="PACS")
    client = login(database_engineer_persona())

    page = client.get("/continuity/stores/")

    assert page.status_code == 200
    html = page.content.decode()
    assert "LIS database" in html
    assert "Image archive" in html
    system_page = reverse("continuity:protectedsystem-detail", args=[lis.system_id])
    assert f'href="{system_page}"' in html
    assert reverse("inventory:asset-detail", args=[server.pk]) in html
    assert "open its system\N{RIGHT SINGLE QUOTATION MARK}s page" in html
    assert "New data store" not in html


def test_the_store_list_is_filtered_by_system(login):
    lis = DataStoreFactory(name="LIS database", system__name="LIS")
    DataStoreFactory(name="Image archive", system__name="PACS")
    client = login(database_engineer_persona())
    page = client.get("/continuity/stores/", {"system": lis.system_id})
    assert page.status_code == 200
    assert [row.name for row in page.context["object_list"]] == ["LIS database"]


def test_a_store_address_needs_a_signed_in_user_who_may_see_stores(
    client, login, nurse
):
    store = DataStoreFactory(name="LIS database")
    url = reverse("continuity:datastore-detail", args=[store.pk])

    anonymous = client.get(url)
    assert anonymous.status_code == 302
    assert anonymous.url.startswith(reverse(settings.LOGIN_URL))
    assert login(nurse).get(url).status_code == 403
    seen = login(database_engineer_persona()).get(url)
    assert seen.status_code == 302
    assert seen.url.endswith(f"/continuity/systems/{store.system_id}/#stores")
