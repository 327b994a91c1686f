"""The service desk's API: tickets (report, read, work), teams, SLA policies.

Any signed-in user or token may report a fault and read their own reports;
the desk (``servicedesk.view_ticket``) reads all. Every change goes through
``services.tickets``, so the API keeps the same rules as the pages.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet, prefetch_related_objects
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter
from rest_framework.serializers import BaseSerializer

from wardkeeper.core.api_pagination import StableOrderingFilter
from wardkeeper.core.api_permissions import requires
from wardkeeper.core.errors import DomainError
from wardkeeper.servicedesk import serializers as s
from wardkeeper.servicedesk.choices import TicketState
from wardkeeper.servicedesk.filters import TicketFilter
from wardkeeper.servicedesk.models import SlaPolicy, Team, Ticket
from wardkeeper.servicedesk.services import tickets

# Refusals because of the state the ticket is in (not the input): 409.
STATE_CONFLICTS = frozenset({"move_refused", "not_resolved", "closed"})

signed_in = requires()
works_tickets = requires(s.WORK)


def ticket_rows() -> QuerySet[Ticket]:
    """Tickets with every relation a row shows, fetched in the same query."""
    return Ticket.objects.select_related(
        "asset", "location", "department", "reporter", "team", "assignee"
    )


def duplicate_answer(open_tickets: list[Ticket], context: dict[str, Any]) -> Response:
    """409 in the one error body, with the open tickets the report may join."""
    prefetch_related_objects(open_tickets, "assignee")
    message = _(
        'This asset already has an open ticket. Send "join": <id> to add '
        'your report to it, or "separate": true to open a new one.'
    )
    listed = s.OpenTicketSerializer(open_tickets, many=True, context=context).data
    error = {
        "code": "duplicate",
        "message": message,
        "fields": [{"field": "asset", "code": "duplicate", "message": message}],
        "open_tickets": listed,
    }
    return Response({"error": error}, status=status.HTTP_409_CONFLICT)


# The 409 answer to a duplicate report, for the schema.
DUPLICATE_ERROR = inline_serializer(
    "DuplicateError",
    {
        "error": inline_serializer(
            "DuplicateErrorBody",
            {
                "code": serializers.CharField(),
                "message": serializers.CharField(),
                "fields": serializers.ListField(child=serializers.DictField()),
                "open_tickets": s.OpenTicketSerializer(many=True),
            },
        )
    },
)


def post_action(permission: type[BasePermission]) -> Any:
    """A ``POST /api/tickets/{id}/<name>/`` action open to ``permission``."""
    return action(
        detail=True,
        methods=["post"],
        permission_classes=[permission],
        filter_backends=[],
    )


def _ticket_response(name: str, request: type[BaseSerializer[Any]]) -> Any:
    return extend_schema(
        operation_id=f"tickets_{name}",
        request=request,
        responses={200: s.TicketSerializer},
    )


class TicketViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[Ticket],
):
    """Tickets: report a fault (``POST``), read and filter them, and work on
    them through the actions below."""

    queryset = ticket_rows()
    serializer_class = s.TicketSerializer
    permission_classes = [signed_in]
    filter_backends = [DjangoFilterBackend, StableOrderingFilter]
    filterset_class = TicketFilter
    ordering_fields = [
        "id",
        "created_at",
        "updated_at",
        "priority",
        "state",
        "response_due_at",
        "restore_due_at",
        "title",
    ]

    def get_queryset(self) -> QuerySet[Ticket]:
        if getattr(self, "swagger_fake_view", False):
            return ticket_rows()
        return ticket_rows().visible_to(self.request.user)  # type: ignore[attr-defined]

    def handle_exception(self, exc: Exception) -> Response:
        response = super().handle_exception(exc)
        if isinstance(exc, DomainError) and exc.code in STATE_CONFLICTS:
            response.status_code = status.HTTP_409_CONFLICT
            response.data["error"]["code"] = "conflict"
        return response

    def _answer(self, ticket: Ticket, code: int = status.HTTP_200_OK) -> Response:
        fresh = ticket_rows().get(pk=ticket.pk)
        return Response(self.get_serializer(fresh).data, status=code)

    def _body(self, serializer: type[BaseSerializer[Any]]) -> dict[str, Any]:
        body = serializer(data=self.request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        return dict(body.validated_data)

    @extend_schema(
        request=s.TicketReportSerializer,
        responses={
            201: s.TicketSerializer,
            200: OpenApiResponse(
                s.TicketSerializer, description="The report joined an open ticket."
            ),
            409: OpenApiResponse(
                DUPLICATE_ERROR,
                description="The asset already has open tickets, listed in "
                "error.open_tickets; send join or separate.",
            ),
        },
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Report a fault. A report for an asset that already has an open
        ticket is answered 409 unless it says ``join`` or ``separate``."""
        report = s.TicketReportSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        report.is_valid(raise_exception=True)
        joining = report.validated_data.get("join")
        if joining is not None:
            tickets.join(joining, request.user, note=report.join_note())
            return self._answer(joining)
        if not report.validated_data["separate"]:
            duplicates = tickets.open_duplicates(report.validated_data.get("asset"))
            if duplicates:
                return duplicate_answer(duplicates, self.get_serializer_context())
        ticket = tickets.open_ticket(report.report(request.user))
        return self._answer(ticket, status.HTTP_201_CREATED)

    @_ticket_response("move", s.TicketMoveSerializer)
    @post_action(works_tickets)
    def move(self, request: Request, pk: str | None = None) -> Response:
        """Move the ticket to another state (resolving: with the resolution)."""
        ticket, body = self.get_object(), self._body(s.TicketMoveSerializer)
        outcome = {
            key: body.pop(key)
            for key in ("resolution_code", "cause", "resolution")
            if key in body
        }
        with transaction.atomic():
            if outcome:
                # Saved first so the move finds the resolution it needs; a
                # refused move rolls it back with the rest.
                for key, value in outcome.items():
                    setattr(ticket, key, value)
                ticket.save()
            ticket = tickets.move(ticket, actor=request.user, **body)
        return self._answer(ticket)

    @_ticket_response("assign", s.TicketAssignSerializer)
    @post_action(works_tickets)
    def assign(self, request: Request, pk: str | None = None) -> Response:
        """Give the ticket to an engineer (and team); a new one becomes assigned."""
        ticket, body = self.get_object(), self._body(s.TicketAssignSerializer)
        tickets.assign(ticket, actor=request.user, **body)
        return self._answer(ticket)

    @_ticket_response("priority", s.TicketPrioritySerializer)
    @post_action(works_tickets)
    def priority(self, request: Request, pk: str | None = None) -> Response:
        """Change the priority; lowering it needs ``lower_priority``, and below
        the rules a reason."""
        ticket, body = self.get_object(), self._body(s.TicketPrioritySerializer)
        if body["priority"] > ticket.priority and not request.user.has_perm(
            "servicedesk.lower_priority"
        ):
            self.permission_denied(request, _("You may not lower priorities."))
        try:
            tickets.set_priority(
                ticket, body["priority"], reason=body["reason"], actor=request.user
            )
        except DomainError as exc:
            if exc.field != "priority_reason":
                raise
            raise DomainError(exc.message, field="reason", code=exc.code) from exc
        return self._answer(ticket)

    @extend_schema(request=s.WorkLogSerializer, responses={201: s.WorkLogSerializer})
    @post_action(works_tickets)
    def worklog(self, request: Request, pk: str | None = None) -> Response:
        """Log work done on the ticket (``public``: the reporter sees it)."""
        ticket, body = self.get_object(), self._body(s.WorkLogSerializer)
        entry = tickets.log_work(ticket, author=request.user, **body)
        data = s.WorkLogSerializer(entry, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.VisitSerializer, responses={201: s.VisitSerializer})
    @post_action(works_tickets)
    def visits(self, request: Request, pk: str | None = None) -> Response:
        """Record an engineer's visit on site (arrival, departure)."""
        ticket, body = self.get_object(), self._body(s.VisitSerializer)
        visit = tickets.record_visit(ticket, engineer=request.user, **body)
        data = s.VisitSerializer(visit, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED)

    @_ticket_response("confirm", s.TicketConfirmSerializer)
    @post_action(signed_in)
    def confirm(self, request: Request, pk: str | None = None) -> Response:
        """The reporter confirms the fix with a rating; the ticket closes."""
        ticket = self.get_object()
        if ticket.reporter_id != request.user.pk:
            self.permission_denied(request, _("Only the reporter confirms the fix."))
        body = self._body(s.TicketConfirmSerializer)
        ticket = tickets.confirm(ticket, user=request.user, **body)
        return self._answer(ticket)

    @_ticket_response("reopen", s.TicketReopenSerializer)
    @post_action(signed_in)
    def reopen(self, request: Request, pk: str | None = None) -> Response:
        """The fault is back: the reporter or an engineer reopens the ticket."""
        ticket = self.get_object()
        if ticket.reporter_id != request.user.pk and not request.user.has_perm(s.WORK):
            self.permission_denied(
                request, _("Only the reporter or an engineer reopens a ticket.")
            )
        body = self._body(s.TicketReopenSerializer)
        ticket = tickets.move(
            ticket, TicketState.REOPENED, actor=request.user, note=body["note"]
        )
        return self._answer(ticket)


class TeamViewSet(viewsets.ReadOnlyModelViewSet[Team]):
    """The desk's teams, the categories they take, their lead and members."""

    queryset = Team.objects.select_related("lead").prefetch_related("members")
    serializer_class = s.TeamSerializer
    filter_backends = [StableOrderingFilter]
    ordering_fields = ["name", "code"]


class SlaPolicyViewSet(viewsets.ReadOnlyModelViewSet[SlaPolicy]):
    """Response and restore targets per priority (and department, category)."""

    queryset = SlaPolicy.objects.select_related("department")
    serializer_class = s.SlaPolicySerializer
    filter_backends = [DjangoFilterBackend, StableOrderingFilter]
    filterset_fields = ["priority", "department", "category"]
    ordering_fields = ["priority", "name", "response_minutes", "restore_minutes"]


def register(router: BaseRouter) -> None:
    """Add the service desk's viewsets to the one API router."""
    router.register("tickets", TicketViewSet, basename="ticket")
    router.register("teams", TeamViewSet, basename="team")
    router.register("sla-policies", SlaPolicyViewSet, basename="slapolicy")
