"""What every kind's importer provides, and the plan it builds.

An importer reads the parsed rows, loads every record they may name in a few
queries (never one per row), sets each row's values on a new or existing
instance, checks what spans rows (parents, duplicates), and finally writes
the rows that are new or changed in bulk.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Generic, TypeVar

from django.db import models

from wardkeeper.core.models import AuditedModel
from wardkeeper.inventory.transfer import bulk
from wardkeeper.inventory.transfer.bulk import chunks
from wardkeeper.inventory.transfer.columns import Column, HeaderMap
from wardkeeper.inventory.transfer.report import RowError

M = TypeVar("M", bound=AuditedModel)
Step = Callable[[int], None]


@dataclass
class Planned(Generic[M]):
    """One data row: the instance it creates or changes and its audit snapshot
    from before (``None`` for a new record)."""

    row: int
    values: dict[str, Any]
    obj: M
    before: dict[str, Any] | None
    # Foreign keys pointing at a record this same file creates: changed even
    # though the new record's id is not known until it is written.
    new_refs: set[str] = field(default_factory=set)
    changes: dict[str, list[Any]] = field(default_factory=dict)
    action: str = "update"

    @property
    def is_new(self) -> bool:
        return self.before is None


class Importer(Generic[M]):
    """The rules of one kind of file; subclasses fill in the hooks."""

    kind: ClassVar[str]
    model: ClassVar[type[AuditedModel]]
    key_column: ClassVar[str]
    # The FilterSet an export of this kind is filtered with (inventory/filters.py).
    filterset: ClassVar[type[Any]]
    # Who may import and export this kind (every one of them is needed).
    import_permissions: ClassVar[tuple[str, ...]] = ("inventory.import_inventory",)
    export_permissions: ClassVar[tuple[str, ...]] = ("inventory.export_inventory",)
    # Files written by other programs (NetBox) carry columns we do not keep:
    # they are listed as notes instead of refusing the file.
    ignore_unknown_columns: ClassVar[bool] = False
    # Kinds read from other programs' files are imported only.
    exportable: ClassVar[bool] = True

    def __init__(self, header: HeaderMap) -> None:
        self.header = header
        # Things the user should know that do not stop the import
        # ("device sw-01 will be created"); shown by the dry run.
        self.notes: list[RowError] = []

    @classmethod
    def columns(cls) -> Sequence[Column]:
        """The kind's columns, import and export."""
        raise NotImplementedError

    @classmethod
    def export_queryset(cls) -> models.QuerySet[Any]:
        """The records an export lists, with what its rows show joined in."""
        return cls.model._default_manager.all()

    @classmethod
    def export_row(cls, obj: Any) -> list[Any]:
        """One record as the values of ``columns()``, in order."""
        raise NotImplementedError

    def key(self, values: dict[str, Any]) -> Hashable | None:
        """The row's natural key, or ``None`` when its cell is unreadable."""
        value = values.get(self.key_column)
        return value or None

    def preload(self, rows: Sequence[dict[str, Any]]) -> None:
        """Load, in a constant number of queries, what the rows may refer to."""
        raise NotImplementedError

    def existing(self, key: Hashable) -> M | None:
        raise NotImplementedError

    def new(self) -> M:
        raise NotImplementedError

    def apply(self, planned: Planned[M]) -> list[RowError]:
        """Set the row's values on its instance; return what is wrong."""
        raise NotImplementedError

    def resolve(self, plan: list[Planned[M]]) -> list[RowError]:
        """Checks across rows (references to other rows of the file)."""
        return []

    def write(self, plan: list[Planned[M]], step: Step) -> None:
        """Store the new and changed rows of ``plan`` in bulk."""
        raise NotImplementedError

    def side_entries(self) -> list[Any]:
        """Audit entries for records made along the way (manufacturers)."""
        return []

    def set_values(self, obj: M, values: dict[str, Any], names: Iterable[str]) -> None:
        """Copy the plain fields the file has a column for."""
        for name in names:
            if self.header.present(name):
                setattr(obj, name, values[name])

    def set_unless_empty(
        self, obj: M, values: dict[str, Any], names: Iterable[str]
    ) -> None:
        """Copy fields that cannot be empty: an empty cell keeps the current
        value (the field's default for a new record)."""
        for name in names:
            if self.header.present(name) and values[name] is not None:
                setattr(obj, name, values[name])


def load_by(
    queryset: models.QuerySet[Any], field_name: str, keys: Iterable[Any]
) -> list[Any]:
    """The rows whose ``field_name`` is one of ``keys``, a chunk per query."""
    wanted = sorted({key for key in keys if key})
    found: list[Any] = []
    for part in chunks(wanted):
        found.extend(queryset.filter(**{f"{field_name}__in": part}))
    return found


def bulk_update(
    model: type[models.Model], plan: Sequence[Planned[Any]], fields: Sequence[str]
) -> None:
    """Update changed rows, grouping them by the fields that changed so each
    statement sets only what it must."""
    groups: dict[tuple[str, ...], list[Any]] = {}
    for planned in plan:
        changed = tuple(f for f in fields if f in planned.changes or f in ALWAYS)
        groups.setdefault(changed or tuple(fields), []).append(planned.obj)
    for names, objs in groups.items():
        bulk.update(model, objs, names)


# Derived and bookkeeping fields written with every update.
ALWAYS = frozenset({"updated_at", "full_name", "campus", "asset_type"})
