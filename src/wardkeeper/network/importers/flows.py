"""Flow-policy rules, keyed by source and destination zone, policy,
protocol, ports and service: the same line of the policy is one rule."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from wardkeeper.inventory.transfer import cells
from wardkeeper.inventory.transfer.base import Planned
from wardkeeper.inventory.transfer.columns import Column
from wardkeeper.inventory.transfer.report import CellError, RowError
from wardkeeper.network.choices import FlowAction, FlowProtocol
from wardkeeper.network.importers.base import (
    Lookups,
    NetworkImporter,
    Resolver,
    filterset_for,
)
from wardkeeper.network.models import FlowRule
from wardkeeper.network.services import zones


def ports(value: Any) -> str:
    """Comma-separated ports or ranges (104, 8000-8010), checked and written
    as the rule form writes them (``zones.clean_ports``)."""
    try:
        return zones.clean_ports(cells.cell_text(value), FlowProtocol.TCP)
    except ValidationError as error:
        raise CellError(" ".join(error.messages)) from error


def targets(value: Any) -> str:
    """Hosts separated by spaces, commas or new lines, stored one per line."""
    words = cells.cell_text(value).replace(",", " ").split()
    return "\n".join(words)


class FlowRuleImporter(NetworkImporter[FlowRule]):
    """A row per rule of the flow policy."""

    kind = "flow-rules"
    model = FlowRule
    key_column = "source"
    filterset = filterset_for(FlowRule, ["source", "destination", "action"])
    fields = FlowRule.editable_fields

    @classmethod
    def columns(cls) -> Sequence[Column]:
        return (
            Column(
                "source", _("from zone"), cells.text(80, required=True), required=True
            ),
            Column(
                "destination",
                _("to zone"),
                cells.text(80, required=True),
                required=True,
            ),
            Column(
                "action",
                _("policy"),
                cells.choice(FlowAction, required=True),
                required=True,
            ),
            Column("service", _("service"), cells.text(120)),
            Column("protocol", _("protocol"), cells.choice(FlowProtocol)),
            Column("ports", _("ports"), ports),
            Column("targets", _("targets"), targets),
            Column("enabled", _("enabled"), cells.boolean()),
            Column("description", _("description"), cells.text()),
        )

    @classmethod
    def export_queryset(cls) -> QuerySet[FlowRule]:
        return FlowRule.objects.select_related("source", "destination")

    @classmethod
    def export_row(cls, obj: FlowRule) -> list[Any]:
        return [
            obj.source.name,
            obj.destination.name,
            obj.action,
            obj.service,
            obj.protocol,
            obj.ports,
            " ".join(obj.targets.split()),
            obj.enabled,
            obj.description,
        ]

    def key(self, values: dict[str, Any]) -> Hashable | None:
        if not values.get("source"):
            return None
        protocol = values.get("protocol") or FlowProtocol.TCP
        return (
            values["source"],
            values.get("destination"),
            values.get("action"),
            protocol,
            values.get("ports", ""),
            values.get("service", ""),
        )

    def preload(self, rows: Sequence[dict[str, Any]]) -> None:
        self.lookups = Lookups()
        self.by_key = {
            (
                r.source.name,
                r.destination.name,
                r.action,
                r.protocol,
                r.ports,
                r.service,
            ): r
            for r in self.export_queryset()
        }

    def existing(self, key: Hashable) -> FlowRule | None:
        return self.by_key.get(key)  # type: ignore[call-overload]

    def apply(self, planned: Planned[FlowRule]) -> list[RowError]:
        values, obj = planned.values, planned.obj
        find = Resolver(self.lookups, planned.row)
        source = find.zone("source", values["source"])
        destination = find.zone("destination", values["destination"])
        if source is not None and destination is not None:
            obj.source, obj.destination = source, destination
        obj.action = values["action"]
        self.set_unless_empty(obj, values, ("protocol", "enabled"))
        self.set_values(obj, values, ("service", "ports", "targets", "description"))
        return find.errors
