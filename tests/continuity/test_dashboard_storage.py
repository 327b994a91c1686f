"""Storage health on the dashboard and in its PDF: a server's RAID array
read from its management controller (the stand-in BMC of the Redfish probe's
tests: a real HTTPS server serving Redfish documents, since no real BMC is
available) or over SNMP from the recorded agent "raid-server" (snmpsim
serving a recording whose hrDeviceTable has a disk down), the result stored
as the monitor stores it, then shown per array; a degraded array opens the
system's STORAGE_DEGRADED finding, with its ticket."""

from __future__ import annotations

import asyncio
import json
import time

import pytest
from django.urls import reverse

from tests.conftest import make_persona
from tests.factories.continuity import ProtectedSystemFactory
from tests.factories.continuity_plans import pdf_text
from tests.factories.inventory import AssetFactory
from tests.factories.monitoring import CheckFactory
from tests.monitoring.probes.conftest import pki  # noqa: F401  (fixture)
from tests.monitoring.probes.test_redfish import (  # noqa: F401  (fixture)
    PASSWORD,
    USER,
    bmc,
    raid_array,
)
from tests.monitoring.probes.test_snmp_disks import recorded  # noqa: F401
from wardkeeper.continuity.choices import FindingKind, FindingState
from wardkeeper.continuity.models import Finding
from wardkeeper.continuity.services import storage
from wardkeeper.monitoring.choices import CheckStatus
from wardkeeper.monitoring.engine.probes.redfish import check_redfish
from wardkeeper.monitoring.engine.probes.snmp import check_snmp
from wardkeeper.monitoring.engine.probes.snmp_client import close_engines
from wardkeeper.monitoring.engine.spec import Result
from wardkeeper.monitoring.services.specs import spec_of
from wardkeeper.monitoring.services.state import record

pytestmark = pytest.mark.django_db

URL = reverse("continuity:dashboard")
PDF = reverse("continuity:dashboard-export", args=["pdf"])


@pytest.fixture
def his_server(pki):  # noqa: F811
    """HIS runs on a server whose BMC is watched by a Redfish check."""
    server = AssetFactory(tag="SRV-0101")
    his = ProtectedSystemFactory(name="HIS")
    his.assets.add(server)
    check = CheckFactory(
        name="SRV-0101 storage",
        asset=server,
        kind="redfish",
        params={"username": USER, "ca_file": str(pki.ca_file)},
        secrets=json.dumps({"password": PASSWORD}),
        confirm_down=1,
        confirm_up=1,
    )
    return his, check


def poll(check, port, probe=check_redfish):
    """One run of the check against its peer, stored as the monitor does."""
    check.params = {**check.params, "port": port}
    check.save()
    spec = spec_of(check)

    async def once():
        try:
            return await probe(spec)
        finally:
            close_engines()  # SNMP engines belong to this run's event loop

    outcome = asyncio.run(once())
    record([Result(check.pk, time.time(), 0.0, outcome)])
    check.refresh_from_db()
    return outcome


def flat(text):
    """PDF text without the line breaks that wrap inside a cell."""
    return " ".join(text.split())


def test_a_degraded_array_shows_on_the_dashboard_and_opens_a_finding(
    login,
    bmc,  # noqa: F811
    his_server,
):
    his, check = his_server
    poll(check, bmc(raid_array(volume="Warning")))
    assert check.status == CheckStatus.DEGRADED

    page = login(make_persona("ana", "analyst")).get(URL)
    (row,) = page.context["storage"]
    assert row.name == "PERC H755 Front"
    assert row.status == CheckStatus.DEGRADED
    assert row.systems == ["HIS"]
    html = page.content.decode()
    array = html.split('data-array="PERC H755 Front"')[1].split("</tr>")[0]
    assert "volume OS and data Warning" in array
    assert "RAID5" in array
    assert "1 hot spare" in array

    assert storage.sweep() == {"raised": 1, "resolved": 0}
    finding = Finding.objects.get(kind=FindingKind.STORAGE_DEGRADED, system=his)
    assert "SRV-0101 storage" in finding.message
    assert finding.ticket is not None


