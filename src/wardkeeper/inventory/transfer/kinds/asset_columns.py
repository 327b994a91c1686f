"""The columns of an asset file, and an asset as a row of an export."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from wardkeeper.inventory.choices import AssetStatus, Condition, Criticality
from wardkeeper.inventory.models import Asset
from wardkeeper.inventory.transfer import cells
from wardkeeper.inventory.transfer.cells import choice_code
from wardkeeper.inventory.transfer.columns import Column


def columns() -> tuple[Column, ...]:
    text = cells.text
    return (
        Column("tag", _("asset tag"), text(64, required=True), required=True),
        Column("name", _("name"), text(150, required=True), required=True),
        Column("serial", _("serial number"), text(100)),
        Column("manufacturer", _("manufacturer"), text(120)),
        Column("model", _("model"), text(241, required=True), required=True),
        Column("type", _("type"), export_only=True),
        Column("status", _("status"), cells.choice(AssetStatus)),
        Column("condition", _("condition"), cells.choice(Condition)),
        Column("location_code", _("location code"), text(40)),
        Column("location", _("location"), export_only=True),
        Column("department_code", _("department code"), text(40)),
        Column("custodian", _("custodian"), text(120)),
        Column("hostname", _("hostname"), text(253)),
        Column("ip_address", _("IP address"), cells.ip_address),
        Column("mac_address", _("MAC address"), cells.mac_address),
        Column("purchase_order", _("purchase order"), text(60)),
        Column("purchase_date", _("purchase date"), cells.date),
        Column("purchase_cost", _("purchase cost"), cells.money),
        Column("book_value", _("book value"), export_only=True),
        Column("vendor", _("vendor"), text(120)),
        Column("warranty_end", _("warranty ends"), cells.date),
        Column("parent_tag", _("part of (tag)"), text(64)),
        Column(
            "criticality_override",
            _("criticality override"),
            cells.choice(Criticality),
        ),
        Column("notes", _("notes"), text()),
    )


def export_row(asset: Asset) -> list[Any]:
    """An asset as the columns above; the book value is today's."""
    override = asset.criticality_override
    return [
        asset.tag,
        asset.name,
        asset.serial,
        asset.model.manufacturer.name,
        asset.model.name,
        str(asset.asset_type),
        asset.status,
        asset.condition,
        asset.location.code if asset.location else "",
        asset.location.full_name if asset.location else "",
        asset.department.code if asset.department else "",
        asset.custodian,
        asset.hostname,
        asset.ip_address,
        asset.mac_address,
        asset.purchase_order,
        asset.purchase_date,
        asset.purchase_cost,
        asset.book_value(),
        asset.vendor.name if asset.vendor else "",
        asset.warranty_end,
        asset.parent.tag if asset.parent else "",
        "" if override is None else choice_code(Criticality(override)),
        asset.notes,
    ]
