"""Write a planned demo hospital to the database in bulk, audit trail included.

Bulk inserts skip ``AuditedModel.save()``, so each batch appends its own
"created" entries (source "system", message "demo data"; through the audit's
bulk path, ``audit.record_created``) and fills the derived
fields that ``save()`` would have computed (a location's full name and campus,
an asset's type).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TypeVar

from django.db import models

from wardkeeper.core import audit
from wardkeeper.core.models.audit import AuditSource
from wardkeeper.inventory.choices import LocationKind
from wardkeeper.inventory.demo.assets import AssetSpec
from wardkeeper.inventory.demo.catalogue import MAKERS, MODELS, VENDORS
from wardkeeper.inventory.demo.plan import HospitalPlan
from wardkeeper.inventory.models import (
    Asset,
    AssetModel,
    AssetType,
    Department,
    Location,
    Manufacturer,
    Vendor,
)
from wardkeeper.inventory.models.locations import SEPARATOR

MESSAGE = "demo data"
M = TypeVar("M", bound=models.Model)
# Models whose support ends (or ended) around the demo's day, in days from it.
END_OF_SUPPORT = {
    "ThinkCentre M920t": -200,
    "PowerEdge R740": 300,
    "OptiPlex 7000": 540,
}


def demo_context() -> audit.AuditContext:
    return audit.AuditContext(source=AuditSource.SYSTEM, reason=MESSAGE)


def audit_created(objs: Sequence[models.Model]) -> None:
    """Append one "created" entry per object, with its initial field values,
    through the audit's bulk path (tens of thousands of them in the demo)."""
    audit.record_created(objs, message=MESSAGE, context=demo_context())


def insert(model: type[M], rows: list[M]) -> list[M]:
    """Bulk-create ``rows`` (ids are set on them) and audit their creation."""
    created = model._default_manager.bulk_create(rows, batch_size=500)
    audit_created(created)
    return created


def write_places(plan: HospitalPlan) -> dict[str, Location]:
    """Every location, level by level so parents exist first; by code."""
    by_code: dict[str, Location] = {}
    for kind in LocationKind.values:
        rows = []
        for spec in plan.places:
            if spec.kind != kind:
                continue
            parent = by_code.get(spec.parent) if spec.parent else None
            rows.append(
                Location(
                    kind=spec.kind,
                    code=spec.code,
                    name=spec.name,
                    parent=parent,
                    criticality=spec.criticality,
                    description=spec.description,
                    full_name=(
                        f"{parent.full_name}{SEPARATOR}{spec.name}"
                        if parent
                        else spec.name
                    ),
                    campus_id=parent.campus_id if parent else None,
                )
            )
        created = Location.objects.bulk_create(rows, batch_size=500)
        if kind == LocationKind.CAMPUS:
            # A campus is its own campus; its id exists only after the insert.
            for campus in created:
                campus.campus_id = campus.pk
            Location.objects.bulk_update(created, ["campus"])
        audit_created(created)
        by_code.update((location.code, location) for location in created)
    return by_code


def write_departments(
    plan: HospitalPlan, places: dict[str, Location]
) -> dict[str, Department]:
    rows = [
        Department(
            code=spec.code,
            name=spec.name,
            cost_centre=spec.cost_centre,
            is_clinical=spec.is_clinical,
            campus=places[spec.campus],
            head=spec.head,
            phone=spec.phone,
        )
        for spec in plan.departments
    ]
    return {dept.code: dept for dept in insert(Department, rows)}


def write_catalogue(
    today: dt.date,
) -> tuple[dict[str, AssetModel], dict[str, Vendor]]:
    """Manufacturers, their models and the vendors; models by "maker|name"."""
    makers = insert(
        Manufacturer,
        [
            Manufacturer(
                name=maker.name,
                website=f"https://www.{slug(maker.name)}.example",
                support_phone=maker.support_phone,
            )
            for maker in MAKERS
        ],
    )
    by_maker = {maker.name: maker for maker in makers}
    types = {kind.code: kind for kind in AssetType.objects.filter(is_builtin=True)}
    asset_models = insert(
        AssetModel,
        [
            AssetModel(
                manufacturer=by_maker[spec.maker],
                name=spec.name,
                asset_type=types[spec.type_code],
                part_number=spec.part_number,
                end_of_support=(
                    today + dt.timedelta(days=END_OF_SUPPORT[spec.name])
                    if spec.name in END_OF_SUPPORT
                    else None
                ),
            )
            for spec in MODELS
        ],
    )
    vendors = insert(
        Vendor,
        [
            Vendor(
                name=name, contact_name=contact, phone=phone, email=email, address=where
            )
            for name, contact, phone, email, where in VENDORS
        ],
    )
    return (
        {f"{m.manufacturer.name}|{m.name}": m for m in asset_models},
        {vendor.name: vendor for vendor in vendors},
    )


def slug(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isalnum())


def write_assets(
    plan: HospitalPlan,
    places: dict[str, Location],
    departments: dict[str, Department],
    asset_models: dict[str, AssetModel],
    vendors: dict[str, Vendor],
) -> dict[str, Asset]:
    """Every asset, whole ones first so components can name their parent."""
    by_tag: dict[str, Asset] = {}
    for pass_components in (False, True):
        rows = [
            asset_row(spec, places, departments, asset_models, vendors, by_tag)
            for spec in plan.assets
            if (spec.parent is not None) == pass_components
        ]
        by_tag.update((asset.tag, asset) for asset in insert(Asset, rows))
    return by_tag


def asset_row(
    spec: AssetSpec,
    places: dict[str, Location],
    departments: dict[str, Department],
    asset_models: dict[str, AssetModel],
    vendors: dict[str, Vendor],
    by_tag: dict[str, Asset],
) -> Asset:
    model = asset_models[f"{spec.model.maker}|{spec.model.name}"]
    return Asset(
        tag=spec.tag,
        name=spec.name[:150],
        serial=spec.serial,
        model=model,
        asset_type_id=model.asset_type_id,
        status=spec.status,
        condition=spec.condition,
        location=places[spec.room.code] if spec.room else None,
        department=departments.get(spec.department),
        custodian=spec.custodian,
        hostname=spec.hostname,
        ip_address=spec.ip_address,
        mac_address=spec.mac_address,
        purchase_order=spec.purchase_order,
        purchase_date=spec.purchase_date,
        purchase_cost=spec.purchase_cost,
        vendor=vendors.get(spec.vendor),
        warranty_end=spec.warranty_end,
        parent=by_tag[spec.parent.tag] if spec.parent else None,
        criticality_override=spec.criticality_override,
        notes=spec.notes,
    )
