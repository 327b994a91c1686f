"""Which assets a maintenance contract covers."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from wardkeeper.core import audit
from wardkeeper.inventory.models import Asset, Contract


def set_covered_assets(
    contract: Contract, asset_ids: Iterable[int], *, actor: Any
) -> tuple[list[str], list[str]]:
    """Make ``contract`` cover exactly these assets; returns the tags added and
    the tags removed. The trail records the change as done by ``actor``
    (core's many-to-many audit signal writes the entry)."""
    wanted = set(asset_ids)
    with transaction.atomic(), audit.audit_context(actor=actor):
        current = set(contract.assets.values_list("pk", flat=True))
        added, removed = wanted - current, current - wanted
        if removed:
            contract.assets.remove(*removed)
        if added:
            contract.assets.add(*added)
    tags = _tags(added | removed)
    return sorted(tags[pk] for pk in added), sorted(tags[pk] for pk in removed)


def _tags(ids: set[int]) -> dict[int, str]:
    pks, tags = sorted(ids), dict[int, str]()
    for start in range(0, len(pks), 500):  # bounded IN lists on every database
        chunk = pks[start : start + 500]
        tags.update(Asset.objects.filter(pk__in=chunk).values_list("pk", "tag"))
    return tags
