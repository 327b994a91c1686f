"""Rotas, shifts and leave overrides for tests."""

import datetime as dt

import factory

from tests.factories.core import UserFactory
from tests.factories.servicedesk import TeamFactory
from wardkeeper.servicedesk.models import (
    Rota,
    RotaKind,
    RotaMember,
    RotaOverride,
    Shift,
)


class RotaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rota

    team = factory.SubFactory(TeamFactory)
    name = factory.Sequence(lambda n: f"Rota {n}")
    kind = RotaKind.WEEKLY
    time_zone = "Asia/Shanghai"
    starts_on = dt.date(2026, 1, 5)  # a Monday
    handover_weekday = 0
    handover_time = dt.time(9, 0)


class ShiftFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Shift

    rota = factory.SubFactory(RotaFactory, kind=RotaKind.SHIFTS)
    engineer = factory.SubFactory(UserFactory)
    starts_at = dt.datetime(2026, 3, 2, 0, 0, tzinfo=dt.UTC)
    ends_at = factory.LazyAttribute(lambda s: s.starts_at + dt.timedelta(hours=12))


class OverrideFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RotaOverride

    team = factory.SubFactory(TeamFactory)
    engineer = factory.SubFactory(UserFactory)
    covers_for = factory.SubFactory(UserFactory)
    starts_at = dt.datetime(2026, 3, 2, 0, 0, tzinfo=dt.UTC)
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(days=2))
    reason = "Annual leave"


def weekly_rota(team, people, **kwargs) -> Rota:
    """A weekly rotation of ``team`` taking ``people`` in this order."""
    rota = RotaFactory(team=team, **kwargs)
    for position, person in enumerate(people):
        RotaMember.objects.create(rota=rota, user=person, position=position)
        team.members.add(person)
    return rota
