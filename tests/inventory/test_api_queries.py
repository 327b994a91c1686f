"""Every inventory list costs the same number of queries at any page size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories.inventory import (
    AssetFactory,
    AssetModelFactory,
    CampusFactory,
    ContractFactory,
    DepartmentFactory,
    FloorFactory,
    RoomFactory,
    SparePoolFactory,
    VendorFactory,
)
from wardkeeper.inventory.models import DataWipeRecord

pytestmark = pytest.mark.django_db

ROWS = 8  # more than the small page: the large page must hold more rows


@pytest.fixture
def inventory():
    """ROWS of every listable thing, each with distinct related rows."""
    campus = CampusFactory()
    floor = FloorFactory(parent__parent=campus)
    vendor = VendorFactory()
    for _ in range(ROWS):
        room = RoomFactory(parent=floor)
        department = DepartmentFactory(campus=campus)
        model = AssetModelFactory()
        parent = AssetFactory(model=model, location=room, vendor=vendor)
        asset = AssetFactory(
            model=model, location=room, department=department, parent=parent
        )
        DataWipeRecord.objects.create(asset=asset, method="clear", performed_by="X")
        contract = ContractFactory(vendor=VendorFactory())
        contract.assets.set([asset, parent])
        SparePoolFactory(
            campus=campus, asset_model=model, storage=room, minimum_level=5
        )
    return ROWS


ENDPOINTS = [
    "/api/locations/",
    "/api/departments/",
    "/api/manufacturers/",
    "/api/asset-types/",
    "/api/models/",
    "/api/vendors/",
    "/api/contracts/",
    "/api/assets/",
    "/api/spare-pools/",
    "/api/spare-pools/?below_minimum=true",
    "/api/data-wipe-records/",
    "/api/contracts/?expiring_within=90",
    "/api/assets/?status=in_stock&ordering=-location__full_name",
]


def queries_for(client, url, page_size):
    separator = "&" if "?" in url else "?"
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"{url}{separator}page_size={page_size}")
    assert response.status_code == 200, response.content
    return len(captured), len(response.json()["results"])


@pytest.mark.parametrize("url", ENDPOINTS)
def test_a_list_runs_the_same_queries_for_5_or_200_rows(
    url, inventory, hardware_engineer, api
):
    client = api(hardware_engineer)
    client.get(url)  # warm the permission cache and content types
    small, small_rows = queries_for(client, url, 5)
    large, large_rows = queries_for(client, url, 200)
    assert small_rows == 5
    assert large_rows > 5
    assert small == large
    # The count, the page, and at most two batches for the page's extras
    # (covered assets, spare counts); an asset reads each of its six
    # relations in a batch of its own instead of joining them.
    assert large <= (8 if url.startswith("/api/assets/") else 4)


def test_an_asset_history_runs_the_same_queries_for_any_page(hardware_engineer, api):
    asset = AssetFactory()
    client = api(hardware_engineer)
    for n in range(8):
        client.patch(f"/api/assets/{asset.pk}/", {"name": f"PC {n}"}, format="json")
    url = f"/api/assets/{asset.pk}/history/"
    client.get(url)
    assert queries_for(client, url, 2)[0] == queries_for(client, url, 200)[0]
