"""Findings API, for ticket and chat bots: what the backup checks found
wrong, open and past, with their evidence, their ticket and links to the
pages; read-only (the checks write them), and POST ``resolve`` resolves one
by hand, as the finding page's button does."""

from __future__ import annotations

from typing import Any

import django_filters
from django.urls import reverse
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from wardkeeper.continuity.api.systems import ContinuityReadOnlyViewSet
from wardkeeper.continuity.models import Finding
from wardkeeper.continuity.services import findings
from wardkeeper.core.api_errors import Conflict
from wardkeeper.core.api_permissions import requires
from wardkeeper.servicedesk.models import Ticket


def _page(serializer: serializers.BaseSerializer[Any], url: str) -> str:
    """A page's address, absolute when the request is known."""
    request = serializer.context.get("request")
    return request.build_absolute_uri(url) if request is not None else url


class FindingFilter(django_filters.FilterSet):
    """All findings unless filtered (the page starts at the open ones; an API
    client asks ``state=open``), so a finding's own URL never depends on its
    state."""

    since = django_filters.IsoDateTimeFilter(
        field_name="opened_at", lookup_expr="gte", label=_("Opened since")
    )

    class Meta:
        model = Finding
        fields = ["state", "kind", "system", "job", "destination", "since"]


class FindingTicketSerializer(serializers.ModelSerializer[Ticket]):
    reference = serializers.CharField(read_only=True, help_text="T000123")
    url = serializers.SerializerMethodField(help_text="The ticket's page.")

    class Meta:
        model = Ticket
        fields = ["id", "reference", "state", "url"]

    def get_url(self, obj: Ticket) -> str:
        return _page(self, obj.get_absolute_url())


class FindingSerializer(serializers.ModelSerializer[Finding]):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    subject = serializers.CharField(
        read_only=True,
        help_text="The problem's key (kind and subject): one open finding each.",
    )
    url = serializers.SerializerMethodField(help_text="The finding's page.")
    system_url = serializers.SerializerMethodField()
    job_url = serializers.SerializerMethodField()
    destination_url = serializers.SerializerMethodField()
    ticket = FindingTicketSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Finding
        fields = [
            "id",
            "kind",
            "kind_label",
            "state",
            "subject",
            "system",
            "job",
            "destination",
            "url",
            "system_url",
            "job_url",
            "destination_url",
            "opened_at",
            "resolved_at",
            "message",
            "evidence",
            "ticket",
        ]

    def _link(self, name: str, pk: int | None) -> str | None:
        return None if pk is None else _page(self, reverse(name, args=[pk]))

    def get_url(self, obj: Finding) -> str:
        return _page(self, obj.get_absolute_url())

    def get_system_url(self, obj: Finding) -> str | None:
        return self._link("continuity:protectedsystem-detail", obj.system_id)

    def get_job_url(self, obj: Finding) -> str | None:
        return self._link("continuity:backupjob-detail", obj.job_id)

    def get_destination_url(self, obj: Finding) -> str | None:
        return self._link("continuity:backupdestination-detail", obj.destination_id)


class FindingViewSet(ContinuityReadOnlyViewSet):
    """Findings, newest first; filter by ``state`` (``open``), ``kind``,
    ``system``, ``job``, ``destination`` and ``since`` (opened at or after,
    an ISO date-time). POST ``resolve`` resolves an open finding by hand
    (permission ``continuity.change_finding``; 409 when it is not open); the
    checks raise it again on their next round if the problem is still there."""

    queryset = Finding.objects.select_related("system", "job", "destination", "ticket")
    serializer_class = FindingSerializer
    filterset_class = FindingFilter
    ordering_fields = ["opened_at", "resolved_at", "kind"]

    @extend_schema(request=None, responses=FindingSerializer)
    @action(
        detail=True,
        methods=["post"],
        filter_backends=[],
        permission_classes=[
            requires("continuity.view_finding", "continuity.change_finding")
        ],
    )
    def resolve(self, request: Request, pk: Any = None) -> Response:
        """Resolve an open finding by hand, with a note on its ticket (409
        when it is not open). The checks raise it again if it persists."""
        finding = self.get_object()
        done = findings.resolve_by_hand(finding, actor=request.user)
        if not done:
            raise Conflict(_t("This finding was already resolved."), code="resolved")
        return Response(self.get_serializer(self.get_queryset().get(pk=pk)).data)


def register(router: BaseRouter) -> None:
    router.register(
        "continuity/findings", FindingViewSet, basename="continuity-finding"
    )
