from __future__ import annotations

from collections import Counter

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from wardkeeper.core.models import AuditedModel
from wardkeeper.inventory.choices import AssetStatus, LocationKind
from wardkeeper.inventory.models.catalog import AssetModel, AssetType
from wardkeeper.inventory.models.locations import Location


class SparePool(AuditedModel):
    """Spares of one model (or any model of one type) kept on a campus, with the
    level below which the pool must be restocked."""

    name = models.CharField(_("name"), max_length=120)
    campus = models.ForeignKey(
        Location,
        verbose_name=_("campus"),
        on_delete=models.PROTECT,
        related_name="spare_pools",
        limit_choices_to={"kind": LocationKind.CAMPUS},
    )
    asset_model = models.ForeignKey(
        AssetModel,
        verbose_name=_("model"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="spare_pools",
    )
    asset_type = models.ForeignKey(
        AssetType,
        verbose_name=_("type"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="spare_pools",
    )
    minimum_level = models.PositiveIntegerField(_("minimum level"), default=1)
    storage = models.ForeignKey(
        Location,
        verbose_name=_("kept in"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("spare pool")
        verbose_name_plural = _("spare pools")
        ordering = ["campus__name", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(asset_model__isnull=False)
                | models.Q(asset_type__isnull=False),
                name="sparepool_model_or_type",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if not self.asset_model_id and not self.asset_type_id:
            raise ValidationError(
                _("Name the model or the type of spare this pool keeps.")
            )


def available_counts(pools: list[SparePool]) -> dict[int, int]:
    """Spares in stock for each pool, in one grouped query whatever the count.

    A spare counts in a pool when it is in stock anywhere on the pool's campus
    and is of the pool's model (or of its type, for a type-wide pool)."""
    from wardkeeper.inventory.models.assets import Asset

    if not pools:
        return {}
    rows = (
        Asset.objects.filter(
            status=AssetStatus.IN_STOCK,
            location__campus__in={pool.campus_id for pool in pools},
        )
        .values_list("location__campus", "model_id", "asset_type_id")
        .annotate(n=Count("id"))
    )
    by_model: Counter[tuple[int, int | None]] = Counter()
    by_type: Counter[tuple[int, int | None]] = Counter()
    for campus, model, kind, n in rows:
        by_model[(campus, model)] += n
        by_type[(campus, kind)] += n
    return {
        pool.pk: by_model[(pool.campus_id, pool.asset_model_id)]
        if pool.asset_model_id
        else by_type[(pool.campus_id, pool.asset_type_id)]
        for pool in pools
    }
