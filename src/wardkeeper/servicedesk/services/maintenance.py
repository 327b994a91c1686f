"""Preventive maintenance and inspection rounds: generate work orders on
schedule, record checklist answers (a finding opens one corrective ticket per
work order), complete or skip, and escalate the overdue to the team lead.

``generate`` should run daily and ``escalate_overdue`` hourly; both are
idempotent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import reduce
from operator import or_
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from wardkeeper.core import audit
from wardkeeper.core.errors import DomainError
from wardkeeper.core.models.audit import AuditAction
from wardkeeper.core.notifications import notify
from wardkeeper.inventory.choices import AssetStatus
from wardkeeper.inventory.models import Asset
from wardkeeper.inventory.models.locations import subtree_q
from wardkeeper.servicedesk.choices import MaintenanceKind, Source
from wardkeeper.servicedesk.models import (
    MaintenancePlan,
    WorkOrder,
    WorkOrderAnswer,
    WorkOrderState,
)
from wardkeeper.servicedesk.services import tickets

# Assets that get preventive maintenance: in service, or on the shelf as spares.
MAINTAINED_STATUSES = (AssetStatus.IN_USE, AssetStatus.IN_STOCK)


@dataclass(frozen=True)
class Reading:
    """What the engineer entered for one checklist item."""

    passed: bool | None = None
    value: Decimal | None = None
    text: str = ""

    @property
    def is_blank(self) -> bool:
        return self.passed is None and self.value is None and not self.text.strip()


def scope_assets(plan: MaintenancePlan) -> QuerySet[Asset]:
    """The assets a preventive plan covers: of its types or models, inside its
    places (with everything in them). A plan naming nothing covers nothing."""
    types = list(plan.asset_types.values_list("pk", flat=True))
    models = list(plan.asset_models.values_list("pk", flat=True))
    places = list(plan.locations.values_list("pk", flat=True))
    if not (types or models or places):
        return Asset.objects.none()
    assets = Asset.objects.filter(status__in=MAINTAINED_STATUSES)
    if types or models:
        assets = assets.filter(Q(asset_type__in=types) | Q(model__in=models))
    if places:
        assets = assets.filter(
            reduce(or_, (subtree_q(pk, "location") for pk in places))
        )
    return assets


def targets(plan: MaintenancePlan) -> list[tuple[int | None, int | None]]:
    """``(asset id, place id)`` of each work order one due date brings: each
    asset in scope, or for a round each place listed (a round is of a place)."""
    if plan.is_round:
        return [(None, pk) for pk in plan.locations.values_list("pk", flat=True)]
    return list(scope_assets(plan).values_list("pk", "location_id"))


def generate(today: dt.date) -> int:
    """Create the work orders due from ``today`` to ``today`` + each plan's lead
    time; return how many were created. Running it again creates nothing new,
    except for assets that entered a plan's scope since."""
    plans = MaintenancePlan.objects.filter(is_active=True)
    return sum(_generate_plan(pk, today) for pk in plans.values_list("pk", flat=True))


@transaction.atomic
def _generate_plan(plan_id: int, today: dt.date) -> int:
    # Locking the plan serialises two runs of the job: the second sees the
    # first one's work orders and adds none.
    plan = MaintenancePlan.objects.select_for_update().get(pk=plan_id)
    dates = plan.due_dates(today, today + dt.timedelta(days=plan.lead_days))
    if not dates:
        return 0
    existing = {
        (asset_id or None, None if asset_id else location_id, due)
        for asset_id, location_id, due in WorkOrder.objects.filter(
            plan=plan, due_on__in=dates
        ).values_list("asset_id", "location_id", "due_on")
    }
    new = [
        WorkOrder(
            plan=plan,
            asset_id=asset_id,
            location_id=location_id,
            due_on=due,
            team_id=plan.team_id,
        )
        for due in dates
        for asset_id, location_id in targets(plan)
        if (asset_id, None if asset_id else location_id, due) not in existing
    ]
    WorkOrder.objects.bulk_create(new)
    # A bulk path records its own audit entries (one per work order).
    audit.append(
        audit.build_entry(
            AuditAction.CREATE, order, changes=audit.diff(None, order.audit_values())
        )
        for order in new
    )
    return len(new)


@transaction.atomic
def record(
    order: WorkOrder,
    readings: Mapping[int, Reading],
    *,
    actor: Any,
    complete: bool = False,
    now: dt.datetime | None = None,
) -> WorkOrder:
    """Save the answers (by checklist item id); with ``complete`` the work order
    is done, by ``actor``, now. A failed check or a reading outside its limits
    opens one corrective ticket for the work order (later findings are added to
    it). Raises DomainError if the order is closed or, to complete, a required
    item is unanswered; then nothing is saved."""
    now = now or timezone.now()
    order = WorkOrder.objects.select_for_update().get(pk=order.pk)
    if not order.is_open:
        raise DomainError(_("This work order is already closed."), code="closed")
    items = {item.pk: item for item in order.plan.checklist.items.all()}
    answers = {answer.item_id: answer for answer in order.answers.all()}
    findings = []
    for item_id, reading in readings.items():
        if item_id not in items:
            continue
        answer = answers.get(item_id) or WorkOrderAnswer(
            work_order=order, item=items[item_id]
        )
        was_finding = answer.is_finding
        if _same(answer, reading) or (answer.pk is None and reading.is_blank):
            continue
        answer.passed, answer.value, answer.text = (
            reading.passed,
            reading.value,
            reading.text.strip(),
        )
        answer.is_finding = items[item_id].is_finding(reading.passed, reading.value)
        answer.answered_by, answer.answered_at = actor, now
        answer.save()
        answers[item_id] = answer
        if answer.is_finding and not was_finding:
            findings.append(answer)
    if complete:
        _require_answers(items.values(), answers)
        order.state = WorkOrderState.DONE
        order.completed_at, order.completed_by = now, actor
        order.save()
    if findings:
        _report(order, findings, actor=actor, now=now)
    return order


