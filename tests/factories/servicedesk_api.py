"""Helpers for the service-desk API tests: token clients and tickets opened
through the ticket service (so they carry priority, state and reporter)."""

import datetime as dt

from django.utils import timezone
from rest_framework.test import APIClient

from tests.factories.core import UserFactory
from wardkeeper.core.models import ApiToken
from wardkeeper.servicedesk.choices import Category
from wardkeeper.servicedesk.services import tickets


def token_client(user) -> APIClient:
    """An API client that calls with a fresh token of ``user``."""
    _token, raw = ApiToken.issue(user, "kiosk", timezone.now() + dt.timedelta(days=1))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def kiosk_user():
    """The account a registration kiosk signs in as: no role, no person's name."""
    return UserFactory(username="kiosk-er-1", display_name="", roles=[])


def opened(reporter, **fields):
    """A ticket reported by ``reporter`` through the ticket service."""
    report = tickets.Report(
        title=fields.pop("title", "Screen black"),
        category=fields.pop("category", Category.HARDWARE),
        reporter=reporter,
        **fields,
    )
    return tickets.open_ticket(report)
