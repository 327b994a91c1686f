"""Locations, keyed by code. A parent may be another row of the same file
(anywhere in it): new places are written campus first, then buildings,
floors and rooms, and every full name and campus is derived again."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from wardkeeper.inventory.choices import LOCATION_PARENT, Criticality, LocationKind
from wardkeeper.inventory.filters import LocationFilter
from wardkeeper.inventory.models import Location
from wardkeeper.inventory.models.locations import SEPARATOR
from wardkeeper.inventory.transfer import cells
from wardkeeper.inventory.transfer.base import Importer, Planned, Step
from wardkeeper.inventory.transfer.bulk import BATCH
from wardkeeper.inventory.transfer.cells import choice_code
from wardkeeper.inventory.transfer.columns import Column
from wardkeeper.inventory.transfer.report import RowError

FIELDS = ("code", "name", "kind", "parent", "criticality", "description")
DERIVED = ("full_name", "campus")
MAX_DEPTH = 10  # the tree is four deep; deeper means a loop in bad data


class LocationImporter(Importer[Location]):
    """Places: a row per campus, building, floor or room, matched by code."""

    kind = "locations"
    model = Location
    key_column = "code"
    filterset = LocationFilter

    @classmethod
    def columns(cls) -> Sequence[Column]:
        return (
            Column("code", _("code"), cells.text(40, required=True), required=True),
            Column("name", _("name"), cells.text(120, required=True), required=True),
            Column(
                "kind",
                _("kind"),
                cells.choice(LocationKind, required=True),
                required=True,
            ),
            Column("parent_code", _("parent code"), cells.text(40)),
            Column("criticality", _("clinical criticality"), cells.choice(Criticality)),
            Column("description", _("description"), cells.text()),
            Column("full_name", _("full name"), export_only=True),
        )

    @classmethod
    def export_queryset(cls) -> QuerySet[Location]:
        return Location.objects.select_related("parent")

    @classmethod
    def export_row(cls, obj: Location) -> list[Any]:
        return [
            obj.code,
            obj.name,
            obj.kind,
            obj.parent.code if obj.parent else "",
            choice_code(Criticality(obj.criticality)),
            obj.description,
            obj.full_name,
        ]

    def preload(self, rows: Sequence[dict[str, Any]]) -> None:
        # The whole tree: derived names below a renamed place must follow it.
        self.all = list(Location.objects.all())
        self.by_id = {place.pk: place for place in self.all}
        self.by_code = {place.code: place for place in self.all}
        self.stored = {p.pk: (p.full_name, p.campus_id) for p in self.all}

    def existing(self, key: Hashable) -> Location | None:
        return self.by_code.get(str(key))

    def new(self) -> Location:
        return Location()

    def apply(self, planned: Planned[Location]) -> list[RowError]:
        obj, values = planned.obj, planned.values
        self.set_values(obj, values, ("code", "name", "kind", "description"))
        self.set_unless_empty(obj, values, ("criticality",))
        return []

    def resolve(self, plan: list[Planned[Location]]) -> list[RowError]:
        created = {p.obj.code: p.obj for p in plan if p.is_new}
        errors: list[RowError] = []
        for planned in plan:
            errors += self._set_parent(planned, created)
        if errors:
            return errors
        for planned in plan:
            errors += self._check_place(planned)
        return errors

    def _set_parent(
        self, planned: Planned[Location], created: dict[str, Location]
    ) -> list[RowError]:
        if not self.header.present("parent_code"):
            return []
        code = planned.values["parent_code"]
        parent = (created.get(code) or self.by_code.get(code)) if code else None
        if code and parent is None:
            message = _t(
                "No location has the code “%(code)s”, in the database or in this file."
            )
            return [RowError(planned.row, "parent_code", message % {"code": code})]
        if parent is planned.obj:
            message = _t("A place cannot be inside itself.")
            return [RowError(planned.row, "parent_code", message)]
        planned.obj.parent = parent
        if parent is not None and parent.pk is None:
            planned.new_refs.add("parent")
        return []

    def _check_place(self, planned: Planned[Location]) -> list[RowError]:
        """The parent must be the kind above (a room on a floor), and a place
        that changes kind must still fit the places inside it."""
        obj = planned.obj
        message = kind_fault(obj, self.parent_of(obj))
        if message:
            return [RowError(planned.row, "parent_code", message)]
        if planned.before is None or planned.before.get("kind") == obj.kind:
            return []
        for child in self.all:
            if child.parent_id == obj.pk and self.parent_of(child) is obj:
                fault = kind_fault(child, obj)
                if fault:
                    return [RowError(planned.row, "kind", f"{child.code}: {fault}")]
        return []

    def parent_of(self, place: Location) -> Location | None:
        """The parent as set in memory (no query)."""
        if Location.parent.is_cached(place):
            return place.parent
        return self.by_id.get(place.parent_id) if place.parent_id else None

    def write(self, plan: list[Planned[Location]], step: Step) -> None:
        new = [p.obj for p in plan if p.is_new]
        for place in new:
            place.full_name = self.full_name(place)
        for depth in sorted({self.depth(place) for place in new}):
            wave = [place for place in new if self.depth(place) == depth]
            Location.objects.bulk_create(wave, batch_size=BATCH)
        self.all += new
        self.by_id.update({place.pk: place for place in new})
        changed = {p.obj.pk for p in plan if not p.is_new}
        for place in self.all:
            place.full_name = self.full_name(place)
            place.campus_id = self.campus_id(place)
        Location.objects.bulk_update(
            [p.obj for p in plan if not p.is_new], [*FIELDS, *DERIVED], batch_size=500
        )
        moved = [
            place
            for place in self.all
            if place.pk not in changed
            and self.stored.get(place.pk) != (place.full_name, place.campus_id)
        ]
        Location.objects.bulk_update(moved, list(DERIVED), batch_size=500)
        step(len(plan))

    def depth(self, place: Location) -> int:
        parent, depth = self.parent_of(place), 0
        while parent is not None and depth < MAX_DEPTH:
            parent, depth = self.parent_of(parent), depth + 1
        return depth

    def full_name(self, place: Location, depth: int = 0) -> str:
        parent = self.parent_of(place)
        if parent is None or depth >= MAX_DEPTH:
            return place.name
        return f"{self.full_name(parent, depth + 1)}{SEPARATOR}{place.name}"

    def campus_id(self, place: Location, depth: int = 0) -> int | None:
        if place.kind == LocationKind.CAMPUS:
            return place.pk
        parent = self.parent_of(place)
        if parent is None or depth >= MAX_DEPTH:
            return None
        return self.campus_id(parent, depth + 1)


def kind_fault(place: Location, parent: Location | None) -> str:
    """Why ``parent`` cannot hold ``place`` (empty when it can)."""
    wanted = LOCATION_PARENT[LocationKind(place.kind)]
    if wanted is None and parent is not None:
        return _t("A campus is not inside another place.")
    if wanted is not None and (parent is None or parent.kind != wanted):
        return _t("A %(kind)s must be inside a %(parent)s.") % {
            "kind": LocationKind(place.kind).label,
            "parent": wanted.label,
        }
    return ""
