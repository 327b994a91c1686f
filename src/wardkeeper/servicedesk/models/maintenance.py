"""Preventive maintenance plans, inspection rounds, checklists and work orders
(owned by the maintenance work), one module each; scheduling and the flows
across objects live in ``services/maintenance.py``."""

from __future__ import annotations

from wardkeeper.servicedesk.models.maintenance_checklists import (
    Checklist,
    ChecklistItem,
    ItemKind,
)
from wardkeeper.servicedesk.models.maintenance_orders import (
    WorkOrder,
    WorkOrderAnswer,
    WorkOrderQuerySet,
    WorkOrderState,
)
from wardkeeper.servicedesk.models.maintenance_plans import (
    Frequency,
    MaintenancePlan,
    PlanKind,
    add_months,
)

__all__ = [
    "Checklist",
    "ChecklistItem",
    "Frequency",
    "ItemKind",
    "MaintenancePlan",
    "PlanKind",
    "WorkOrder",
    "WorkOrderAnswer",
    "WorkOrderQuerySet",
    "WorkOrderState",
    "add_months",
]
