"""Roles follow the positions of a hospital IT department (docs/roles.md).

A role is a Django group whose name is the role's code. ``sync_roles`` runs
after every migrate and makes each group hold exactly the permissions listed
here, so the table below is the single source of truth for who may do what.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# Reading the whole inventory (every listable inventory model).
INVENTORY_READ = [
    "inventory.view_location",
    "inventory.view_department",
    "inventory.view_manufacturer",
    "inventory.view_assettype",
    "inventory.view_assetmodel",
    "inventory.view_vendor",
    "inventory.view_contract",
    "inventory.view_asset",
    "inventory.view_sparepool",
    "inventory.view_stocktake",
]
# Keeping equipment records: assets, their lifecycle, spares, stocktakes, labels.
INVENTORY_KEEP = [
    "inventory.add_asset",
    "inventory.change_asset",
    "inventory.delete_asset",
    "inventory.move_asset",
    "inventory.add_assetmodel",
    "inventory.change_assetmodel",
    "inventory.add_manufacturer",
    "inventory.change_manufacturer",
    "inventory.add_vendor",
    "inventory.change_vendor",
    "inventory.add_contract",
    "inventory.change_contract",
    "inventory.delete_contract",
    "inventory.add_sparepool",
    "inventory.change_sparepool",
    "inventory.delete_sparepool",
    "inventory.add_stocktake",
    "inventory.change_stocktake",
    "inventory.add_datawiperecord",
    "inventory.import_inventory",
    "inventory.export_inventory",
]
# The hospital's structure and the catalogue of types: configuration.
INVENTORY_CONFIGURE = [
    "inventory.add_location",
    "inventory.change_location",
    "inventory.delete_location",
    "inventory.add_department",
    "inventory.change_department",
    "inventory.delete_department",
    "inventory.add_assettype",
    "inventory.change_assettype",
    "inventory.delete_assettype",
    "inventory.delete_assetmodel",
    "inventory.delete_manufacturer",
    "inventory.delete_vendor",
    "inventory.import_inventory",
    "inventory.export_inventory",
]
REGISTER_NETWORK_GEAR = [
    "inventory.add_asset",
    "inventory.change_asset",
    "inventory.move_asset",
    "inventory.add_assetmodel",
    "inventory.add_manufacturer",
]


@dataclass(frozen=True)
class Role:
    code: str
    label: str | Promise
    permissions: tuple[str, ...]
    admin_duty: bool = False  # one of the three separated administrator duties
    requires_mfa: bool = False


ROLES: tuple[Role, ...] = (
    Role(
        "network_engineer",
        _("Network engineer"),
        (*INVENTORY_READ, *REGISTER_NETWORK_GEAR),
    ),
    Role("database_engineer", _("Database engineer"), tuple(INVENTORY_READ)),
    Role(
        "hardware_engineer",
        _("Hardware maintenance engineer"),
        (*INVENTORY_READ, *INVENTORY_KEEP),
    ),
    Role(
        "security_engineer", _("Information-security engineer"), tuple(INVENTORY_READ)
    ),
    Role(
        "application_coordinator", _("Application coordinator"), tuple(INVENTORY_READ)
    ),
    Role(
        "training_engineer",
        _("Documentation and training engineer"),
        tuple(INVENTORY_READ),
    ),
    Role(
        "dictionary_engineer",
        _("Dictionary maintenance engineer"),
        tuple(INVENTORY_READ),
    ),
    Role(
        "analyst",
        _("Knowledge-mining analyst"),
        (*INVENTORY_READ, "inventory.export_inventory"),
    ),
    Role("web_maintainer", _("Website maintainer"), tuple(INVENTORY_READ)),
    Role(
        "it_director",
        _("IT director"),
        (*INVENTORY_READ, "inventory.export_inventory"),
        requires_mfa=True,
    ),
    Role("clinical_reporter", _("Clinical staff reporter"), ("inventory.view_asset",)),
    Role(
        "system_admin",
        _("System administrator"),
        ("core.manage_accounts", *INVENTORY_READ, *INVENTORY_CONFIGURE),
        admin_duty=True,
        requires_mfa=True,
    ),
    Role(
        "security_admin",
        _("Security administrator"),
        ("core.manage_roles", "core.view_user"),
        admin_duty=True,
        requires_mfa=True,
    ),
    Role(
        "audit_admin",
        _("Audit administrator"),
        ("core.view_auditentry", "core.export_auditentry"),
        admin_duty=True,
        requires_mfa=True,
    ),
)
BY_CODE = {role.code: role for role in ROLES}
ADMIN_DUTIES = frozenset(role.code for role in ROLES if role.admin_duty)
MFA_ROLES = frozenset(role.code for role in ROLES if role.requires_mfa)


def label(code: str) -> str:
    role = BY_CODE.get(code)
    return str(role.label) if role else code


def sync_roles() -> None:
    """Make each role's group hold exactly its listed permissions."""
    wanted = {perm for role in ROLES for perm in role.permissions}
    found = {
        f"{perm.content_type.app_label}.{perm.codename}": perm
        for perm in Permission.objects.select_related("content_type")
    }
    missing = sorted(wanted - found.keys())
    if missing:
        raise LookupError(f"roles name unknown permissions: {', '.join(missing)}")
    for role in ROLES:
        group, _created = Group.objects.get_or_create(name=role.code)
        group.permissions.set([found[perm] for perm in role.permissions])
