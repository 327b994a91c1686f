"""The prefix tree with its next free address, and the flow policy matrix,
at desktop and phone size (on a phone the matrix becomes a list by source
zone)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import shot, sign_in
from tests.factories.network_logical import (
    FlowRuleFactory,
    PrefixFactory,
    VLANFactory,
    ZoneFactory,
    addresses,
)
from wardkeeper.network.models import IPAddress

pytestmark = pytest.mark.django_db(transaction=True)


def test_nick_walks_the_prefix_tree_and_assigns_the_next_free(page, network_engineer):
    clinical = ZoneFactory(name="Clinical", colour="#198754")
    vlan = VLANFactory(vid=20, name="WARD-3", zone=clinical)
    PrefixFactory(prefix="10.20.0.0/16", description="Main campus")
    PrefixFactory(prefix="10.20.3.0/24", vlan=vlan, zone=clinical, description="Ward 3")
    PrefixFactory(prefix="10.20.4.0/24", description="Imaging")
    PrefixFactory(prefix="2001:db8:20::/64", description="Campus IPv6")
    addresses(*(f"10.20.3.{n}/24" for n in (1, 2, 3, 5)), "2001:db8:20::1/64")
    sign_in(page, network_engineer)

    page.goto("/network/prefixes/")
    expect(page.get_by_role("link", name="10.20.3.0/24")).to_be_visible()
    expect(page.get_by_text("1.6 %")).to_be_visible()
    expect(page.get_by_text("1 address used")).to_be_visible()
    shot(page, "network-prefix-tree")

    page.get_by_role("link", name="10.20.3.0/24").click()
    expect(page.locator("#next-free")).to_have_text("10.20.3.4")
    page.get_by_label("How many").fill("2")
    page.get_by_role("button", name="Assign next free").click()
    expect(page.get_by_text("Recorded 10.20.3.4/24, 10.20.3.6/24.")).to_be_visible()
    expect(page.locator("#next-free")).to_have_text("10.20.3.7")
    page.get_by_label("Length").fill("26")
    page.get_by_role("button", name="Find").click()
    expect(page.locator("#free-prefix")).to_contain_text("10.20.3.0/26")
    shot(page, "network-prefix-detail")
    assert IPAddress.objects.filter(address="10.20.3.6/24").exists()


def test_the_policy_matrix_reads_on_desktop_and_phone(page, network_engineer):
    guest = ZoneFactory(name="Guest Wi-Fi", kind="guest", colour="#ffc107")
    clinical = ZoneFactory(name="Clinical", colour="#198754")
    servers = ZoneFactory(name="Servers", kind="servers", colour="#0d6efd")
    medical = ZoneFactory(name="Medical devices", kind="medical", colour="#dc3545")
    FlowRuleFactory(source=guest, destination=servers, service="HIS database")
    FlowRuleFactory(
        source=guest,
        destination=medical,
        service="CT scanner",
        protocol="icmp",
        ports="",
    )
    FlowRuleFactory(
        source=clinical, destination=servers, action="pass", service="HIS", ports="443"
    )
    FlowRuleFactory(
        source=medical,
        destination=servers,
        action="pass",
        service="PACS DICOM",
        ports="104, 11112",
    )
    sign_in(page, network_engineer)

    page.goto("/network/policy/")
    if page.size_name == "desktop":
        matrix = page.locator("#policy-matrix")
        expect(matrix).to_be_visible()
        cell = matrix.locator("td[data-from='Guest Wi-Fi'][data-to='Servers']")
        expect(cell).to_contain_text("HIS database")
        expect(cell).to_have_class("wk-cell wk-cell-refuse")
        expect(page.locator("#policy-list")).to_be_hidden()
    else:
        expect(page.locator("#policy-matrix")).to_be_hidden()
        card = page.locator("#policy-list section", has_text="From Guest Wi-Fi")
        expect(card).to_contain_text("CT scanner")
        expect(card).to_contain_text("→ Servers")
    shot(page, "network-policy")

    page.get_by_role("link", name="New rule", exact=True).click()
    page.get_by_label("From zone").select_option(label="Guest Wi-Fi")
    page.get_by_label("To zone").select_option(label="Clinical")
    page.get_by_label("Policy").select_option("refuse")
    page.get_by_label("Protocol").select_option("tcp")
    page.get_by_label("Ports").fill("3389, 99999")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("ports run from 1 to 65535")).to_be_visible()
    page.get_by_label("Ports").fill("3389")
    page.get_by_label("Service").fill("Remote desktop")
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url("/network/policy/")
    expect(page.get_by_text("Remote desktop").first).to_be_attached()
