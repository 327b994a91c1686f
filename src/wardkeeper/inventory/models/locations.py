from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wardkeeper.core.models import AuditedModel
from wardkeeper.inventory.choices import LOCATION_PARENT, Criticality, LocationKind

SEPARATOR = " / "


class LocationQuerySet(models.QuerySet["Location"]):
    def subtree(self, root: Location | int) -> LocationQuerySet:
        """The place and every place inside it (the tree is four levels deep)."""
        pk = root.pk if isinstance(root, Location) else root
        return self.filter(subtree_q(pk))

    def campuses(self) -> LocationQuerySet:
        return self.filter(kind=LocationKind.CAMPUS)

    def rooms(self) -> LocationQuerySet:
        return self.filter(kind=LocationKind.ROOM)


def subtree_q(pk: int, prefix: str = "") -> Q:
    """A filter for rows whose ``<prefix>`` location lies within location ``pk``."""
    path = f"{prefix}__" if prefix else ""
    return (
        Q(**{f"{path}pk": pk})
        | Q(**{f"{path}parent_id": pk})
        | Q(**{f"{path}parent__parent_id": pk})
        | Q(**{f"{path}parent__parent__parent_id": pk})
    )


class Location(AuditedModel):
    """A place in the hospital: a campus, a building on it, a floor, a room. A
    room's clinical criticality (an operating theatre or ICU is critical) sets
    the criticality of the equipment in it and so the priority of its faults."""

    kind = models.CharField(_("kind"), max_length=10, choices=LocationKind.choices)
    name = models.CharField(_("name"), max_length=120)
    code = models.CharField(_("code"), max_length=40, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("inside"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    criticality = models.IntegerField(
        _("clinical criticality"),
        choices=Criticality.choices,
        default=Criticality.NORMAL,
    )
    description = models.TextField(_("description"), blank=True)
    # Derived, kept for cheap lists and grouping: the full path as text
    # ("North Campus / Surgery Building / 3F / OR-3") and the campus it is on.
    full_name = models.CharField(_("full name"), max_length=500, editable=False)
    campus = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    objects = LocationQuerySet.as_manager()
    audit_exclude = frozenset({"full_name", "campus"})
    badge_choices = {"criticality": Criticality}

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        ordering = ["full_name"]
        indexes = [models.Index(fields=["kind", "full_name"])]

    def __str__(self) -> str:
        return self.full_name or self.name

    def clean(self) -> None:
        wanted = LOCATION_PARENT[LocationKind(self.kind)]
        if wanted is None and self.parent_id:
            raise ValidationError(
                {"parent": _("A campus is not inside another place.")}
            )
        if wanted is not None and (self.parent is None or self.parent.kind != wanted):
            raise ValidationError(
                {
                    "parent": _("A %(kind)s must be inside a %(parent)s.")
                    % {"kind": self.get_kind_display(), "parent": wanted.label}
                }
            )

    def save(self, *args: Any, **kwargs: Any) -> None:
        old_name, old_campus = self.full_name, self.campus_id
        self.full_name = self.compute_full_name()
        if self.parent is not None:
            self.campus_id = self.parent.campus_id
        super().save(*args, **kwargs)
        if self.kind == LocationKind.CAMPUS and self.campus_id != self.pk:
            # A campus is its own campus; its id exists only after the insert.
            self.campus_id = self.pk
            Location.objects.filter(pk=self.pk).update(campus=self.pk)
        if (old_name and old_name != self.full_name) or (
            old_campus and old_campus != self.campus_id
        ):
            # Derived names below this place follow a rename or a move.
            for child in self.children.all():
                child.save()

    def compute_full_name(self) -> str:
        return (
            f"{self.parent.full_name}{SEPARATOR}{self.name}"
            if self.parent
            else self.name
        )

    @property
    def campus_name(self) -> str:
        return self.full_name.split(SEPARATOR, 1)[0]


class Department(AuditedModel):
    """A clinical or administrative unit of the hospital (Cardiology, Radiology,
    Finance). Assets are assigned to one; its cost centre carries their cost."""

    name = models.CharField(_("name"), max_length=120)
    code = models.CharField(_("code"), max_length=40, unique=True)
    cost_centre = models.CharField(_("cost centre"), max_length=40, blank=True)
    campus = models.ForeignKey(
        Location,
        verbose_name=_("campus"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        limit_choices_to={"kind": LocationKind.CAMPUS},
        related_name="departments",
    )
    is_clinical = models.BooleanField(_("clinical"), default=True)
    head = models.CharField(_("head of department"), max_length=120, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
