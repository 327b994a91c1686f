"""The network's import and export page: the inventory's upload → dry run →
confirm flow over the network's kinds and NetBox's exports, with each kind's
permissions (nick the network engineer may, nora the nurse may not)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories.transfer import csv_bytes
from tests.network.test_import_netbox import FIXTURES, hospital  # noqa: F401
from wardkeeper.core import audit
from wardkeeper.core.auditing.chain import verify_chain
from wardkeeper.inventory.models import Asset
from wardkeeper.network.models import VLAN, Zone

URL = reverse("network:transfer")
VLANS = [["site", "vid", "name", "zone"], ["", "10", "clinical", "Clinical"]]


@pytest.fixture(autouse=True)
def _data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path


@pytest.fixture
def clinical(db):
    return Zone.objects.create(name="Clinical", kind="clinical")


def upload(client, kind, data, name="file.csv"):
    if isinstance(data, list):
        data = csv_bytes(data)
    file = SimpleUploadedFile(name, data, content_type="text/csv")
    return client.post(URL, {"kind": kind, "file": file})


@pytest.mark.django_db
def test_the_page_lists_wardkeeper_kinds_in_order_then_netbox(login, network_engineer):
    response = login(network_engineer).get(URL)
    assert response.status_code == 200
    text = response.text
    assert "Network import and export" in text
    assert "Wardkeeper CSV" in text
    assert "From NetBox" in text
    groups = {
        str(g["label"]): [r["kind"] for r in g["rows"]]
        for g in response.context["groups"]
    }
    assert groups["Wardkeeper CSV"][:3] == ["zones", "vlans", "prefixes"]
    assert groups["Wardkeeper CSV"][-1] == "flow-rules"
    assert groups["From NetBox"] == [
        "netbox-devices",
        "netbox-vlans",
        "netbox-interfaces",
        "netbox-cables",
        "netbox-prefixes",
    ]
    assert reverse("network:transfer-export", args=["vlans", "xlsx"]) in text
    # NetBox kinds are imported only: a template, no export.
    assert reverse("network:transfer-template", args=["netbox-cables", "csv"]) in text
    assert reverse("network:transfer-export", args=["netbox-cables", "csv"]) not in text


@pytest.mark.django_db
def test_a_file_with_one_bad_row_writes_nothing_and_names_the_row(
    login, network_engineer, clinical
):
    rows = [*VLANS, ["", "20", "guest", ""], ["", "5000", "huge", "Nowhere"]]
    response = upload(login(network_engineer), "vlans", rows)
    assert response.status_code == 422
    assert {(e.row, e.column) for e in response.context["errors"]} >= {(4, "vid")}
    assert "The file has" in response.text
    assert "Confirm the import" not in response.text
    assert not VLAN.objects.exists()


@pytest.mark.django_db
def test_a_good_file_is_counted_by_the_dry_run_and_written_on_confirm(
    login, network_engineer, clinical
):
    client = login(network_engineer)
    response = upload(client, "vlans", [*VLANS, ["", "20", "guest", ""]])
    assert response.status_code == 200
    assert response.context["report"].created == 2
    assert "Confirm the import" in response.text
    assert not VLAN.objects.exists()
    token = response.context["staged"].token
    response = client.post(reverse("network:transfer-confirm"), {"token": token})
    assert response.status_code == 302
    assert response["Location"] == URL
    vlan = VLAN.objects.get(vid=10)
    assert vlan.zone == clinical
    entry = audit.history(vlan).get()
    assert (entry.source, entry.actor) == ("import", network_engineer)
    assert "2 created, 0 updated, 0 unchanged" in client.get(URL).text
    assert verify_chain().intact


@pytest.mark.django_db
def test_a_netbox_export_shows_its_notes_before_it_is_confirmed(
    login,
    network_engineer,
    hospital,  # noqa: F811
):
    client = login(network_engineer)
    data = (FIXTURES / "devices.csv").read_bytes()
    response = upload(client, "netbox-devices", data, name="devices.csv")
    assert response.status_code == 200, response.context["errors"]
    text = response.text
    assert "notes: nothing to correct, but worth knowing" in text
    assert "it will be created as NB-acc-sw-02" in text
    assert "This column is not imported." in text  # e.g. Tenant, Platform
    assert not Asset.objects.filter(name="acc-sw-02").exists()
    token = response.context["staged"].token
    client.post(reverse("network:transfer-confirm"), {"token": token})
    assert Asset.objects.filter(name="acc-sw-02").exists()


@pytest.mark.django_db
def test_the_nurse_may_neither_open_the_page_nor_post_a_file(login, nurse, clinical):
    client = login(nurse)
    assert client.get(URL).status_code == 403
    assert upload(client, "vlans", VLANS).status_code == 403
    template = reverse("network:transfer-template", args=["vlans", "csv"])
    assert client.get(template).status_code == 403
    assert not VLAN.objects.exists()


@pytest.mark.django_db
def test_a_kind_the_user_may_not_import_is_not_offered(login, hardware_engineer):
    # Hana keeps the inventory: NetBox devices (assets) yes, VLANs no.
    client = login(hardware_engineer)
    kinds = [
        k
        for _g, group in client.get(URL).context["form"].fields["kind"].choices
        for k, _l in group
    ]
    assert "netbox-devices" in kinds
    assert "vlans" not in kinds
    response = upload(client, "vlans", VLANS)
    assert "Select a valid choice" in response.text
    assert not VLAN.objects.exists()


@pytest.mark.django_db
def test_a_file_staged_on_the_inventory_page_cannot_be_confirmed_here(
    login, system_admin
):
    client = login(system_admin)
    rows = [["code", "name", "kind"], ["MAIN", "Main", "campus"]]
    file = SimpleUploadedFile("l.csv", csv_bytes(rows), content_type="text/csv")
    response = client.post(
        reverse("inventory:transfer"), {"kind": "locations", "file": file}
    )
    token = response.context["staged"].token
    confirm = client.post(reverse("network:transfer-confirm"), {"token": token})
    assert confirm.status_code == 403


@pytest.mark.django_db
def test_each_kind_downloads_as_csv_and_as_an_empty_template(
    login, network_engineer, clinical
):
    client = login(network_engineer)
    response = client.get(reverse("network:transfer-export", args=["zones", "csv"]))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "Clinical" in text
    response = client.get(
        reverse("network:transfer-template", args=["netbox-devices", "xlsx"])
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    refused = reverse("network:transfer-export", args=["netbox-devices", "csv"])
    assert client.get(refused).status_code == 403
