"""The printed runbook: what an engineer needs while Wardkeeper itself is
down (servers and addresses, data stores, backups, who is on call), and a
draft that cannot be mistaken for the approved plan."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from tests.factories.continuity import (
    BackupDestinationFactory,
    BackupJobFactory,
    BackupRunFactory,
    DataStoreFactory,
    ProtectedSystemFactory,
)
from tests.factories.continuity_plans import approved_runbook, pdf_text
from tests.factories.core import UserFactory
from tests.factories.inventory import AssetFactory
from tests.factories.network_physical import PlacementFactory, RackFactory
from tests.factories.servicedesk import TeamFactory
from tests.factories.servicedesk_rota import weekly_rota
from wardkeeper.continuity.choices import BackupTool, DataStoreKind, RunbookState
from wardkeeper.continuity.services import plans_pdf, runbooks

pytestmark = pytest.mark.django_db

# A Wednesday in the ninth week of the factory rota (first handover Monday
# 5 January 2026): the first of two members is on call.
NOW = dt.datetime(2026, 3, 4, 6, 0, tzinfo=dt.UTC)


@pytest.fixture
def his():
    """HIS on a racked server, its database backed up with restic, and a
    team whose weekly rota has Wang on call this week and Li the next."""
    team = TeamFactory(name="Infrastructure", email="infra@hospital.example")
    wang = UserFactory(display_name="Wang Fang", phone="+86 138 0000 1111")
    li = UserFactory(display_name="Li Na", phone="+86 139 0000 2222")
    weekly_rota(team, [wang, li], name="Primary")
    system = ProtectedSystemFactory(name="Hospital information system", team=team)
    server = AssetFactory(
        tag="SRV-0042",
        name="HIS database server",
        hostname="his-db01.hospital.example",
        ip_address="10.20.30.41",
    )
    PlacementFactory(asset=server, rack=RackFactory(name="DC1-A03"), position=12)
    system.assets.add(server)
    store = DataStoreFactory(
        system=system, name="his_main", kind=DataStoreKind.DATABASE, asset=server
    )
    job = BackupJobFactory(
        system=system,
        name="Nightly database",
        tool=BackupTool.RESTIC,
        destination=BackupDestinationFactory(name="Backup NAS 2"),
        repository="/srv/restic/his",
        schedule="daily at 01:00",
    )
    job.data_stores.add(store)
    BackupRunFactory(job=job, started_at=NOW - dt.timedelta(hours=5))
    return approved_runbook(system=system)


def test_the_runbook_lists_servers_backups_and_who_is_on_call(his):
    text = pdf_text(plans_pdf.runbook_pdf(his, now=NOW))
    for expected in (
        "Servers and addresses",
        "SRV-0042",
        "his-db01.hospital.example",
        "10.20.30.41",
        "DC1-A03 U12",
        "Data stores",
        "his_main",
        "Backups",
        "Nightly database",
        "restic",
        "Backup NAS 2",
        "/srv/restic/his",
        "daily at 01:00",
        "On call now",
        "Infrastructure",
        "Wang Fang",
        "+86 138 0000 1111",
    ):
        assert expected in text
    assert "Li Na" not in text


def test_a_system_with_nothing_linked_says_so():
    runbook = approved_runbook(system=ProtectedSystemFactory(name="Website"))
    text = pdf_text(plans_pdf.runbook_pdf(runbook, now=NOW))
    assert "No servers are linked to this system." in text
    assert "No backup jobs are set for this system." in text
    assert "No team is set for this system." in text


def test_a_draft_says_so_across_the_page_and_the_approved_one_does_not(his):
    approved = pdf_text(plans_pdf.runbook_pdf(his, now=NOW))
    draft = runbooks.new_version(his, actor=None)
    assert draft.state == RunbookState.DRAFT
    text = pdf_text(plans_pdf.runbook_pdf(draft, now=NOW))
    assert "DRAFT — not approved" in text
    assert "Follow the approved version" in text
    assert "DRAFT" not in approved


def test_a_chinese_draft_prints_its_banner_in_chinese(his):
    draft = runbooks.new_version(his, actor=None)
    with translation.override("zh-hans"):
        text = pdf_text(plans_pdf.runbook_pdf(draft, now=NOW))
        banner = translation.gettext("DRAFT — not approved")
    assert banner in text
    assert "SRV-0042" in text
