"""Floor plans: upload, the image to readers only, markers placed and moved
through the page's JSON endpoint, and who may do what."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from tests.factories.inventory import FloorFactory, RoomFactory
from tests.factories.monitoring import CheckFactory
from tests.factories.network_topology import (
    FloorPlanFactory,
    OutletFactory,
    device,
    png_upload,
)
from wardkeeper.core.models import AuditEntry
from wardkeeper.network.models import FloorPlan, Marker

pytestmark = pytest.mark.django_db


def post_json(client, url, data, method="post"):
    return getattr(client, method)(
        url, data=json.dumps(data), content_type="application/json"
    )


def test_nick_uploads_a_plan_for_a_floor(login, network_engineer):
    floor = FloorFactory(name="3F")
    client = login(network_engineer)

    response = client.post(
        reverse("network:floorplan-add"),
        {"floor": floor.pk, "image": png_upload(width=800, height=600)},
    )

    plan = FloorPlan.objects.get(floor=floor)
    assert response.status_code == 302
    assert (plan.width, plan.height) == (800, 600)
    image = client.get(reverse("network:plan-image", args=[plan.pk]))
    assert image.status_code == 200
    assert b"".join(image.streaming_content)[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_file_that_is_not_an_image_is_refused(login, network_engineer):
    floor = FloorFactory()
    fake = png_upload()
    fake.file.seek(0)
    fake.file.write(b"<svg onload=alert(1)>")
    fake.file.truncate()
    fake.file.seek(0)

    response = login(network_engineer).post(
        reverse("network:floorplan-add"), {"floor": floor.pk, "image": fake}
    )

    assert response.status_code == 200
    assert "image" in response.context["form"].errors
    assert not FloorPlan.objects.exists()


def test_an_image_over_the_size_limit_is_refused(login, network_engineer, settings):
    settings.UPLOAD_MAX_MB = 0
    response = login(network_engineer).post(
        reverse("network:floorplan-add"),
        {"floor": FloorFactory().pk, "image": png_upload()},
    )

    assert "larger than" in str(response.context["form"].errors["image"])


def test_markers_are_placed_moved_and_removed(login, network_engineer):
    plan = FloorPlanFactory()
    outlet = OutletFactory(label="3F-017", location=RoomFactory(parent=plan.floor))
    client = login(network_engineer)
    url = reverse("network:plan-markers", args=[plan.pk])

    placed = post_json(
        client, url, {"kind": "outlet", "ref": "3f-017", "x": 0.25, "y": 0.5}
    )
    assert placed.status_code == 201
    marker = Marker.objects.get(plan=plan)
    assert marker.outlet == outlet
    assert placed.json()["marker"]["label"] == "3F-017"

    moved = post_json(
        client,
        reverse("network:plan-marker", args=[plan.pk, marker.pk]),
        {"x": 0.7, "y": 0.1},
    )
    assert moved.status_code == 200
    marker.refresh_from_db()
    assert (marker.x, marker.y) == (0.7, 0.1)
    assert AuditEntry.objects.filter(object_id=str(marker.pk)).count() >= 2

    gone = client.delete(reverse("network:plan-marker", args=[plan.pk, marker.pk]))
    assert gone.status_code == 200
    assert not Marker.objects.exists()


def test_a_marker_naming_nothing_or_off_the_plan_is_refused(login, network_engineer):
    plan = FloorPlanFactory()
    client = login(network_engineer)
    url = reverse("network:plan-markers", args=[plan.pk])

    unknown = post_json(
        client, url, {"kind": "device", "ref": "NOPE", "x": 0.1, "y": 0.1}
    )
    outside = post_json(
        client, url, {"kind": "room", "ref": plan.floor.code, "x": 1.5, "y": 0}
    )

    assert unknown.status_code == 400
    assert unknown.json()["error"]["field"] == "ref"
    assert outside.json()["error"]["field"] == "x"
    assert not Marker.objects.exists()


def test_a_device_marker_carries_its_monitoring_colour(login, hardware_engineer):
    plan = FloorPlanFactory()
    ap = device("wireless-ap", name="AP-3F-01")
    CheckFactory(asset=ap, status="degraded")
    Marker.objects.create(plan=plan, kind="device", device=ap, x=0.5, y=0.5)

    page = login(hardware_engineer).get(
        reverse("network:floorplan-detail", args=[plan.pk])
    )

    [marker] = page.context["markers"]
    assert marker["status"] == "degraded"
    assert marker["label"].startswith("AP-3F-01")


def test_hana_reads_but_may_not_place(login, hardware_engineer):
    plan = FloorPlanFactory()
    client = login(hardware_engineer)

    page = client.get(reverse("network:floorplan-detail", args=[plan.pk]))
    assert page.status_code == 200
    assert 'id="plan-place"' not in page.content.decode()
    assert client.get(reverse("network:plan-list")).status_code == 200
    refused = post_json(
        client,
        reverse("network:plan-markers", args=[plan.pk]),
        {"kind": "room", "ref": plan.floor.code, "x": 0.1, "y": 0.1},
    )
    assert refused.status_code == 403
    assert client.get(reverse("network:floorplan-add")).status_code == 403


def test_otto_sees_neither_the_plans_nor_their_images(login, outsider):
    plan = FloorPlanFactory()
    client = login(outsider)

    assert client.get(reverse("network:plan-list")).status_code == 403
    assert (
        client.get(reverse("network:floorplan-detail", args=[plan.pk])).status_code
        == 403
    )
    assert client.get(reverse("network:plan-image", args=[plan.pk])).status_code == 403


def test_the_image_needs_a_signed_in_user(client):
    plan = FloorPlanFactory()

    response = client.get(reverse("network:plan-image", args=[plan.pk]))

    assert response.status_code == 302


def test_an_outlet_shows_its_path_to_the_switch_port(login, hardware_engineer):
    pytest.importorskip("wardkeeper.network.services.trace")
    from tests.factories.network_topology import (
        InterfaceFactory,
        PatchPanelFactory,
        connect,
        port,
    )

    outlet = OutletFactory(label="ER-04")
    panel = PatchPanelFactory(name="PP-ER")
    switch_port = InterfaceFactory(device=device(name="sw-er"), name="Gi1/0/4")
    connect(outlet, port(panel, 4, "rear"))
    connect(port(panel, 4, "front"), switch_port)

    page = login(hardware_engineer).get(
        reverse("network:plan-outlet", args=[outlet.pk]), {"fragment": 1}
    )

    assert page.context["end"] == str(switch_port)
    assert "PP-ER" in page.content.decode()


def test_the_plan_list_stays_within_its_query_budget(
    login, hardware_engineer, django_assert_max_num_queries
):
    for _ in range(5):
        FloorPlanFactory()
    client = login(hardware_engineer)

    with django_assert_max_num_queries(12):
        page = client.get(reverse("network:plan-list"))

    assert len(page.context["object_list"]) == 5