def test_the_pdf_lists_each_array_with_its_drives_spares_cache_and_battery(
    login,
    bmc,  # noqa: F811
    his_server,
):
    _his, check = his_server
    poll(check, bmc(raid_array(disk3="Critical", battery="Warning")))
    text = flat(pdf_text(login(make_persona("ana", "analyst")).get(PDF).content))
    storage_part = text.split("Storage", 1)[1]
    assert "HIS" in storage_part
    assert "PERC H755 Front SRV-0101" in storage_part
    assert "down: drive Disk in bay 3 Critical; battery Warning" in storage_part
    assert "OS and data RAID5" in storage_part
    assert "5 drives, 1 failed" in storage_part
    assert "1 hot spare" in storage_part
    assert "cache OK, battery warning" in storage_part


def test_a_failed_disk_read_over_snmp_shows_on_the_page_the_pdf_and_a_finding(
    login,
    recorded,  # noqa: F811
):
    server = AssetFactory(tag="SRV-0202")
    lis = ProtectedSystemFactory(name="LIS")
    lis.assets.add(server)
    check = CheckFactory(
        name="SRV-0202 disks",
        asset=server,
        kind="snmp",
        host=recorded.address,
        params={"what": "disks"},
        secrets=json.dumps({"community": "raid-server"}),
        confirm_down=1,
        confirm_up=1,
    )
    poll(check, recorded.port, check_snmp)
    assert check.status == CheckStatus.DOWN

    client = login(make_persona("ana", "analyst"))
    page = client.get(URL)
    (row,) = page.context["storage"]
    assert (row.name, row.status, row.systems) == (
        "his-db1.hosp.example",
        CheckStatus.DOWN,
        ["LIS"],
    )
    html = page.content.decode()
    array = html.split('data-array="his-db1.hosp.example"')[1].split("</tr>")[0]
    assert "disk Logical drive 3 (RAID 1, archive) down" in array
    assert "Logical drive 2 (RAID 5, data) 1.6 TB (Warning)" in array
    assert "3 drives" in array
    assert "1 failed" in array
    assert "hot spares not reported" in array

    text = flat(pdf_text(client.get(PDF).content))
    storage_part = text.split("Storage", 1)[1]
    assert "his-db1.hosp.example SRV-0202" in storage_part
    problems = "disk Logical drive 2 (RAID 5, data) warning; disk Logical drive 3"
    assert f"down: {problems} (RAID 1, archive) down" in storage_part
    assert "3 drives, 1 failed" in storage_part
    assert "hot spares not reported" in storage_part

    assert storage.sweep() == {"raised": 1, "resolved": 0}
    finding = Finding.objects.get(kind=FindingKind.STORAGE_DEGRADED, system=lis)
    assert "Logical drive 3 (RAID 1, archive) down" in finding.message
    assert finding.ticket is not None


def test_a_healthy_array_again_resolves_the_finding(bmc, his_server):  # noqa: F811
    his, check = his_server
    poll(check, bmc(raid_array(disk3="Critical")))
    assert check.status == CheckStatus.DOWN
    storage.sweep()
    poll(check, bmc(raid_array()))
    assert check.status == CheckStatus.UP
    assert storage.sweep() == {"raised": 0, "resolved": 1}
    finding = Finding.objects.get(kind=FindingKind.STORAGE_DEGRADED, system=his)
    assert finding.state == FindingState.RESOLVED


def test_an_snmp_storage_check_is_one_row_and_others_are_left_out(login, db):
    nas = AssetFactory(tag="NAS-0001")
    pacs = ProtectedSystemFactory(name="PACS")
    pacs.assets.add(nas)
    CheckFactory(
        name="NAS volumes",
        asset=nas,
        kind="snmp",
        params={"what": "storage"},
        status=CheckStatus.DOWN,
        last_message="/volume1 97% used",
    )
    CheckFactory(name="NAS ping", asset=nas, kind="icmp", params={})
    CheckFactory(name="Other storage", kind="redfish", params={})
    page = login(make_persona("ana", "analyst")).get(URL)
    assert [row.name for row in page.context["storage"]] == ["NAS volumes"]
    assert "/volume1 97% used" in page.content.decode()


def test_without_storage_checks_the_section_says_how_to_add_one(login, db):
    ProtectedSystemFactory(name="LIS")
    client = login(make_persona("ana", "analyst"))
    page = client.get(URL)
    assert page.context["storage"] == []
    assert "No storage checks watch" in page.content.decode()
    assert "No storage checks watch" in flat(pdf_text(client.get(PDF).content))


def test_the_worker_runs_the_storage_check_every_five_minutes():
    from wardkeeper.continuity import tasks_storage
    from wardkeeper.core.tasks import REGISTRY

    job = REGISTRY["continuity.storage"]
    assert job.func is tasks_storage.check_storage
    assert job.every.total_seconds() == 300
