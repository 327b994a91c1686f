"""Link aggregation: a port joins a LAG of its own device, chosen on the
interface form; the LAG's page lists its members, a member's page its LAG;
the API and the form refuse a LAG of another device."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories.network_physical import InterfaceFactory, device
from wardkeeper.network.choices import InterfaceKind
from wardkeeper.network.models import Interface

pytestmark = pytest.mark.django_db


@pytest.fixture
def core():
    """Switch core-1 with LAG Po1 and ports Gi1/0/1-2; core-2 has Po9."""
    switch = device(name="core-1")
    other = device(name="core-2")
    return {
        "switch": switch,
        "po1": InterfaceFactory(device=switch, name="Po1", kind=InterfaceKind.LAG),
        "gi1": InterfaceFactory(device=switch, name="Gi1/0/1"),
        "gi2": InterfaceFactory(device=switch, name="Gi1/0/2"),
        "po9": InterfaceFactory(device=other, name="Po9", kind=InterfaceKind.LAG),
    }


def form_data(interface: Interface, **changes):
    data = {
        "device": interface.device.tag,
        "name": interface.name,
        "kind": interface.kind,
        "enabled": "on",
        "mode": "",
    }
    data.update(changes)
    return data


def test_the_form_offers_only_the_devices_own_lags(login, network_engineer, core):
    page = login(network_engineer).get(
        reverse("network:interface-edit", args=[core["gi1"].pk])
    )
    choices = [
        str(label) for _value, label in page.context["form"].fields["lag"].choices
    ]
    assert choices[1:] == ["Po1"]


def test_a_port_joins_a_lag_and_both_pages_say_so(login, network_engineer, core):
    client = login(network_engineer)
    gi1, po1 = core["gi1"], core["po1"]
    saved = client.post(
        reverse("network:interface-edit", args=[gi1.pk]),
        form_data(gi1, lag=po1.pk),
    )
    assert saved.status_code == 302
    gi1.refresh_from_db()
    assert gi1.lag == po1
    member_page = client.get(reverse("network:interface-detail", args=[gi1.pk]))
    assert "Po1" in member_page.content.decode().split('id="interface-lag"')[1][:300]
    lag_page = client.get(reverse("network:interface-detail", args=[po1.pk]))
    members = lag_page.content.decode().split('id="interface-members"')[1][:600]
    assert "Gi1/0/1" in members
    assert "Gi1/0/2" not in members
    assert f"lag={po1.pk}" in members  # "Add a member port" starts from this LAG


def test_a_lag_of_another_device_is_refused_on_the_form(login, network_engineer, core):
    gi1 = core["gi1"]
    page = login(network_engineer).post(
        reverse("network:interface-edit", args=[gi1.pk]),
        form_data(gi1, lag=core["po9"].pk),
    )
    assert page.status_code == 200
    assert page.context["form"].errors["lag"]
    gi1.refresh_from_db()
    assert gi1.lag is None


def test_the_api_refuses_a_lag_of_another_device_or_a_plain_port(
    api, network_engineer, core
):
    client = api(network_engineer)
    url = f"/api/network/interfaces/{core['gi1'].pk}/"
    elsewhere = client.patch(url, {"lag": core["po9"].pk}, format="json")
    assert elsewhere.status_code == 400, elsewhere.json()
    assert "another device" in str(elsewhere.json())
    plain = client.patch(url, {"lag": core["gi2"].pk}, format="json")
    assert plain.status_code == 400
    assert "not a link aggregation" in str(plain.json()), plain.json()
    ok = client.patch(url, {"lag": core["po1"].pk}, format="json")
    assert ok.status_code == 200


def test_a_lag_with_members_keeps_its_type(login, network_engineer, core):
    po1 = core["po1"]
    Interface.objects.filter(pk=core["gi1"].pk).update(lag=po1)
    page = login(network_engineer).post(
        reverse("network:interface-edit", args=[po1.pk]),
        form_data(po1, kind=InterfaceKind.COPPER_1G),
    )
    assert "take them out first" in str(page.context["form"].errors["kind"])
