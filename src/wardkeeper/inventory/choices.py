"""States and kinds of the inventory, each with the badge colour it shows in."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class LocationKind(models.TextChoices):
    CAMPUS = "campus", _("campus")
    BUILDING = "building", _("building")
    FLOOR = "floor", _("floor")
    ROOM = "room", _("room")


# Which kind of place may hold which: a room sits on a floor, and so on.
LOCATION_PARENT = {
    LocationKind.CAMPUS: None,
    LocationKind.BUILDING: LocationKind.CAMPUS,
    LocationKind.FLOOR: LocationKind.BUILDING,
    LocationKind.ROOM: LocationKind.FLOOR,
}


class Criticality(models.IntegerChoices):
    """How much patient care depends on a place: drives fault priority."""

    CRITICAL = 1, _("critical")  # operating theatre, ICU, emergency
    HIGH = 2, _("high")
    NORMAL = 3, _("normal")
    NON_CLINICAL = 4, _("non-clinical")

    @property
    def badge(self) -> str:
        return {1: "danger", 2: "warning", 3: "info", 4: "secondary"}[self.value]


class AssetCategory(models.TextChoices):
    END_USER = "end_user", _("end-user device")
    NETWORK = "network", _("network")
    SERVER = "server", _("server and storage")
    POWER = "power", _("power")
    MEDICAL = "medical", _("networked medical device")
    OTHER = "other", _("other")


class AssetStatus(models.TextChoices):
    ORDERED = "ordered", _("ordered")
    IN_STOCK = "in_stock", _("in stock")
    IN_USE = "in_use", _("in use")
    IN_REPAIR = "in_repair", _("in repair")
    AT_VENDOR = "at_vendor", _("at vendor")
    RETIRED = "retired", _("retired")
    DISPOSED = "disposed", _("disposed")

    @property
    def badge(self) -> str:
        return {
            "ordered": "light",
            "in_stock": "info",
            "in_use": "success",
            "in_repair": "warning",
            "at_vendor": "warning",
            "retired": "secondary",
            "disposed": "dark",
        }[self.value]


# The lifecycle: each state and the states it may move to. Anything else is
# refused with the reason, and changes nothing.
LIFECYCLE_MOVES: dict[str, frozenset[str]] = {
    AssetStatus.ORDERED: frozenset(
        {AssetStatus.IN_STOCK, AssetStatus.IN_USE, AssetStatus.RETIRED}
    ),
    AssetStatus.IN_STOCK: frozenset(
        {AssetStatus.IN_USE, AssetStatus.IN_REPAIR, AssetStatus.RETIRED}
    ),
    AssetStatus.IN_USE: frozenset(
        {
            AssetStatus.IN_STOCK,
            AssetStatus.IN_REPAIR,
            AssetStatus.AT_VENDOR,
            AssetStatus.RETIRED,
        }
    ),
    AssetStatus.IN_REPAIR: frozenset(
        {
            AssetStatus.IN_USE,
            AssetStatus.IN_STOCK,
            AssetStatus.AT_VENDOR,
            AssetStatus.RETIRED,
        }
    ),
    AssetStatus.AT_VENDOR: frozenset(
        {
            AssetStatus.IN_REPAIR,
            AssetStatus.IN_STOCK,
            AssetStatus.IN_USE,
            AssetStatus.RETIRED,
        }
    ),
    AssetStatus.RETIRED: frozenset({AssetStatus.DISPOSED, AssetStatus.IN_STOCK}),
    AssetStatus.DISPOSED: frozenset(),
}
# States in which an asset is expected to be found on the floor at a stocktake.
ON_HAND = frozenset({AssetStatus.IN_USE, AssetStatus.IN_STOCK, AssetStatus.IN_REPAIR})


class Condition(models.TextChoices):
    """Whether an asset in use works: the basis of the equipment integrity rate."""

    WORKING = "working", _("working")
    DEGRADED = "degraded", _("degraded")
    FAULTY = "faulty", _("faulty")


class ContractKind(models.TextChoices):
    PURCHASE = "purchase", _("purchase")
    WARRANTY = "warranty", _("warranty")
    MAINTENANCE = "maintenance", _("maintenance")
    SUPPORT = "support", _("software support")
    LEASE = "lease", _("lease")


class WipeMethod(models.TextChoices):
    CLEAR = "clear", _("clear (overwrite)")
    PURGE = "purge", _("purge (cryptographic or secure erase)")
    DESTROY = "destroy", _("destroy (shred or degauss)")


class StocktakeStatus(models.TextChoices):
    OPEN = "open", _("open")
    CLOSED = "closed", _("closed")


class ScanSource(models.TextChoices):
    CAMERA = "camera", _("phone camera")
    UPLOAD = "upload", _("scanner file")
    MANUAL = "manual", _("typed in")


class Reconciliation(models.TextChoices):
    FOUND = "found", _("found")
    MISSING = "missing", _("missing")
    UNEXPECTED = "unexpected", _("unexpected")
    WRONG_PLACE = "wrong_place", _("found in the wrong place")

    @property
    def badge(self) -> str:
        return {
            "found": "success",
            "missing": "danger",
            "unexpected": "warning",
            "wrong_place": "info",
        }[self.value]


class FieldType(models.TextChoices):
    """Types of the extra fields a user-defined asset type may carry."""

    TEXT = "text", _("text")
    NUMBER = "number", _("number")
    DATE = "date", _("date")
    BOOLEAN = "boolean", _("yes/no")
    CHOICE = "choice", _("choice")
