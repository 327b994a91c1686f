"""Every service-desk list costs the same number of queries at any page size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories.core import UserFactory
from tests.factories.inventory import AssetFactory, DepartmentFactory
from tests.factories.servicedesk import SlaPolicyFactory, TeamFactory, TicketFactory
from tests.factories.servicedesk_api import token_client

pytestmark = pytest.mark.django_db

ROWS = 8  # more than the small page: the large page must hold more rows


@pytest.fixture
def desk(nurse):
    """ROWS tickets (the nurse's), teams and policies, each with its own relations."""
    for n in range(ROWS):
        asset = AssetFactory(department=DepartmentFactory())
        engineer = UserFactory()
        team = TeamFactory(lead=engineer)
        team.members.set([engineer, UserFactory()])
        TicketFactory(
            asset=asset,
            location=asset.location,
            department=asset.department,
            reporter=nurse,
            team=team,
            assignee=engineer,
        )
        SlaPolicyFactory(priority=1 + n % 4, department=asset.department)


ENDPOINTS = [
    "/api/tickets/",
    "/api/tickets/?open=true&ordering=-priority",
    "/api/teams/",
    "/api/sla-policies/",
]


def queries_for(client, url, page_size):
    separator = "&" if "?" in url else "?"
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"{url}{separator}page_size={page_size}")
    assert response.status_code == 200, response.content
    return len(captured), len(response.json()["results"])


@pytest.mark.parametrize("url", ENDPOINTS)
def test_a_list_runs_the_same_queries_for_5_or_200_rows(
    url, desk, hardware_engineer, api
):
    client = api(hardware_engineer)
    client.get(url)  # warm the permission cache
    small, small_rows = queries_for(client, url, 5)
    large, large_rows = queries_for(client, url, 200)
    assert (small_rows, large_rows) == (5, ROWS)
    assert small == large
    assert large <= 3  # the count, the page, members in one batch


def test_a_reporters_list_through_a_token_costs_the_same_at_any_size(desk, nurse):
    client = token_client(nurse)
    client.get("/api/tickets/")  # the token's first use is written down once
    small, small_rows = queries_for(client, "/api/tickets/", 5)
    large, large_rows = queries_for(client, "/api/tickets/", 200)
    assert (small_rows, large_rows) == (5, ROWS)
    assert small == large
