"""The restore pages: swap on a ticket, RMAs, problems and candidates."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from tests.factories.inventory import AssetFactory
from tests.factories.servicedesk import TicketFactory
from tests.factories.servicedesk_restore import ProblemFactory, covering_contract, ward
from wardkeeper.inventory.choices import AssetStatus
from wardkeeper.inventory.models import Asset
from wardkeeper.servicedesk.choices import ResolutionCode
from wardkeeper.servicedesk.models import Problem, Rma, RmaState, SpareSwap
from wardkeeper.servicedesk.services import notify

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _quiet(monkeypatch):
    monkeypatch.setattr(notify, "ticket_event", lambda *a, **k: None)


def grant(user, *codenames):
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="servicedesk", codename__in=codenames
        )
    )
    return user


def test_the_ticket_page_offers_the_spare_and_the_swap_happens(
    client, login, hardware_engineer
):
    w = ward()
    w.pool(w.near)
    w.spare(w.near, tag="PC-SPARE")
    login(hardware_engineer)
    page = client.get(reverse("servicedesk:ticket-detail", args=[w.ticket.pk]))
    assert page.status_code == 200
    assert "PC-SPARE" in page.content.decode()
    assert "Confirm the swap" in page.content.decode()

    confirm = client.get(reverse("servicedesk:ticket-swap", args=[w.ticket.pk]))
    assert "PC-SPARE" in confirm.content.decode()
    done = client.post(
        reverse("servicedesk:ticket-swap", args=[w.ticket.pk]),
        {"spare": Asset.objects.get(tag="PC-SPARE").pk},
        follow=True,
    )
    assert "now stands in for" in done.content.decode()
    assert SpareSwap.objects.get().spare.tag == "PC-SPARE"
    w.ticket.refresh_from_db()
    assert w.ticket.resolution_code == ResolutionCode.SWAPPED
    assert w.ticket.state == "new"  # not resolved by the swap
    # The panel now lists the swap and offers no more spare.
    page = client.get(reverse("servicedesk:ticket-detail", args=[w.ticket.pk]))
    assert "swapped with PC-SPARE" in page.content.decode()


def test_a_refused_swap_says_why_and_changes_nothing(client, login, hardware_engineer):
    w = ward()
    w.pool(w.near, name="Floor pool")
    login(hardware_engineer)
    confirm = client.get(reverse("servicedesk:ticket-swap", args=[w.ticket.pk]))
    assert "Floor pool" in confirm.content.decode()
    done = client.post(
        reverse("servicedesk:ticket-swap", args=[w.ticket.pk]), follow=True
    )
    assert "No compatible spare" in done.content.decode()
    assert Asset.objects.get(pk=w.faulty.pk).status == AssetStatus.IN_USE


def test_only_the_desk_swaps(client, login, nurse):
    w = ward()
    login(nurse)
    response = client.post(reverse("servicedesk:ticket-swap", args=[w.ticket.pk]))
    assert response.status_code == 403


def test_an_rma_from_a_ticket_suggests_the_covering_contract(
    client, login, hardware_engineer
):
    w = ward()
    contract = covering_contract(w.faulty)
    grant(hardware_engineer, "add_rma", "view_rma", "change_rma")
    login(hardware_engineer)
    form = client.get(reverse("servicedesk:rma-add") + f"?ticket={w.ticket.pk}")
    text = form.content.decode()
    assert "covers this asset today" in text
    assert "response 4 h, repair 72 h" in text
    made = client.post(
        reverse("servicedesk:rma-add") + f"?ticket={w.ticket.pk}",
        {
            "ticket": w.ticket.pk,
            "asset": "pc-faulty",
            "vendor": contract.vendor.pk,
            "contract": contract.pk,
            "number": "",
            "fault": "No POST beep",
        },
    )
    rma = Rma.objects.get()
    assert made.status_code == 302
    assert made["Location"] == rma.get_absolute_url()
    assert rma.covered
    assert rma.ticket == w.ticket

    client.post(reverse("servicedesk:rma-move", args=[rma.pk]), {"to": "shipped"})
    rma.refresh_from_db()
    assert rma.state == RmaState.SHIPPED
    assert Asset.objects.get(pk=w.faulty.pk).status == AssetStatus.AT_VENDOR
    detail = client.get(rma.get_absolute_url()).content.decode()
    assert "Repair due" in detail
    assert "covers it" in detail
    refused = client.post(
        reverse("servicedesk:rma-move", args=[rma.pk]), {"to": "closed"}, follow=True
    )
    assert "cannot move" in refused.content.decode()
    assert client.get(reverse("servicedesk:rma-list")).status_code == 200


def test_rma_pages_need_the_rma_permissions(client, login, nurse, system_admin):
    login(nurse)
    assert client.get(reverse("servicedesk:rma-list")).status_code == 403
    assert client.get(reverse("servicedesk:rma-add")).status_code == 403
    login(system_admin)  # reads RMAs, records none
    assert client.get(reverse("servicedesk:rma-list")).status_code == 200
    assert client.get(reverse("servicedesk:rma-add")).status_code == 403


def test_an_unknown_tag_is_refused_beside_the_field(client, login, hardware_engineer):
    grant(hardware_engineer, "add_rma", "view_rma")
    login(hardware_engineer)
    vendor = covering_contract(AssetFactory()).vendor
    response = client.post(
        reverse("servicedesk:rma-add"), {"asset": "NOPE", "vendor": vendor.pk}
    )
    assert "No asset has the tag NOPE" in response.content.decode()
    assert not Rma.objects.exists()


def test_candidates_page_creates_a_problem(client, login, hardware_engineer):
    flaky = AssetFactory(tag="FLAKY")
    for _ in range(3):
        TicketFactory(asset=flaky, created_at=timezone.now() - dt.timedelta(days=2))
    login(hardware_engineer)
    page = client.get(reverse("servicedesk:problem-candidates"))
    assert "FLAKY" in page.content.decode()
    made = client.post(
        reverse("servicedesk:problem-candidates"),
        {"candidate": f"asset:{flaky.pk}"},
        follow=True,
    )
    problem = Problem.objects.get()
    assert problem.tickets.count() == 3
    assert "Problem recorded with 3 tickets" in made.content.decode()
    assert (
        "FLAKY"
        not in client.get(reverse("servicedesk:problem-candidates"))
        .content.decode()
        .split("<table")[1]
    )


def test_link_a_ticket_to_a_problem_from_both_sides(client, login, hardware_engineer):
    problem = ProblemFactory(title="Badge readers freeze")
    ticket, other = TicketFactory(), TicketFactory()
    login(hardware_engineer)
    client.post(
        reverse("servicedesk:ticket-problem", args=[ticket.pk]),
        {"problem": problem.pk},
    )
    client.post(
        reverse("servicedesk:problem-link-ticket", args=[problem.pk]),
        {"reference": other.reference},
    )
    assert set(problem.tickets.all()) == {ticket, other}
    page = client.get(reverse("servicedesk:ticket-detail", args=[ticket.pk]))
    assert "Badge readers freeze" in page.content.decode()
    client.post(
        reverse("servicedesk:ticket-problem", args=[ticket.pk]), {"problem": ""}
    )
    ticket.refresh_from_db()
    assert ticket.problem is None


def test_problem_pages(client, login, hardware_engineer):
    login(hardware_engineer)
    created = client.post(
        reverse("servicedesk:problem-add"),
        {"title": "Kiosks reboot", "status": "known_error", "workaround": ""},
    )
    assert "root cause or a workaround" in created.content.decode()
    client.post(
        reverse("servicedesk:problem-add"),
        {"title": "Kiosks reboot", "status": "known_error", "workaround": "Unplug"},
    )
    problem = Problem.objects.get()
    assert client.get(reverse("servicedesk:problem-list")).status_code == 200
    assert "Unplug" in client.get(problem.get_absolute_url()).content.decode()
    edited = client.post(
        reverse("servicedesk:problem-edit", args=[problem.pk]),
        {"title": "Kiosks reboot", "status": "resolved", "workaround": "Unplug"},
    )
    assert edited.status_code == 302
    problem.refresh_from_db()
    assert problem.resolved_at is not None


def test_a_problem_made_from_a_ticket_links_it(client, login, hardware_engineer):
    w = ward()
    login(hardware_engineer)
    form = client.get(reverse("servicedesk:problem-add") + f"?ticket={w.ticket.pk}")
    assert "PC won&#x27;t boot" in form.content.decode()
    client.post(
        reverse("servicedesk:problem-add") + f"?ticket={w.ticket.pk}",
        {"title": "Boot failures", "status": "open", "asset": "PC-FAULTY"},
    )
    w.ticket.refresh_from_db()
    assert w.ticket.problem.title == "Boot failures"
    assert w.ticket.problem.asset == w.faulty
