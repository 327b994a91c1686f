"""The demo hospital's service desk: six teams with their engineers and
weekly on-call rotas, working calendars with holidays, SLA policies, the
daily server-room round and UPS maintenance, and half a year of tickets with
their outcomes, so
the queue, the figures and the reports have something true-to-life to show.

Deterministic from the demo's seed; written in bulk with audit entries, like
the inventory's demo (inventory/demo/writer.py).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import Group
from django.utils import timezone

from wardkeeper.core import audit
from wardkeeper.core.models import User
from wardkeeper.core.models.audit import AuditSource
from wardkeeper.inventory.choices import AssetCategory, AssetStatus, LocationKind
from wardkeeper.inventory.demo.writer import MESSAGE, insert
from wardkeeper.inventory.models import Asset, AssetType, Location
from wardkeeper.servicedesk.choices import (
    Category,
    Impact,
    MaintenanceKind,
    Priority,
    ResolutionCode,
    Source,
    TicketState,
    Urgency,
)
from wardkeeper.servicedesk.models import (
    Checklist,
    ChecklistItem,
    Frequency,
    Holiday,
    ItemKind,
    MaintenancePlan,
    PlanKind,
    Rota,
    RotaMember,
    SlaPolicy,
    Team,
    Ticket,
    Transition,
    WorkingCalendar,
)
from wardkeeper.servicedesk.services import maintenance, rollups
from wardkeeper.servicedesk.services import priority as rules

# (code, name, categories, lead, members): the leads are demo personas; the
# other engineers are roster entries without a sign-in.
TEAMS: tuple[tuple[str, str, list[Category], str, list[str]], ...] = (
    (
        "hardware",
        "Hardware maintenance",
        [Category.HARDWARE],
        "hana.hw",
        ["hana.hw", "wei.hw", "jun.hw", "min.hw"],
    ),
    (
        "network",
        "Network",
        [Category.NETWORK],
        "nick.net",
        ["nick.net", "lei.net", "yan.net"],
    ),
    ("database", "Database", [Category.DATA], "dan.dba", ["dan.dba", "kai.dba"]),
    (
        "security",
        "Information security",
        [Category.SECURITY, Category.ACCESS],
        "sid.sec",
        ["sid.sec", "rui.sec"],
    ),
    (
        "applications",
        "Clinical applications",
        [Category.SOFTWARE],
        "amy.apps",
        ["amy.apps", "dina.dict", "bo.apps"],
    ),
    ("web", "Website and mail", [], "will.web", ["will.web"]),
)
ROSTER = {  # username: (display name, role)
    "wei.hw": ("Wei Ma", "hardware_engineer"),
    "jun.hw": ("Jun Guo", "hardware_engineer"),
    "min.hw": ("Min He", "hardware_engineer"),
    "lei.net": ("Lei Luo", "network_engineer"),
    "yan.net": ("Yan Lin", "network_engineer"),
    "kai.dba": ("Kai Song", "database_engineer"),
    "rui.sec": ("Rui Tang", "security_engineer"),
    "bo.apps": ("Bo Han", "application_coordinator"),
}
WORKING_HOURS = {str(day): [["08:00", "12:00"], ["13:30", "17:30"]] for day in range(5)}
# (priority, respond, restore, calendar): minutes on that calendar.
POLICIES = (
    (Priority.P1, 15, 4 * 60, "24/7"),
    (Priority.P2, 30, 8 * 60, "24/7"),
    (Priority.P3, 2 * 60, 2 * 8 * 60, "working"),
    (Priority.P4, 8 * 60, 5 * 8 * 60, "working"),
)
# Which kind of fault each kind of equipment has.
CATEGORY_OF: dict[str, tuple[Category, ...]] = {
    AssetCategory.END_USER: (Category.HARDWARE, Category.SOFTWARE, Category.ACCESS),
    AssetCategory.NETWORK: (Category.NETWORK,),
    AssetCategory.SERVER: (Category.SOFTWARE, Category.DATA, Category.HARDWARE),
    AssetCategory.POWER: (Category.HARDWARE,),
    AssetCategory.MEDICAL: (Category.HARDWARE, Category.NETWORK, Category.SOFTWARE),
    AssetCategory.OTHER: (Category.HARDWARE,),
}
FAULTS = {
    Category.HARDWARE: (
        "Screen stays black",
        "Printer jams on every page",
        "Wristband printer prints blank labels",
        "PC will not start",
        "Barcode scanner does not read",
        "UPS beeping",
    ),
    Category.NETWORK: (
        "No network on the ward PCs",
        "Wi-Fi drops in the corridor",
        "Switch port down",
        "Nurse call gateway offline",
    ),
    Category.SOFTWARE: (
        "HIS freezes when saving orders",
        "PACS viewer will not open",
        "LIS results not arriving",
        "Cannot print the discharge summary",
    ),
    Category.DATA: (
        "Duplicate patient record",
        "Wrong price on a drug item",
        "Lab results missing from the report",
    ),
    Category.ACCESS: (
        "Account locked",
        "New doctor needs HIS access",
        "Cannot sign in to the EMR",
    ),
    Category.SECURITY: ("Suspicious e-mail opened", "USB stick with unknown files"),
}
# Public holidays the working calendar closes on.
HOLIDAYS = (
    *((dt.date(2026, 10, day), "National Day") for day in range(1, 8)),
    (dt.date(2027, 1, 1), "New Year's Day"),
)
ROUND_ITEMS: tuple[dict[str, Any], ...] = (
    {
        "text": "Room temperature",
        "kind": ItemKind.MEASUREMENT,
        "unit": "°C",
        "lower_limit": 18,
        "upper_limit": 27,
    },
    {
        "text": "Relative humidity",
        "kind": ItemKind.MEASUREMENT,
        "unit": "%",
        "lower_limit": 40,
        "upper_limit": 60,
    },
    {"text": "UPS on mains, no alarm", "kind": ItemKind.CHECK},
    {"text": "RAID and disk lights all green", "kind": ItemKind.CHECK},
    {"text": "Cooling units running", "kind": ItemKind.CHECK},
    {
        "text": "Door closed, access log reviewed",
        "kind": ItemKind.CHECK,
        "category": Category.SECURITY,
    },
    {"text": "Remarks", "kind": ItemKind.TEXT, "required": False},
)
UPS_ITEMS: tuple[dict[str, Any], ...] = (
    {"text": "Self-test passed", "kind": ItemKind.CHECK},
    {
        "text": "Battery runtime",
        "kind": ItemKind.MEASUREMENT,
        "unit": "min",
        "lower_limit": 15,
    },
    {"text": "Battery age under 4 years", "kind": ItemKind.CHECK},
    {"text": "Fans and filters clean", "kind": ItemKind.CHECK},
)
TICKETS_PER_DAY = 12
HISTORY_DAYS = 182


@dataclass
class DeskResult:
    teams: int
    policies: int
    tickets: int


def write_service_desk(seed: object, today: dt.date, scale: float = 1.0) -> DeskResult:
    """Teams, calendars, policies and the ticket history; returns the counts."""
    rng = random.Random(f"{seed}:service-desk")
    people = _people()
    teams = _teams(people)
    _rotas(teams, today)
    policies = _policies()
    tickets = _history(rng, today, teams, people, policies, scale)
    _maintenance(teams, today)
    rollups.rebuild()
    return DeskResult(len(teams), len(policies), tickets)


def _people() -> dict[str, User]:
    existing = {user.username: user for user in User.objects.all()}
    groups = {group.name: group for group in Group.objects.all()}
    with audit.audit_context(source=AuditSource.SYSTEM, reason=MESSAGE):
        for username, (display_name, role) in ROSTER.items():
            if username in existing:
                continue
            first, last = display_name.split(" ", 1)
            user = User(
                username=username,
                display_name=display_name,
                first_name=first,
                last_name=last,
                email=f"{username}@hospital.example",
            )
            user.set_unusable_password()
            user.save()
            user.groups.set([groups[role]])
            existing[username] = user
    return existing


def _teams(people: dict[str, User]) -> dict[str, Team]:
    teams = insert(
        Team,
        [
            Team(
                code=code,
                name=name,
                categories=[str(c) for c in categories],
                lead=people.get(lead),
                email=f"{code}@hospital.example",
            )
            for code, name, categories, lead, _members in TEAMS
        ],
    )
    by_code = {team.code: team for team in teams}
    with audit.audit_context(source=AuditSource.SYSTEM, reason=MESSAGE):
        for code, _name, _categories, _lead, members in TEAMS:
            by_code[code].members.set([people[m] for m in members if m in people])
    return by_code


def _rotas(teams: dict[str, Team], today: dt.date) -> None:
    """Each team on call in weekly turns, handing over on Monday at 09:00;
    this week it is the team's lead (the persona one can sign in as)."""
    monday = today - dt.timedelta(days=today.weekday())
    rotas = insert(
        Rota,
        [
            Rota(team=team, name="Weekly on call", starts_on=monday)
            for team in teams.values()
        ],
    )
    insert(
        RotaMember,
        [
            RotaMember(rota=rota, user=user, position=position)
            for rota in rotas
            for position, user in enumerate(_lead_first(rota.team))
        ],
    )


