"""Problems: recurring incidents linked to their cause.

A *candidate* is an asset, or a model, with at least ``n`` corrective tickets
reported in the last ``days`` days that no problem holds yet. A model is a
candidate only when its tickets span more than one asset (one asset failing
again and again is already its own candidate).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from wardkeeper.core.errors import DomainError
from wardkeeper.inventory.models import Asset, AssetModel
from wardkeeper.servicedesk.choices import MaintenanceKind
from wardkeeper.servicedesk.models import Problem, Ticket


def configured_window() -> tuple[int, int]:
    """N faults within M days (WARDKEEPER_PROBLEM_TICKETS, _DAYS)."""
    return settings.PROBLEM_TICKETS, settings.PROBLEM_DAYS


ASSET, MODEL = "asset", "model"


@dataclass
class Candidate:
    kind: str  # ASSET or MODEL
    subject: Asset | AssetModel
    count: int
    assets: int

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.subject.pk}"


def unlinked(now: dt.datetime, days: int) -> Any:
    """Corrective tickets on an asset reported in the window, with no problem."""
    return Ticket.objects.filter(
        kind=MaintenanceKind.CORRECTIVE,
        problem__isnull=True,
        asset__isnull=False,
        created_at__gt=now - dt.timedelta(days=days),
        created_at__lte=now,
    )


def candidates(
    now: dt.datetime | None = None,
    n: int | None = None,
    days: int | None = None,
) -> list[Candidate]:
    """Assets and models failing at least ``n`` times in ``days`` days, the
    most failing first (by default the configured window)."""
    now = now or timezone.now()
    n = n or configured_window()[0]
    days = days or configured_window()[1]
    window = unlinked(now, days).order_by()
    by_asset = dict(
        window.values_list("asset").annotate(c=Count("id")).filter(c__gte=n)
    )
    by_model = {
        model: (count, spread)
        for model, count, spread in window.values_list("asset__model")
        .annotate(c=Count("id"), a=Count("asset", distinct=True))
        .filter(c__gte=n, a__gt=1)
    }
    assets = Asset.objects.select_related("model").in_bulk(list(by_asset))
    models = AssetModel.objects.select_related("manufacturer").in_bulk(list(by_model))
    found = [Candidate(ASSET, assets[pk], c, 1) for pk, c in by_asset.items()]
    found += [Candidate(MODEL, models[pk], c, a) for pk, (c, a) in by_model.items()]
    found.sort(key=lambda c: (-c.count, c.kind, str(c.subject)))
    return found


def tickets_of(kind: str, pk: int, now: dt.datetime, days: int | None = None) -> Any:
    days = days or configured_window()[1]
    match = {"asset": pk} if kind == ASSET else {"asset__model": pk}
    return unlinked(now, days).filter(**match)


@transaction.atomic
def create_from_candidate(
    kind: str,
    pk: int,
    *,
    actor: Any = None,
    now: dt.datetime | None = None,
    days: int | None = None,
) -> Problem:
    """A new open problem for the candidate, holding its unlinked tickets."""
    now = now or timezone.now()
    if kind == ASSET:
        asset = Asset.objects.select_related("model").get(pk=pk)
        problem = Problem(
            title=_("Recurring faults on %(asset)s") % {"asset": asset},
            asset=asset,
            asset_model=asset.model,
            created_at=now,
        )
    elif kind == MODEL:
        model = AssetModel.objects.get(pk=pk)
        problem = Problem(
            title=_("Recurring faults on the model %(model)s") % {"model": model},
            asset_model=model,
            created_at=now,
        )
    else:
        raise DomainError(_("Unknown kind of candidate."), field="kind")
    found = list(tickets_of(kind, pk, now, days))
    if not found:
        raise DomainError(
            _("These tickets are already linked to a problem."), code="no_tickets"
        )
    problem.description = "\n".join(f"{t.reference} {t.title}" for t in found)
    problem.save()
    for ticket in found:
        link(ticket, problem)
    return problem


def link(ticket: Ticket, problem: Problem | None) -> Ticket:
    """Link the ticket to ``problem`` (None unlinks it); audited by save()."""
    ticket.problem = problem
    ticket.save()
    return ticket
