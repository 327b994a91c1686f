from __future__ import annotations

import contextlib
import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from wardkeeper.core import audit
from wardkeeper.core.errors import DomainError
from wardkeeper.core.models import AuditedModel
from wardkeeper.core.models.audit import AuditAction
from wardkeeper.inventory.choices import (
    LIFECYCLE_MOVES,
    AssetStatus,
    Condition,
    Criticality,
    WipeMethod,
)
from wardkeeper.inventory.models.catalog import AssetModel, AssetType
from wardkeeper.inventory.models.locations import Department, Location, subtree_q
from wardkeeper.inventory.models.vendors import Vendor


class LifecycleRefused(DomainError):
    code = "lifecycle_refused"


def normalise_mac(value: str) -> str:
    """``00-1A-2b-3c-4d-5e`` and ``001a.2b3c.4d5e`` both become ``00:1a:2b:3c:4d:5e``."""
    digits = "".join(ch for ch in value.lower() if ch in "0123456789abcdef")
    if len(digits) != 12:
        raise DomainError(
            _t("A MAC address has 12 hexadecimal digits."), field="mac_address"
        )
    return ":".join(digits[i : i + 2] for i in range(0, 12, 2))


class AssetQuerySet(models.QuerySet["Asset"]):
    def in_place(self, location: Location | int) -> AssetQuerySet:
        """Assets in this place or anywhere inside it."""
        pk = location.pk if isinstance(location, Location) else location
        return self.filter(subtree_q(pk, "location"))

    def in_use(self) -> AssetQuerySet:
        return self.filter(status=AssetStatus.IN_USE)

    def spares(self) -> AssetQuerySet:
        return self.filter(status=AssetStatus.IN_STOCK)

    def with_related(self) -> AssetQuerySet:
        """What a list row shows, fetched in the same query."""
        return self.select_related(
            "model__manufacturer", "asset_type", "location", "department"
        )

    def search(self, text: str) -> AssetQuerySet:
        """By tag, serial, name, hostname, IP or MAC: what a caller reads off a label."""
        text = text.strip()
        if not text:
            return self
        query = (
            models.Q(tag__iexact=text)
            | models.Q(serial__iexact=text)
            | models.Q(name__icontains=text)
            | models.Q(hostname__iexact=text)
            | models.Q(tag__istartswith=text)
        )
        if any(ch.isdigit() for ch in text) and text.count(".") == 3:
            query |= models.Q(ip_address=text)
        with contextlib.suppress(DomainError):
            query |= models.Q(mac_address=normalise_mac(text))
        return self.filter(query)


