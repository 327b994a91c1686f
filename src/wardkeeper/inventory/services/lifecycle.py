"""Lifecycle moves that touch more than the asset: a disposal with its data wipe."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wardkeeper.inventory.choices import AssetStatus, WipeMethod
from wardkeeper.inventory.models import Asset, DataWipeRecord, LifecycleEvent
from wardkeeper.inventory.models.assets import LifecycleRefused


@dataclass(frozen=True)
class WipeDetails:
    """What the person who destroyed a device's data reports."""

    method: str
    performed_by: str
    certificate: str = ""
    notes: str = ""
    performed_at: dt.datetime | None = None


def move_asset(
    asset: Asset,
    to: str,
    *,
    reason: str,
    actor: Any,
    wipe: WipeDetails | None = None,
) -> LifecycleEvent:
    """Move ``asset`` to the state ``to``; a disposal given ``wipe`` first
    records the data wipe, in the same transaction.

    Raises ``LifecycleRefused`` for a move the lifecycle does not allow, a
    missing reason, a bad wipe or a data-bearing disposal without a wipe; a
    refused move changes nothing (a wipe given with it is not kept either)."""
    if not reason.strip():
        raise LifecycleRefused(_("Say why the asset moves."), field="reason")
    with transaction.atomic():
        # Re-read under a row lock: two people moving one asset queue here.
        current = (
            Asset.objects.select_for_update()
            .select_related("asset_type")
            .get(pk=asset.pk)
        )
        record = None
        if wipe is not None and to == AssetStatus.DISPOSED:
            current.check_move(to, wipe=DataWipeRecord(asset=current))
            record = _record_wipe(current, wipe, actor)
        event = current.move_to(to, reason=reason, actor=actor, wipe=record)
    asset.status = current.status
    return event


def _record_wipe(asset: Asset, wipe: WipeDetails, actor: Any) -> DataWipeRecord:
    if wipe.method not in WipeMethod.values:
        raise LifecycleRefused(_("Unknown wipe method."), field="wipe_method")
    if not wipe.performed_by.strip():
        raise LifecycleRefused(
            _("Say who performed the data wipe."), field="wipe_performed_by"
        )
    return DataWipeRecord.objects.create(
        asset=asset,
        method=wipe.method,
        performed_by=wipe.performed_by.strip(),
        performed_at=wipe.performed_at or timezone.now(),
        certificate=wipe.certificate.strip(),
        notes=wipe.notes,
        verified_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
