"""Checklists, maintenance plans and work orders for tests."""

import datetime as dt
from decimal import Decimal

import factory

from wardkeeper.servicedesk.models import (
    Checklist,
    ChecklistItem,
    ItemKind,
    MaintenancePlan,
    PlanKind,
)


class ChecklistFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Checklist
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Checklist {n}")


class ChecklistItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChecklistItem

    checklist = factory.SubFactory(ChecklistFactory)
    position = factory.Sequence(lambda n: n)
    text = factory.Sequence(lambda n: f"Check {n}")
    kind = ItemKind.CHECK


class MaintenancePlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MaintenancePlan
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Plan {n}")
    checklist = factory.SubFactory(ChecklistFactory)
    starts_on = dt.date(2026, 1, 1)

    @factory.post_generation
    def locations(self, create, extracted, **kwargs):
        if create and extracted:
            self.locations.set(extracted)

    @factory.post_generation
    def asset_types(self, create, extracted, **kwargs):
        if create and extracted:
            self.asset_types.set(extracted)

    @factory.post_generation
    def asset_models(self, create, extracted, **kwargs):
        if create and extracted:
            self.asset_models.set(extracted)


def server_room_checklist() -> Checklist:
    """The daily server-room round: readings with limits, then the checks."""
    checklist = ChecklistFactory(name="Server room daily round")
    rows = [
        ("Temperature", ItemKind.MEASUREMENT, "°C", "18", "27"),
        ("Humidity", ItemKind.MEASUREMENT, "%", "40", "60"),
        ("UPS on mains, no alarm", ItemKind.CHECK, "", None, None),
        ("RAID and disk lights green", ItemKind.CHECK, "", None, None),
        ("Cooling units running", ItemKind.CHECK, "", None, None),
        ("Door access log reviewed", ItemKind.CHECK, "", None, None),
        ("Remarks", ItemKind.TEXT, "", None, None),
    ]
    for position, (text, kind, unit, low, high) in enumerate(rows, start=1):
        ChecklistItemFactory(
            checklist=checklist,
            position=position * 10,
            text=text,
            kind=kind,
            unit=unit,
            lower_limit=Decimal(low) if low else None,
            upper_limit=Decimal(high) if high else None,
            required=kind != ItemKind.TEXT,
        )
    return checklist


def server_room_round(room, team=None, **kwargs) -> MaintenancePlan:
    """A daily inspection round of ``room``."""
    return MaintenancePlanFactory(
        name="Daily server-room round",
        kind=PlanKind.ROUND,
        checklist=server_room_checklist(),
        team=team,
        locations=[room],
        **kwargs,
    )


# What the lead is asked to give the roles (see docs/servicedesk-maintenance.md).
DO_PERMS = ("view_workorder", "view_maintenanceplan", "view_checklist", "do_workorder")
MANAGE_PERMS = (
    *DO_PERMS,
    "add_checklist",
    "change_checklist",
    "add_checklistitem",
    "change_checklistitem",
    "delete_checklistitem",
    "add_maintenanceplan",
    "change_maintenanceplan",
    "change_workorder",
)


def grant(user, *codenames):
    """Give ``user`` these service-desk permissions (roles don't carry them yet)."""
    from django.contrib.auth.models import Permission

    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="servicedesk", codename__in=codenames
        )
    )
    # Django caches permissions on the instance.
    for cache in ("_perm_cache", "_user_perm_cache"):
        user.__dict__.pop(cache, None)
    return user
