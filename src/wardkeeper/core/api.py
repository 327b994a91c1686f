"""Core API: the audit trail, read-only, for audit administrators."""

from __future__ import annotations

from rest_framework import serializers, viewsets
from rest_framework.routers import DefaultRouter

from wardkeeper.core.auditing.filters import AuditEntryFilter
from wardkeeper.core.models.audit import AuditEntry


class AuditEntrySerializer(serializers.ModelSerializer[AuditEntry]):
    """One entry with its hashes; ``content_type`` is ``app_label.model``."""

    content_type = serializers.SerializerMethodField()

    class Meta:
        model = AuditEntry
        fields = [
            "id",
            "at",
            "actor",
            "actor_name",
            "source",
            "client_ip",
            "action",
            "content_type",
            "object_id",
            "object_repr",
            "changes",
            "message",
            "flagged",
            "prev_hash",
            "hash",
        ]
        read_only_fields = fields

    def get_content_type(self, entry: AuditEntry) -> str | None:
        content_type = entry.content_type
        if content_type is None:
            return None
        return f"{content_type.app_label}.{content_type.model}"


class AuditEntryViewSet(viewsets.ReadOnlyModelViewSet[AuditEntry]):
    """The audit trail, newest first, with the audit page's filters. There are
    no write methods: the trail is append-only."""

    queryset = AuditEntry.objects.select_related("content_type").order_by("-id")
    serializer_class = AuditEntrySerializer
    filterset_class = AuditEntryFilter
    ordering_fields = ["id", "at"]


def register(router: DefaultRouter) -> None:
    """Add the core viewsets to the API router."""
    router.register("audit-entries", AuditEntryViewSet, basename="auditentry")
