"""List pages: a constant number of queries whatever the rows, and the
filters the home page and the detail pages link to."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories.inventory import (
    AssetFactory,
    BuildingFactory,
    CampusFactory,
    FloorFactory,
    RoomFactory,
)
from tests.factories.inventory_pages import MAKERS, make
from wardkeeper.inventory.choices import AssetStatus

pytestmark = pytest.mark.django_db


def make_many(model, n):
    for _ in range(n):
        if model == "assettype":  # built-in types are there already
            return
        make(model)


@pytest.mark.parametrize("model", sorted(MAKERS))
def test_a_list_page_costs_the_same_queries_for_few_or_many_rows(
    model, system_admin, login, django_assert_max_num_queries
):
    client = login(system_admin)
    url = reverse(f"inventory:{model}-list")
    make_many(model, 2)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    make_many(model, 12)
    with django_assert_max_num_queries(min(len(few), 30)):
        assert client.get(url).status_code == 200


def test_the_asset_list_filters_by_status_and_by_place_with_what_is_inside(
    hardware_engineer, login
):
    floor = FloorFactory(name="3F")
    on_floor = AssetFactory(location=RoomFactory(parent=floor), status="in_use")
    AssetFactory(location=RoomFactory(parent=floor), status=AssetStatus.RETIRED)
    AssetFactory(status=AssetStatus.IN_USE)  # elsewhere
    response = login(hardware_engineer).get(
        reverse("inventory:asset-list"),
        {"location": floor.pk, "status": ["in_use", "in_stock"]},
    )
    assert list(response.context["object_list"]) == [on_floor]
    assert response.context["within_place"] == floor


def test_the_asset_list_searches_by_tag_name_or_ip(hardware_engineer, login):
    pc = AssetFactory(tag="NUR-3F-01", name="Nurse station PC", ip_address="10.3.0.7")
    AssetFactory(name="Label printer")
    client = login(hardware_engineer)
    for text in ("NUR-3F", "nurse station", "10.3.0.7"):
        found = client.get(reverse("inventory:asset-list"), {"q": text})
        assert list(found.context["object_list"]) == [pc], text


def test_the_place_list_is_a_tree_and_can_show_one_branch(system_admin, login):
    north = CampusFactory(name="North")
    # Named so that sorting by the full text would interleave the levels.
    b = BuildingFactory(parent=north, name="B")
    ba = BuildingFactory(parent=north, name="BA")
    floor = FloorFactory(parent=b, name="Z")
    room = RoomFactory(parent=floor, name="ICU")
    client = login(system_admin)
    tree = list(client.get(reverse("inventory:location-list")).context["object_list"])
    assert tree == [north, b, floor, room, ba]
    branch = client.get(reverse("inventory:location-list"), {"within": b.pk})
    assert list(branch.context["object_list"]) == [b, floor, room]
