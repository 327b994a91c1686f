"""Check pages: the filtered list, a check's page, and making, changing and
deleting checks with their secrets kept out of sight."""

import datetime as dt
import json

from django.urls import reverse
from django.utils import timezone

from tests.factories.inventory import AssetFactory
from tests.factories.monitoring import CheckFactory
from tests.factories.monitoring_views import CONFIGURE, WATCH, person
from wardkeeper.monitoring.choices import CheckKind, CheckStatus
from wardkeeper.monitoring.models import Check, Outage, Result

LIST = reverse("monitoring:check-list")


def test_the_list_filters_by_status_and_kind(db, client):
    CheckFactory(name="PACS echo", kind=CheckKind.DICOM_ECHO, status=CheckStatus.DOWN)
    CheckFactory(name="HIS web", kind=CheckKind.HTTP, status=CheckStatus.UP)
    client.force_login(person("nick", *WATCH))
    page = client.get(LIST, {"status": "down"}).content.decode()
    assert "PACS echo" in page
    assert "HIS web" not in page
    page = client.get(LIST, {"kind": "http"}).content.decode()
    assert "HIS web" in page
    assert "PACS echo" not in page


def test_a_check_page_shows_its_outages_chart_and_results(db, client):
    now = timezone.now()
    switch = CheckFactory(name="Core switch")
    check = CheckFactory(name="PACS echo", status=CheckStatus.UNREACHABLE)
    Outage.objects.create(
        source=check,
        started_at=now - dt.timedelta(hours=2),
        status=CheckStatus.UNREACHABLE,
        root_cause=switch,
    )
    Outage.objects.create(
        source=check,
        started_at=now - dt.timedelta(hours=5),
        ended_at=now - dt.timedelta(hours=4),
        status=CheckStatus.DOWN,
        in_maintenance=True,
    )
    Result.objects.create(
        source=check,
        at=now - dt.timedelta(minutes=3),
        status="down",
        latency_ms=12.5,
        message="association rejected",
    )
    client.force_login(person("nick", *WATCH))
    response = client.get(check.get_absolute_url())
    page = response.content.decode()
    assert "Core switch" in page  # the root cause of the open outage
    assert "maintenance" in page
    assert "association rejected" in page
    chart = response.context["chart"]
    assert chart["series"]["latency"][0][1] == 12.5
    assert [area[2] for area in chart["outages"]] == [False, True]


def test_an_engineer_adds_a_check_whose_secrets_are_never_shown(db, client):
    asset = AssetFactory(tag="PACS-01")
    client.force_login(person("nick", *WATCH, *CONFIGURE))
    response = client.post(
        reverse("monitoring:check-add"),
        {
            "name": "PACS SNMP",
            "asset": "PACS-01",
            "host": "10.0.0.5",
            "kind": "snmp",
            "params": '{"oid": "sysUpTime"}',
            "new_secrets": '{"community": "s3cret-community"}',
            "interval": 60,
            "timeout": 5,
            "confirm_down": 3,
            "confirm_up": 2,
            "severity": 2,
            "parents": "",
            "service": "PACS",
            "enabled": "on",
        },
    )
    check = Check.objects.get(name="PACS SNMP")
    assert response.status_code == 302
    assert check.asset == asset
    assert check.secret_values() == {"community": "s3cret-community"}
    assert (
        "s3cret-community" not in client.get(check.get_absolute_url()).content.decode()
    )
    edit = client.get(reverse("monitoring:check-edit", args=[check.pk]))
    assert "s3cret-community" not in edit.content.decode()


def test_editing_without_new_secrets_keeps_them_and_the_tick_removes_them(db, client):
    check = CheckFactory(name="DB", secrets=json.dumps({"password": "pw"}))
    client.force_login(person("nick", *WATCH, *CONFIGURE))
    form = {
        "name": "DB replica",
        "asset": check.asset.tag,
        "host": "db.local",
        "kind": "postgres",
        "params": "{}",
        "interval": 60,
        "timeout": 5,
        "confirm_down": 3,
        "confirm_up": 2,
        "severity": 2,
        "parents": "",
        "enabled": "on",
    }
    url = reverse("monitoring:check-edit", args=[check.pk])
    assert client.post(url, form).status_code == 302
    check.refresh_from_db()
    assert (check.name, check.secret_values()) == ("DB replica", {"password": "pw"})
    client.post(url, {**form, "clear_secrets": "on"})
    check.refresh_from_db()
    assert check.secrets == ""


