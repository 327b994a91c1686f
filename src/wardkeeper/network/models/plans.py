"""Floor plans: an image per floor with markers for rooms, outlets and
devices (access points, switches, printers …) — the site distribution chart.
Marker positions are fractions of the image's width and height, so a plan
may be replaced by a sharper scan of the same drawing."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wardkeeper.core.models.base import AuditedModel
from wardkeeper.network.choices import MarkerKind


def plan_path(instance: FloorPlan, filename: str) -> str:
    return f"floor-plans/{timezone.now():%Y/%m}/{filename.rsplit('/', 1)[-1]}"


_FRACTION = [MinValueValidator(0.0), MaxValueValidator(1.0)]


class FloorPlan(AuditedModel):
    floor = models.OneToOneField(
        "inventory.Location",
        verbose_name=_("floor"),
        on_delete=models.CASCADE,
        related_name="floor_plan",
    )
    image = models.ImageField(
        _("image"), upload_to=plan_path, width_field="width", height_field="height"
    )
    width = models.PositiveIntegerField(editable=False, default=0)
    height = models.PositiveIntegerField(editable=False, default=0)

    class Meta:
        verbose_name = _("floor plan")
        verbose_name_plural = _("floor plans")

    def __str__(self) -> str:
        return str(self.floor)


class Marker(AuditedModel):
    """One thing on a plan, at (x, y) as fractions of the image."""

    plan = models.ForeignKey(
        FloorPlan, on_delete=models.CASCADE, related_name="markers"
    )
    kind = models.CharField(_("kind"), max_length=6, choices=MarkerKind.choices)
    x = models.FloatField(validators=_FRACTION)
    y = models.FloatField(validators=_FRACTION)
    room = models.ForeignKey(
        "inventory.Location",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    outlet = models.ForeignKey(
        "network.Outlet",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="markers",
    )
    device = models.ForeignKey(
        "inventory.Asset",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )

    class Meta:
        verbose_name = _("plan marker")
        verbose_name_plural = _("plan markers")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="room", room__isnull=False)
                    | Q(kind="outlet", outlet__isnull=False)
                    | Q(kind="device", device__isnull=False)
                ),
                name="network_marker_names_its_thing",
            )
        ]
