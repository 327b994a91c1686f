"""Swap with a spare: the faulty asset goes to repair and a compatible spare
from the nearest pool takes its place, in one atomic action.

Compatible: a pool kept *by model* gives spares of the faulty asset's model; a
pool kept *by type* gives spares of any model of its type (a type-wide pool
says any of its models will do). Nearest: pools are ranked by how deep the
place they are kept in (their storage, or else their campus) shares the
faulty asset's branch of the location tree — same floor before same building
before same campus before another campus; then a by-model pool before a
by-type pool, then by name. Within the chosen pool the spare nearest to the
asset (the same rule) is taken, then the lowest tag.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from wardkeeper.core.errors import DomainError
from wardkeeper.inventory.choices import AssetStatus
from wardkeeper.inventory.models import Asset, Location, SparePool
from wardkeeper.inventory.models.spares import available_counts
from wardkeeper.servicedesk.models import SpareSwap, Ticket
from wardkeeper.servicedesk.services import notify, tickets


class SwapRefused(DomainError):
    code = "swap_refused"


@dataclass
class SpareChoice:
    """The spare the swap would take, its pool, and every pool looked at."""

    spare: Asset | None
    pool: SparePool | None
    looked_at: list[SparePool] = field(default_factory=list)

    def looked_at_text(self) -> str:
        return ", ".join(f"{p.name} ({p.campus})" for p in self.looked_at) or _("none")


def path_of(location: Location | None) -> list[int]:
    """The ids from the campus down to this place (at most four)."""
    ids: list[int] = []
    while location is not None:
        ids.append(location.pk)
        location = location.parent
    return ids[::-1]


def shared_depth(a: list[int], b: list[int]) -> int:
    """How many levels two places share from the top: 0 on different campuses,
    1 on the same campus, 2 in the same building, 3 on the same floor, 4 the
    same room."""
    depth = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        depth += 1
    return depth


def compatible_pools(asset: Asset) -> list[SparePool]:
    return list(
        SparePool.objects.filter(
            Q(asset_model=asset.model_id)
            | Q(asset_model__isnull=True, asset_type=asset.asset_type_id)
        ).select_related(
            "campus",
            "storage__parent__parent__parent",
            "asset_model",
            "asset_type",
        )
    )


def spares_in(pool: SparePool, asset: Asset) -> Any:
    """The spares that count in ``pool`` (the rule of ``available_counts``)."""
    match: dict[str, int | None] = (
        {"model": pool.asset_model_id}
        if pool.asset_model_id
        else {"asset_type": pool.asset_type_id}
    )
    return (
        Asset.objects.spares()
        .filter(location__campus=pool.campus_id, **match)
        .exclude(pk=asset.pk)
        .select_related("location__parent__parent__parent")
    )


def find_spare(asset: Asset) -> SpareChoice:
    """The spare a swap (or a loan) for ``asset`` would take; ``spare`` is
    None when no compatible pool has one in stock."""
    here = path_of(_location(asset))
    pools = compatible_pools(asset)
    pools.sort(
        key=lambda p: (
            -shared_depth(path_of(p.storage or p.campus), here),
            p.asset_model_id is None,
            p.name,
            p.pk,
        )
    )
    for pool in pools:
        spares = list(spares_in(pool, asset))
        if spares:
            spares.sort(key=lambda s: (-shared_depth(path_of(s.location), here), s.tag))
            return SpareChoice(spares[0], pool, pools)
    return SpareChoice(None, None, pools)


def _location(asset: Asset) -> Location | None:
    if asset.location_id is None:
        return None
    return Location.objects.select_related("parent__parent__parent").get(
        pk=asset.location_id
    )


def pool_for(spare: Asset, asset: Asset) -> SparePool:
    """The compatible pool a chosen spare counts in, or a refusal."""
    if spare.status != AssetStatus.IN_STOCK:
        raise SwapRefused(
            _("%(spare)s is not in stock.") % {"spare": spare}, field="spare"
        )
    campus = spare.location.campus_id if spare.location is not None else None
    for pool in compatible_pools(asset):
        fits = (
            spare.model_id == pool.asset_model_id
            if pool.asset_model_id
            else spare.asset_type_id == pool.asset_type_id
        )
        if pool.campus_id == campus and fits:
            return pool
    raise SwapRefused(
        _("%(spare)s is not a spare of a pool compatible with %(asset)s.")
        % {"spare": spare, "asset": asset},
        field="spare",
    )


def check(ticket: Ticket) -> Asset:
    """The ticket's asset if it can be swapped, else a refusal saying why."""
    if ticket.asset_id is None:
        raise SwapRefused(
            _("The ticket names no asset to swap."), field="asset", code="no_asset"
        )
    asset = Asset.objects.get(pk=ticket.asset_id)
    if asset.status != AssetStatus.IN_USE:
        raise SwapRefused(
            _("%(asset)s is %(status)s, not in use: there is nothing to swap.")
            % {"asset": asset, "status": AssetStatus(asset.status).label},
            field="asset",
            code="not_in_use",
        )
    return asset


def swap(
    ticket: Ticket,
    *,
    actor: Any,
    spare: Asset | None = None,
    now: dt.datetime | None = None,
) -> SpareSwap:
    """Put a spare in place of the ticket's faulty asset.

    The faulty asset moves to *in repair*; the spare (``spare``, or the one
    ``find_spare`` picks) moves to *in use* in the faulty asset's room and
    department with its custodian. Both moves, the SpareSwap record and the
    public work-log entry commit together or not at all. A pool left below its
    minimum raises a restock alert. The ticket is not resolved here: the
    caller may set ``resolution_code = swapped`` and resolve it."""
    now = now or timezone.now()
    with transaction.atomic():
        asset = check(ticket)
        faulty = Asset.objects.select_for_update().get(pk=asset.pk)
        if spare is None:
            choice = find_spare(faulty)
            if choice.spare is None:
                raise SwapRefused(
                    _(
                        "No compatible spare of %(model)s is in stock; pools "
                        "looked at: %(pools)s."
                    )
                    % {"model": faulty.model, "pools": choice.looked_at_text()},
                    field="spare",
                    code="no_spare",
                )
            spare, pool = choice.spare, choice.pool
        else:
            pool = pool_for(spare, faulty)
        assert pool is not None
        spare = Asset.objects.select_for_update().get(pk=spare.pk)
        pool_for(spare, faulty)  # still in stock under the lock
        reason = _("Swapped on ticket %(ref)s") % {"ref": ticket.reference}
        faulty.move_to(
            AssetStatus.IN_REPAIR,
            reason=_("%(reason)s: replaced by %(spare)s")
            % {"reason": reason, "spare": spare.tag},
            actor=actor,
        )
        spare.location_id = faulty.location_id
        spare.department_id = faulty.department_id
        spare.custodian = faulty.custodian
        spare.move_to(
            AssetStatus.IN_USE,
            reason=_("%(reason)s: replaces %(faulty)s")
            % {"reason": reason, "faulty": faulty.tag},
            actor=actor,
        )
        record = SpareSwap.objects.create(
            ticket=ticket,
            faulty=faulty,
            spare=spare,
            pool=pool,
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            at=now,
        )
        tickets.log_work(
            ticket,
            author=actor if getattr(actor, "is_authenticated", False) else None,
            note=_("%(faulty)s was swapped with the spare %(spare)s from %(pool)s.")
            % {"faulty": faulty, "spare": spare, "pool": pool},
            public=True,
            now=now,
        )
        if available_counts([pool])[pool.pk] < pool.minimum_level:
            notify.ticket_event(ticket, "restock", pool=pool)
    return record
