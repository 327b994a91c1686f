"""Who is on call: a team's rotas (weekly turns or explicit shifts) with leave
overrides applied. ``schedule`` is the one place that works this out; the
on-call question and the team page both read it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace
from itertools import pairwise
from typing import Any

from django.db.models import Prefetch

from wardkeeper.servicedesk.models import (
    Rota,
    RotaKind,
    RotaMember,
    RotaOverride,
    Shift,
    Team,
)

WEEK = dt.timedelta(days=7)
INSTANT = dt.timedelta(microseconds=1)


@dataclass(frozen=True)
class Slot:
    """A stretch of time in one rota and who is on call in it; ``override``
    is the leave cover that put ``engineer`` there instead of ``scheduled``."""

    rota: Rota
    starts_at: dt.datetime
    ends_at: dt.datetime
    engineer: Any
    scheduled: Any
    override: RotaOverride | None = None
    shift: Shift | None = None


def on_call(team: Team, at: dt.datetime) -> Any:
    """The engineer on call in ``team`` at ``at`` (leave cover applied), from
    the first of its active rotas that has someone; ``None`` if nobody."""
    slots = schedule(team, at, at + INSTANT)
    if not slots:
        return None
    first = min(slots, key=lambda s: (s.rota.order, s.rota.pk, s.starts_at))
    return first.engineer


def schedule(team: Team, start: dt.datetime, end: dt.datetime) -> list[Slot]:
    """Every on-call stretch of the team's active rotas between ``start`` and
    ``end`` (clipped to them), overrides applied, by rota then time."""
    rotas = team.rotas.filter(is_active=True).prefetch_related(
        Prefetch("members", queryset=RotaMember.objects.select_related("user")),
        Prefetch(
            "shifts",
            queryset=Shift.objects.filter(
                starts_at__lt=end, ends_at__gt=start
            ).select_related("engineer"),
        ),
    )
    overrides = list(
        team.overrides.filter(starts_at__lt=end, ends_at__gt=start).select_related(
            "engineer", "covers_for"
        )
    )
    slots: list[Slot] = []
    for rota in rotas:
        planned = (
            _weekly(rota, start, end)
            if rota.kind == RotaKind.WEEKLY
            else _shifts(rota, start, end)
        )
        for slot in planned:
            slots.extend(_covered(slot, overrides))
    return slots


def _weekly(rota: Rota, start: dt.datetime, end: dt.datetime) -> Iterable[Slot]:
    members = [m.user for m in rota.members.all()]
    if not members:
        return
    zone = rota.zone
    anchor = rota.first_handover()
    # Weeks are counted on the local wall clock, so a handover stays at the
    # same local time across a daylight-saving change (that week is 1 h
    # shorter or longer in real time).
    local_start = start.astimezone(zone).replace(tzinfo=None)
    week = max(0, (local_start - anchor) // WEEK)
    while True:
        begins = (anchor + week * WEEK).replace(tzinfo=zone).astimezone(dt.UTC)
        ends = (anchor + (week + 1) * WEEK).replace(tzinfo=zone).astimezone(dt.UTC)
        if begins >= end:
            return
        if ends > start:
            who = members[week % len(members)]
            yield Slot(rota, max(begins, start), min(ends, end), who, who)
        week += 1


def _shifts(rota: Rota, start: dt.datetime, end: dt.datetime) -> Iterable[Slot]:
    for shift in rota.shifts.all():
        who = shift.engineer
        yield Slot(
            rota,
            max(shift.starts_at, start),
            min(shift.ends_at, end),
            who,
            who,
            shift=shift,
        )


def _covered(slot: Slot, overrides: list[RotaOverride]) -> list[Slot]:
    """Split a slot where leave cover for its engineer begins or ends."""
    mine = [
        o
        for o in overrides
        if o.covers_for_id == slot.scheduled.pk
        and o.starts_at < slot.ends_at
        and o.ends_at > slot.starts_at
    ]
    if not mine:
        return [slot]
    cuts = sorted(
        {slot.starts_at, slot.ends_at}
        | {t for o in mine for t in (o.starts_at, o.ends_at)}
    )
    pieces = []
    for begins, ends in pairwise(cuts):
        if begins < slot.starts_at or ends > slot.ends_at:
            continue
        # The cover added last wins where two overlap.
        cover = max(
            (o for o in mine if o.starts_at <= begins and o.ends_at >= ends),
            key=lambda o: o.pk,
            default=None,
        )
        who = cover.engineer if cover else slot.scheduled
        pieces.append(
            replace(slot, starts_at=begins, ends_at=ends, engineer=who, override=cover)
        )
    return _merge(pieces)


def _merge(pieces: list[Slot]) -> list[Slot]:
    """Join neighbouring pieces that ended up the same (no cover between)."""
    merged: list[Slot] = []
    for piece in pieces:
        last = merged[-1] if merged else None
        if last and last.override is piece.override and last.ends_at == piece.starts_at:
            merged[-1] = replace(last, ends_at=piece.ends_at)
        else:
            merged.append(piece)
    return merged