def _lead_first(team: Team) -> list[User]:
    members = list(team.members.order_by("username"))
    return sorted(members, key=lambda user: user != team.lead)


def _maintenance(teams: dict[str, Team], today: dt.date) -> None:
    """The daily server-room round and quarterly UPS maintenance, with the
    work orders they give today."""
    round_list, ups_list = insert(
        Checklist,
        [
            Checklist(name="Server-room daily round"),
            Checklist(name="UPS quarterly maintenance"),
        ],
    )
    insert(
        ChecklistItem,
        [
            ChecklistItem(checklist=round_list, position=position, **item)
            for position, item in enumerate(ROUND_ITEMS, start=1)
        ]
        + [
            ChecklistItem(checklist=ups_list, position=position, **item)
            for position, item in enumerate(UPS_ITEMS, start=1)
        ],
    )
    rooms = Location.objects.filter(
        kind=LocationKind.ROOM, name__icontains="server"
    ) | Location.objects.filter(kind=LocationKind.ROOM, name__icontains="data centre")
    hardware = teams["hardware"]
    round_plan, ups_plan = insert(
        MaintenancePlan,
        [
            MaintenancePlan(
                name="Server-room daily round",
                kind=PlanKind.ROUND,
                checklist=round_list,
                team=hardware,
                every=1,
                frequency=Frequency.DAYS,
                starts_on=today - dt.timedelta(days=7),
            ),
            MaintenancePlan(
                name="UPS quarterly maintenance",
                kind=PlanKind.PREVENTIVE,
                checklist=ups_list,
                team=hardware,
                every=3,
                frequency=Frequency.MONTHS,
                starts_on=today + dt.timedelta(days=10),
                lead_days=14,
            ),
        ],
    )
    with audit.audit_context(source=AuditSource.SYSTEM, reason=MESSAGE):
        round_plan.locations.set(rooms)
        ups_plan.asset_types.set(AssetType.objects.filter(code="ups"))
    maintenance.generate(today)


