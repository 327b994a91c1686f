"""Cable pages: connecting two points with the form, its errors, tests with
the instrument's file (readers only), the list of cables to test, the
trace page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories.network_physical import (
    CableTestFactory,
    InterfaceFactory,
    OutletFactory,
    PatchPanelFactory,
    connect,
    device,
    port,
)
from wardkeeper.network.models import Cable, CableTest

pytestmark = pytest.mark.django_db


def cable_form(a_kind, a, b_kind, b, a_face="", b_face="", **fields):
    data = {"kind": "cat6", "status": "installed", "label": "", **fields}
    data.update(a_kind=a_kind, a=a, a_face=a_face, b_kind=b_kind, b=b, b_face=b_face)
    return data


def test_nick_connects_an_outlet_to_a_panel_port(login, network_engineer):
    OutletFactory(label="ER-04")
    panel = PatchPanelFactory(name="PP-ER")

    response = login(network_engineer).post(
        reverse("network:cable-add"),
        cable_form("outlet", "er-04", "port", "PP-ER:4", b_face="rear", label="H-4"),
    )

    cable = Cable.objects.get(label="H-4")
    assert response.status_code == 302
    assert cable.ends.get(side="b").port == panel.panel_ports.get(number=4)


def test_a_taken_point_is_named_with_its_cable(login, network_engineer):
    switch_port = InterfaceFactory(device=device(tag="SW-9"), name="Gi1/0/1")
    connect(switch_port, OutletFactory(), label="P-1")
    OutletFactory(label="ER-05")

    page = login(network_engineer).post(
        reverse("network:cable-add"),
        cable_form("outlet", "ER-05", "interface", "SW-9 Gi1/0/1"),
    )

    assert page.status_code == 200
    [error] = page.context["form"].errors["b"]
    assert error.startswith("SW-9")
    assert error.endswith("Gi1/0/1 already carries cable P-1.")


def test_a_port_needs_its_face(login, network_engineer):
    OutletFactory(label="ER-06")
    PatchPanelFactory(name="PP-9")

    page = login(network_engineer).post(
        reverse("network:cable-add"), cable_form("outlet", "ER-06", "port", "PP-9:1")
    )

    assert "Choose the front or the rear." in page.context["form"].errors["b_face"]


def test_an_unknown_point_is_named(login, network_engineer):
    page = login(network_engineer).post(
        reverse("network:cable-add"), cable_form("outlet", "NOPE", "outlet", "X")
    )

    assert "No outlet has the label NOPE." in page.context["form"].errors["a"]


def test_hana_may_not_connect_cables(login, hardware_engineer):
    response = login(hardware_engineer).get(reverse("network:cable-add"))

    assert response.status_code == 403


def test_the_edit_form_shows_the_current_ends(login, network_engineer):
    panel = PatchPanelFactory(name="PP-Q")
    cable = connect(OutletFactory(label="Q-1"), port(panel, 3, "front"))

    page = login(network_engineer).get(reverse("network:cable-edit", args=[cable.pk]))

    form = page.context["form"]
    assert form.initial["a"] == "Q-1"
    assert form.initial["b"] == f"{panel.location.code}/PP-Q:3"
    assert form.initial["b_face"] == "front"


def test_point_suggestions_follow_the_kind(login, hardware_engineer):
    PatchPanelFactory(name="PP-ZED", ports=2)

    found = login(hardware_engineer).get(
        reverse("network:cable-point-lookup"), {"kind": "port", "q": "PP-Z"}
    )

    assert [r["value"].split("/")[1] for r in found.json()["results"]] == [
        "PP-ZED:1",
        "PP-ZED:2",
    ]


def test_a_test_report_with_its_file_is_for_readers_only(
    login, network_engineer, outsider
):
    cable = connect(OutletFactory(), InterfaceFactory(), label="H-1")
    client = login(network_engineer)

    client.post(
        reverse("network:cabletest-add", args=[cable.pk]),
        {
            "tested_on": "2025-03-01",
            "tester": "Li Wei",
            "standard": "TIA-568.2-D Cat 6",
            "link_type": "permanent link",
            "passed": "on",
            "length_m": "42.1",
            "margin_db": "3.2",
            "file": SimpleUploadedFile("H-1.flw", b"FLUKE-DATA"),
        },
    )

    test = CableTest.objects.get(cable=cable)
    url = reverse("network:cabletest-file", args=[test.pk])
    assert test.recorded_by == network_engineer
    assert b"".join(client.get(url).streaming_content) == b"FLUKE-DATA"
    assert login(outsider).get(url).status_code == 403


def test_cables_to_test_are_the_untested_and_the_failed(login, hardware_engineer):
    never = connect(OutletFactory(), InterfaceFactory(), label="NEVER")
    failed = connect(OutletFactory(), InterfaceFactory(), label="FAILED")
    fixed = connect(OutletFactory(), InterfaceFactory(), label="FIXED")
    CableTestFactory(cable=failed, passed=False)
    CableTestFactory(cable=fixed, passed=False, tested_on=dt.date(2025, 1, 1))
    CableTestFactory(cable=fixed, passed=True, tested_on=dt.date(2025, 2, 1))
    client = login(hardware_engineer)

    due = client.get(reverse("network:cable-due"))
    failing = client.get(reverse("network:cable-list"), {"tested": "failed"})

    assert {str(c) for c in due.context["object_list"]} == {"NEVER", "FAILED"}
    assert [str(c) for c in failing.context["object_list"]] == ["FAILED"]
    assert never.pk


def test_the_trace_page_draws_the_chain(login, hardware_engineer):
    outlet = OutletFactory(label="ER-04")
    panel = PatchPanelFactory(name="PP-ER")
    connect(outlet, port(panel, 4, "rear"), label="H-4", length_m=40)
    connect(
        port(panel, 4, "front"),
        InterfaceFactory(name="Gi1/0/4"),
        label="P-4",
        length_m=2,
    )

    page = login(hardware_engineer).get(reverse("network:trace"), {"outlet": outlet.pk})

    text = page.content.decode()
    assert text.index("ER-04") < text.index("H-4") < text.index("PP-ER:4 (rear)")
    assert text.index("PP-ER:4 (front)") < text.index("P-4") < text.index("Gi1/0/4")
    assert "2 cables, 42.00 m in all" in text


def test_the_trace_page_says_when_the_path_is_broken(login, hardware_engineer):
    outlet = OutletFactory(label="ER-07")
    connect(outlet, port(PatchPanelFactory(name="PP-B"), 7, "rear"))

    page = login(hardware_engineer).get(reverse("network:trace"), {"outlet": outlet.pk})

    assert "The path is broken" in page.content.decode()
