"""Check templates: every asset of a type gets its type's checks.

``apply`` gives a set of assets (one, a page's selection, all of a type) the
checks of their type's active templates that they lack; a check made from a
template is remembered by (asset, template), so applying twice creates
nothing twice, and an operator's edits to the check are kept. The host is
the asset's IP address, else its hostname; an asset with neither gets no
checks yet.

New equipment gets its checks from the periodic job ``apply_all`` (every 15
minutes): no hidden side effect in Asset.save (STYLE.md §3), and an asset
whose address is filled in later is picked up then. Only assets in use are
watched.
"""

from __future__ import annotations

from collections import defaultdict

from django.db import transaction
from django.db.models import QuerySet

from wardkeeper.core import audit
from wardkeeper.core.models.audit import AuditAction
from wardkeeper.inventory.choices import AssetStatus
from wardkeeper.inventory.models import Asset
from wardkeeper.monitoring.models import Check, CheckTemplate

COPIED = (
    "kind",
    "params",
    "secrets",
    "interval",
    "timeout",
    "confirm_down",
    "confirm_up",
    "severity",
)


def host_of(asset: Asset) -> str:
    return str(asset.ip_address or asset.hostname or "")


@transaction.atomic
def apply(
    assets: QuerySet[Asset], templates: QuerySet[CheckTemplate] | None = None
) -> list[Check]:
    """Create the checks ``assets`` lack from their types' active templates
    (or only from ``templates``); returns the checks created."""
    chosen = templates if templates is not None else CheckTemplate.objects.all()
    by_type: dict[int, list[CheckTemplate]] = defaultdict(list)
    for template in chosen.filter(is_active=True):
        by_type[template.asset_type_id].append(template)
    if not by_type:
        return []
    targets = [a for a in assets.filter(asset_type_id__in=by_type) if host_of(a)]
    have = set(
        Check.objects.filter(asset__in=targets, template__isnull=False).values_list(
            "asset_id", "template_id"
        )
    )
    new = [
        Check(
            name=f"{template.name} · {asset.name}",
            asset=asset,
            host=host_of(asset),
            template=template,
            **{name: getattr(template, name) for name in COPIED},
        )
        for asset in targets
        for template in by_type[asset.asset_type_id]
        if (asset.pk, template.pk) not in have
    ]
    created = Check.objects.bulk_create(new, batch_size=500)
    audit.append(
        audit.build_entry(
            AuditAction.CREATE, check, changes={"template": [None, check.template_id]}
        )
        for check in created
    )
    return created


def apply_all() -> int:
    """Every asset in use gets its type's missing checks."""
    return len(apply(Asset.objects.filter(status=AssetStatus.IN_USE)))
