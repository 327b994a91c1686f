"""Maintenance windows, check templates and alert rules pages; the asset
page's panel of checks."""

import factory
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from tests.factories.inventory import AssetFactory, asset_type
from tests.factories.monitoring import CheckFactory
from tests.factories.monitoring_views import CONFIGURE, WATCH, person
from wardkeeper.inventory.choices import AssetStatus
from wardkeeper.monitoring.choices import CheckStatus
from wardkeeper.monitoring.models import (
    AlertRule,
    Check,
    CheckTemplate,
    MaintenanceWindow,
)


def test_a_maintenance_window_on_assets_by_tag(db, client):
    AssetFactory(tag="SW-01")
    check = CheckFactory()
    client.force_login(person("nick", *WATCH, *CONFIGURE))
    response = client.post(
        reverse("monitoring:maintenancewindow-add"),
        {
            "name": "Switch firmware",
            "starts_at": "2026-12-01T22:00",
            "duration": 90,
            "recurrence": "once",
            "assets": "SW-01",
            "checks": str(check.pk),
            "reason": "Vendor advisory",
        },
    )
    assert response.status_code == 302
    window = MaintenanceWindow.objects.get()
    assert [a.tag for a in window.assets.all()] == ["SW-01"]
    assert list(window.checks.all()) == [check]
    page = client.get(response.url).content.decode()
    assert "SW-01" in page


def test_a_window_must_name_what_it_covers_and_known_tags(db, client):
    client.force_login(person("nick", *WATCH, *CONFIGURE))
    form = {
        "name": "x",
        "starts_at": "2026-12-01T22:00",
        "duration": 30,
        "recurrence": "once",
    }
    url = reverse("monitoring:maintenancewindow-add")
    assert client.post(url, form).context["form"].non_field_errors()
    errors = client.post(url, {**form, "assets": "NOPE-9"}).context["form"].errors
    assert "NOPE-9" in str(errors["assets"])
    assert not MaintenanceWindow.objects.exists()


def test_applying_a_template_gives_every_asset_of_the_type_a_check(db, client):
    switch = asset_type()
    assets = AssetFactory.create_batch(
        2,
        status=AssetStatus.IN_USE,
        ip_address=factory.Sequence(lambda n: f"10.0.{n // 250 % 250}.{n % 250 + 1}"),
    )
    AssetFactory(status=AssetStatus.IN_STOCK, ip_address="10.0.1.1")  # not in use
    template = CheckTemplate.objects.create(name="Ping", asset_type=switch, kind="icmp")
    client.force_login(person("nick", *WATCH, *CONFIGURE))
    response = client.post(
        reverse("monitoring:checktemplate-apply", args=[template.pk]), follow=True
    )
    assert Check.objects.filter(template=template).count() == len(assets)
    assert "2 checks added" in response.content.decode()


def test_an_alert_rule_with_weekdays(db, client):
    client.force_login(person("nick", *WATCH, *CONFIGURE))
    response = client.post(
        reverse("monitoring:alertrule-add"),
        {
            "name": "Nights",
            "order": 5,
            "max_severity": 1,
            "from_hour": 18,
            "to_hour": 24,
            "weekdays": ["5", "6"],
            "notify_team": "on",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert AlertRule.objects.get().weekdays == [5, 6]


def test_the_asset_panel_lists_its_checks_with_their_status(db):
    asset = AssetFactory()
    CheckFactory(asset=asset, name="Ping", status=CheckStatus.DOWN)
    request = RequestFactory().get("/")
    request.user = person("nick", *WATCH)
    from django.contrib.auth.context_processors import PermWrapper

    html = render_to_string(
        "monitoring/includes/asset_checks.html",
        {"object": asset, "perms": PermWrapper(request.user)},
        request=request,
    )
    assert "Ping" in html
    assert "text-bg-danger" in html
    hidden = render_to_string(
        "monitoring/includes/asset_checks.html",
        {"object": asset, "perms": PermWrapper(person("otto"))},
    )
    assert "Ping" not in hidden
