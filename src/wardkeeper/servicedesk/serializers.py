"""How service-desk records read and write through the API.

Tickets are read whole (relations as ``{"id", "name"}``, choices with their
label) and written only through the ticket service: a report opens one, the
action bodies below move, assign, prioritise and confirm it. A reporter of
the fault names the asset by its tag and the place by its code, what a kiosk
or another system knows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from wardkeeper.core.api_serializers import CompactRelatedField, choice_display
from wardkeeper.inventory.models import Asset, Department, Location
from wardkeeper.servicedesk.choices import (
    Category,
    Impact,
    MaintenanceKind,
    Priority,
    ResolutionCode,
    Source,
    TicketState,
    Urgency,
    WaitingFor,
)
from wardkeeper.servicedesk.models import SlaPolicy, Team, Ticket, Visit, WorkLog
from wardkeeper.servicedesk.services.tickets import Report, allowed_moves

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

SEE_ALL = "servicedesk.view_ticket"
WORK = "servicedesk.work_ticket"


class TicketSerializer(serializers.ModelSerializer[Ticket]):
    """A ticket as the desk and its reporter read it."""

    reference = serializers.CharField(read_only=True)
    category_display = choice_display("category")
    kind_display = choice_display("kind")
    impact_display = choice_display("impact")
    urgency_display = choice_display("urgency")
    priority_display = choice_display("priority")
    state_display = choice_display("state")
    waiting_for_display = choice_display("waiting_for")
    source_display = choice_display("source")
    resolution_code_display = choice_display("resolution_code")
    asset = CompactRelatedField(read_only=True)
    location = CompactRelatedField(read_only=True)
    department = CompactRelatedField(read_only=True)
    reporter = CompactRelatedField(read_only=True)
    team = CompactRelatedField(read_only=True)
    assignee = CompactRelatedField(read_only=True)
    allowed_moves = serializers.SerializerMethodField(
        help_text=gettext_lazy("The states the ticket may move to from here.")
    )

    class Meta:
        model = Ticket
        fields = [
            "id",
            "reference",
            "title",
            "description",
            "category",
            "category_display",
            "kind",
            "kind_display",
            "impact",
            "impact_display",
            "urgency",
            "urgency_display",
            "computed_priority",
            "priority",
            "priority_display",
            "priority_reason",
            "state",
            "state_display",
            "waiting_for",
            "waiting_for_display",
            "allowed_moves",
            "source",
            "source_display",
            "asset",
            "location",
            "department",
            "reporter",
            "reporter_name",
            "reporter_phone",
            "team",
            "assignee",
            "created_at",
            "assigned_at",
            "responded_at",
            "resolved_at",
            "closed_at",
            "updated_at",
            "sla_policy",
            "response_due_at",
            "restore_due_at",
            "sla_paused_at",
            "response_breached",
            "restore_breached",
            "sla_met",
            "escalation_level",
            "resolution_code",
            "resolution_code_display",
            "cause",
            "resolution",
            "reopen_count",
            "visit_count",
            "first_time_fix",
            "rating",
            "feedback",
            "confirmed_at",
            "duplicate_of",
            "problem",
        ]
        read_only_fields = fields

    @extend_schema_field(
        serializers.ListField(child=serializers.ChoiceField(TicketState.choices))
    )
    def get_allowed_moves(self, ticket: Ticket) -> list[str]:
        return sorted(str(state) for state in allowed_moves(ticket))

    def to_representation(self, instance: Ticket) -> dict[str, Any]:
        data = super().to_representation(instance)
        # Someone who joined another person's report follows its state but
        # does not get that person's name and call-back number.
        user = self.context["request"].user
        if instance.reporter_id != user.pk and not user.has_perm(SEE_ALL):
            data.update(reporter=None, reporter_name="", reporter_phone="")
        return data


class OpenTicketSerializer(serializers.ModelSerializer[Ticket]):
    """An open ticket offered to a new report of the same asset to join."""

    reference = serializers.CharField(read_only=True)
    state_display = choice_display("state")
    priority_display = choice_display("priority")
    assignee = CompactRelatedField(read_only=True)

    class Meta:
        model = Ticket
        fields = [
            "id",
            "reference",
            "title",
            "state",
            "state_display",
            "priority",
            "priority_display",
            "assignee",
            "created_at",
        ]
        read_only_fields = fields


def _by_code(
    model: Any, what: StrOrPromise, **kwargs: Any
) -> serializers.SlugRelatedField[Any]:
    return serializers.SlugRelatedField(
        slug_field="code",
        queryset=model.objects.all(),
        required=False,
        allow_null=True,
        error_messages={"does_not_exist": what},
        **kwargs,
    )


class TicketReportSerializer(serializers.Serializer[Any]):
    """A fault report: what is wrong, where, how bad, and who to call back.

    The asset is named by its tag (its place and department follow from it);
    without an asset, the place and department by their codes."""

    title = serializers.CharField(max_length=200)
    category = serializers.ChoiceField(Category.choices)
    kind = serializers.ChoiceField(
        MaintenanceKind.choices, default=MaintenanceKind.CORRECTIVE
    )
    impact = serializers.ChoiceField(Impact.choices, default=Impact.ONE)
    urgency = serializers.ChoiceField(Urgency.choices, default=Urgency.MEDIUM)
    description = serializers.CharField(allow_blank=True, default="")
    asset = serializers.SlugRelatedField(
        slug_field="tag",
        queryset=Asset.objects.select_related("location", "department"),
        required=False,
        allow_null=True,
        error_messages={
            "does_not_exist": gettext_lazy("No asset has the tag {value}.")
        },
        help_text=gettext_lazy("The asset's tag, as on its label."),
    )
    location = _by_code(
        Location,
        gettext_lazy("No place has the code {value}."),
        help_text=gettext_lazy("The code of the room or other place."),
    )
    department = _by_code(
        Department,
        gettext_lazy("No department has the code {value}."),
        help_text=gettext_lazy("The department's code."),
    )
    reporter_name = serializers.CharField(
        max_length=120,
        allow_blank=True,
        default="",
        help_text=gettext_lazy(
            "Who reports it, when the caller is a kiosk or another system; "
            "otherwise the signed-in user's name."
        ),
    )
    reporter_phone = serializers.CharField(max_length=40, allow_blank=True, default="")
    join = serializers.PrimaryKeyRelatedField(
        queryset=Ticket.objects.all(),
        required=False,
        allow_null=True,
        help_text=gettext_lazy(
            "Join this open ticket (one offered by a 409 answer) instead of "
            "opening a new one."
        ),
    )
    separate = serializers.BooleanField(
        default=False,
        help_text=gettext_lazy(
            "Open a new ticket even though the asset already has an open one."
        ),
    )

    def validate_join(self, ticket: Ticket | None) -> Ticket | None:
        if ticket is not None and not ticket.is_open:
            raise serializers.ValidationError(
                _("Ticket %(ref)s is no longer open.") % {"ref": ticket.reference},
                code="closed",
            )
        return ticket

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("join") is not None and attrs["separate"]:
            raise serializers.ValidationError(
                {"separate": _("Either join a ticket or open a separate one.")},
                code="conflicting",
            )
        return attrs

    def report(self, reporter: Any) -> Report:
        """The validated body as the ticket service's report."""
        data = self.validated_data
        return Report(
            title=data["title"],
            category=data["category"],
            kind=data["kind"],
            impact=data["impact"],
            urgency=data["urgency"],
            description=data["description"],
            asset=data.get("asset"),
            location=data.get("location"),
            department=data.get("department"),
            reporter=reporter,
            reporter_name=data["reporter_name"],
            reporter_phone=data["reporter_phone"],
            source=Source.API,
        )

    def join_note(self) -> str:
        """What a joining report adds to the open ticket's work log."""
        data = self.validated_data
        lines = [data["title"], data["description"]]
        if data["reporter_name"]:
            lines.insert(
                0,
                _("Also reported by %(name)s %(phone)s.")
                % {"name": data["reporter_name"], "phone": data["reporter_phone"]},
            )
        return "\n".join(line.strip() for line in lines if line.strip())


