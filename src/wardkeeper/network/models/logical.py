"""The logical network: zones, VLANs, prefixes and addresses, and the flow
policy between zones.

Prefixes and addresses keep their keys (network/addressing.py) beside the
text a person types, so containment, overlap and the next free address are
indexed comparisons; services keep them in step with the text.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from wardkeeper.core.models.base import AuditedModel
from wardkeeper.inventory.choices import Criticality
from wardkeeper.network import addressing
from wardkeeper.network.choices import (
    AddressStatus,
    FlowAction,
    FlowProtocol,
    ZoneKind,
)


class Zone(AuditedModel):
    """A security zone: the clinical network, guest Wi-Fi, medical devices,
    management, servers/DMZ, the outside, or one of the hospital's own."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=ZoneKind.choices)
    criticality = models.IntegerField(
        _("criticality"), choices=Criticality.choices, default=Criticality.NORMAL
    )
    colour = models.CharField(_("colour"), max_length=7, blank=True, default="")
    description = models.TextField(_("description"), blank=True)

    # What a person writes, on the form, through the API and in an import
    # (each adds its own extras: the API's id, ...).
    editable_fields: ClassVar[tuple[str, ...]] = (
        "name",
        "kind",
        "criticality",
        "colour",
        "description",
    )

    class Meta:
        verbose_name = _("zone")
        verbose_name_plural = _("zones")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class VLAN(AuditedModel):
    """A VLAN, on one site (a campus or building) or global when ``site`` is
    empty."""

    vid = models.PositiveSmallIntegerField(
        _("VLAN ID"), validators=[MinValueValidator(1), MaxValueValidator(4094)]
    )
    name = models.CharField(_("name"), max_length=80)
    site = models.ForeignKey(
        "inventory.Location",
        verbose_name=_("site"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="vlans",
    )
    zone = models.ForeignKey(
        Zone,
        verbose_name=_("zone"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="vlans",
    )
    description = models.CharField(_("description"), max_length=200, blank=True)

    editable_fields: ClassVar[tuple[str, ...]] = (
        "vid",
        "name",
        "site",
        "zone",
        "description",
    )

    class Meta:
        verbose_name = _("VLAN")
        verbose_name_plural = _("VLANs")
        ordering = ["vid", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["site", "vid"], name="network_vlan_unique_vid_per_site"
            )
        ]

    def __str__(self) -> str:
        return f"{self.vid} {self.name}"


class AddressText(AuditedModel):
    """A record named by an address or a prefix typed as text (its
    ``text_field``): written back the one canonical way, refused with the
    parser's reason on that field, and the columns derived from it kept in
    step on every save."""

    text_field: ClassVar[str]

    class Meta:
        abstract = True

    def parsed(self) -> Any:
        """The text parsed; raises ValueError."""
        raise NotImplementedError

    def derive(self, parsed: Any) -> None:
        raise NotImplementedError

    def clean(self) -> None:
        try:
            parsed = self.parsed()
        except ValueError as error:
            raise ValidationError({self.text_field: str(error)}) from error
        setattr(self, self.text_field, str(parsed))

    def save(self, *args: Any, **kwargs: Any) -> None:
        parsed = self.parsed()
        setattr(self, self.text_field, str(parsed))
        self.derive(parsed)
        super().save(*args, **kwargs)


class Prefix(AddressText):
    """An IP prefix ('10.20.0.0/16'). ``first``/``last`` are the keys of its
    first and last address."""

    prefix = models.CharField(_("prefix"), max_length=43)
    family = models.PositiveSmallIntegerField(_("family"), editable=False)
    length = models.PositiveSmallIntegerField(_("length"), editable=False)
    first = models.CharField(max_length=32, editable=False)
    last = models.CharField(max_length=32, editable=False)
    site = models.ForeignKey(
        "inventory.Location",
        verbose_name=_("site"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="prefixes",
    )
    vlan = models.ForeignKey(
        VLAN,
        verbose_name=_("VLAN"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="prefixes",
    )
    zone = models.ForeignKey(
        Zone,
        verbose_name=_("zone"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="prefixes",
    )
    is_pool = models.BooleanField(
        _("pool"),
        default=False,
        help_text=_("Every address is usable, the first and last too (NAT pools)."),
    )
    description = models.CharField(_("description"), max_length=200, blank=True)

    audit_exclude = frozenset({"first", "last"})  # derived from ``prefix``
    text_field = "prefix"

    class Meta:
        verbose_name = _("prefix")
        verbose_name_plural = _("prefixes")
        ordering = ["first", "length"]
        indexes = [models.Index(fields=["first", "last"])]

    def __str__(self) -> str:
        return self.prefix

    def parsed(self) -> addressing.IPNetwork:
        return addressing.parse_network(self.prefix)

    def derive(self, network: Any) -> None:
        """Family, length and the keys, from ``prefix``."""
        self.family, self.length = network.version, network.prefixlen
        self.first, self.last = addressing.span(network)


class IPAddress(AddressText):
    """An address with its prefix length ('10.20.3.7/24'), assigned to an
    interface or not."""

    address = models.CharField(_("address"), max_length=43)
    family = models.PositiveSmallIntegerField(_("family"), editable=False)
    key = models.CharField(max_length=32, editable=False, db_index=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=AddressStatus.choices,
        default=AddressStatus.ACTIVE,
    )
    interface = models.ForeignKey(
        "network.Interface",
        verbose_name=_("interface"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="addresses",
    )
    dns_name = models.CharField(_("DNS name"), max_length=253, blank=True)
    description = models.CharField(_("description"), max_length=200, blank=True)

    audit_exclude = frozenset({"key"})  # derived from ``address``
    text_field = "address"

    class Meta:
        verbose_name = _("IP address")
        verbose_name_plural = _("IP addresses")
        ordering = ["key"]

    def __str__(self) -> str:
        return self.address

    def parsed(self) -> Any:
        return addressing.parse_interface(self.address)

    def derive(self, interface: Any) -> None:
        """Family and key, from ``address``."""
        self.family, self.key = interface.version, addressing.key(interface.ip)


class FlowRule(AuditedModel):
    """One line of the flow policy: traffic from ``source`` to
    ``destination`` that must pass or must be refused, on a protocol and
    ports, towards the named hosts in the destination zone (the probes'
    targets), e.g. "guest → servers: HIS database tcp/1521 must be refused"."""

    source = models.ForeignKey(
        Zone,
        verbose_name=_("from zone"),
        on_delete=models.CASCADE,
        related_name="flows_out",
    )
    destination = models.ForeignKey(
        Zone,
        verbose_name=_("to zone"),
        on_delete=models.CASCADE,
        related_name="flows_in",
    )
    action = models.CharField(_("policy"), max_length=6, choices=FlowAction.choices)
    service = models.CharField(
        _("service"),
        max_length=120,
        blank=True,
        help_text=_("A name people know it by: HIS database, PACS DICOM."),
    )
    protocol = models.CharField(
        _("protocol"),
        max_length=4,
        choices=FlowProtocol.choices,
        default=FlowProtocol.TCP,
    )
    ports = models.CharField(
        _("ports"),
        max_length=200,
        blank=True,
        help_text=_("Comma-separated ports or ranges: 104, 11112, 8000-8010."),
    )
    targets = models.TextField(
        _("targets"),
        blank=True,
        help_text=_(
            "Hosts in the destination zone to probe, one per line (addresses or names)."
        ),
    )
    enabled = models.BooleanField(_("enabled"), default=True)
    description = models.TextField(_("description"), blank=True)

    editable_fields: ClassVar[tuple[str, ...]] = (
        "source",
        "destination",
        "action",
        "service",
        "protocol",
        "ports",
        "targets",
        "enabled",
        "description",
    )

    class Meta:
        verbose_name = _("flow rule")
        verbose_name_plural = _("flow rules")
        ordering = ["source__name", "destination__name", "pk"]

    def __str__(self) -> str:
        return f"{self.source} → {self.destination}: {self.service or self.protocol}"
