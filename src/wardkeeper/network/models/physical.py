"""The physical network: racks and frames in rooms, what is mounted in them,
patch panels and their ports, wall outlets, device interfaces, and the cables
between any two of interface, panel port (front or rear) and outlet.

A patch panel's port N joins its front to its rear (the usual 1:1 mapping),
so a trace entering at the rear leaves at the front of the same port. A cable
has exactly two ends (CableEnd A and B); each end is on one interface, one
side of one panel port, or one outlet, and no point carries two cables.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wardkeeper.core.models.base import AuditedModel
from wardkeeper.network.choices import (
    CableKind,
    CableSide,
    CableStatus,
    Duplex,
    Face,
    InterfaceKind,
    Medium,
    OutletKind,
    RackKind,
    VlanMode,
)


class Rack(AuditedModel):
    """A rack, a distribution frame (MDF/IDF) or a wall cabinet in a room."""

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(
        _("kind"), max_length=10, choices=RackKind.choices, default=RackKind.RACK
    )
    location = models.ForeignKey(
        "inventory.Location",
        verbose_name=_("room"),
        on_delete=models.PROTECT,
        related_name="racks",
    )
    height_u = models.PositiveSmallIntegerField(
        _("height (U)"),
        default=42,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    asset = models.OneToOneField(
        "inventory.Asset",
        verbose_name=_("asset"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="rack",
        help_text=_("The rack itself, where it is an asset with a tag."),
    )
    description = models.TextField(_("description"), blank=True)

    # What a person writes, on the form, through the API and in an import
    # (each adds its own extras: the API's id, ...).
    editable_fields: ClassVar[tuple[str, ...]] = (
        "name",
        "kind",
        "location",
        "height_u",
        "asset",
        "description",
    )

    class Meta:
        verbose_name = _("rack")
        verbose_name_plural = _("racks")
        ordering = ["location__full_name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["location", "name"], name="network_rack_unique_name"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Placement(AuditedModel):
    """A device mounted in a rack: from ``position`` (its lowest U, 1 at the
    bottom) up ``height_u`` units, on the front or the rear. Units may not
    overlap on the same face (services check it: a full-depth device takes
    both faces)."""

    rack = models.ForeignKey(
        Rack,
        verbose_name=_("rack"),
        on_delete=models.CASCADE,
        related_name="placements",
    )
    asset = models.OneToOneField(
        "inventory.Asset",
        verbose_name=_("device"),
        on_delete=models.CASCADE,
        related_name="placement",
    )
    position = models.PositiveSmallIntegerField(
        _("position (U)"), validators=[MinValueValidator(1)]
    )
    height_u = models.PositiveSmallIntegerField(
        _("height (U)"), default=1, validators=[MinValueValidator(1)]
    )
    face = models.CharField(
        _("face"), max_length=5, choices=Face.choices, default=Face.FRONT
    )
    full_depth = models.BooleanField(_("full depth"), default=True)

    class Meta:
        verbose_name = _("rack placement")
        verbose_name_plural = _("rack placements")
        ordering = ["rack", "-position"]

    def __str__(self) -> str:
        return f"{self.rack} U{self.position}"


class PatchPanel(AuditedModel):
    """A patch panel (or fibre enclosure) with ``ports`` ports, in a rack or
    frame (``rack``, ``position``) or loose in a room."""

    name = models.CharField(_("name"), max_length=100)
    location = models.ForeignKey(
        "inventory.Location",
        verbose_name=_("room"),
        on_delete=models.PROTECT,
        related_name="patch_panels",
    )
    rack = models.ForeignKey(
        Rack,
        verbose_name=_("rack"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="panels",
    )
    position = models.PositiveSmallIntegerField(
        _("position (U)"), null=True, blank=True
    )
    height_u = models.PositiveSmallIntegerField(_("height (U)"), default=1)
    medium = models.CharField(
        _("medium"), max_length=6, choices=Medium.choices, default=Medium.COPPER
    )
    ports = models.PositiveSmallIntegerField(
        _("ports"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(288)],
    )
    description = models.TextField(_("description"), blank=True)

    editable_fields: ClassVar[tuple[str, ...]] = (
        "name",
        "location",
        "rack",
        "position",
        "height_u",
        "medium",
        "ports",
        "description",
    )

    class Meta:
        verbose_name = _("patch panel")
        verbose_name_plural = _("patch panels")
        ordering = ["location__full_name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["location", "name"], name="network_panel_unique_name"
            )
        ]

    def __str__(self) -> str:
        return self.name


class PanelPort(models.Model):
    """Port ``number`` of a panel, front and rear. Made with the panel (see
    services); labelled, never audited on its own (the panel's trail and the
    cables' carry what changes)."""

    panel = models.ForeignKey(
        PatchPanel, on_delete=models.CASCADE, related_name="panel_ports"
    )
    number = models.PositiveSmallIntegerField(_("port"))
    label = models.CharField(_("label"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("panel port")
        verbose_name_plural = _("panel ports")
        ordering = ["panel", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["panel", "number"], name="network_panelport_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.panel}:{self.number}"


class Outlet(AuditedModel):
    """A wall or floor outlet in a room, by the label on its faceplate."""

    label = models.CharField(_("label"), max_length=60, unique=True)
    location = models.ForeignKey(
        "inventory.Location",
        verbose_name=_("room"),
        on_delete=models.PROTECT,
        related_name="outlets",
    )
    kind = models.CharField(
        _("kind"), max_length=14, choices=OutletKind.choices, default=OutletKind.DATA
    )
    description = models.CharField(_("description"), max_length=200, blank=True)

    editable_fields: ClassVar[tuple[str, ...]] = (
        "label",
        "location",
        "kind",
        "description",
    )

    class Meta:
        verbose_name = _("outlet")
        verbose_name_plural = _("outlets")
        ordering = ["label"]

    def __str__(self) -> str:
        return self.label


class Interface(AuditedModel):
    """A device's network interface. ``if_index`` ties it to SNMP's ifTable;
    ``counters`` keeps the last raw SNMP counters read (and the device's
    uptime then) so the next poll can tell a wrap from a reset."""

    device = models.ForeignKey(
        "inventory.Asset",
        verbose_name=_("device"),
        on_delete=models.CASCADE,
        related_name="interfaces",
    )
    name = models.CharField(_("name"), max_length=64)
    kind = models.CharField(
        _("type"),
        max_length=20,
        choices=InterfaceKind.choices,
        default=InterfaceKind.COPPER_1G,
    )
    speed_mbps = models.PositiveIntegerField(_("speed (Mbit/s)"), null=True, blank=True)
    duplex = models.CharField(
        _("duplex"), max_length=4, choices=Duplex.choices, blank=True, default=""
    )
    mac_address = models.CharField(_("MAC address"), max_length=17, blank=True)
    enabled = models.BooleanField(_("enabled"), default=True)
    mode = models.CharField(
        _("VLAN mode"), max_length=10, choices=VlanMode.choices, blank=True, default=""
    )
    untagged_vlan = models.ForeignKey(
        "network.VLAN",
        verbose_name=_("untagged VLAN"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="untagged_interfaces",
    )
    tagged_vlans = models.ManyToManyField(
        "network.VLAN",
        verbose_name=_("tagged VLANs"),
        blank=True,
        related_name="tagged_interfaces",
    )
    lag = models.ForeignKey(
        "self",
        verbose_name=_("member of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    if_index = models.PositiveIntegerField(_("ifIndex"), null=True, blank=True)
    description = models.CharField(_("description"), max_length=200, blank=True)
    # Read from the device (SNMP), not typed: operational state and counters.
    oper_up = models.BooleanField(_("link up"), null=True, blank=True)
    counters = models.JSONField(default=dict, blank=True, editable=False)
    polled_at = models.DateTimeField(_("polled"), null=True, blank=True)

    audit_exclude = frozenset({"counters", "polled_at", "oper_up"})

    editable_fields: ClassVar[tuple[str, ...]] = (
        "device",
        "name",
        "kind",
        "speed_mbps",
        "duplex",
        "mac_address",
        "enabled",
        "mode",
        "untagged_vlan",
        "tagged_vlans",
        "lag",
        "if_index",
        "description",
    )

    class Meta:
        verbose_name = _("interface")
        verbose_name_plural = _("interfaces")
        ordering = ["device", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["device", "name"], name="network_interface_unique_name"
            )
        ]
        indexes = [models.Index(fields=["mac_address"])]

    def __str__(self) -> str:
        return f"{self.device} {self.name}"

    def clean(self) -> None:
        super().clean()
        self._check_lag()

    def _check_lag(self) -> None:
        """A member's LAG is a link-aggregation interface of the same
        device; a LAG itself is no member, and keeps its type while it has
        members."""
        lag = self.lag if self.lag_id else None
        problem: Any = ""
        if lag is not None and self.pk is not None and lag.pk == self.pk:
            problem = _("An interface cannot be a member of itself.")
        elif lag is not None and lag.kind != InterfaceKind.LAG:
            problem = _("%(name)s is not a link aggregation (LAG) interface.") % {
                "name": lag.name
            }
        elif lag is not None and self.device_id and lag.device_id != self.device_id:
            problem = _("%(lag)s is on another device.") % {"lag": lag}
        elif lag is not None and self.kind == InterfaceKind.LAG:
            problem = _("A LAG cannot be a member of another LAG.")
        if problem:
            raise ValidationError({"lag": problem})
        if (
            self.pk is not None
            and self.kind != InterfaceKind.LAG
            and self.members.exists()
        ):
            raise ValidationError(
                {"kind": _("Members are in this LAG: take them out first.")}
            )


class InterfaceSample(models.Model):
    """Rates over one poll interval, from two counter readings: bits per
    second and errors/discards per second, each way."""

    interface = models.ForeignKey(
        Interface, on_delete=models.CASCADE, related_name="samples"
    )
    at = models.DateTimeField(_("at"))
    seconds = models.FloatField(_("interval (s)"))
    in_bps = models.FloatField(null=True)
    out_bps = models.FloatField(null=True)
    in_errors = models.FloatField(null=True)
    out_errors = models.FloatField(null=True)
    in_discards = models.FloatField(null=True)
    out_discards = models.FloatField(null=True)
    utilisation = models.FloatField(
        _("utilisation %"), null=True, help_text=_("The busier direction.")
    )

    class Meta:
        verbose_name = _("interface sample")
        verbose_name_plural = _("interface samples")
        indexes = [
            models.Index(fields=["interface", "at"]),
            models.Index(fields=["at"]),
        ]

    def __str__(self) -> str:
        return f"{self.interface_id} {self.at:%Y-%m-%d %H:%M}"


class Neighbour(models.Model):
    """What LLDP says is on the other end of an interface, matched to an
    inventory device and interface where one fits."""

    interface = models.ForeignKey(
        Interface, on_delete=models.CASCADE, related_name="neighbours"
    )
    chassis_id = models.CharField(_("chassis ID"), max_length=100, blank=True)
    system_name = models.CharField(_("system name"), max_length=255, blank=True)
    port_id = models.CharField(_("port ID"), max_length=100, blank=True)
    port_description = models.CharField(
        _("port description"), max_length=255, blank=True
    )
    remote_device = models.ForeignKey(
        "inventory.Asset",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    remote_interface = models.ForeignKey(
        Interface, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    seen_at = models.DateTimeField(_("seen"), default=timezone.now)

    class Meta:
        verbose_name = _("LLDP neighbour")
        verbose_name_plural = _("LLDP neighbours")
        ordering = ["interface"]

    def __str__(self) -> str:
        return self.system_name or self.chassis_id


class Cable(AuditedModel):
    """A cable; its two ends are CableEnd rows (A and B)."""

    label = models.CharField(_("label"), max_length=60, blank=True, db_index=True)
    kind = models.CharField(
        _("type"), max_length=8, choices=CableKind.choices, default=CableKind.CAT6
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=CableStatus.choices,
        default=CableStatus.INSTALLED,
    )
    length_m = models.DecimalField(
        _("length (m)"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    colour = models.CharField(_("colour"), max_length=30, blank=True)
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("cable")
        verbose_name_plural = _("cables")
        ordering = ["label", "pk"]

    def __str__(self) -> str:
        return self.label or _("cable #%(pk)s") % {"pk": self.pk}


class CableEnd(models.Model):
    """One end of a cable, on exactly one of: an interface, one face of a
    panel port, an outlet. A point carries at most one cable."""

    cable = models.ForeignKey(Cable, on_delete=models.CASCADE, related_name="ends")
    side = models.CharField(max_length=1, choices=CableSide.choices)
    interface = models.ForeignKey(
        Interface,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="cable_ends",
    )
    port = models.ForeignKey(
        PanelPort,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="cable_ends",
    )
    face = models.CharField(max_length=5, choices=Face.choices, blank=True, default="")
    outlet = models.ForeignKey(
        Outlet,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="cable_ends",
    )

    class Meta:
        verbose_name = _("cable end")
        verbose_name_plural = _("cable ends")
        constraints = [
            models.UniqueConstraint(fields=["cable", "side"], name="network_end_side"),
            models.UniqueConstraint(
                fields=["interface"],
                condition=Q(interface__isnull=False),
                name="network_end_one_per_interface",
            ),
            models.UniqueConstraint(
                fields=["port", "face"],
                condition=Q(port__isnull=False),
                name="network_end_one_per_port_face",
            ),
            models.UniqueConstraint(
                fields=["outlet"],
                condition=Q(outlet__isnull=False),
                name="network_end_one_per_outlet",
            ),
            models.CheckConstraint(
                condition=(
                    Q(interface__isnull=False, port__isnull=True, outlet__isnull=True)
                    | Q(interface__isnull=True, port__isnull=False, outlet__isnull=True)
                    | Q(interface__isnull=True, port__isnull=True, outlet__isnull=False)
                ),
                name="network_end_on_one_point",
            ),
            models.CheckConstraint(
                condition=Q(port__isnull=True, face="")
                | Q(port__isnull=False) & ~Q(face=""),
                name="network_end_port_has_face",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cable} {self.side.upper()}"

    @property
    def point(self) -> Any:
        return self.interface or self.port or self.outlet


def cable_test_path(instance: CableTest, filename: str) -> str:
    return f"cable-tests/{timezone.now():%Y/%m}/{filename.rsplit('/', 1)[-1]}"


class CableTest(AuditedModel):
    """A certification or verification test of a cable, as the field tester
    reported it, with the instrument's own file kept."""

    cable = models.ForeignKey(
        Cable, verbose_name=_("cable"), on_delete=models.CASCADE, related_name="tests"
    )
    tested_on = models.DateField(_("tested on"))
    tester = models.CharField(_("tested by"), max_length=120)
    instrument = models.CharField(
        _("instrument"), max_length=120, blank=True, help_text=_("Model and serial.")
    )
    standard = models.CharField(
        _("standard"),
        max_length=120,
        help_text=_("For example TIA-568.2-D Cat 6 or ISO/IEC 11801 Class E."),
    )
    link_type = models.CharField(
        _("link type"),
        max_length=30,
        help_text=_("Permanent link or channel."),
    )
    passed = models.BooleanField(_("passed"))
    length_m = models.DecimalField(
        _("measured length (m)"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    margin_db = models.DecimalField(
        _("worst margin (dB)"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    file = models.FileField(_("instrument file"), upload_to=cable_test_path, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    editable_fields: ClassVar[tuple[str, ...]] = (
        "tested_on",
        "tester",
        "instrument",
        "standard",
        "link_type",
        "passed",
        "length_m",
        "margin_db",
        "file",
        "notes",
    )

    class Meta:
        verbose_name = _("cable test")
        verbose_name_plural = _("cable tests")
        ordering = ["-tested_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.cable} {self.tested_on}"
