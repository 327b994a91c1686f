"""Roles follow the positions of a hospital IT department (docs/roles.md).

A role is a Django group whose name is the role's code. ``sync_roles`` runs
after every migrate and makes each group hold exactly the permissions listed
here, so the table below is the single source of truth for who may do what.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext
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
    "inventory.view_datawiperecord",
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

# Reading the desk: every ticket, teams, rotas, SLA policies, problems.
DESK_READ = [
    "servicedesk.view_ticket",
    "servicedesk.view_team",
    "servicedesk.view_slapolicy",
    "servicedesk.view_workingcalendar",
    "servicedesk.view_problem",
    "servicedesk.view_figures",
    "servicedesk.view_rma",
    "servicedesk.view_spareswap",
    "servicedesk.view_checklist",
    "servicedesk.view_checklistitem",
    "servicedesk.view_maintenanceplan",
    "servicedesk.view_workorder",
    "servicedesk.view_workorderanswer",
]
# Working tickets: take, move, log work and visits, resolve; lower a priority
# with a reason; record problems.
DESK_WORK = [
    *DESK_READ,
    "servicedesk.work_ticket",
    "servicedesk.change_ticket",
    "servicedesk.lower_priority",
    "servicedesk.add_worklog",
    "servicedesk.add_visit",
    "servicedesk.add_problem",
    "servicedesk.change_problem",
    "servicedesk.add_rma",
    "servicedesk.change_rma",
    "servicedesk.do_workorder",
]
# Planning preventive maintenance and inspection rounds: checklists and plans.
DESK_PLAN = [
    "servicedesk.add_checklist",
    "servicedesk.change_checklist",
    "servicedesk.delete_checklist",
    "servicedesk.add_checklistitem",
    "servicedesk.change_checklistitem",
    "servicedesk.delete_checklistitem",
    "servicedesk.add_maintenanceplan",
    "servicedesk.change_maintenanceplan",
    "servicedesk.delete_maintenanceplan",
    "servicedesk.change_workorder",
]
# Running the desk: teams, rotas, SLA policies and calendars.
DESK_CONFIGURE = [
    "servicedesk.add_team",
    "servicedesk.change_team",
    "servicedesk.delete_team",
    "servicedesk.add_slapolicy",
    "servicedesk.change_slapolicy",
    "servicedesk.delete_slapolicy",
    "servicedesk.add_workingcalendar",
    "servicedesk.change_workingcalendar",
    "servicedesk.delete_workingcalendar",
    "servicedesk.add_rota",
    "servicedesk.change_rota",
    "servicedesk.delete_rota",
    "servicedesk.add_rotaoverride",
    "servicedesk.delete_rotaoverride",
]

# Monitoring: reading the board, checks, alerts and history.
MON_READ = [
    "monitoring.view_check",
    "monitoring.view_checktemplate",
    "monitoring.view_alert",
    "monitoring.view_alertrule",
    "monitoring.view_outage",
    "monitoring.view_maintenancewindow",
]
# Working alerts (acknowledge, silence) and planning maintenance windows.
MON_WORK = [
    *MON_READ,
    "monitoring.change_alert",
    "monitoring.add_maintenancewindow",
    "monitoring.change_maintenancewindow",
    "monitoring.delete_maintenancewindow",
]
# Keeping checks and the templates that give them to assets by type.
MON_KEEP = [
    "monitoring.add_check",
    "monitoring.change_check",
    "monitoring.delete_check",
    "monitoring.add_checktemplate",
    "monitoring.change_checktemplate",
    "monitoring.delete_checktemplate",
]
# Where alerts go.
MON_ROUTE = [
    "monitoring.add_alertrule",
    "monitoring.change_alertrule",
    "monitoring.delete_alertrule",
]

# Network documentation: reading it, keeping it, and the zones' flow policy.
_NET_DOCUMENTED = (
    "rack",
    "placement",
    "patchpanel",
    "outlet",
    "interface",
    "cable",
    "cabletest",
    "floorplan",
    "marker",
    "vlan",
    "prefix",
    "ipaddress",
)
NET_READ = [
    *(
        f"network.view_{model}"
        for model in (*_NET_DOCUMENTED, "panelport", "zone", "flowrule")
    ),
    "monitoring.view_poller",
]
NET_KEEP = [
    f"network.{verb}_{model}"
    for model in _NET_DOCUMENTED
    for verb in ("add", "change", "delete")
]
# Zones, the flows between them and the pollers that verify them.
NET_POLICY = [
    f"{app}.{verb}_{model}"
    for app, model in (
        ("network", "zone"),
        ("network", "flowrule"),
        ("monitoring", "poller"),
    )
    for verb in ("add", "change", "delete")
]

# Backup and recovery: reading it; keeping systems, jobs and restore tests;
# writing runbooks and planning drills; taking part in a drill.
_CONT_KEPT = (
    "protectedsystem",
    "datastore",
    "backupdestination",
    "backupjob",
    "backuprun",
    "restoretest",
    "sanityquery",
)
_CONT_PLANNED = ("runbook", "runbookstep", "drill", "drillstep")
CONT_READ = [
    f"continuity.view_{model}"
    for model in (*_CONT_KEPT, *_CONT_PLANNED, "restorerun", "finding")
]
CONT_KEEP = [
    *(
        f"continuity.{verb}_{model}"
        for model in _CONT_KEPT
        for verb in ("add", "change", "delete")
    ),
    "continuity.add_restorerun",  # start a restore test on demand
    "continuity.change_finding",
]
CONT_PLAN = [
    f"continuity.{verb}_{model}"
    for model in _CONT_PLANNED
    for verb in ("add", "change", "delete")
]
CONT_DRILL = ["continuity.change_drill", "continuity.change_drillstep"]
CONT_APPROVE = ["continuity.approve_runbook"]


@dataclass(frozen=True)
class Role:
    """A position in the hospital's IT department and the permissions its work
    needs; ``summary`` says in one sentence what the holder does here."""

    code: str
    label: str | Promise
    permissions: tuple[str, ...]
    admin_duty: bool = False  # one of the three separated administrator duties
    requires_mfa: bool = False
    summary: str | Promise = ""


ROLES: tuple[Role, ...] = (
    Role(
        "network_engineer",
        _("Network engineer"),
        (
            *INVENTORY_READ,
            *REGISTER_NETWORK_GEAR,
            *DESK_WORK,
            *MON_WORK,
            *MON_KEEP,
            *NET_READ,
            *NET_KEEP,
            *NET_POLICY,
            *CONT_READ,
            *CONT_DRILL,
        ),
        summary=_(
            "Keeps switches, routers, firewalls and servers running; registers "
            "network equipment in the inventory and documents the network."
        ),
    ),
    Role(
        "database_engineer",
        _("Database engineer"),
        (
            *INVENTORY_READ,
            *DESK_WORK,
            *MON_WORK,
            *MON_KEEP,
            *NET_READ,
            *CONT_READ,
            *CONT_KEEP,
            *CONT_PLAN,
        ),
        summary=_("Looks after database servers and backups; reads the inventory."),
    ),
    Role(
        "hardware_engineer",
        _("Hardware maintenance engineer"),
        (
            *INVENTORY_READ,
            *INVENTORY_KEEP,
            *DESK_WORK,
            *DESK_PLAN,
            *MON_WORK,
            *NET_READ,
            *CONT_READ,
            *CONT_DRILL,
        ),
        summary=_(
            "Keeps the equipment records: assets through their lifecycle, spares, "
            "contracts, stocktakes, labels, import and export."
        ),
    ),
    Role(
        "security_engineer",
        _("Information-security engineer"),
        (
            *INVENTORY_READ,
            *DESK_WORK,
            *MON_WORK,
            *MON_KEEP,
            *NET_READ,
            *NET_POLICY,
            *CONT_READ,
            *CONT_DRILL,
        ),
        summary=_("Assesses risks of networked equipment; reads the inventory."),
    ),
    Role(
        "application_coordinator",
        _("Application coordinator"),
        (*INVENTORY_READ, *DESK_WORK, *MON_WORK, *CONT_READ, *CONT_PLAN),
        summary=_("Coordinates HIS, LIS and PACS problems; reads the inventory."),
    ),
    Role(
        "training_engineer",
        _("Documentation and training engineer"),
        (*INVENTORY_READ, *DESK_WORK, *MON_WORK, *CONT_READ, *CONT_PLAN),
        summary=_("Writes procedures and runs training; reads the inventory."),
    ),
    Role(
        "dictionary_engineer",
        _("Dictionary maintenance engineer"),
        (*INVENTORY_READ, *DESK_WORK, *MON_WORK, *CONT_READ, *CONT_DRILL),
        summary=_("Maintains the master-data dictionaries; reads the inventory."),
    ),
    Role(
        "analyst",
        _("Knowledge-mining analyst"),
        (
            *INVENTORY_READ,
            "inventory.export_inventory",
            *DESK_READ,
            *MON_READ,
            *NET_READ,
            *CONT_READ,
        ),
        summary=_("Builds reports and trends; reads and exports the inventory."),
    ),
    Role(
        "web_maintainer",
        _("Website maintainer"),
        (*INVENTORY_READ, *DESK_WORK, *MON_WORK, *MON_KEEP, *CONT_READ, *CONT_DRILL),
        summary=_("Runs the hospital website and mail servers; reads the inventory."),
    ),
    Role(
        "it_director",
        _("IT director"),
        (
            *INVENTORY_READ,
            "inventory.export_inventory",
            *DESK_WORK,
            *DESK_CONFIGURE,
            *DESK_PLAN,
            *MON_WORK,
            *MON_ROUTE,
            *NET_READ,
            *CONT_READ,
            *CONT_APPROVE,
        ),
        requires_mfa=True,
        summary=_(
            "Oversees the department: reads and exports everything in the inventory. "
            "Must use a second factor."
        ),
    ),
    Role(
        "clinical_reporter",
        _("Clinical staff reporter"),
        ("inventory.view_asset",),
        summary=_(
            "Doctors, nurses and clerks: look up a device (by its label) to report "
            "a fault."
        ),
    ),
    Role(
        "system_admin",
        _("System administrator"),
        (
            "core.manage_accounts",
            "core.manage_notifications",
            *INVENTORY_READ,
            *INVENTORY_CONFIGURE,
            *DESK_READ,
            *DESK_CONFIGURE,
            *MON_READ,
            *MON_KEEP,
            *MON_ROUTE,
            "monitoring.view_metrics",
            *NET_READ,
            "monitoring.add_poller",
            "monitoring.change_poller",
            "monitoring.delete_poller",
            *CONT_READ,
        ),
        admin_duty=True,
        requires_mfa=True,
        summary=_(
            "Configuration and accounts: creates, edits and disables accounts, "
            "configures locations, departments and types. Cannot grant roles."
        ),
    ),
    Role(
        "security_admin",
        _("Security administrator"),
        ("core.manage_roles", "core.view_user"),
        admin_duty=True,
        requires_mfa=True,
        summary=_(
            "Roles, permissions and security settings: grants and removes roles, "
            "resets lost second factors. Cannot create accounts."
        ),
    ),
    Role(
        "audit_admin",
        _("Audit administrator"),
        ("core.view_auditentry", "core.export_auditentry"),
        admin_duty=True,
        requires_mfa=True,
        summary=_(
            "Reads and exports the audit trail, and changes nothing else. Holds no "
            "other role."
        ),
    ),
)
BY_CODE = {role.code: role for role in ROLES}
ADMIN_DUTIES = frozenset(role.code for role in ROLES if role.admin_duty)
MFA_ROLES = frozenset(role.code for role in ROLES if role.requires_mfa)
# The audit administrator watches everyone else, so holds nothing else.
EXCLUSIVE_ROLES = frozenset({"audit_admin"})


def label(code: str) -> str:
    """The role's name in the current language (the code if unknown)."""
    role = BY_CODE.get(code)
    return str(role.label) if role else code