def _policies() -> list[SlaPolicy]:
    calendars = {
        "24/7": WorkingCalendar(name="Around the clock", around_the_clock=True),
        "working": WorkingCalendar(name="Working hours (Mon-Fri)", hours=WORKING_HOURS),
    }
    insert(WorkingCalendar, list(calendars.values()))
    insert(
        Holiday,
        [
            Holiday(calendar=calendars["working"], date=day, name=name)
            for day, name in HOLIDAYS
        ],
    )
    return insert(
        SlaPolicy,
        [
            SlaPolicy(
                name=f"{Priority(p).label}",
                priority=p,
                calendar=calendars[calendar],
                response_minutes=respond,
                restore_minutes=restore,
            )
            for p, respond, restore, calendar in POLICIES
        ],
    )


def _history(
    rng: random.Random,
    today: dt.date,
    teams: dict[str, Team],
    people: dict[str, User],
    policies: list[SlaPolicy],
    scale: float,
) -> int:
    """Half a year of tickets; the oldest closed, the newest still open."""
    assets = list(
        Asset.objects.filter(status=AssetStatus.IN_USE)
        .select_related("asset_type", "location", "department", "model")
        .order_by("pk")
    )
    reporters = [u for u in people.values() if u.username == "nora.nurse"]
    team_of = {
        category: team for team in teams.values() for category in team.categories
    }
    targets = {policy.priority: policy for policy in policies}
    members_of = {team.pk: list(team.members.order_by("pk")) for team in teams.values()}
    now = timezone.now()
    rows: list[Ticket] = []
    for days_ago in range(HISTORY_DAYS, -1, -1):
        day = today - dt.timedelta(days=days_ago)
        busy = (0.6 if day.weekday() >= 5 else 1.0) * min(1.0, max(scale, 0.2))
        for _ in range(
            max(1, int(rng.gauss(TICKETS_PER_DAY * busy, 2))) if days_ago else 6
        ):
            asset = rng.choice(assets)
            at = timezone.make_aware(
                dt.datetime.combine(
                    day, dt.time(rng.randrange(7, 22), rng.randrange(60))
                )
            )
            if at >= now:
                at = now - dt.timedelta(minutes=rng.randrange(5, 300))
            rows.append(
                _ticket(rng, asset, at, now, team_of, targets, reporters, members_of)
            )
    tickets = insert(Ticket, rows)
    Transition.objects.bulk_create(
        [
            Transition(ticket=t, to_state=TicketState.NEW, at=t.created_at)
            for t in tickets
        ]
        + [
            Transition(
                ticket=t,
                from_state=TicketState.IN_PROGRESS,
                to_state=TicketState.RESOLVED,
                at=t.resolved_at,
                actor=t.assignee,
            )
            for t in tickets
            if t.resolved_at
        ],
        batch_size=1000,
    )
    return len(tickets)


