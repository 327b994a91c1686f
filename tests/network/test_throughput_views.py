"""The throughput paths page and API: from, to, size, the last Mbit/s and
the medians, the chart; and an engineer adding a throughput check."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories.monitoring import CheckFactory
from wardkeeper.core.models.audit import AuditEntry
from wardkeeper.monitoring.choices import CheckKind, CheckStatus
from wardkeeper.monitoring.models import Check, Poller, Result
from wardkeeper.network.models import Zone

pytestmark = pytest.mark.django_db
PAGE = reverse("network:throughput-paths")


def measure(check, hours_ago: float, mbps: float | None, status=CheckStatus.UP):
    values = {"bytes": 50_000_000, "seconds": 1.0, "mbps": mbps} if mbps else {}
    Result.objects.create(
        source=check,
        at=timezone.now() - dt.timedelta(hours=hours_ago),
        status=status,
        latency_ms=1000.0,
        values=values,
    )


@pytest.fixture
def pacs_path():
    poller = Poller.objects.create(
        name="imaging-1", zone=Zone.objects.create(name="imaging")
    )
    check = CheckFactory(
        name="Imaging → PACS",
        kind=CheckKind.THROUGHPUT,
        host="10.20.0.5",
        params={"size_mb": 50, "min_mbps": 200, "port": 5201},
        poller=poller,
        status=CheckStatus.DEGRADED,
    )
    for hours, mbps in ((100, 900.0), (30, 700.0), (20, 400.0), (2, 300.0)):
        measure(check, hours, mbps)
    measure(check, 1, None, CheckStatus.DOWN)  # moved nothing: no figure
    measure(check, 0.5, 150.0, CheckStatus.DEGRADED)
    return check


def test_the_page_shows_each_path_with_its_last_rate_and_medians(
    login, network_engineer, pacs_path, django_assert_max_num_queries
):
    CheckFactory(name="PACS ping", kind=CheckKind.ICMP)
    download = CheckFactory(
        name="PACS → WADO download",
        kind=CheckKind.THROUGHPUT,
        params={"mode": "http", "url": "https://pacs.ward/wado/study", "size_mb": 20},
    )
    client = login(network_engineer)
    with django_assert_max_num_queries(12):
        response = client.get(PAGE)
    page = response.content.decode()
    assert response.status_code == 200
    assert "PACS ping" not in page
    row = {r.pk: r for r in response.context["object_list"]}[pacs_path.pk]
    assert (row.path_from, row.path_to, row.size_mb) == (
        "imaging-1 (imaging)",
        "10.20.0.5:5201",
        50.0,
    )
    figures = row.figures
    assert figures.last_mbps == 150.0
    assert figures.median_24h == 300.0  # 400, 300, 150: the last day
    assert figures.median_7d == 400.0  # 900, 700, 400, 300, 150
    assert "imaging-1 (imaging)" in page
    assert "https://pacs.ward/wado/study" in page
    assert "the server" in page  # the download runs from the server itself
    # The chart: the last 24 hours, raw, one line per path that measured.
    series = response.context["chart"]["series"]
    assert [line["name"] for line in series] == ["Imaging → PACS"]
    assert [point[1] for point in series[0]["points"]] == [400.0, 300.0, 150.0]
    assert download.pk in {r.pk for r in response.context["object_list"]}


def test_a_week_is_drawn_as_hourly_medians_and_filters_keep_the_range(
    login, network_engineer, pacs_path
):
    client = login(network_engineer)
    response = client.get(PAGE, {"range": "7d", "q": "Imaging"})
    points = response.context["chart"]["series"][0]["points"]
    assert [p[1] for p in points] == [900.0, 700.0, 400.0, 300.0, 150.0]
    assert "q=Imaging&amp;range=24h" in response.content.decode()
    nothing = client.get(PAGE, {"q": "no such path"})
    assert "Nothing measured in this period" in nothing.content.decode()


def test_people_without_the_checks_see_no_paths(login, nurse, outsider):
    assert login(outsider).get(PAGE).status_code == 403


def test_the_api_lists_paths_with_their_figures(api, network_engineer, pacs_path):
    response = api(network_engineer).get("/api/network/throughput-paths/")
    assert response.status_code == 200
    (path,) = response.json()["results"]
    assert path["name"] == "Imaging → PACS"
    assert path["origin"] == "imaging-1 (imaging)"
    assert path["destination"] == "10.20.0.5:5201"
    assert (path["size_mb"], path["last_mbps"]) == (50.0, 150.0)
    assert (path["median_24h_mbps"], path["median_7d_mbps"]) == (300.0, 400.0)
    one = api(network_engineer).get(f"/api/network/throughput-paths/{pacs_path.pk}/")
    assert one.json()["median_7d_mbps"] == 400.0
    assert api().get("/api/network/throughput-paths/").status_code in (401, 403)


def check_form(**changes):
    form = {
        "name": "Imaging → PACS throughput",
        "host": "10.20.0.5",
        "kind": "throughput",
        "params": '{"size_mb": 50, "min_mbps": 200}',
        "interval": 60,
        "timeout": 10,
        "confirm_down": 3,
        "confirm_up": 2,
        "severity": 2,
        "parents": "",
        "enabled": "on",
    }
    return {**form, **changes}


def test_an_engineer_adds_a_path_that_runs_rarely_from_its_poller(
    login, network_engineer
):
    poller = Poller.objects.create(name="imaging-1")
    client = login(network_engineer)
    response = client.post(
        reverse("monitoring:check-add"), check_form(poller=poller.pk)
    )
    assert response.status_code == 302, response.context["form"].errors
    check = Check.objects.get(name="Imaging → PACS throughput")
    assert (check.interval, check.timeout, check.poller) == (900, 120, poller)
    assert check.params == {"size_mb": 50, "min_mbps": 200}
    assert AuditEntry.objects.for_object(check).exists()


def test_bad_parameters_and_a_short_interval_are_refused_with_the_reason(
    login, network_engineer
):
    client = login(network_engineer)
    url = reverse("monitoring:check-add")
    bad = client.post(url, check_form(params='{"size_mb": 5000, "mode": "ftp"}'))
    problems = " ".join(bad.context["form"].errors["params"])
    assert "1 to 1000" in problems
    assert '"mode" is "tcp"' in problems
    often = client.post(url, check_form(interval=30))
    assert "every 300 s or less often" in str(often.context["form"].errors["interval"])
    download = client.post(url, check_form(params='{"mode": "http"}'))
    assert "address to download" in str(download.context["form"].errors["params"])
    assert not Check.objects.exists()
