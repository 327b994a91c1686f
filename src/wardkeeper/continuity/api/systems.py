"""Backup and recovery API: protected systems (with their RPO state and
3-2-1 result) and their data stores. Writes go through the models' audited
``save()``; the checks are the pages' own forms' rules."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import serializers, viewsets
from rest_framework.routers import BaseRouter

from wardkeeper.continuity.forms_systems import (
    STORE_FIELDS,
    SYSTEM_FIELDS,
    ProtectedSystemFilter,
    store_errors,
)
from wardkeeper.continuity.models import DataStore, ProtectedSystem
from wardkeeper.continuity.services import rule321
from wardkeeper.continuity.services.rpo import RpoState, rpo_state, rpo_states
from wardkeeper.continuity.services.rule321 import Rule321
from wardkeeper.core.api_pagination import StableOrderingFilter


def current(
    serializer: serializers.BaseSerializer[Any],
    attrs: dict[str, Any],
    name: str,
    default: Any = None,
) -> Any:
    """A field's value once this write is done: the one sent, else the
    stored one (a partial update sends only what changes)."""
    return attrs.get(name, getattr(serializer.instance, name, default))


def checked(attrs: dict[str, Any], errors: dict[str, str]) -> dict[str, Any]:
    """``attrs``, or the forms' errors (field: why) as the API's 400."""
    if errors:
        raise serializers.ValidationError(errors)
    return attrs


class ProtectedSystemSerializer(serializers.ModelSerializer[ProtectedSystem]):
    rpo_status = serializers.SerializerMethodField(
        help_text="ok, overdue or never: the last good backup against the RPO."
    )
    last_good_backup = serializers.SerializerMethodField()
    rule_321_missing = serializers.SerializerMethodField(
        help_text="What the 3-2-1 rule misses; empty when it is met."
    )

    class Meta:
        model = ProtectedSystem
        fields = [
            "id",
            *SYSTEM_FIELDS,
            "rpo_status",
            "last_good_backup",
            "rule_321_missing",
        ]

    def _state(self, obj: ProtectedSystem) -> tuple[RpoState, Rule321]:
        # A list computes the page's states at once (ProtectedSystemViewSet).
        known = getattr(self.context.get("view"), "states", {}).get(obj.pk)
        return known or (rpo_state(obj), rule321.evaluate(obj))

    def get_rpo_status(self, obj: ProtectedSystem) -> str:
        return str(self._state(obj)[0].status)

    def get_last_good_backup(self, obj: ProtectedSystem) -> str | None:
        last = self._state(obj)[0].last
        return last.isoformat() if last else None

    def get_rule_321_missing(self, obj: ProtectedSystem) -> list[str]:
        return list(self._state(obj)[1].missing)


class DataStoreSerializer(serializers.ModelSerializer[DataStore]):
    class Meta:
        model = DataStore
        fields = ["id", "system", *STORE_FIELDS]
        validators: list[Any] = []  # the unique name is checked with a clear message

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        return checked(
            attrs,
            store_errors(
                current(self, attrs, "system"),
                current(self, attrs, "name", ""),
                self.instance,
            ),
        )


class ContinuityViewSet(viewsets.ModelViewSet[Any]):
    filter_backends = [DjangoFilterBackend, StableOrderingFilter]


class ContinuityReadOnlyViewSet(viewsets.ReadOnlyModelViewSet[Any]):
    """Records the API shows but others write (the runs, through ingest,
    restore and drills)."""

    filter_backends = ContinuityViewSet.filter_backends


class ProtectedSystemViewSet(ContinuityViewSet):
    """Protected systems with their RPO state and the 3-2-1 rule's gaps."""

    queryset = ProtectedSystem.objects.prefetch_related("assets")
    serializer_class = ProtectedSystemSerializer
    filterset_class = ProtectedSystemFilter
    ordering_fields = ["name", "criticality", "rpo_minutes", "rto_minutes"]
    states: dict[int, tuple[RpoState, Rule321]]

    def paginate_queryset(self, queryset: QuerySet[Any]) -> list[Any] | None:
        page = super().paginate_queryset(queryset)
        rows = page if page is not None else list(queryset)
        rpo, rules = rpo_states(rows), rule321.evaluate_many(rows)
        self.states = {row.pk: (rpo[row.pk], rules[row.pk]) for row in rows}
        return page


class DataStoreViewSet(ContinuityViewSet):
    """The data stores of the systems (databases, file trees, archives)."""

    queryset = DataStore.objects.all()
    serializer_class = DataStoreSerializer
    filterset_fields = ["system", "kind"]
    ordering_fields = ["name", "system"]


def register(router: BaseRouter) -> None:
    router.register(
        "continuity/systems", ProtectedSystemViewSet, basename="continuity-system"
    )
    router.register(
        "continuity/data-stores", DataStoreViewSet, basename="continuity-datastore"
    )
