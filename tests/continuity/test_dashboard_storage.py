"""Storage health on the dashboard: a server's RAID array read from its
management controller (the stand-in BMC of the Redfish probe's tests: a real
HTTPS server serving Redfish documents, since no real BMC is available), the
result stored as the monitor stores it, then shown per array; a degraded
array opens the system's STORAGE_DEGRADED finding, with its ticket."""

from __future__ import annotations

import asyncio
import json
import time

import pytest
from django.urls import reverse

from tests.conftest import make_persona
from tests.factories.continuity import ProtectedSystemFactory
from tests.factories.inventory import AssetFactory
from tests.factories.monitoring import CheckFactory
from tests.monitoring.probes.conftest import pki  # noqa: F401  (fixture)
from tests.monitoring.probes.test_redfish import (  # noqa: F401  (fixture)
    PASSWORD,
    USER,
    bmc,
    raid_array,
)
from wardkeeper.continuity.choices import FindingKind, FindingState
from wardkeeper.continuity.models import Finding
from wardkeeper.continuity.services import storage
from wardkeeper.monitoring.choices import CheckStatus
from wardkeeper.monitoring.engine.probes.redfish import check_redfish
from wardkeeper.monitoring.engine.spec import Result
from wardkeeper.monitoring.services.specs import spec_of
from wardkeeper.monitoring.services.state import record

pytestmark = pytest.mark.django_db

URL = reverse("continuity:dashboard")


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


def poll(check, port):
    """One run of the check against the BMC, stored as the monitor does."""
    check.params = {**check.params, "port": port}
    check.save()
    outcome = asyncio.run(check_redfish(spec_of(check)))
    record([Result(check.pk, time.time(), 0.0, outcome)])
    check.refresh_from_db()
    return outcome


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
    page = login(make_persona("ana", "analyst")).get(URL)
    assert page.context["storage"] == []
    assert "No storage checks watch" in page.content.decode()


def test_the_worker_runs_the_storage_check_every_five_minutes():
    from wardkeeper.continuity import tasks_storage
    from wardkeeper.core.tasks import REGISTRY

    job = REGISTRY["continuity.storage"]
    assert job.func is tasks_storage.check_storage
    assert job.every.total_seconds() == 300
