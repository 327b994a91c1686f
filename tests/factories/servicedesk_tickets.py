"""Tickets opened the way a reporter opens them (through the ticket service)."""

from __future__ import annotations

from typing import Any

from tests.factories.inventory import AssetFactory
from wardkeeper.servicedesk.choices import Category
from wardkeeper.servicedesk.models import Ticket
from wardkeeper.servicedesk.services import tickets


def reported(reporter: Any, *, asset: Any = None, title: str = "", **kw: Any) -> Ticket:
    """A fault reported by ``reporter`` on ``asset`` (a new device if None;
    pass ``asset=False`` for a fault with no device)."""
    if asset is None:
        asset = AssetFactory()
    return tickets.open_ticket(
        tickets.Report(
            title=title or "Screen stays black",
            category=kw.pop("category", Category.HARDWARE),
            asset=asset or None,
            reporter=reporter,
            **kw,
        )
    )
