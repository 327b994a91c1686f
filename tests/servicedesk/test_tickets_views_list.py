"""The desk's ticket list: who sees it, filters, sorting, pages."""

import pytest
from django.urls import reverse

from tests.factories.inventory import AssetFactory
from tests.factories.servicedesk import TeamFactory, TicketFactory
from wardkeeper.servicedesk.choices import Category, Priority, TicketState

pytestmark = pytest.mark.django_db
LIST = reverse("servicedesk:ticket-list")


def rows(response):
    return [row.reference for row in response.context["object_list"]]


def test_a_nurse_may_not_see_the_desks_list(client, nurse):
    client.force_login(nurse)

    assert client.get(LIST).status_code == 403


def test_p1_comes_first_and_filters_narrow_the_list(login, hardware_engineer):
    low = TicketFactory(priority=Priority.P4, title="Keyboard sticky")
    high = TicketFactory(priority=Priority.P1, title="Theatre PC down")
    done = TicketFactory(state=TicketState.CLOSED, category=Category.NETWORK)
    client = login(hardware_engineer)

    assert rows(client.get(LIST)) == [high.reference, done.reference, low.reference]
    assert rows(client.get(LIST, {"open": "true"})) == [high.reference, low.reference]
    assert rows(client.get(LIST, {"category": "network"})) == [done.reference]
    assert rows(client.get(LIST, {"priority": ["4"]})) == [low.reference]
    assert rows(client.get(LIST, {"sort": "-priority"}))[0] == low.reference


def test_search_finds_by_reference_title_or_asset_tag(login, hardware_engineer):
    device = AssetFactory(tag="WK-4242")
    on_device = TicketFactory(asset=device)
    by_title = TicketFactory(title="PACS viewer slow")
    client = login(hardware_engineer)

    assert rows(client.get(LIST, {"q": "wk-4242"})) == [on_device.reference]
    assert rows(client.get(LIST, {"q": "pacs"})) == [by_title.reference]
    assert rows(client.get(LIST, {"q": by_title.reference})) == [by_title.reference]


def test_filter_by_team_and_engineer(login, hardware_engineer, network_engineer):
    team = TeamFactory(name="Network")
    mine = TicketFactory(team=team, assignee=network_engineer)
    TicketFactory()
    client = login(hardware_engineer)

    assert rows(client.get(LIST, {"team": team.pk})) == [mine.reference]
    assert rows(client.get(LIST, {"assignee": network_engineer.pk})) == [mine.reference]


def test_the_list_is_paginated_within_a_query_budget(
    login, hardware_engineer, django_assert_max_num_queries
):
    TicketFactory.create_batch(60, asset=AssetFactory(), team=TeamFactory())
    client = login(hardware_engineer)

    with django_assert_max_num_queries(15):
        response = client.get(LIST)

    assert len(rows(response)) == 50
    assert response.context["page_obj"].paginator.count == 60
