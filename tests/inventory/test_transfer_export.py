import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories.inventory import AssetFactory
from tests.factories.transfer import read_csv, read_xlsx
from wardkeeper.core.models import AuditEntry
from wardkeeper.core.models.audit import AuditAction
from wardkeeper.inventory.choices import AssetStatus


def url(kind="assets", fmt="csv"):
    return reverse("inventory:transfer-export", args=[kind, fmt])


def download(client, path, **params):
    response = client.get(path, params)
    assert response.status_code == 200, response.content
    return b"".join(response.streaming_content)


@pytest.fixture
def assets():
    bought = dt.date.today() - dt.timedelta(days=365)
    return [
        AssetFactory(
            status=AssetStatus.IN_USE,
            purchase_cost=Decimal("1000.00"),
            purchase_date=bought,
        ),
        AssetFactory(status=AssetStatus.IN_STOCK),
        AssetFactory(status=AssetStatus.RETIRED),
    ]


@pytest.mark.django_db
def test_the_asset_export_follows_the_list_filter(login, hardware_engineer, assets):
    data = download(login(hardware_engineer), url(), status=["in_use", "in_stock"])
    rows = read_csv(data)
    assert [row["tag"] for row in rows] == [assets[0].tag, assets[1].tag]


@pytest.mark.django_db
def test_the_asset_export_has_the_book_value_type_and_place(
    login, hardware_engineer, assets
):
    [row] = read_csv(download(login(hardware_engineer), url(), tag=assets[0].tag))
    # Workstations depreciate over five years: about four fifths remain.
    assert Decimal("799") < Decimal(row["book_value"]) < Decimal("801")
    assert row["book_value"] == str(assets[0].book_value())
    assert row["type"] == str(assets[0].asset_type)
    assert row["location"] == assets[0].location.full_name
    assert row["purchase_cost"] == "1000.00"


@pytest.mark.django_db
def test_each_export_is_one_audit_entry_naming_the_filter(
    login, hardware_engineer, assets
):
    download(login(hardware_engineer), url(fmt="xlsx"), status="in_use")
    entry = AuditEntry.objects.filter(action=AuditAction.EXPORT).get()
    assert entry.actor == hardware_engineer
    assert "assets as XLSX" in entry.message
    assert "status=in_use" in entry.message


@pytest.mark.django_db
def test_a_workbook_export_keeps_dates_and_amounts_typed(
    login, hardware_engineer, assets
):
    header, *rows = read_xlsx(download(login(hardware_engineer), url(fmt="xlsx")))
    first = dict(zip(header, rows[0], strict=True))
    assert first["purchase_cost"] == 1000
    assert first["purchase_date"].date() == assets[0].purchase_date


@pytest.mark.django_db
def test_a_bad_filter_value_is_refused(login, hardware_engineer, assets):
    response = login(hardware_engineer).get(url(), {"status": "lost"})
    assert response.status_code == 400
    assert b"status" in response.content
    assert not AuditEntry.objects.filter(action=AuditAction.EXPORT).exists()


@pytest.mark.django_db
def test_exports_need_the_export_permission(login, network_engineer):
    assert login(network_engineer).get(url("vendors")).status_code == 403


@pytest.mark.django_db
def test_the_export_runs_the_same_queries_for_few_or_many_rows(
    login, hardware_engineer, django_assert_max_num_queries
):
    client = login(hardware_engineer)
    AssetFactory.create_batch(2, parent=AssetFactory())
    with django_assert_max_num_queries(16) as few:
        download(client, url())
    AssetFactory.create_batch(20, parent=AssetFactory())
    with django_assert_max_num_queries(len(few.captured_queries)):
        download(client, url())