class TicketMoveSerializer(serializers.Serializer[Any]):
    """A state move; resolving gives the resolution in the same call."""

    to = serializers.ChoiceField(TicketState.choices)
    note = serializers.CharField(allow_blank=True, default="")
    waiting_for = serializers.ChoiceField(
        WaitingFor.choices, allow_blank=True, default=""
    )
    resolution_code = serializers.ChoiceField(ResolutionCode.choices, required=False)
    cause = serializers.CharField(max_length=200, allow_blank=True, required=False)
    resolution = serializers.CharField(allow_blank=True, required=False)


class TicketAssignSerializer(serializers.Serializer[Any]):
    """Give the ticket to an engineer, and optionally to a team."""

    assignee = CompactRelatedField(
        queryset=get_user_model().objects.filter(is_active=True)
    )
    team = CompactRelatedField(
        queryset=Team.objects.all(), required=False, allow_null=True
    )

    def validate_assignee(self, user: Any) -> Any:
        if not user.has_perm(WORK):
            raise serializers.ValidationError(
                _("%(name)s does not work on tickets.") % {"name": user},
                code="not_an_engineer",
            )
        return user


class TicketPrioritySerializer(serializers.Serializer[Any]):
    """A new priority; below what the rules give, with the reason."""

    priority = serializers.ChoiceField(Priority.choices)
    reason = serializers.CharField(allow_blank=True, default="")


class TicketConfirmSerializer(serializers.Serializer[Any]):
    """The reporter confirms the fix with a rating from 1 to 5."""

    rating = serializers.IntegerField(min_value=1, max_value=5)
    feedback = serializers.CharField(allow_blank=True, default="")


class TicketReopenSerializer(serializers.Serializer[Any]):
    """Why the fault is back."""

    note = serializers.CharField()


class WorkLogSerializer(serializers.ModelSerializer[WorkLog]):
    """Work done on a ticket; ``public`` entries are shown to the reporter."""

    author = CompactRelatedField(read_only=True)

    class Meta:
        model = WorkLog
        fields = ["id", "at", "author", "minutes", "note", "public"]
        read_only_fields = ["id", "at", "author"]


class VisitSerializer(serializers.ModelSerializer[Visit]):
    """An engineer's time on site."""

    engineer = CompactRelatedField(read_only=True)

    class Meta:
        model = Visit
        fields = ["id", "engineer", "arrived_at", "left_at", "note"]
        read_only_fields = ["id", "engineer"]


class TeamSerializer(serializers.ModelSerializer[Team]):
    categories = serializers.ListField(
        child=serializers.ChoiceField(Category.choices), read_only=True
    )
    lead = CompactRelatedField(read_only=True)
    members = CompactRelatedField(many=True, read_only=True)

    class Meta:
        model = Team
        fields = ["id", "code", "name", "categories", "lead", "members"]
        read_only_fields = fields


class SlaPolicySerializer(serializers.ModelSerializer[SlaPolicy]):
    priority_display = choice_display("priority")
    category_display = choice_display("category")
    department = CompactRelatedField(read_only=True)

    class Meta:
        model = SlaPolicy
        fields = [
            "id",
            "name",
            "priority",
            "priority_display",
            "department",
            "category",
            "category_display",
            "response_minutes",
            "restore_minutes",
        ]
        read_only_fields = fields