def duty_conflict(codes: Iterable[str]) -> tuple[str, str] | None:
    """Two roles that one account may not hold together, or None.

    Separation of duties: at most one of the three administrator duties, and an
    exclusive role (the audit administrator) with no other role at all."""
    order = {code: index for index, code in enumerate(BY_CODE)}
    held = sorted(set(codes), key=lambda code: order.get(code, len(order)))
    duties = [code for code in held if code in ADMIN_DUTIES]
    if len(duties) > 1:
        return duties[0], duties[1]
    for code in held:
        if code in EXCLUSIVE_ROLES and len(held) > 1:
            other = next(item for item in held if item != code)
            return code, other
    return None


_VERBS = {
    "view": _("Read"),
    "add": _("Create"),
    "change": _("Change"),
    "delete": _("Delete"),
}


def describe_permissions(codes: Iterable[str]) -> list[str]:
    """The permissions in words, one line per verb ("Read: assets, locations")
    and one per special permission, in the current language."""
    by_verb: dict[str, list[str]] = {}
    special: list[str] = []
    for code in codes:
        app_label, _dot, codename = code.partition(".")
        verb, _sep, model_name = codename.partition("_")
        try:
            model = apps.get_model(app_label, model_name)
        except LookupError:
            model = None
        if verb in _VERBS and model is not None:
            by_verb.setdefault(verb, []).append(str(model._meta.verbose_name_plural))
            continue
        special.append(_special_label(app_label, codename))
    lines = [
        f"{_VERBS[verb]}: {', '.join(dict.fromkeys(things))}"
        for verb in _VERBS
        if (things := by_verb.get(verb))
    ]
    return lines + [capfirst(text) for text in dict.fromkeys(special)]


def _special_label(app_label: str, codename: str) -> str:
    """The label a model's ``Meta.permissions`` gives a custom permission."""
    for model in apps.get_app_config(app_label).get_models():
        for name, text in model._meta.permissions:
            if name == codename:
                return str(text)
    return gettext("%(code)s (unnamed permission)") % {"code": codename}


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
