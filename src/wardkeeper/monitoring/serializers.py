"""How monitoring's records read through the API, and the batch of engine
results a remote poller sends in."""

from __future__ import annotations

import time
from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers

from wardkeeper.core.api_serializers import CompactRelatedField
from wardkeeper.inventory.models import Asset
from wardkeeper.monitoring.engine.spec import Outcome, Result, Status
from wardkeeper.monitoring.models import Alert, Check
from wardkeeper.servicedesk.models import Team

# A poller's clock may run a little ahead; a result from further in the
# future is refused rather than corrupting the state's order.
MAX_CLOCK_SKEW = 300.0
MAX_BATCH = 5000


class CheckSerializer(serializers.ModelSerializer[Check]):
    """A check and its state. Secrets are never read through the API."""

    asset = CompactRelatedField(queryset=Asset.objects.all(), allow_null=True)
    team = CompactRelatedField(queryset=Team.objects.all(), allow_null=True)
    parents: Any = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Check
        fields = [
            "id",
            "name",
            "asset",
            "host",
            "kind",
            "params",
            "interval",
            "timeout",
            "confirm_down",
            "confirm_up",
            "severity",
            "parents",
            "team",
            "service",
            "notes",
            "enabled",
            "status",
            "status_since",
            "last_run_at",
            "last_up_at",
            "last_latency_ms",
            "last_message",
        ]
        read_only_fields = fields


class AlertSerializer(serializers.ModelSerializer[Alert]):
    source = CompactRelatedField(read_only=True)  # type: ignore[assignment]
    acknowledged_by: Any = serializers.StringRelatedField()
    ticket = serializers.SerializerMethodField()

    class Meta:
        model = Alert
        fields = [
            "id",
            "source",
            "severity",
            "state",
            "opened_at",
            "resolved_at",
            "message",
            "affected",
            "acknowledged_by",
            "acknowledged_at",
            "silenced_until",
            "escalated_at",
            "ticket",
        ]
        read_only_fields = fields

    def get_ticket(self, alert: Alert) -> str | None:
        return alert.ticket.reference if alert.ticket else None


class SilenceSerializer(serializers.Serializer[Any]):
    until = serializers.DateTimeField()


class OutcomeSerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=[s.value for s in Status])
    latency_ms = serializers.FloatField(
        required=False, allow_null=True, min_value=0, default=None
    )
    message = serializers.CharField(
        required=False, allow_blank=True, max_length=500, default=""
    )
    reason = serializers.CharField(
        required=False, allow_blank=True, max_length=40, default=""
    )
    values = serializers.DictField(required=False, default=dict)


class ResultSerializer(serializers.Serializer[Any]):
    """One engine Result: ``at`` in Unix seconds, ``lag`` in seconds."""

    check_id = serializers.IntegerField(min_value=1)
    at = serializers.FloatField(min_value=0)
    lag = serializers.FloatField(required=False, default=0.0, min_value=0)
    outcome = OutcomeSerializer()

    def validate_at(self, value: float) -> float:
        if value > time.time() + MAX_CLOCK_SKEW:
            raise serializers.ValidationError(_("This time is in the future."))
        return value


class ResultBatchSerializer(serializers.Serializer[Any]):
    results = ResultSerializer(many=True, allow_empty=False, max_length=MAX_BATCH)  # type: ignore[call-arg]

    def validate_results(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        ids = {row["check_id"] for row in rows}
        known = set(Check.objects.filter(pk__in=ids).values_list("pk", flat=True))
        unknown = sorted(ids - known)
        if unknown:
            raise serializers.ValidationError(
                _("No check has the number(s): %(ids)s.")
                % {"ids": ", ".join(map(str, unknown[:20]))}
            )
        return rows

    def engine_results(self) -> list[Result]:
        """The validated rows as the engine's Result objects."""
        return [
            Result(
                check_id=row["check_id"],
                at=row["at"],
                lag=row["lag"],
                outcome=Outcome(
                    status=Status(row["outcome"]["status"]),
                    latency_ms=row["outcome"]["latency_ms"],
                    message=row["outcome"]["message"],
                    reason=row["outcome"]["reason"],
                    values=dict(row["outcome"]["values"]),
                ),
            )
            for row in self.validated_data["results"]
        ]
