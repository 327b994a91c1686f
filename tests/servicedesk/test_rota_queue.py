"""My queue: my open tickets, then my teams' unassigned ones, the most urgent
by the SLA first, in a fixed number of queries."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories.servicedesk import TeamFactory, TicketFactory
from wardkeeper.servicedesk.choices import Priority, TicketState
from wardkeeper.servicedesk.services.queue import queue_for

pytestmark = pytest.mark.django_db
URL = reverse("servicedesk:queue")


NOW = timezone.now()


def ticket(engineer=None, hours=None, **kwargs):
    """A ticket whose restore target is ``hours`` from now (None: no target)."""
    due = NOW + dt.timedelta(hours=hours) if hours is not None else None
    kwargs.setdefault("state", TicketState.ASSIGNED if engineer else TicketState.NEW)
    return TicketFactory(assignee=engineer, restore_due_at=due, **kwargs)


def titles(user):
    return [t.title for t in queue_for(user, timezone.now())]


def test_breached_first_then_the_nearest_target_then_priority(hardware_engineer):
    hana = hardware_engineer
    ticket(hana, hours=5, title="later")
    ticket(hana, hours=None, title="no target", priority=Priority.P1)
    ticket(hana, hours=2, title="soon P3")
    ticket(hana, hours=2, title="soon P2", priority=Priority.P2)
    ticket(hana, hours=30, title="breached flag", restore_breached=True)
    ticket(hana, hours=-1, title="overdue")
    assert titles(hana) == [
        "overdue",
        "breached flag",
        "soon P2",
        "soon P3",
        "later",
        "no target",
    ]


def test_the_response_target_counts_only_until_the_first_response(hardware_engineer):
    hana = hardware_engineer
    in_one_hour = NOW + dt.timedelta(hours=1)
    ticket(hana, hours=3, title="restore in 3 h")
    ticket(hana, hours=8, title="response in 1 h", response_due_at=in_one_hour)
    ticket(
        hana,
        hours=8,
        title="responded",
        response_due_at=in_one_hour - dt.timedelta(minutes=30),
        responded_at=timezone.now(),
    )
    assert titles(hana) == ["response in 1 h", "restore in 3 h", "responded"]


def test_my_teams_unassigned_tickets_follow_mine(hardware_engineer, network_engineer):
    hana = hardware_engineer
    team, other = TeamFactory(), TeamFactory()
    team.members.add(hana)
    ticket(hana, hours=10, title="mine")
    ticket(None, hours=1, title="my team's", team=team)
    ticket(None, hours=1, title="other team's", team=other)
    ticket(network_engineer, hours=1, title="nick's", team=team)
    ticket(hana, hours=1, title="resolved", state=TicketState.RESOLVED)
    assert titles(hana) == ["mine", "my team's"]


def test_the_page_shows_each_ticket_with_its_time_left(client, hardware_engineer):
    hana = hardware_engineer
    soon = TicketFactory(
        assignee=hana,
        title="Kiosk black",
        priority=Priority.P1,
        restore_due_at=timezone.now() + dt.timedelta(hours=2.5),
    )
    ticket(hana, hours=-3, title="Printer jammed")
    client.force_login(hana)
    page = client.get(URL).content.decode().replace("\xa0", " ")
    assert soon.reference in page
    assert "P1 critical" in page
    assert "2 hours, 29 minutes left" in page
    assert "overdue by 3 hours" in page
    assert page.index("Printer jammed") < page.index("Kiosk black")


def test_the_page_costs_the_same_queries_for_many_tickets(
    client, hardware_engineer, django_assert_num_queries, django_assert_max_num_queries
):
    from tests.factories.inventory import AssetFactory

    hana = hardware_engineer
    team = TeamFactory()
    team.members.add(hana)
    asset = AssetFactory()
    client.force_login(hana)
    ticket(hana, hours=1, asset=asset, location=asset.location, team=team)
    with django_assert_max_num_queries(10) as few:
        assert client.get(URL).status_code == 200
    for n in range(30):
        ticket(
            hana if n % 2 else None,
            hours=n,
            asset=asset,
            location=asset.location,
            team=team,
        )
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get(URL).status_code == 200


def test_it_is_for_engineers_only(client, nurse):
    client.force_login(nurse)
    assert client.get(URL).status_code == 403
    client.logout()
    assert client.get(URL).status_code == 302