def _same(answer: WorkOrderAnswer, reading: Reading) -> bool:
    return answer.pk is not None and (
        answer.passed,
        answer.value,
        answer.text,
    ) == (reading.passed, reading.value, reading.text.strip())


def _require_answers(items: Any, answers: dict[int, WorkOrderAnswer]) -> None:
    missing = [
        str(item)
        for item in items
        if item.required and not (item.pk in answers and answers[item.pk].is_answered)
    ]
    if missing:
        raise DomainError(
            _("Answer every required item first: %(items)s.")
            % {"items": ", ".join(missing)},
            code="incomplete",
        )


def finding_line(answer: WorkOrderAnswer) -> str:
    """The finding as a line: "Temperature: 31 °C (acceptable 18-27 °C)"."""
    line = f"{answer.item.text}: {answer.display}"
    if answer.item.limits:
        line += " " + _("(acceptable %(limits)s)") % {"limits": answer.item.limits}
    return line


def _report(
    order: WorkOrder, findings: list[WorkOrderAnswer], *, actor: Any, now: dt.datetime
) -> None:
    """Open the work order's ticket, or add the new findings to it."""
    lines = [finding_line(answer) for answer in findings]
    if order.ticket is not None:
        tickets.log_work(order.ticket, author=actor, note="\n".join(lines), now=now)
        return
    if len(findings) == 1:
        title = _("%(target)s: %(finding)s") % {
            "target": order.target,
            "finding": lines[0],
        }
    else:
        title = _("%(target)s: %(n)s findings on %(plan)s") % {
            "target": order.target,
            "n": len(findings),
            "plan": order.plan.name,
        }
    intro = _("Found on %(order)s (%(plan)s, due %(due)s):") % {
        "order": order.reference,
        "plan": order.plan.name,
        "due": order.due_on.isoformat(),
    }
    order.ticket = tickets.open_ticket(
        tickets.Report(
            title=title[:200],
            category=findings[0].item.category,
            description="\n".join([intro, *(f"- {line}" for line in lines)]),
            kind=MaintenanceKind.CORRECTIVE,
            asset=order.asset,
            location=order.location if order.asset_id is None else None,
            reporter=actor,
            source=Source.MAINTENANCE,
            origin=f"workorder:{order.pk}",
        ),
        now=now,
    )
    order.save()


@transaction.atomic
def skip(
    order: WorkOrder, *, reason: str, actor: Any, now: dt.datetime | None = None
) -> WorkOrder:
    """Close the work order without doing it; the reason is required."""
    if not reason.strip():
        raise DomainError(_("Say why the work is skipped."), field="reason")
    order = WorkOrder.objects.select_for_update().get(pk=order.pk)
    if not order.is_open:
        raise DomainError(_("This work order is already closed."), code="closed")
    order.state = WorkOrderState.SKIPPED
    order.skip_reason = reason.strip()
    order.completed_at, order.completed_by = now or timezone.now(), actor
    order.save()
    return order


def escalate_overdue(now: dt.datetime) -> int:
    """Tell each overdue work order's team lead, once per work order; return how
    many were escalated. Work orders of a team without a lead wait for one."""
    today = timezone.localdate(now)
    overdue = WorkOrder.objects.overdue(today).filter(
        escalated_at__isnull=True, team__lead__isnull=False
    )
    return sum(
        _escalate(order, now)
        for order in overdue.select_related("plan", "team__lead", "asset", "location")
    )


@transaction.atomic
def _escalate(order: WorkOrder, now: dt.datetime) -> int:
    # The conditional update claims the work order: a second run, or a run
    # beside this one, changes no row and so sends nothing.
    claimed = WorkOrder.objects.filter(pk=order.pk, escalated_at__isnull=True).update(
        escalated_at=now
    )
    if claimed != 1:
        return 0
    audit.record(
        AuditAction.UPDATE,
        order,
        changes={"escalated_at": [None, audit.jsonable(now)]},
        message=_("overdue, escalated to the team lead"),
    )
    notify(
        "workorder_overdue",
        [order.team.lead],  # type: ignore[union-attr]
        subject=_("Overdue: %(order)s") % {"order": order},
        body=_("%(order)s was due on %(due)s and is not done.")
        % {"order": order, "due": order.due_on.isoformat()},
        link=order.get_absolute_url(),
        context={"work_order": order.pk, "plan": order.plan_id},
    )
    return 1
