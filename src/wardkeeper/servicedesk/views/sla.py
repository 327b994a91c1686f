"""Pages of working calendars and SLA policies (the generic views, configured)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _

from wardkeeper.core.views.generic import (
    Column,
    ObjectCreate,
    ObjectDelete,
    ObjectDetail,
    ObjectList,
    ObjectUpdate,
)
from wardkeeper.servicedesk.models import SlaPolicy, WorkingCalendar
from wardkeeper.servicedesk.sla_forms import (
    SlaPolicyFilter,
    SlaPolicyForm,
    WorkingCalendarFilter,
    WorkingCalendarForm,
)

CALENDAR_FORM = "servicedesk/sla_calendar_form.html"


class WorkingCalendarList(ObjectList):
    model = WorkingCalendar
    queryset = WorkingCalendar.objects.annotate(
        policy_count=Count("policies", distinct=True),
        holiday_count=Count("holidays", distinct=True),
    )
    filterset_class = WorkingCalendarFilter
    columns = [
        Column(_("Name"), "name", link=True),
        Column(_("Time zone"), "time_zone"),
        Column(_("24/7"), "around_the_clock", yesno=True),
        Column(_("Holidays"), "holiday_count", css="text-end"),
        Column(_("Policies"), "policy_count", css="text-end"),
    ]


class WorkingCalendarDetail(ObjectDetail):
    model = WorkingCalendar

    def get_template_names(self) -> list[str]:
        return ["servicedesk/sla_calendar_detail.html"]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        calendar: WorkingCalendar = self.object
        context.update(
            week=[
                (name, calendar.hours.get(str(day), []))
                for day, name in WEEKDAYS.items()
            ],
            holidays=calendar.holidays.all(),
            policies=calendar.policies.select_related("department"),
        )
        return context


class WorkingCalendarCreate(ObjectCreate):
    model = WorkingCalendar
    form_class = WorkingCalendarForm
    template_name = CALENDAR_FORM


class WorkingCalendarUpdate(ObjectUpdate):
    model = WorkingCalendar
    form_class = WorkingCalendarForm
    template_name = CALENDAR_FORM


class WorkingCalendarDelete(ObjectDelete):
    model = WorkingCalendar


class SlaPolicyList(ObjectList):
    model = SlaPolicy
    queryset = SlaPolicy.objects.select_related("department", "calendar")
    filterset_class = SlaPolicyFilter
    filter_fields = ("q", "priority", "category", "is_active")
    filter_more = ("department", "calendar")
    columns = [
        Column(_("Name"), "name", link=True),
        Column(_("Priority"), "priority", badge=True),
        Column(_("Applies to"), "applies_to"),
        Column(_("Respond within"), "response_text"),
        Column(_("Restore within"), "restore_text"),
        Column(_("Calendar"), "calendar"),
        Column(_("Active"), "is_active", yesno=True),
    ]


class SlaPolicyDetail(ObjectDetail):
    model = SlaPolicy
    queryset = SlaPolicy.objects.select_related("department", "calendar")

    def get_template_names(self) -> list[str]:
        return ["servicedesk/sla_policy_detail.html"]


class SlaPolicyCreate(ObjectCreate):
    model = SlaPolicy
    form_class = SlaPolicyForm


class SlaPolicyUpdate(ObjectUpdate):
    model = SlaPolicy
    form_class = SlaPolicyForm


class SlaPolicyDelete(ObjectDelete):
    model = SlaPolicy
