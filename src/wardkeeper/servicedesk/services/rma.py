"""Send to vendor: an RMA from request to the device's return.

Asset statuses follow the RMA: shipped → the asset is *at vendor*; returned →
it goes back *in use* if it was in use when shipped or a loaner stood in for
it (it takes its place back; the loaner returns to stock where it was kept),
otherwise *in stock* (it had been swapped out: it becomes a spare). The
ticket waits for the vendor while the device is away and is back in
progress when it returns.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wardkeeper.core.errors import DomainError
from wardkeeper.inventory.choices import AssetStatus
from wardkeeper.inventory.models import Asset, Contract
from wardkeeper.servicedesk.choices import TICKET_MOVES, TicketState, WaitingFor
from wardkeeper.servicedesk.models import RMA_MOVES, Rma, RmaState, Ticket
from wardkeeper.servicedesk.services import swap, tickets


class RmaRefused(DomainError):
    code = "rma_refused"


# While the device is away (or about to go), a loaner may stand in for it.
AWAY = (RmaState.REQUESTED, RmaState.SHIPPED, RmaState.AT_VENDOR)


def covering_contract(asset: Asset, on: dt.date | None = None) -> Contract | None:
    """The contract covering ``asset`` on ``on`` (today): the one with a
    restore term first, then the one ending last."""
    return (
        Contract.objects.active(on)
        .filter(assets=asset)
        .select_related("vendor")
        .order_by("restore_hours", "-ends_on")
        .first()
    )


def covers(contract: Contract | None, asset: Asset, on: dt.date) -> bool:
    return (
        contract is not None
        and contract.starts_on <= on <= contract.ends_on
        and contract.assets.filter(pk=asset.pk).exists()
    )


def suggest(asset: Asset | None, on: dt.date | None = None) -> dict[str, Any]:
    """Initial values for a new RMA of ``asset``: the covering contract and
    its vendor (else the asset's own vendor)."""
    if asset is None:
        return {}
    contract = covering_contract(asset, on)
    vendor = contract.vendor if contract else asset.vendor
    return {"asset": asset, "contract": contract, "vendor": vendor}


@transaction.atomic
def request(
    *,
    asset: Asset,
    vendor: Any,
    actor: Any,
    ticket: Ticket | None = None,
    contract: Contract | None = None,
    number: str = "",
    fault: str = "",
    cost: Any = None,
    notes: str = "",
    now: dt.datetime | None = None,
) -> Rma:
    """Open an RMA; the contract's terms are copied and its coverage noted."""
    now = now or timezone.now()
    if contract is not None and contract.vendor_id != vendor.pk:
        raise RmaRefused(
            _("The contract %(c)s is with %(v)s, not with this vendor.")
            % {"c": contract, "v": contract.vendor},
            field="contract",
        )
    if Rma.objects.filter(asset=asset, state__in=AWAY).exists():
        raise RmaRefused(
            _("%(asset)s already has an open RMA.") % {"asset": asset}, field="asset"
        )
    rma = Rma(
        ticket=ticket,
        asset=asset,
        vendor=vendor,
        contract=contract,
        covered=covers(contract, asset, timezone.localdate(now)),
        number=number.strip(),
        fault=fault,
        cost=cost,
        notes=notes,
        requested_at=now,
        response_hours=contract.response_hours if contract else None,
        restore_hours=contract.restore_hours if contract else None,
    )
    if rma.number:
        rma.vendor_responded_at = now
    rma.save()
    if ticket is not None:
        tickets.log_work(
            ticket,
            author=_user(actor),
            note=_("Sent to %(vendor)s for repair (%(rma)s).")
            % {"vendor": vendor, "rma": rma},
            public=True,
            now=now,
        )
    return rma


def allowed_moves(rma: Rma) -> list[RmaState]:
    return [RmaState(s) for s in RmaState.values if s in RMA_MOVES[rma.state]]


@transaction.atomic
def move(
    rma: Rma,
    to: str,
    *,
    actor: Any,
    at: dt.datetime | None = None,
    note: str = "",
) -> Rma:
    """Move the RMA along requested → shipped → at vendor → returned → closed
    (or cancelled before shipping); the asset, the loaner and the ticket follow."""
    at = at or timezone.now()
    rma = Rma.objects.select_for_update().get(pk=rma.pk)
    if to not in RMA_MOVES[rma.state]:
        raise RmaRefused(
            _("An RMA that is %(old)s cannot move to %(new)s.")
            % {"old": RmaState(rma.state).label, "new": RmaState(to).label},
            field="state",
        )
    handler = {
        RmaState.SHIPPED: _shipped,
        RmaState.AT_VENDOR: _at_vendor,
        RmaState.RETURNED: _returned,
        RmaState.CLOSED: _closed,
        RmaState.CANCELLED: _cancelled,
    }[RmaState(to)]
    handler(rma, actor, at)
    rma.state = to
    if note.strip():
        rma.notes = f"{rma.notes}\n{note.strip()}".strip()
    rma.save()
    return rma


def _shipped(rma: Rma, actor: Any, at: dt.datetime) -> None:
    asset = Asset.objects.select_for_update().get(pk=rma.asset_id)
    rma.sent_from_status = asset.status
    asset.move_to(
        AssetStatus.AT_VENDOR,
        reason=_("Shipped to %(vendor)s (%(rma)s)")
        % {"vendor": rma.vendor, "rma": rma},
        actor=actor,
    )
    rma.shipped_at = at
    ticket = rma.ticket
    if ticket is not None and TicketState.WAITING in TICKET_MOVES[ticket.state]:
        tickets.move(
            ticket,
            TicketState.WAITING,
            actor=_user(actor),
            waiting_for=WaitingFor.VENDOR,
            note=str(rma),
            now=at,
        )


def _at_vendor(rma: Rma, actor: Any, at: dt.datetime) -> None:
    rma.received_at = at


def _returned(rma: Rma, actor: Any, at: dt.datetime) -> None:
    asset = Asset.objects.select_for_update().get(pk=rma.asset_id)
    back = (
        AssetStatus.IN_USE
        if rma.sent_from_status == AssetStatus.IN_USE or rma.loaner_id
        else AssetStatus.IN_STOCK
    )
    asset.move_to(
        back,
        reason=_("Returned by %(vendor)s (%(rma)s)")
        % {"vendor": rma.vendor, "rma": rma},
        actor=actor,
    )
    rma.returned_at = at
    if rma.loaner_id and rma.loaner_returned_at is None:
        _take_back_loaner(rma, actor, at)
    ticket = rma.ticket
    if ticket is not None:
        ticket.refresh_from_db()
        if (
            ticket.state == TicketState.WAITING
            and ticket.waiting_for == WaitingFor.VENDOR
        ):
            tickets.move(
                ticket,
                TicketState.IN_PROGRESS,
                actor=_user(actor),
                note=_("Back from the vendor (%(rma)s).") % {"rma": rma},
                now=at,
            )


def _closed(rma: Rma, actor: Any, at: dt.datetime) -> None:
    rma.closed_at = at


def _cancelled(rma: Rma, actor: Any, at: dt.datetime) -> None:
    rma.closed_at = at
    if rma.loaner_id and rma.loaner_returned_at is None:
        _take_back_loaner(rma, actor, at)


@transaction.atomic
def issue_loaner(
    rma: Rma,
    *,
    actor: Any,
    loaner: Asset | None = None,
    now: dt.datetime | None = None,
) -> Rma:
    """Lend a spare (the nearest compatible one, or ``loaner``) while the
    device is away: it goes in use in the device's room and department."""
    now = now or timezone.now()
    rma = Rma.objects.select_for_update().get(pk=rma.pk)
    if rma.loaner_id:
        raise RmaRefused(_("A loaner has already been issued."), field="loaner")
    if rma.state not in AWAY:
        raise RmaRefused(
            _("A loaner is lent only while the device is away."), field="loaner"
        )
    device = Asset.objects.get(pk=rma.asset_id)
    if loaner is None:
        choice = swap.find_spare(device)
        if choice.spare is None:
            raise RmaRefused(
                _("No compatible spare is in stock; pools looked at: %(pools)s.")
                % {"pools": choice.looked_at_text()},
                field="loaner",
            )
        loaner = choice.spare
    loaner = Asset.objects.select_for_update().get(pk=loaner.pk)
    if loaner.status != AssetStatus.IN_STOCK:
        raise RmaRefused(
            _("%(spare)s is not in stock.") % {"spare": loaner}, field="loaner"
        )
    rma.loaner_home_id = loaner.location_id
    loaner.location_id = device.location_id
    loaner.department_id = device.department_id
    loaner.custodian = device.custodian
    loaner.move_to(
        AssetStatus.IN_USE,
        reason=_("Lent while %(device)s is at the vendor (%(rma)s)")
        % {"device": device.tag, "rma": rma},
        actor=actor,
    )
    rma.loaner = loaner
    rma.save()
    if rma.ticket is not None:
        tickets.log_work(
            rma.ticket,
            author=_user(actor),
            note=_("Loaner %(loaner)s put in place of %(device)s.")
            % {"loaner": loaner, "device": device},
            public=True,
            now=now,
        )
    return rma


def _take_back_loaner(rma: Rma, actor: Any, at: dt.datetime) -> None:
    assert rma.loaner_id is not None
    loaner = Asset.objects.select_for_update().get(pk=rma.loaner_id)
    if loaner.status == AssetStatus.IN_USE:
        loaner.location_id = rma.loaner_home_id
        loaner.custodian = ""
        loaner.move_to(
            AssetStatus.IN_STOCK,
            reason=_("Loan ended (%(rma)s)") % {"rma": rma},
            actor=actor,
        )
    rma.loaner_returned_at = at


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None
