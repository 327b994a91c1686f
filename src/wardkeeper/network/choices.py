from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class RackKind(models.TextChoices):
    RACK = "rack", _("rack")
    FRAME = "frame", _("distribution frame")
    WALL = "wall", _("wall cabinet")


class Face(models.TextChoices):
    FRONT = "front", _("front")
    REAR = "rear", _("rear")


class Medium(models.TextChoices):
    """What a cable, port or outlet carries."""

    COPPER = "copper", _("copper")
    FIBRE = "fibre", _("fibre")


class CableKind(models.TextChoices):
    CAT5E = "cat5e", "Cat 5e"
    CAT6 = "cat6", "Cat 6"
    CAT6A = "cat6a", "Cat 6A"
    CAT7 = "cat7", "Cat 7"
    CAT8 = "cat8", "Cat 8"
    OM3 = "om3", _("multimode fibre OM3")
    OM4 = "om4", _("multimode fibre OM4")
    OM5 = "om5", _("multimode fibre OM5")
    OS2 = "os2", _("single-mode fibre OS2")
    DAC = "dac", _("direct-attach copper")
    POWER = "power", pgettext_lazy("cable", "power")
    OTHER = "other", _("other")


FIBRE_KINDS = frozenset({CableKind.OM3, CableKind.OM4, CableKind.OM5, CableKind.OS2})


class CableStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("cable", "planned")
    INSTALLED = "installed", pgettext_lazy("cable", "installed")
    FAULTY = "faulty", pgettext_lazy("cable", "faulty")
    REMOVED = "removed", pgettext_lazy("cable", "removed")


class CableSide(models.TextChoices):
    A = "a", _("A end")
    B = "b", _("B end")


class InterfaceKind(models.TextChoices):
    COPPER_100M = "100base-tx", "100BASE-TX"
    COPPER_1G = "1000base-t", "1000BASE-T"
    COPPER_2G5 = "2.5gbase-t", "2.5GBASE-T"
    COPPER_10G = "10gbase-t", "10GBASE-T"
    SFP_1G = "1000base-x-sfp", "SFP (1GE)"
    SFP_10G = "10gbase-x-sfpp", "SFP+ (10GE)"
    SFP_25G = "25gbase-x-sfp28", "SFP28 (25GE)"
    QSFP_40G = "40gbase-x-qsfpp", "QSFP+ (40GE)"
    QSFP_100G = "100gbase-x-qsfp28", "QSFP28 (100GE)"
    WIRELESS = "wireless", _("wireless")
    LAG = "lag", _("link aggregation")
    VIRTUAL = "virtual", _("virtual")
    OTHER = "other", _("other")


# Interfaces that no cable plugs into.
UNCABLED_KINDS = frozenset(
    {InterfaceKind.WIRELESS, InterfaceKind.LAG, InterfaceKind.VIRTUAL}
)


class VlanMode(models.TextChoices):
    NONE = "", _("none")
    ACCESS = "access", _("access")
    TRUNK = "trunk", _("trunk (tagged)")
    TRUNK_ALL = "trunk-all", _("trunk (all VLANs)")


class Duplex(models.TextChoices):
    UNKNOWN = "", _("unknown")
    FULL = "full", _("full")
    HALF = "half", _("half")


class OutletKind(models.TextChoices):
    DATA = "data", _("data")
    VOICE = "voice", _("voice")
    FIBRE = "fibre", _("fibre")
    CONSOLIDATION = "consolidation", _("consolidation point")


class AddressStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("address", "active")
    RESERVED = "reserved", pgettext_lazy("address", "reserved")
    DHCP = "dhcp", "DHCP"
    DEPRECATED = "deprecated", pgettext_lazy("address", "deprecated")


class ZoneKind(models.TextChoices):
    CLINICAL = "clinical", _("clinical")
    GUEST = "guest", _("guest")
    MEDICAL = "medical", _("medical devices")
    MANAGEMENT = "management", _("management")
    SERVERS = "servers", _("servers / DMZ")
    EXTERNAL = "external", _("external")
    OTHER = "other", _("user-defined")


class FlowAction(models.TextChoices):
    """What the policy says of a flow between two zones."""

    PASS = "pass", _("must pass")
    REFUSE = "refuse", _("must be refused")


class FlowProtocol(models.TextChoices):
    TCP = "tcp", "TCP"
    UDP = "udp", "UDP"
    ICMP = "icmp", "ICMP"


class MarkerKind(models.TextChoices):
    ROOM = "room", _("room")
    OUTLET = "outlet", _("outlet")
    DEVICE = "device", _("device")
