"""The traffic pages and API: top-N, the interface chart, mismatches,
where-is (with no devices to ask), retention."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories.inventory import AssetFactory, CampusFactory, RoomFactory
from wardkeeper.network.choices import CableSide, Duplex
from wardkeeper.network.models import Cable, CableEnd, Interface, InterfaceSample
from wardkeeper.network.services import traffic

pytestmark = pytest.mark.django_db


def port(name: str, location=None, **fields) -> Interface:
    device = AssetFactory(**({"location": location} if location else {}))
    return Interface.objects.create(device=device, name=name, **fields)


def sample(interface, minutes_ago=5, utilisation=10.0, errors=0.0, **rates):
    return InterfaceSample.objects.create(
        interface=interface,
        at=timezone.now() - dt.timedelta(minutes=minutes_ago),
        seconds=300,
        utilisation=utilisation,
        in_bps=rates.get("in_bps", utilisation * 1e7),
        out_bps=rates.get("out_bps", 0.0),
        in_errors=errors,
        out_errors=0.0,
        in_discards=0.0,
        out_discards=0.0,
    )


def test_the_busiest_and_erroring_ports_are_ranked(login, network_engineer):
    quiet, busy, bad = port("Gi1/0/1"), port("Gi1/0/2"), port("Gi1/0/7")
    sample(quiet, utilisation=2)
    sample(busy, utilisation=80)
    sample(bad, utilisation=5, errors=2.0)
    sample(busy, minutes_ago=60 * 30, utilisation=1)  # outside 24 h
    page = login(network_engineer).get(reverse("network:traffic")).content.decode()
    busiest = page[page.index('id="busiest"') : page.index('id="erroring"')]
    assert (
        busiest.index("Gi1/0/2") < busiest.index("Gi1/0/7") < busiest.index("Gi1/0/1")
    )
    assert "80.0" in busiest
    assert "800.0 Mbit/s" in busiest
    erroring = page[page.index('id="erroring"') :]
    assert "Gi1/0/7" in erroring
    assert "Gi1/0/2" not in erroring
    assert ">600<" in erroring  # 2 errors/s over 300 s


def test_the_site_filter_keeps_one_campus(login, network_engineer):
    north, south = CampusFactory(), CampusFactory()
    sample(port("north-port", RoomFactory(parent__parent__parent=north)))
    sample(port("south-port", RoomFactory(parent__parent__parent=south)))
    client = login(network_engineer)
    page = client.get(reverse("network:traffic"), {"site": north.pk, "period": "1h"})
    assert "north-port" in page.content.decode()
    assert "south-port" not in page.content.decode()


def test_the_interface_page_charts_its_samples(login, network_engineer):
    interface = port("Te1/1/1", speed_mbps=10000, duplex=Duplex.FULL)
    sample(interface, utilisation=42)
    page = login(network_engineer).get(
        reverse("network:interface-traffic", args=[interface.pk])
    )
    body = page.content.decode()
    assert 'id="traffic-chart"' in body
    assert "traffic-data" in body
    assert "42.0 %" in body
    assert "10000 Mbit/s" in body


def cable(a: Interface, b: Interface) -> Cable:
    made = Cable.objects.create(label=f"C-{a.name}")
    CableEnd.objects.create(cable=made, side=CableSide.A, interface=a)
    CableEnd.objects.create(cable=made, side=CableSide.B, interface=b)
    return made


def test_cables_whose_ends_disagree_are_listed(login, network_engineer):
    cable(port("p1", speed_mbps=1000), port("p2", speed_mbps=100))
    cable(port("p3", duplex=Duplex.FULL), port("p4", duplex=Duplex.HALF))
    cable(port("p5", speed_mbps=1000, duplex=Duplex.FULL),
          port("p6", speed_mbps=1000, duplex=Duplex.FULL))  # fmt: skip
    cable(port("p7", speed_mbps=1000), port("p8"))  # one end unknown
    page = login(network_engineer).get(reverse("network:traffic-mismatches"))
    body = page.content.decode()
    assert "C-p1" in body
    assert "C-p3" in body
    assert "C-p5" not in body
    assert "C-p7" not in body


def test_whereis_refuses_what_is_neither_ip_nor_mac(login, network_engineer):
    client = login(network_engineer)
    bad = client.get(reverse("network:whereis"), {"q": "bed 5"}).content.decode()
    assert "Give an IP address or a MAC address." in bad
    none = client.get(reverse("network:whereis"), {"q": "198.51.100.9"})
    assert "0 devices asked." in none.content.decode()


def test_the_traffic_pages_need_network_read(login, nurse):
    client = login(nurse)
    assert client.get(reverse("network:traffic")).status_code == 403
    assert client.get(reverse("network:whereis")).status_code == 403


def test_the_samples_api_filters_by_interface(api, network_engineer, nurse):
    one, other = port("a"), port("b")
    sample(one)
    sample(other)
    client = api(network_engineer)
    found = client.get("/api/network/interface-samples/", {"interface": one.pk})
    assert [row["interface"] for row in found.json()["results"]] == [one.pk]
    assert api(nurse).get("/api/network/interface-samples/").status_code == 403


def test_old_samples_are_pruned(settings):
    settings.NETWORK_SAMPLE_DAYS = 7
    interface = port("x")
    sample(interface, minutes_ago=8 * 24 * 60)
    kept = sample(interface, minutes_ago=6 * 24 * 60)
    assert traffic.prune() == 1
    assert list(InterfaceSample.objects.all()) == [kept]


def test_the_top_page_stays_within_its_query_budget(
    login, network_engineer, django_assert_max_num_queries
):
    for n in range(15):
        sample(port(f"p{n}"), utilisation=n, errors=n)
    client = login(network_engineer)
    with django_assert_max_num_queries(20):
        client.get(reverse("network:traffic"))
