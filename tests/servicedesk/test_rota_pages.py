"""The team pages: who is on call, the next weeks, rotas and leave cover;
who may change what."""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from tests.factories.core import UserFactory
from tests.factories.servicedesk import TeamFactory
from tests.factories.servicedesk_rota import OverrideFactory, RotaFactory, weekly_rota
from wardkeeper.servicedesk.models import Rota, RotaKind, RotaOverride, Shift, Team

pytestmark = pytest.mark.django_db


def grant(user, *codenames):
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="servicedesk", codename__in=codenames
        )
    )
    return user


@pytest.fixture
def team(hardware_engineer, network_engineer):
    team = TeamFactory(name="Hardware", lead=hardware_engineer)
    weekly_rota(
        team,
        [hardware_engineer, network_engineer],
        name="Weekly",
        starts_on=timezone.localdate() - dt.timedelta(days=7),
    )
    return team


def test_the_team_page_shows_who_is_on_call_and_the_coming_weeks(
    client, network_engineer, team
):
    client.force_login(network_engineer)
    page = client.get(reverse("servicedesk:team-detail", args=[team.pk]))
    assert page.status_code == 200
    assert page.context["on_call"] is not None
    ((rota, slots),) = page.context["rotas"]
    assert rota.name == "Weekly"
    assert len(slots) in (4, 5)  # four weeks, cut at both ends
    assert {s.engineer.username for s in slots} == {"hana", "nick"}
    assert "Add override" not in page.content.decode()  # nick is not the lead


def test_the_team_list_is_for_the_desk(client, network_engineer, nurse, team):
    client.force_login(network_engineer)
    page = client.get(reverse("servicedesk:team-list"))
    assert "Hardware" in page.content.decode()
    client.force_login(nurse)
    assert client.get(reverse("servicedesk:team-list")).status_code == 403


def test_a_configurer_creates_a_team(login, system_admin, hardware_engineer):
    login(system_admin)
    response = login(system_admin).post(
        reverse("servicedesk:team-add"),
        {
            "code": "network",
            "name": "Network",
            "categories": ["network", "security"],
            "members": [hardware_engineer.pk],
            "is_active": "on",
        },
    )
    team = Team.objects.get(code="network")
    assert response.url == reverse("servicedesk:team-detail", args=[team.pk])
    assert team.categories == ["network", "security"]
    assert list(team.members.all()) == [hardware_engineer]


def test_a_weekly_rota_is_set_up_with_its_members_in_turn(
    client, network_engineer, hardware_engineer
):
    team = TeamFactory()
    team.members.add(hardware_engineer, network_engineer)
    client.force_login(grant(network_engineer, "add_rota"))
    form = client.get(reverse("servicedesk:rota-add", args=[team.pk]))
    assert "Members in turn" in form.content.decode()
    response = client.post(
        reverse("servicedesk:rota-add", args=[team.pk]),
        {
            "name": "Primary",
            "kind": RotaKind.WEEKLY,
            "order": 0,
            "time_zone": "Asia/Shanghai",
            "starts_on": "2026-01-05",
            "handover_weekday": 0,
            "handover_time": "09:00",
            "is_active": "on",
            "members-TOTAL_FORMS": 3,
            "members-INITIAL_FORMS": 0,
            "members-0-user": network_engineer.pk,
            "members-0-position": 0,
            "members-1-user": hardware_engineer.pk,
            "members-1-position": 1,
            "members-2-user": "",
            "members-2-position": 0,  # the browser sends the untouched default
        },
    )
    assert response.status_code == 302, response.context["form"].errors or [
        f.errors for f in response.context["formset"]
    ]
    rota = Rota.objects.get(team=team)
    assert [m.user for m in rota.members.all()] == [network_engineer, hardware_engineer]


def test_a_rota_with_a_wrong_time_zone_is_refused(client, network_engineer):
    team = TeamFactory()
    client.force_login(grant(network_engineer, "add_rota"))
    response = client.post(
        reverse("servicedesk:rota-add", args=[team.pk]),
        {
            "name": "X",
            "kind": "weekly",
            "order": 0,
            "time_zone": "Mars/Base",
            "starts_on": "2026-01-05",
            "handover_weekday": 0,
            "handover_time": "09:00",
            "members-TOTAL_FORMS": 0,
            "members-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200
    assert "Mars/Base is not a time zone" in response.content.decode()
    assert not Rota.objects.exists()


def test_rota_changes_need_the_permission(client, network_engineer, team):
    client.force_login(network_engineer)
    rota = team.rotas.get()
    assert (
        client.get(reverse("servicedesk:rota-edit", args=[rota.pk])).status_code == 403
    )
    assert (
        client.get(reverse("servicedesk:rota-add", args=[team.pk])).status_code == 403
    )
    client.force_login(grant(network_engineer, "change_rota"))
    form = client.get(reverse("servicedesk:rota-edit", args=[rota.pk]))
    assert form.context["formset"].initial_form_count() == 2


def test_shifts_are_added_to_a_custom_rota(client, network_engineer, team):
    rota = RotaFactory(team=team, kind=RotaKind.SHIFTS)
    client.force_login(grant(network_engineer, "change_rota"))
    response = client.post(
        reverse("servicedesk:shift-add", args=[rota.pk]),
        {
            "engineer": network_engineer.pk,
            "starts_at": "2026-03-02T20:00",
            "ends_at": "2026-03-02T08:00",
        },
    )
    assert "The end must come after the start." in response.content.decode()
    response = client.post(
        reverse("servicedesk:shift-add", args=[rota.pk]),
        {
            "engineer": network_engineer.pk,
            "starts_at": "2026-03-02T20:00",
            "ends_at": "2026-03-03T08:00",
        },
    )
    assert response.status_code == 302
    shift = Shift.objects.get(rota=rota)
    assert shift.starts_at == dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)  # Shanghai


def test_the_team_lead_adds_leave_cover_without_configuration_rights(
    client, hardware_engineer, network_engineer, team
):
    url = reverse("servicedesk:rotaoverride-add", args=[team.pk])
    client.force_login(hardware_engineer)  # hana leads the team
    response = client.post(
        url,
        {
            "covers_for": hardware_engineer.pk,
            "engineer": network_engineer.pk,
            "starts_at": "2026-03-02T09:00",
            "ends_at": "2026-03-06T09:00",
            "reason": "Annual leave",
        },
    )
    assert response.status_code == 302
    cover = RotaOverride.objects.get(team=team)
    assert (cover.engineer, cover.created_by) == (network_engineer, hardware_engineer)
    page = client.get(team.get_absolute_url()).content.decode()
    assert "Add override" in page


def test_others_may_not_touch_a_teams_leave_cover(
    client, network_engineer, hardware_engineer, team
):
    client.force_login(network_engineer)
    assert (
        client.get(reverse("servicedesk:rotaoverride-add", args=[team.pk])).status_code
        == 403
    )
    cover = OverrideFactory(
        team=team, engineer=network_engineer, covers_for=hardware_engineer
    )
    url = reverse("servicedesk:rotaoverride-delete", args=[cover.pk])
    assert client.post(url).status_code == 403
    # A lead of another team is no lead here.
    other_lead = UserFactory(roles=["hardware_engineer"])
    TeamFactory(lead=other_lead)
    client.force_login(other_lead)
    assert client.post(url).status_code == 403
    client.force_login(grant(network_engineer, "add_rotaoverride"))
    assert client.post(url).status_code == 302
    assert not RotaOverride.objects.exists()