def _ticket(
    rng: random.Random,
    asset: Asset,
    at: dt.datetime,
    now: dt.datetime,
    team_of: dict[str, Team],
    targets: dict[int, SlaPolicy],
    reporters: list[User],
    members_of: dict[int, list[User]],
) -> Ticket:
    category = rng.choice(CATEGORY_OF[asset.asset_type.category])
    impact = rng.choices(list(Impact), [1, 3, 8])[0]
    urgency = rng.choices(list(Urgency), [2, 5, 3])[0]
    verdict = rules.decide(
        impact, urgency, MaintenanceKind.CORRECTIVE, asset.criticality
    )
    team = team_of.get(category)
    members = members_of.get(team.pk, []) if team else []
    engineer = rng.choice(members) if members else None
    if team and team.lead and now - at < dt.timedelta(days=3):
        engineer = team.lead  # on call this week (see _rotas)
    policy = targets[verdict.priority]
    respond = dt.timedelta(minutes=rng.lognormvariate(1.9, 0.7) * verdict.priority)
    restore = respond + dt.timedelta(
        minutes=rng.lognormvariate(4.6, 1.0) * verdict.priority
    )
    ticket = Ticket(
        title=rng.choice(FAULTS[category]),
        description="",
        category=category,
        impact=impact,
        urgency=urgency,
        computed_priority=verdict.priority,
        priority=verdict.priority,
        priority_reason=str(verdict.reason),
        source=rng.choice([Source.FORM, Source.FORM, Source.LABEL, Source.DESK]),
        asset=asset,
        location=asset.location,
        department=asset.department,
        reporter=reporters[0] if reporters and rng.random() < 0.2 else None,
        reporter_name=rng.choice(["Nurse Chen", "Dr Wang", "Clerk Li", "Nurse Zhao"]),
        reporter_phone=str(rng.randrange(6000, 6999)),
        team=team,
        sla_policy=policy,
        created_at=at,
        response_due_at=at + dt.timedelta(minutes=policy.response_minutes),
        restore_due_at=at + dt.timedelta(minutes=policy.restore_minutes),
    )
    _outcome(rng, ticket, engineer, policy, respond, restore, now - at)
    ticket.fill_durations()
    return ticket


def _outcome(
    rng: random.Random,
    ticket: Ticket,
    engineer: User | None,
    policy: SlaPolicy,
    respond: dt.timedelta,
    restore: dt.timedelta,
    age: dt.timedelta,
) -> None:
    """How far the ticket has come by now, and how well."""
    at = ticket.created_at
    if engineer is None or age < respond:
        return
    ticket.assignee = engineer
    ticket.assigned_at = at + respond / 2
    ticket.responded_at = at + respond
    ticket.state = TicketState.IN_PROGRESS
    if age < restore or (age < dt.timedelta(days=3) and rng.random() < 0.4):
        return
    ticket.resolved_at = at + restore
    ticket.resolution_code = rng.choices(
        [
            ResolutionCode.REPAIRED,
            ResolutionCode.SWAPPED,
            ResolutionCode.CONFIGURED,
            ResolutionCode.SOFTWARE,
            ResolutionCode.VENDOR,
            ResolutionCode.ADVICE,
        ],
        [30, 15, 20, 20, 5, 10],
    )[0]
    ticket.sla_met = respond <= dt.timedelta(
        minutes=policy.response_minutes
    ) and restore <= dt.timedelta(minutes=policy.restore_minutes)
    ticket.response_breached = respond > dt.timedelta(minutes=policy.response_minutes)
    ticket.restore_breached = restore > dt.timedelta(minutes=policy.restore_minutes)
    ticket.visit_count = rng.choices([0, 1, 2], [30, 60, 10])[0]
    ticket.reopen_count = rng.choices([0, 1], [92, 8])[0]
    if age - restore < dt.timedelta(days=1):
        ticket.state = TicketState.RESOLVED
        return
    ticket.state = TicketState.CLOSED
    ticket.closed_at = ticket.resolved_at + dt.timedelta(hours=rng.randrange(1, 30))
    ticket.first_time_fix = ticket.reopen_count == 0 and ticket.visit_count <= 1
    ticket.rating = rng.choices([5, 4, 3, 2], [60, 30, 8, 2])[0]
    ticket.confirmed_at = ticket.closed_at
