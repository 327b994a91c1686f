"""The menu: one section per area of the product, each item shown only to
users who hold its permission. Areas add their items here as they land."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

EVERYONE = ""


@dataclass(frozen=True)
class Item:
    label: str | Promise
    url_name: str
    # A tuple: any one of them is enough; "" (EVERYONE): anyone signed in.
    permission: str | tuple[str, ...]
    icon: str

    def is_open_to(self, user: Any) -> bool:
        if self.permission == EVERYONE:
            return bool(user.is_authenticated)
        perms = (
            (self.permission,) if isinstance(self.permission, str) else self.permission
        )
        return any(user.has_perm(perm) for perm in perms)


@dataclass(frozen=True)
class Section:
    label: str | Promise
    items: tuple[Item, ...]


MENU: tuple[Section, ...] = (
    Section(
        _("Service desk"),
        (
            Item(
                _("Report a fault"),
                "servicedesk:report",
                EVERYONE,
                "exclamation-triangle",
            ),
            Item(
                _("My reports"), "servicedesk:my-reports", EVERYONE, "person-lines-fill"
            ),
            Item(
                _("My queue"), "servicedesk:queue", "servicedesk.work_ticket", "inbox"
            ),
            Item(
                _("Tickets"),
                "servicedesk:ticket-list",
                "servicedesk.view_ticket",
                "ticket-detailed",
            ),
            Item(
                _("Teams"), "servicedesk:team-list", "servicedesk.view_team", "people"
            ),
            Item(
                _("SLA policies"),
                "servicedesk:slapolicy-list",
                "servicedesk.view_slapolicy",
                "stopwatch",
            ),
            Item(
                _("Working calendars"),
                "servicedesk:workingcalendar-list",
                "servicedesk.view_workingcalendar",
                "calendar-week",
            ),
            Item(
                _("My work orders"),
                "servicedesk:workorder-mine",
                "servicedesk.do_workorder",
                "clipboard-check",
            ),
            Item(
                _("Work orders"),
                "servicedesk:workorder-list",
                "servicedesk.view_workorder",
                "list-check",
            ),
            Item(
                _("Maintenance plans"),
                "servicedesk:maintenanceplan-list",
                "servicedesk.view_maintenanceplan",
                "calendar-check",
            ),
            Item(
                _("Checklists"),
                "servicedesk:checklist-list",
                "servicedesk.view_checklist",
                "card-checklist",
            ),
            Item(_("RMAs"), "servicedesk:rma-list", "servicedesk.view_rma", "truck"),
            Item(
                _("Problems"),
                "servicedesk:problem-list",
                "servicedesk.view_problem",
                "lightbulb",
            ),
            Item(
                _("Figures"),
                "servicedesk:figures",
                "servicedesk.view_figures",
                "graph-up",
            ),
        ),
    ),
    Section(
        _("Monitoring"),
        (
            Item(
                _("Status board"),
                "monitoring:board",
                "monitoring.view_check",
                "activity",
            ),
            Item(
                _("Checks"),
                "monitoring:check-list",
                "monitoring.view_check",
                "list-check",
            ),
            Item(_("Alerts"), "monitoring:alert-list", "monitoring.view_alert", "bell"),
            Item(
                _("Availability"),
                "monitoring:availability",
                "monitoring.view_check",
                "graph-up",
            ),
            Item(
                _("Maintenance windows"),
                "monitoring:maintenancewindow-list",
                "monitoring.view_maintenancewindow",
                "tools",
            ),
            Item(
                _("Check templates"),
                "monitoring:checktemplate-list",
                "monitoring.view_checktemplate",
                "diagram-3",
            ),
            Item(
                _("Alert rules"),
                "monitoring:alertrule-list",
                "monitoring.view_alertrule",
                "signpost-split",
            ),
        ),
    ),
    Section(
        _("Network"),
        (
            Item(_("Topology"), "network:topology", "network.view_cable", "diagram-2"),
            Item(
                _("Floor plans"), "network:plan-list", "network.view_floorplan", "map"
            ),
            Item(_("Trace a cable"), "network:trace", "network.view_cable", "bezier2"),
            Item(
                _("Where is this host?"),
                "network:whereis",
                "network.view_interface",
                "geo-alt",
            ),
            Item(_("Racks"), "network:rack-list", "network.view_rack", "hdd-rack"),
            Item(
                _("Patch panels"),
                "network:panel-list",
                "network.view_patchpanel",
                "grid-3x2-gap",
            ),
            Item(_("Outlets"), "network:outlet-list", "network.view_outlet", "outlet"),
            Item(_("Cables"), "network:cable-list", "network.view_cable", "plug"),
            Item(
                _("Interfaces"),
                "network:interface-list",
                "network.view_interface",
                "ethernet",
            ),
            Item(
                _("Traffic"),
                "network:traffic",
                "network.view_interface",
                "speedometer2",
            ),
            Item(_("VLANs"), "network:vlan-list", "network.view_vlan", "layers"),
            Item(
                _("Prefixes"), "network:prefix-list", "network.view_prefix", "list-ol"
            ),
            Item(
                _("IP addresses"),
                "network:address-list",
                "network.view_ipaddress",
                "123",
            ),
            Item(_("Zones"), "network:zone-list", "network.view_zone", "shield"),
            Item(
                _("Flow policy"),
                "network:policy",
                "network.view_flowrule",
                "shield-lock",
            ),
            Item(
                _("Pollers"),
                "monitoring:poller-list",
                "monitoring.view_poller",
                "broadcast",
            ),
            Item(
                _("Import and export"),
                "network:transfer",
                ("network.add_interface", "network.view_interface"),
                "arrow-left-right",
            ),
        ),
    ),
    Section(
        _("Backup and recovery"),
        (
            Item(
                _("Dashboard"),
                "continuity:dashboard",
                "continuity.view_protectedsystem",
                "speedometer",
            ),
            Item(
                _("Protected systems"),
                "continuity:protectedsystem-list",
                "continuity.view_protectedsystem",
                "shield-check",
            ),
            Item(
                _("Criticality analysis"),
                "continuity:criticality",
                "continuity.view_protectedsystem",
                "sort-down",
            ),
            Item(
                _("Backup jobs"),
                "continuity:backupjob-list",
                "continuity.view_backupjob",
                "hdd-stack",
            ),
            Item(
                _("Backup destinations"),
                "continuity:backupdestination-list",
                "continuity.view_backupdestination",
                "hdd-network",
            ),
            Item(
                _("Upload backup runs"),
                "continuity:backuprun-upload",
                "continuity.add_backuprun",
                "upload",
            ),
            Item(
                _("Findings"),
                "continuity:finding-list",
                "continuity.view_finding",
                "exclamation-triangle",
            ),
            Item(
                _("Restore tests"),
                "continuity:restoretest-list",
                "continuity.view_restoretest",
                "arrow-counterclockwise",
            ),
            Item(
                _("Restore test runs"),
                "continuity:restorerun-list",
                "continuity.view_restorerun",
                "clock-history",
            ),
            Item(
                _("Runbooks"),
                "continuity:runbook-list",
                "continuity.view_runbook",
                "journal-text",
            ),
            Item(
                _("Drills"),
                "continuity:drill-list",
                "continuity.view_drill",
                "stopwatch",
            ),
            Item(
                _("Drill coverage"),
                "continuity:drill-coverage",
                "continuity.view_drill",
                "calendar-check",
            ),
        ),
    ),
    Section(
        _("Inventory"),
        (
            Item(
                _("Assets"),
                "inventory:asset-list",
                "inventory.view_asset",
                "pc-display",
            ),
            Item(
                _("Locations"),
                "inventory:location-list",
                "inventory.view_location",
                "building",
            ),
            Item(
                _("Departments"),
                "inventory:department-list",
                "inventory.view_department",
                "diagram-3",
            ),
            Item(
                _("Models"),
                "inventory:assetmodel-list",
                "inventory.view_assetmodel",
                "box",
            ),
            Item(
                _("Asset types"),
                "inventory:assettype-list",
                "inventory.view_assettype",
                "tags",
            ),
            Item(
                _("Manufacturers"),
                "inventory:manufacturer-list",
                "inventory.view_manufacturer",
                "buildings",
            ),
            Item(
                _("Vendors"), "inventory:vendor-list", "inventory.view_vendor", "shop"
            ),
            Item(
                _("Contracts"),
                "inventory:contract-list",
                "inventory.view_contract",
                "file-earmark-text",
            ),
            Item(
                _("Spare pools"),
                "inventory:sparepool-list",
                "inventory.view_sparepool",
                "boxes",
            ),
            Item(
                _("Stocktakes"),
                "inventory:stocktake-list",
                "inventory.view_stocktake",
                "upc-scan",
            ),
            Item(
                _("Integrity rate"),
                "inventory:integrity",
                "inventory.view_asset",
                "heart-pulse",
            ),
            Item(
                _("Import and export"),
                "inventory:transfer",
                ("inventory.import_inventory", "inventory.export_inventory"),
                "arrow-left-right",
            ),
        ),
    ),
    Section(
        _("Administration"),
        (
            Item(_("Accounts"), "core:user-list", "core.manage_accounts", "people"),
            Item(
                _("Notification channels"),
                "core:channel-list",
                "core.manage_notifications",
                "broadcast",
            ),
            Item(
                _("Notification deliveries"),
                "core:delivery-list",
                "core.manage_notifications",
                "send-check",
            ),
            Item(_("Roles"), "core:role-list", "core.manage_roles", "shield-lock"),
            Item(
                _("Role assignments"),
                "core:role-user-list",
                "core.manage_roles",
                "person-check",
            ),
            Item(
                _("Audit trail"),
                "core:audit-list",
                "core.view_auditentry",
                "journal-check",
            ),
        ),
    ),
)


def menu_for(user: Any) -> list[dict[str, Any]]:
    """The sections and items this user may open, with resolved URLs."""
    menu = []
    for section in MENU:
        items = [
            {"label": item.label, "url": reverse(item.url_name), "icon": item.icon}
            for item in section.items
            if item.is_open_to(user)
        ]
        if items:
            menu.append({"label": section.label, "items": items})
    return menu
