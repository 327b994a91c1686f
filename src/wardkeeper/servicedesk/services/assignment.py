"""Who gets a new ticket: the team by category and place (or the team the
report names), then whoever is on call in that team's rota (leave cover
applied)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from wardkeeper.inventory.models import Location
from wardkeeper.servicedesk.models import Team, Ticket
from wardkeeper.servicedesk.services.rota import on_call

# A team with no places serves everywhere: it loses to any team whose places
# contain the ticket's place (a campus is depth 0, a room depth 3).
EVERYWHERE = -1


def route(ticket: Ticket, now: dt.datetime, team: Team | None = None) -> str:
    """Set ticket.team (by category and place) and ticket.assignee (who is on
    call in that team's rota now, leave overrides applied). Does not save.

    Leaves the ticket as it is when no active team takes its category there;
    leaves it unassigned (team set) when nobody in the team is on call.

    ``team`` is taken instead of routing by category when the report knows
    whose the ticket is (a protected system's team); an inactive one falls
    back to routing by category. Returns why in that case, for the ticket's
    history; empty when routed by category alone."""
    why = ""
    if team is not None and not team.is_active:
        why = _(
            "Team %(team)s named by the report is not active: routed by category."
        ) % {"team": team}
        team = None
    named = team is not None
    team = team or choose_team(ticket.category, _place_of(ticket))
    if team is None:
        return why
    ticket.team = team
    engineer = on_call(team, now)
    if engineer is not None and engineer.is_active:
        ticket.assignee = engineer
    else:
        engineer = None
    if not named:
        return why
    if engineer is not None:
        return _(
            "Team %(team)s named by the report; %(engineer)s is on call there."
        ) % {"team": team, "engineer": engineer.get_full_name() or engineer}
    return _(
        "Team %(team)s named by the report; nobody is on call there, so the "
        "ticket waits in the team's queue."
    ) % {"team": team}


def choose_team(category: str, place: Location | None) -> Team | None:
    """The active team taking ``category`` whose served places hold ``place``
    most closely (the deepest served place wins); a team with no places serves
    everywhere and is the fallback. Ties go to the team first by name."""
    depth_of = _ancestry(place)
    best: tuple[int, Team] | None = None
    teams = Team.objects.filter(is_active=True).prefetch_related("locations")
    # Categories sit in a JSON list, which SQLite cannot search inside: the
    # desk has a handful of teams, so they are matched here.
    for team in teams.order_by("name", "pk"):
        if category not in (team.categories or []):
            continue
        served = [loc.pk for loc in team.locations.all()]
        depth = max(
            (depth_of[pk] for pk in served if pk in depth_of),
            default=None if served else EVERYWHERE,
        )
        if depth is None:
            continue
        if best is None or depth > best[0]:
            best = (depth, team)
    return best[1] if best else None


def _place_of(ticket: Ticket) -> Location | None:
    if ticket.location_id:
        return ticket.location
    asset: Any = ticket.asset if ticket.asset_id else None
    return asset.location if asset is not None and asset.location_id else None


def _ancestry(place: Location | None) -> dict[int, int]:
    """Each place holding ``place`` (itself included) with its depth in the
    tree, in one query (the tree is four levels deep)."""
    if place is None:
        return {}
    row = Location.objects.select_related("parent__parent__parent").get(pk=place.pk)
    chain = []
    node: Location | None = row
    while node is not None:
        chain.append(node.pk)
        node = node.parent
    return {pk: len(chain) - 1 - index for index, pk in enumerate(chain)}
