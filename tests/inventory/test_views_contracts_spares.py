"""Contracts (what ends soon, what they cover), spare pools (what is below
its minimum) and a department's figures."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.factories.inventory import (
    AssetFactory,
    AssetModelFactory,
    ContractFactory,
    DepartmentFactory,
    RoomFactory,
    SparePoolFactory,
    VendorFactory,
)
from wardkeeper.core.models import AuditEntry
from wardkeeper.inventory.choices import AssetStatus, Condition
from wardkeeper.inventory.models import Contract

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def ending_in(days):
    return ContractFactory(ends_on=TODAY + dt.timedelta(days=days))


def test_the_contract_list_shows_those_expiring_within_n_days(hardware_engineer, login):
    soon, later = ending_in(20), ending_in(80)
    client = login(hardware_engineer)
    response = client.get(reverse("inventory:contract-list"), {"expiring_within": 30})
    assert list(response.context["object_list"]) == [soon]
    wider = client.get(reverse("inventory:contract-list"), {"expiring_within": 90})
    assert list(wider.context["object_list"]) == [soon, later]
    assert "Expiring in" in response.content.decode()


def test_covered_assets_are_edited_as_tags_and_the_change_is_audited(
    hardware_engineer, login
):
    ct, pacs = AssetFactory(tag="CT-01"), AssetFactory(tag="PACS-01")
    data = {
        "vendor": VendorFactory().pk,
        "kind": "maintenance",
        "number": "MC-2025-7",
        "title": "Imaging care",
        "starts_on": "2025-01-01",
        "ends_on": "2027-12-31",
        "covered_tags": "CT-01, PACS-01",
    }
    client = login(hardware_engineer)
    client.post(reverse("inventory:contract-add"), data)
    contract = Contract.objects.get()
    assert set(contract.assets.all()) == {ct, pacs}
    edit = reverse("inventory:contract-edit", args=[contract.pk])
    client.post(edit, {**data, "covered_tags": "CT-01\nNOPE-9"})
    assert set(contract.assets.all()) == {ct, pacs}  # an unknown tag saves nothing
    client.post(edit, {**data, "covered_tags": "CT-01"})
    assert set(contract.assets.all()) == {ct}
    latest = AuditEntry.objects.for_object(contract).order_by("-id").first()
    assert latest.changes["assets"] == [sorted([ct.pk, pacs.pk]), [ct.pk]]
    assert latest.actor == hardware_engineer


def test_an_unknown_tag_is_named(hardware_engineer, login):
    contract = ending_in(100)
    response = login(hardware_engineer).post(
        reverse("inventory:contract-edit", args=[contract.pk]),
        {"covered_tags": "NOPE-9", "vendor": contract.vendor_id, "kind": "warranty"},
    )
    assert response.context["form"].errors["covered_tags"] == [
        "No asset has the tag: NOPE-9."
    ]


def test_a_contract_cannot_end_before_it_starts(hardware_engineer, login):
    response = login(hardware_engineer).post(
        reverse("inventory:contract-add"),
        {
            "vendor": VendorFactory().pk,
            "kind": "warranty",
            "number": "W-1",
            "title": "Warranty",
            "starts_on": "2026-01-01",
            "ends_on": "2025-01-01",
        },
    )
    assert response.context["form"].errors["ends_on"] == [
        "A contract cannot end before it starts."
    ]


def test_pools_below_their_minimum_are_listed_and_highlighted(hardware_engineer, login):
    model = AssetModelFactory()
    stocked = SparePoolFactory(asset_model=model, minimum_level=1)
    short = SparePoolFactory(minimum_level=2)
    store = RoomFactory(parent__parent__parent=stocked.campus)
    spare = AssetFactory(model=model, location=store, status=AssetStatus.IN_STOCK)
    client = login(hardware_engineer)
    below = client.get(reverse("inventory:sparepool-list"), {"below_minimum": "true"})
    assert [pool.pk for pool in below.context["object_list"]] == [short.pk]
    assert "table-danger" in below.content.decode()
    everything = client.get(reverse("inventory:sparepool-list"))
    levels = {pool.pk: pool.available for pool in everything.context["object_list"]}
    assert levels == {stocked.pk: 1, short.pk: 0}
    detail = client.get(reverse("inventory:sparepool-detail", args=[stocked.pk]))
    assert list(detail.context["spares"]) == [spare]


def test_the_home_page_link_to_pools_below_minimum_works(hardware_engineer, login):
    short = SparePoolFactory(minimum_level=2)
    SparePoolFactory(minimum_level=0)  # never below
    response = login(hardware_engineer).get(
        reverse("inventory:sparepool-list"), {"below_minimum": "1"}
    )
    assert [pool.pk for pool in response.context["object_list"]] == [short.pk]


def test_a_department_page_counts_its_assets_and_integrity_rate(
    hardware_engineer, login
):
    cardiology = DepartmentFactory(name="Cardiology")
    AssetFactory(department=cardiology, status=AssetStatus.IN_USE)
    AssetFactory(
        department=cardiology, status=AssetStatus.IN_USE, condition=Condition.FAULTY
    )
    AssetFactory(department=cardiology, status=AssetStatus.IN_STOCK)
    response = login(hardware_engineer).get(
        reverse("inventory:department-detail", args=[cardiology.pk])
    )
    assert response.context["integrity"].percent == 50.0
    assert dict(response.context["by_status"]) == {
        AssetStatus.IN_USE: 2,
        AssetStatus.IN_STOCK: 1,
    }
