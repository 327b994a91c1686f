"""The status board: what is down now, root causes first with how many checks
they take down, and who may see it."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories.inventory import AssetFactory, DepartmentFactory
from tests.factories.monitoring import CheckFactory
from tests.factories.monitoring_views import WATCH, person
from wardkeeper.monitoring.choices import CheckStatus
from wardkeeper.monitoring.models import Outage

BOARD = reverse("monitoring:board")


def outage_behind(child, root, since):
    child.status, child.status_since = CheckStatus.UNREACHABLE, since
    child.save()
    Outage.objects.create(
        source=child, started_at=since, status=CheckStatus.UNREACHABLE, root_cause=root
    )


def test_the_board_puts_a_down_switch_first_with_the_checks_behind_it(db, client):
    since = timezone.now() - dt.timedelta(minutes=42)
    switch = CheckFactory(
        name="Core switch ward 3",
        status=CheckStatus.DOWN,
        status_since=since,
        last_message="timed out after 10 s",
    )
    lone = CheckFactory(
        name="Label printer",
        status=CheckStatus.DOWN,
        status_since=since - dt.timedelta(hours=1),
    )
    for n in range(3):
        outage_behind(CheckFactory(name=f"Ward PC {n}"), switch, since)
    CheckFactory(name="PACS slow", status=CheckStatus.DEGRADED, status_since=since)
    CheckFactory(name="HIS", status=CheckStatus.UP)
    client.force_login(person("nick", *WATCH))

    page = client.get(BOARD).content.decode()

    # The root cause comes before an older, lone fault because it affects 3.
    assert page.index("Core switch ward 3") < page.index("Label printer")
    assert "3 affected" in page
    assert "timed out after 10 s" in page
    assert "42\xa0minutes" in page
    assert "Ward PC 0" in page  # folded under its root cause
    assert "PACS slow" in page
    assert lone.name in page


def test_htmx_gets_only_the_body_that_refreshes_itself(db, client):
    CheckFactory(name="Core switch", status=CheckStatus.DOWN)
    client.force_login(person("nick", *WATCH))
    body = client.get(BOARD, HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 15s"' in body
    assert "Core switch" in body
    assert "<html" not in body


def test_counts_per_department_and_narrowing_to_one(db, client):
    icu, lab = DepartmentFactory(name="ICU"), DepartmentFactory(name="Laboratory")
    CheckFactory(
        name="ICU monitor gateway",
        asset=AssetFactory(department=icu),
        status=CheckStatus.DOWN,
    )
    CheckFactory(
        name="LIS", asset=AssetFactory(department=lab), status=CheckStatus.DOWN
    )
    client.force_login(person("nick", *WATCH))
    page = client.get(BOARD, {"by": "department"}).content.decode()
    assert "ICU" in page
    assert "Laboratory" in page
    narrowed = client.get(BOARD, {"by": "department", "in": "ICU"}).content.decode()
    assert "ICU monitor gateway" in narrowed
    assert "LIS</a>" not in narrowed


def test_only_people_allowed_to_see_checks_see_the_board(db, client, nurse):
    assert client.get(BOARD).status_code == 302  # signed out: to the login page
    client.force_login(nurse)
    assert client.get(BOARD).status_code == 403


def test_the_board_costs_the_same_queries_whatever_the_number_of_checks(db, client):
    root = CheckFactory(status=CheckStatus.DOWN)
    client.force_login(person("nick", *WATCH))

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(BOARD).status_code == 200
        return len(captured)

    outage_behind(CheckFactory(), root, timezone.now())
    few = queries()
    for _ in range(20):
        outage_behind(CheckFactory(status=CheckStatus.DEGRADED), root, timezone.now())
    assert queries() == few <= 16


def test_engineers_roles_see_the_board_and_the_availability_report(
    db, client, network_engineer, hardware_engineer
):
    for engineer in (network_engineer, hardware_engineer):
        client.force_login(engineer)
        assert client.get(BOARD).status_code == 200
        assert client.get(reverse("monitoring:availability")).status_code == 200


def test_a_fault_seconds_old_lasts_less_than_a_minute(db, client):
    CheckFactory(
        name="PACS gateway",
        status=CheckStatus.DOWN,
        status_since=timezone.now() - dt.timedelta(seconds=3),
    )
    client.force_login(person("nick", *WATCH))
    page = client.get(BOARD).content.decode()
    assert "for less than a minute" in page
    assert "0 minutes" not in page


def paused(name, department):
    return CheckFactory(
        name=name,
        asset=AssetFactory(department=department),
        enabled=False,
        status=CheckStatus.PAUSED,
    )


def test_paused_checks_get_a_muted_count_linking_to_the_paused_checks(db, client):
    ward, lab = DepartmentFactory(name="Ward 7"), DepartmentFactory(name="Laboratory")
    CheckFactory(name="Ward 7 switch", asset=AssetFactory(department=ward))
    paused("Ward 7 monitor gateway", ward)
    paused("Old LIS interface", lab)
    client.force_login(person("nick", *WATCH))

    page = client.get(BOARD, {"by": "department"}).content.decode()

    checks = reverse("monitoring:check-list")
    assert f'href="{checks}?enabled=false"' in page
    assert '<i class="bi bi-pause-circle' in page
    assert '<td class="text-end text-body-secondary wk-paused">1</td>' in page
    listed = client.get(checks, {"enabled": "false"}).content.decode()
    assert "Ward 7 monitor gateway" in listed
    assert "Old LIS interface" in listed
    assert "Ward 7 switch" not in listed


def test_no_paused_checks_no_paused_count_nor_column(db, client):
    CheckFactory(name="HIS", status=CheckStatus.UP)
    client.force_login(person("nick", *WATCH))
    page = client.get(BOARD).content.decode()
    assert "?enabled=false" not in page
    assert "bi-pause-circle" not in page
