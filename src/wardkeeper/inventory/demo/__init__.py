"""The demo hospital: a realistic, deterministic tertiary hospital to try
Wardkeeper on (two campuses, about 40 departments, 300 rooms, 6,000 assets,
contracts, spare pools, one open stocktake and one sign-in per role).

``plan.py`` decides everything from a seed without touching the database;
``writer.py`` and ``extras.py`` write it in bulk with its audit entries.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wardkeeper.core.errors import DomainError
from wardkeeper.core.models import User
from wardkeeper.inventory.choices import LocationKind
from wardkeeper.inventory.demo.accounts import DemoAccount, create_accounts
from wardkeeper.inventory.demo.extras import (
    write_contracts,
    write_history,
    write_spare_pools,
)
from wardkeeper.inventory.demo.layout import CAMPUSES
from wardkeeper.inventory.demo.plan import DEFAULT_SEED, plan_hospital
from wardkeeper.inventory.demo.stocktake import write_stocktake
from wardkeeper.inventory.demo.writer import (
    write_assets,
    write_catalogue,
    write_departments,
    write_places,
)
from wardkeeper.inventory.models import Asset, Location

DEMO_CAMPUS_CODES = tuple(code for code, *_rest in CAMPUSES)

__all__ = ["DEFAULT_SEED", "DemoRefused", "DemoResult", "build_demo", "is_built"]


class DemoRefused(DomainError):
    code = "demo_refused"


@dataclass
class DemoResult:
    """What a build made: counts per kind, the new sign-ins, and how long it took."""

    counts: dict[str, int] = field(default_factory=dict)
    accounts: list[DemoAccount] = field(default_factory=list)
    seconds: float = 0.0


def is_built() -> bool:
    """Whether the demo hospital is already in the database (its campuses exist)."""
    return Location.objects.filter(
        kind=LocationKind.CAMPUS, code__in=DEMO_CAMPUS_CODES
    ).exists()


def build_demo(
    *,
    seed: int = DEFAULT_SEED,
    scale: float = 1.0,
    asset_count: int | None = None,
    today: dt.date | None = None,
    accounts: bool = True,
) -> DemoResult:
    """Build the demo hospital in one transaction.

    Raises ``DemoRefused`` (changing nothing) when the demo is already there or
    the database already holds someone's inventory."""
    if is_built():
        raise DemoRefused(_("The demo hospital is already present."))
    if Location.objects.exists() or Asset.objects.exists():
        raise DemoRefused(
            _(
                "This database already holds inventory; the demo is built only "
                "into an empty one (use a fresh WARDKEEPER_DATA_DIR)."
            )
        )
    started = time.monotonic()
    day = today or timezone.localdate()
    plan = plan_hospital(seed, scale=scale, today=day, asset_count=asset_count)
    result = DemoResult()
    with transaction.atomic():
        places = write_places(plan)
        departments = write_departments(plan, places)
        asset_models, vendors = write_catalogue(day)
        assets = write_assets(plan, places, departments, asset_models, vendors)
        write_history(plan, assets)
        contracts = write_contracts(plan.rng_for("contracts"), day, vendors)
        pools = write_spare_pools(places)
        if accounts:
            result.accounts = create_accounts()
        counter = User.objects.filter(username="hana.hw").first()
        write_stocktake(plan, places, counter)
        # The service desk's demo stands on the inventory's (teams of the
        # demo's engineers, tickets on its assets).
        from wardkeeper.servicedesk.demo import write_service_desk

        desk = write_service_desk(seed, day, scale)
        from wardkeeper.monitoring.demo import write_monitoring

        monitoring = write_monitoring(seed, day)
        from wardkeeper.network.demo import write_network

        network = write_network(seed, day, scale)
        from wardkeeper.continuity.demo import write_continuity

        continuity = write_continuity(seed, day)
        from wardkeeper.continuity.demo_plans import write_plans

        plans = write_plans(seed, day)
        from wardkeeper.continuity.demo_proofs import write_proofs

        proofs = write_proofs(seed)
        from wardkeeper.continuity.demo_storage import write_storage

        storage_checks = write_storage()
    result.counts = {
        "locations": len(places),
        "rooms": len(plan.rooms),
        "departments": len(departments),
        "models": len(asset_models),
        "assets": len(assets),
        "contracts": len(contracts),
        "spare pools": len(pools),
        "teams": desk.teams,
        "tickets": desk.tickets,
        "checks": monitoring.checks + storage_checks,
        "cables": network.cables,
        "backup runs": continuity.runs,
        "runbooks": plans["runbooks"],
        "drills": plans["drills"],
        "restore runs": proofs["restore runs"],
    }
    result.seconds = time.monotonic() - started
    return result