class Asset(AuditedModel):
    """A piece of equipment the IT department looks after, from order to
    disposal: a PC on a ward, a core switch, a PACS server, a CT scanner on the
    network. The asset tag on its label is its identity."""

    tag = models.CharField(_("asset tag"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=150)
    serial = models.CharField(
        _("serial number"), max_length=100, blank=True, db_index=True
    )
    model = models.ForeignKey(
        AssetModel,
        verbose_name=_("model"),
        on_delete=models.PROTECT,
        related_name="assets",
    )
    # Copied from the model so lists filter by type without a join.
    asset_type = models.ForeignKey(
        AssetType,
        verbose_name=_("type"),
        on_delete=models.PROTECT,
        related_name="assets",
        editable=False,
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=AssetStatus.choices,
        default=AssetStatus.IN_STOCK,
        db_index=True,
    )
    condition = models.CharField(
        _("condition"),
        max_length=10,
        choices=Condition.choices,
        default=Condition.WORKING,
    )
    location = models.ForeignKey(
        Location,
        verbose_name=_("location"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assets",
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assets",
    )
    custodian = models.CharField(_("custodian"), max_length=120, blank=True)
    hostname = models.CharField(
        _("hostname"), max_length=253, blank=True, db_index=True
    )
    ip_address = models.GenericIPAddressField(
        _("IP address"), null=True, blank=True, db_index=True
    )
    mac_address = models.CharField(
        _("MAC address"), max_length=17, null=True, blank=True, db_index=True
    )
    purchase_order = models.CharField(_("purchase order"), max_length=60, blank=True)
    purchase_date = models.DateField(_("purchase date"), null=True, blank=True)
    purchase_cost = models.DecimalField(
        _("purchase cost"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    vendor = models.ForeignKey(
        Vendor,
        verbose_name=_("vendor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assets",
    )
    warranty_end = models.DateField(_("warranty ends"), null=True, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="components",
    )
    criticality_override = models.IntegerField(
        _("criticality override"),
        choices=Criticality.choices,
        null=True,
        blank=True,
        help_text=_("Empty: the criticality of its room."),
    )
    notes = models.TextField(_("notes"), blank=True)
    extra = models.JSONField(_("type's own fields"), default=dict, blank=True)
    created_at = models.DateTimeField(
        _("created"), default=timezone.now, editable=False
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = AssetQuerySet.as_manager()
    audit_exclude = frozenset({"updated_at", "created_at"})
    badge_choices = {"status": AssetStatus, "criticality_override": Criticality}

    class Meta:
        verbose_name = _("asset")
        verbose_name_plural = _("assets")
        ordering = ["tag"]
        indexes = [
            models.Index(fields=["status", "tag"]),
            models.Index(fields=["asset_type", "status"]),
            models.Index(fields=["location", "status"]),
            models.Index(fields=["department", "status"]),
            models.Index(fields=["name"]),
        ]
        permissions = [
            ("move_asset", _("Move assets through their lifecycle")),
            ("import_inventory", _("Import inventory files")),
            ("export_inventory", _("Export inventory files")),
        ]

    def __str__(self) -> str:
        return f"{self.tag} {self.name}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.model_id and (not self.asset_type_id or self._model_changed()):
            self.asset_type_id = AssetModel.objects.values_list(
                "asset_type_id", flat=True
            ).get(pk=self.model_id)
        if self.mac_address:
            self.mac_address = normalise_mac(self.mac_address)
        super().save(*args, **kwargs)

    def _model_changed(self) -> bool:
        snapshot = self._audit_snapshot or {}
        return snapshot.get("model") not in (None, self.model_id)

    @property
    def criticality(self) -> int:
        """The override if set, otherwise the criticality of the place it is in."""
        if self.criticality_override is not None:
            return self.criticality_override
        return self.location.criticality if self.location else Criticality.NORMAL

    def book_value(self, on: dt.date | None = None) -> Decimal | None:
        """Straight-line depreciation over the type's years, never below zero."""
        if self.purchase_cost is None or self.purchase_date is None:
            return None
        return straight_line(
            self.purchase_cost,
            self.purchase_date,
            self.asset_type.depreciation_years,
            on,
        )

    def allowed_moves(self) -> list[AssetStatus]:
        return [
            AssetStatus(s)
            for s in AssetStatus.values
            if s in LIFECYCLE_MOVES[self.status]
        ]

    def check_move(self, to: str, *, wipe: DataWipeRecord | None = None) -> None:
        """Raise ``LifecycleRefused`` saying why the move is not allowed."""
        if to not in AssetStatus.values:
            raise LifecycleRefused(
                _t("Unknown status %(s)s.") % {"s": to}, field="status"
            )
        current = AssetStatus(self.status)
        if to not in LIFECYCLE_MOVES[current]:
            allowed = ", ".join(str(s.label) for s in self.allowed_moves()) or _t(
                "none"
            )
            raise LifecycleRefused(
                _t(
                    "An asset that is %(now)s cannot move to %(to)s; allowed: %(allowed)s."
                )
                % {
                    "now": current.label,
                    "to": AssetStatus(to).label,
                    "allowed": allowed,
                },
                field="status",
            )
        if (
            to == AssetStatus.DISPOSED
            and self.asset_type.stores_data
            and wipe is None
            and not self.wipe_records.exists()
        ):
            raise LifecycleRefused(
                _t("%(type)s stores data: record the data wipe before disposal.")
                % {"type": self.asset_type.name},
                field="wipe",
            )

    def move_to(
        self,
        to: str,
        *,
        reason: str,
        actor: Any = None,
        wipe: DataWipeRecord | None = None,
    ) -> LifecycleEvent:
        """Move the asset to another lifecycle state, recording why and who.

        Raises ``LifecycleRefused`` (changing nothing) for a move the lifecycle
        does not allow, a missing reason, or a disposal without a data wipe."""
        if not reason.strip():
            raise LifecycleRefused(_t("Say why the asset moves."), field="reason")
        self.check_move(to, wipe=wipe)
        with transaction.atomic(), audit.audit_context(reason=reason):
            previous = self.status
            self.status = to
            self.save(audit_action=AuditAction.LIFECYCLE)
            return LifecycleEvent.objects.create(
                asset=self,
                from_status=previous,
                to_status=to,
                reason=reason,
                actor=actor if getattr(actor, "is_authenticated", False) else None,
            )


def straight_line(
    cost: Decimal, bought: dt.date, years: int, on: dt.date | None = None
) -> Decimal:
    day = on or timezone.localdate()
    if years <= 0:
        return Decimal("0.00")
    used = Decimal((day - bought).days) / (Decimal("365.25") * years)
    left = max(Decimal(0), min(Decimal(1), Decimal(1) - used))
    return (cost * left).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


class LifecycleEvent(models.Model):
    """One move of an asset through its lifecycle, with the reason given."""

    asset = models.ForeignKey(
        Asset, on_delete=models.CASCADE, related_name="lifecycle_events"
    )
    from_status = models.CharField(
        _("from"), max_length=12, choices=AssetStatus.choices
    )
    to_status = models.CharField(_("to"), max_length=12, choices=AssetStatus.choices)
    reason = models.TextField(_("reason"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("lifecycle move")
        verbose_name_plural = _("lifecycle moves")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.asset_id}: {self.from_status} → {self.to_status}"


class DataWipeRecord(AuditedModel):
    """Proof that the data on a device was destroyed before it left the
    hospital: patient data must never leave on a disposed disk."""

    asset = models.ForeignKey(
        Asset, on_delete=models.PROTECT, related_name="wipe_records"
    )
    method = models.CharField(_("method"), max_length=10, choices=WipeMethod.choices)
    performed_at = models.DateTimeField(_("performed"), default=timezone.now)
    performed_by = models.CharField(_("performed by"), max_length=120)
    certificate = models.CharField(_("certificate number"), max_length=120, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("verified by"),
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("data-wipe record")
        verbose_name_plural = _("data-wipe records")
        ordering = ["-performed_at"]

    def __str__(self) -> str:
        return (
            f"{self.asset_id} {self.get_method_display()} {self.performed_at:%Y-%m-%d}"
        )
