"""Printable runbooks, as A4 PDFs: for when the systems are down, with tick
boxes and time fields to fill in by hand, and the servers, backups and
on-call engineers to reach without Wardkeeper."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import (
    LongTable,
    Spacer,
)

from wardkeeper.continuity.choices import RunbookState
from wardkeeper.continuity.models import ProtectedSystem, Runbook, RunbookStep
from wardkeeper.continuity.services import rpo, runbooks
from wardkeeper.continuity.services.pdf_base import (
    Styles,
    TickBox,
    build,
    duration,
    when,
)
from wardkeeper.servicedesk.services import rota

ON_CALL_AHEAD = dt.timedelta(days=7)


def runbook_pdf(runbook: Runbook, *, now: dt.datetime | None = None) -> bytes:
    """The runbook to print and keep by the phone: facts, contacts, who is on
    call, vendor support, downtime procedure, the servers, data stores and
    backups to work on, and the steps to tick off by hand. A version that is
    not the approved one says so across every page."""
    s = Styles()
    now = now or timezone.now()
    system = runbook.system
    timing = runbooks.timing(runbook)
    title = _("Disaster-recovery runbook: %(title)s (version %(version)s)") % {
        "title": runbook.title,
        "version": runbook.version,
    }
    approval = (
        f"{runbook.approved_by or ''} {when(runbook.approved_at)}"
        if runbook.approved_at
        else _("not approved")
    )
    warning = _state_warning(runbook)
    story: list[Any] = s.banner_box(*warning) if warning else []
    story += [
        s.text(title, s.title),
        s.facts(
            [
                (_("System"), system.name),
                (_("Criticality"), system.get_criticality_display()),
                (_("RPO (data it may lose)"), duration(system.rpo_minutes)),
                (_("RTO (time to bring it back)"), duration(system.rto_minutes)),
                (_("State"), runbook.get_state_display()),
                (_("Approved"), approval),
                (
                    _("Expected duration"),
                    _(
                        "%(critical)s with independent steps in parallel; %(total)s one after another"
                    )
                    % {
                        "critical": duration(timing.critical),
                        "total": duration(timing.total),
                    },
                ),
                (_("Printed"), when(now)),
            ]
        ),
    ]
    if timing.misses_rto:
        story.append(s.text(_("This plan cannot meet the RTO."), s.alert))
    story += s.section(_("Scenario and scope"), runbook.summary)
    story += s.section(_("Contacts"), runbook.contacts)
    story += _on_call(s, system, now)
    vendor = "\n".join(
        part for part in (str(system.vendor or ""), system.support_contacts) if part
    )
    story += s.section(_("Vendor support"), vendor)
    story += s.section(_("Downtime procedure"), runbook.downtime_procedure)
    story += _servers(s, system) + _data_stores(s, system) + _backups(s, system)
    story += [s.text(_("Steps"), s.heading), _steps_table(s, timing.steps)]
    story += [
        Spacer(1, 6 * mm),
        s.text(
            _("Restored by: ______________  Date: __________  Time: ______"), s.body
        ),
    ]
    return build(story, title, watermark=warning[0] if warning else "")


def _state_warning(runbook: Runbook) -> tuple[str, str] | None:
    """The watermark and the banner's sentence of a version not to follow
    blindly: a draft, or one a newer approved version replaced."""
    if runbook.state == RunbookState.DRAFT:
        return _("DRAFT — not approved"), _(
            "Follow the approved version of this runbook; this one may be wrong "
            "or incomplete."
        )
    if runbook.state == RunbookState.SUPERSEDED:
        return _("SUPERSEDED — not the current version"), _(
            "A newer approved version replaces this one: follow that."
        )
    return None


def _on_call(s: Styles, system: ProtectedSystem, now: dt.datetime) -> list[Any]:
    """Who is on call now in each of the system's team's rotas, until when."""
    heading = s.text(_("On call now"), s.heading)
    team = system.team
    if team is None:
        return [heading, s.text(_("No team is set for this system."))]
    slots = [
        slot
        for slot in rota.schedule(team, now, now + ON_CALL_AHEAD)
        if slot.starts_at <= now
    ]
    slots.sort(key=lambda slot: (slot.rota.order, slot.rota.pk))
    intro = _("Team %(team)s") % {"team": team.name}
    if team.email:
        intro += f" · {team.email}"
    if not slots:
        return [
            heading,
            s.text(intro),
            s.text(_("Nobody is on call in its rotas now.")),
        ]
    rows = [
        [
            slot.rota.name,
            str(slot.engineer),
            slot.engineer.phone,
            slot.engineer.email,
            when(slot.ends_at) if slot.ends_at < now + ON_CALL_AHEAD else "",
        ]
        for slot in slots
    ]
    header = [_("Rota"), _("Engineer"), _("Phone"), _("E-mail"), _("Until")]
    return [heading, s.text(intro), s.table(header, rows, [34, 40, 32, 48, 28])]


def _servers(s: Styles, system: ProtectedSystem) -> list[Any]:
    """The system's servers, databases and storage with their addresses and
    where they stand (room, rack and unit)."""
    assets = system.assets.select_related("location", "placement__rack")
    rows = []
    for asset in assets.order_by("tag"):
        place = [str(asset.location or "")]
        if hasattr(asset, "placement"):
            place.append(str(asset.placement))
        address = asset.ip_address or ""
        where = " · ".join(part for part in place if part)
        rows.append([asset.tag, asset.name, asset.hostname, address, where])
    heading = s.text(_("Servers and addresses"), s.heading)
    if not rows:
        return [heading, s.text(_("No servers are linked to this system."))]
    header = [_("Asset tag"), _("Name"), _("Hostname"), _("IP address"), _("Where")]
    return [heading, s.table(header, rows, [26, 40, 40, 28, 48])]


def _data_stores(s: Styles, system: ProtectedSystem) -> list[Any]:
    stores = system.data_stores.select_related("asset").order_by("name")
    rows = [
        [
            store.name,
            store.get_kind_display(),
            " ".join(part for part in (store.asset.tag, store.asset.hostname) if part)
            if store.asset
            else "",
            store.where,
        ]
        for store in stores
    ]
    if not rows:
        return []
    header = [_("Data store"), _("Kind"), _("On"), _("Where")]
    return [
        s.text(_("Data stores"), s.heading),
        s.table(header, rows, [40, 26, 44, 72]),
    ]


def _backups(s: Styles, system: ProtectedSystem) -> list[Any]:
    """Each backup job: its tool, where it writes (and the repository to
    restore from), its schedule and its newest good run when printed."""
    jobs = system.jobs.select_related("destination__location").order_by("name")
    last_good = rpo.last_success_by_job(jobs)
    rows = []
    for job in jobs:
        target = job.destination
        written_to = ", ".join(
            part for part in (target.name, str(target.location or "")) if part
        )
        name = job.name if job.enabled else f"{job.name} ({_('disabled')})"
        rows.append(
            [
                name,
                job.get_tool_display(),
                written_to,
                job.repository,
                job.schedule,
                when(last_good.get(job.pk)),
            ]
        )
    heading = s.text(_("Backups"), s.heading)
    if not rows:
        return [heading, s.text(_("No backup jobs are set for this system."))]
    header = [
        _("Backup job"),
        _("Tool"),
        _("Destination"),
        _("Repository"),
        _("Schedule"),
        _("Last good backup"),
    ]
    return [heading, s.table(header, rows, [30, 20, 32, 48, 26, 26])]


def _steps_table(s: Styles, steps: list[RunbookStep]) -> LongTable:
    header = [
        _("Done"),
        "#",
        _("Step"),
        _("Who"),
        _("Min"),
        _("After"),
        _("Started"),
        _("Finished"),
        _("Initials"),
    ]
    rows: list[list[Any]] = [[s.text(h, s.small) for h in header]]
    for step in steps:
        after = ", ".join(str(dep.position) for dep in step.depends_on.all())
        what = f"{step.title}\n{step.instructions}".strip()
        rows.append(
            [
                TickBox(),
                s.text(step.position, s.small),
                s.text(what, s.small),
                s.text(step.role, s.small),
                s.text(step.expected_minutes, s.small),
                s.text(after or "", s.small),
                "",
                "",
                "",
            ]
        )
    widths = [11, 7, 56, 32, 10, 12, 17, 17, 20]
    return LongTable(
        rows,
        colWidths=[w * mm for w in widths],
        repeatRows=1,
        style=s.grid(("VALIGN", (0, 1), (0, -1), "MIDDLE")),
    )
