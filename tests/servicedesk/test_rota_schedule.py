"""Who is on call: weekly turns, handovers across daylight saving, explicit
shifts, several rotas side by side, and leave cover."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from tests.factories.core import UserFactory
from tests.factories.servicedesk import TeamFactory
from tests.factories.servicedesk_rota import (
    OverrideFactory,
    RotaFactory,
    ShiftFactory,
    weekly_rota,
)
from wardkeeper.servicedesk.models import RotaKind
from wardkeeper.servicedesk.services.rota import on_call, schedule

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
LONDON = ZoneInfo("Europe/London")


def at(zone, *parts):
    return dt.datetime(*parts, tzinfo=zone)


@pytest.fixture
def people():
    return [UserFactory(username=name) for name in ("ann", "bob", "cai")]


def test_members_take_turns_week_by_week_at_the_handover(people):
    team = TeamFactory()
    weekly_rota(team, people)  # Mondays 09:00 Shanghai from 5 January 2026
    ann, bob, cai = people
    assert on_call(team, at(SHANGHAI, 2026, 1, 5, 9, 0)) == ann
    assert on_call(team, at(SHANGHAI, 2026, 1, 12, 8, 59)) == ann
    assert on_call(team, at(SHANGHAI, 2026, 1, 12, 9, 0)) == bob
    assert on_call(team, at(SHANGHAI, 2026, 1, 21, 3, 0)) == cai
    # Week 3 is week 0 again, and week 10 is member 10 mod 3 = 1.
    assert on_call(team, at(SHANGHAI, 2026, 1, 26, 12, 0)) == ann
    assert on_call(team, at(SHANGHAI, 2026, 3, 16, 12, 0)) == bob


def test_nobody_is_on_call_before_the_rotation_starts_or_without_members(people):
    team = TeamFactory()
    weekly_rota(team, people, starts_on=dt.date(2026, 1, 7))  # a Wednesday
    # The first handover is the Monday after: until then, nobody.
    assert on_call(team, at(SHANGHAI, 2026, 1, 10, 12, 0)) is None
    assert on_call(team, at(SHANGHAI, 2026, 1, 12, 9, 0)) == people[0]
    empty = TeamFactory()
    RotaFactory(team=empty)
    assert on_call(empty, at(SHANGHAI, 2026, 2, 1, 12, 0)) is None


def test_handover_keeps_its_local_time_across_daylight_saving(people):
    team = TeamFactory()
    weekly_rota(team, people, time_zone="Europe/London")
    ann, _bob, cai = people
    # London moves to summer time on Sunday 29 March 2026. Week 11 (cai)
    # starts Monday 23 March 09:00 GMT; week 12 (ann) Monday 30 March 09:00
    # BST, which is 08:00 UTC.
    assert on_call(team, at(dt.UTC, 2026, 3, 30, 7, 59)) == cai
    assert on_call(team, at(dt.UTC, 2026, 3, 30, 8, 0)) == ann
    assert on_call(team, at(LONDON, 2026, 3, 30, 8, 59)) == cai
    # And back to winter time on 25 October: 09:00 GMT is 09:00 UTC.
    # (Week 41 is cai's, week 42 ann's.)
    assert on_call(team, at(dt.UTC, 2026, 10, 26, 8, 59)) == cai
    assert on_call(team, at(dt.UTC, 2026, 10, 26, 9, 0)) == ann
    slots = schedule(team, at(dt.UTC, 2026, 3, 23), at(dt.UTC, 2026, 4, 6))
    # The week across the change is an hour shorter in real time.
    lengths = [s.ends_at - s.starts_at for s in slots]
    assert dt.timedelta(days=7, hours=-1) in lengths


def test_custom_shifts_cover_exactly_their_hours():
    shift = ShiftFactory()
    team = shift.rota.team
    assert on_call(team, shift.starts_at) == shift.engineer
    assert on_call(team, shift.ends_at - dt.timedelta(seconds=1)) == shift.engineer
    assert on_call(team, shift.ends_at) is None
    assert on_call(team, shift.starts_at - dt.timedelta(seconds=1)) is None


def test_the_first_rota_in_order_with_someone_on_call_wins(people):
    team = TeamFactory()
    weekly_rota(team, people, order=2)
    nights = RotaFactory(team=team, kind=RotaKind.SHIFTS, order=1)
    night = ShiftFactory(
        rota=nights,
        starts_at=at(SHANGHAI, 2026, 3, 2, 20, 0),
        ends_at=at(SHANGHAI, 2026, 3, 3, 8, 0),
    )
    assert on_call(team, at(SHANGHAI, 2026, 3, 2, 23, 0)) == night.engineer
    assert on_call(team, at(SHANGHAI, 2026, 3, 3, 10, 0)) == people[2]  # week 8
    nights.is_active = False
    nights.save()
    assert on_call(team, at(SHANGHAI, 2026, 3, 2, 23, 0)) == people[2]


def test_leave_cover_replaces_the_engineer_only_while_it_lasts(people):
    team = TeamFactory()
    weekly_rota(team, people)
    ann, bob, cai = people  # ann has week 3, from Monday 26 January
    cover = OverrideFactory(
        team=team,
        engineer=cai,
        covers_for=ann,
        starts_at=at(SHANGHAI, 2026, 1, 28, 0, 0),
        ends_at=at(SHANGHAI, 2026, 1, 30, 0, 0),
    )
    assert on_call(team, at(SHANGHAI, 2026, 1, 27, 12, 0)) == ann
    assert on_call(team, at(SHANGHAI, 2026, 1, 29, 12, 0)) == cai
    assert on_call(team, at(SHANGHAI, 2026, 1, 30, 0, 0)) == ann
    # Cover for someone who is not on call changes nothing.
    OverrideFactory(team=team, engineer=ann, covers_for=bob, starts_at=cover.starts_at)
    assert on_call(team, at(SHANGHAI, 2026, 1, 29, 12, 0)) == cai

    slots = schedule(team, at(SHANGHAI, 2026, 1, 26, 9), at(SHANGHAI, 2026, 2, 2, 9))
    assert [(s.engineer, s.override) for s in slots] == [
        (ann, None),
        (cai, cover),
        (ann, None),
    ]
    assert slots[1].scheduled == ann
    assert (slots[1].starts_at, slots[1].ends_at) == (cover.starts_at, cover.ends_at)


def test_cover_of_another_team_does_not_apply(people):
    team = TeamFactory()
    weekly_rota(team, people)
    OverrideFactory(
        engineer=people[2],
        covers_for=people[0],
        starts_at=at(SHANGHAI, 2026, 1, 28),
    )
    assert on_call(team, at(SHANGHAI, 2026, 1, 29, 12, 0)) == people[0]
