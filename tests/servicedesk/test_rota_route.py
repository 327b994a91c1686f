"""A new ticket goes to the team of its category serving the closest place
that holds the ticket's place, and to whoever is on call there."""

import datetime as dt

import pytest

from tests.factories.core import UserFactory
from tests.factories.inventory import AssetFactory, BuildingFactory, RoomFactory
from tests.factories.servicedesk import TeamFactory, TicketFactory
from tests.factories.servicedesk_rota import ShiftFactory, weekly_rota
from wardkeeper.servicedesk.choices import Category, TicketState
from wardkeeper.servicedesk.models import Ticket
from wardkeeper.servicedesk.services.assignment import route
from wardkeeper.servicedesk.services.tickets import Report, open_ticket

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 4, 3, 0, tzinfo=dt.UTC)


@pytest.fixture
def room():
    """A room on a floor of a building of a campus."""
    return RoomFactory()


def team_for(*places, category=Category.HARDWARE, **kwargs):
    team = TeamFactory(categories=[category], **kwargs)
    team.locations.set(places)
    return team


def routed(room, category=Category.HARDWARE, **kwargs):
    ticket = TicketFactory.build(category=category, location=room, **kwargs)
    route(ticket, NOW)
    return ticket


def test_the_team_of_the_smallest_place_holding_the_ticket_wins(room):
    floor = room.parent
    building = floor.parent
    campus = building.parent
    team_for(name="A everywhere")
    team_for(campus, name="B campus")
    building_team = team_for(building, name="C building")
    assert routed(room).team == building_team
    floor_team = team_for(BuildingFactory(), floor, name="D floor")
    assert routed(room).team == floor_team
    room_team = team_for(room, name="E room")
    assert routed(room).team == room_team


def test_a_team_with_no_places_serves_everywhere_else(room):
    everywhere = team_for(name="Field service")
    team_for(BuildingFactory(), name="Other campus")
    assert routed(room).team == everywhere
    assert routed(None).team == everywhere


def test_only_teams_taking_the_category_are_considered(room):
    network = team_for(category=Category.NETWORK, name="Network")
    hardware = team_for(name="Hardware")
    assert routed(room, Category.NETWORK).team == network
    assert routed(room, Category.HARDWARE).team == hardware
    assert routed(room, Category.SECURITY).team is None


def test_inactive_teams_are_skipped(room):
    everywhere = team_for(name="Everywhere")
    team_for(room.parent, name="Floor", is_active=False)
    assert routed(room).team == everywhere


def test_the_place_comes_from_the_asset_when_the_ticket_has_none():
    asset = AssetFactory()
    building_team = team_for(asset.location.parent.parent)
    team_for(name="Everywhere")
    ticket = TicketFactory.build(asset=asset, location=None)
    route(ticket, NOW)
    assert ticket.team == building_team


def test_the_engineer_on_call_gets_the_ticket(room):
    team = team_for(room.parent)
    ann, bob = UserFactory(), UserFactory()
    weekly_rota(team, [ann, bob])  # 4 March 2026 is in week 8: ann's
    ticket = routed(room)
    assert (ticket.team, ticket.assignee) == (team, ann)
    assert ticket.pk is None  # routing does not save


def test_with_nobody_on_call_the_ticket_stays_with_the_team_unassigned(room):
    team = team_for(room)
    ShiftFactory(rota__team=team, starts_at=NOW + dt.timedelta(hours=1))
    ticket = routed(room)
    assert (ticket.team, ticket.assignee) == (team, None)


def test_a_reported_fault_lands_with_the_engineer_on_call(room):
    team = team_for(room.parent.parent)
    shift = ShiftFactory(rota__team=team, starts_at=NOW - dt.timedelta(hours=1))
    ticket = open_ticket(
        Report(title="Monitor black", category=Category.HARDWARE, location=room),
        now=NOW,
    )
    ticket = Ticket.objects.get(pk=ticket.pk)
    assert ticket.team == team
    assert ticket.assignee == shift.engineer
    assert ticket.state == TicketState.ASSIGNED
