"""Maintenance windows, check templates and alert rules pages; the asset
page's panel of checks."""

import factory
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from tests.factories.inventory import AssetFactory, BuildingFactory, asset_type
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


def test_a_window_on_places_by_code_and_on_services_checks_name(db, client):
    imaging = BuildingFactory(code="IMG", name="Imaging Centre")
    theatres = BuildingFactory(code="OPS 2", name="Theatres")
    CheckFactory(service="PACS")
    CheckFactory(service="HIS")
    CheckFactory(service="PACS")
    client.force_login(person("nick", *WATCH, *CONFIGURE))
    url = reverse("monitoring:maintenancewindow-add")
    form = client.get(url).context["form"]
    assert form.fields["services"].choices == [("HIS", "HIS"), ("PACS", "PACS")]
    page = client.get(url).content.decode()
    assert 'data-lookup="/inventory/locations/lookup/"' in page
    assert "Imaging Centre" not in page  # no list of every place
    response = client.post(
        url,
        {
            "name": "Imaging downtime",
            "starts_at": "2026-12-01T22:00",
            "duration": 60,
            "recurrence": "once",
            "locations": ["IMG", "OPS 2", ""],
            "services": ["PACS"],
        },
    )
    assert response.status_code == 302
    window = MaintenanceWindow.objects.get()
    assert set(window.locations.all()) == {imaging, theatres}
    assert window.services == ["PACS"]
    detail = client.get(response.url).content.decode()
    assert "Imaging Centre" in detail
    assert "PACS" in detail
    # Editing: a box per place, and an empty one to add another.
    edit = client.get(reverse("monitoring:maintenancewindow-edit", args=[window.pk]))
    html = edit.content.decode()
    assert 'value="IMG"' in html
    assert 'value="OPS 2"' in html
    assert 'id="id_locations_2"' in html


def test_a_window_on_a_service_alone_is_enough_and_unknown_places_are_named(db, client):
    CheckFactory(service="LIS")
    client.force_login(person("nick", *WATCH, *CONFIGURE))
    url = reverse("monitoring:maintenancewindow-add")
    form = {
        "name": "LIS upgrade",
        "starts_at": "2026-12-01T22:00",
        "duration": 30,
        "recurrence": "once",
    }
    errors = client.post(url, {**form, "locations": ["NOWHERE"]}).context["form"].errors
    assert "NOWHERE" in str(errors["locations"])
    assert not MaintenanceWindow.objects.exists()
    assert client.post(url, {**form, "services": ["LIS"]}).status_code == 302
    assert MaintenanceWindow.objects.get().services == ["LIS"]


def test_a_service_no_check_names_any_more_stays_on_its_window(db, client):
    window = MaintenanceWindow.objects.create(
        name="Old RIS", starts_at="2026-12-01T22:00Z", duration=30, services=["RIS"]
    )
    client.force_login(person("nick", *WATCH, *CONFIGURE))
    edit = client.get(reverse("monitoring:maintenancewindow-edit", args=[window.pk]))
    assert ("RIS", "RIS") in edit.context["form"].fields["services"].choices


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