def test_bad_secrets_and_a_check_depending_on_itself_are_refused(db, client):
    check = CheckFactory()
    client.force_login(person("nick", *WATCH, *CONFIGURE))
    response = client.post(
        reverse("monitoring:check-edit", args=[check.pk]),
        {
            "name": "x",
            "host": "h",
            "kind": "tcp",
            "params": "{}",
            "new_secrets": "[1, 2]",
            "interval": 60,
            "timeout": 5,
            "confirm_down": 3,
            "confirm_up": 2,
            "severity": 2,
            "parents": str(check.pk),
        },
    )
    form = response.context["form"]
    assert "new_secrets" in form.errors
    assert "parents" in form.errors


def test_deleting_a_check(db, client):
    check = CheckFactory()
    client.force_login(person("nick", *WATCH, *CONFIGURE))
    response = client.post(reverse("monitoring:check-delete", args=[check.pk]))
    assert response.status_code == 302
    assert not Check.objects.exists()


def test_watchers_may_not_change_checks(db, client):
    check = CheckFactory()
    client.force_login(person("nick", *WATCH))
    assert client.get(reverse("monitoring:check-add")).status_code == 403
    url = reverse("monitoring:check-delete", args=[check.pk])
    assert client.post(url).status_code == 403
    assert Check.objects.exists()


def test_notes_are_saved_from_the_form_and_shown_escaped_with_their_lines(db, client):
    check = CheckFactory(name="PACS echo")
    client.force_login(person("nick", *WATCH, *CONFIGURE))
    url = reverse("monitoring:check-edit", args=[check.pk])
    assert 'name="notes"' in client.get(url).content.decode()
    form = {
        "name": "PACS echo",
        "asset": check.asset.tag,
        "host": "pacs.local",
        "kind": "tcp",
        "params": "{}",
        "interval": 60,
        "timeout": 5,
        "confirm_down": 3,
        "confirm_up": 2,
        "severity": 2,
        "notes": "Call Imaging IT on 4455.\r\n<script>alert(1)</script>",
        "enabled": "on",
    }
    assert client.post(url, form).status_code == 302
    check.refresh_from_db()
    assert check.notes == "Call Imaging IT on 4455.\r\n<script>alert(1)</script>"
    page = client.get(check.get_absolute_url()).content.decode()
    assert "Call Imaging IT on 4455.<br>&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page


def test_a_check_without_notes_shows_no_empty_notes(db, client):
    check = CheckFactory()
    client.force_login(person("nick", *WATCH))
    assert (
        'id="check-notes"' not in client.get(check.get_absolute_url()).content.decode()
    )


def test_a_state_seconds_old_reads_just_now_not_zero_minutes(db, client):
    now = timezone.now()
    fresh = CheckFactory(
        name="PACS echo",
        status=CheckStatus.DOWN,
        status_since=now - dt.timedelta(seconds=5),
    )
    CheckFactory(
        name="HIS web",
        status=CheckStatus.DOWN,
        status_since=now - dt.timedelta(minutes=7, seconds=10),
    )
    client.force_login(person("nick", *WATCH))
    listing = client.get(LIST).content.decode()
    assert "just now" in listing
    assert "7\xa0minutes ago" in listing  # timesince keeps number and unit together
    assert "0 minutes" not in listing
    page = client.get(fresh.get_absolute_url()).content.decode()
    assert "for less than a minute" in page
    assert "0 minutes" not in page


def test_the_list_costs_the_same_queries_for_many_checks(
    db, client, django_assert_max_num_queries
):
    CheckFactory.create_batch(30)
    client.force_login(person("nick", *WATCH))
    with django_assert_max_num_queries(12):
        assert client.get(LIST).status_code == 200


def test_a_check_page_shows_the_newest_result_though_the_row_lags(db, client):
    """The monitor writes last run/latency to the check row only every few
    minutes; the check's own page reads its newest result instead."""
    written = timezone.now() - dt.timedelta(minutes=4)
    check = CheckFactory(
        name="HIS web", status=CheckStatus.UP, last_run_at=written, last_latency_ms=9.0
    )
    newest = timezone.now().replace(microsecond=0)
    Result.objects.create(
        source=check, at=newest, status=CheckStatus.UP, latency_ms=123.4
    )
    client.force_login(person("nick", *WATCH))
    page = client.get(reverse("monitoring:check-detail", args=[check.pk]))
    facts = page.content.decode().split('id="check-facts"', 1)[1].split("</dl>", 1)[0]
    assert "123.4" in facts
    assert "9.0" not in facts
    assert page.context["object"].last_run_at == newest
