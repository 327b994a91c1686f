"""What the service desk tells whom: recipients per event, the wording, the
link, P1 always by e-mail, and a ticket change that a dead channel cannot stop."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission

from tests.core import test_notifications_servers as servers
from tests.factories.core import UserFactory
from tests.factories.inventory import SparePoolFactory
from tests.factories.servicedesk import TeamFactory, TicketFactory
from wardkeeper.core.models import Channel, Delivery, DeliveryState
from wardkeeper.core.models import NotificationPreference as Preference
from wardkeeper.core.notifications.delivery import deliver_due
from wardkeeper.servicedesk.choices import ResolutionCode, TicketState
from wardkeeper.servicedesk.services import tickets
from wardkeeper.servicedesk.services.notify import by_language, ticket_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def smtp(settings):
    with servers.smtp_server(settings) as box:
        yield box


@pytest.fixture
def people(db):
    return {
        "engineer": UserFactory(username="hana"),
        "lead": UserFactory(username="lena"),
        "reporter": UserFactory(username="nora"),
        "watcher": UserFactory(username="walt"),
        "director": UserFactory(username="dora", roles=["it_director"]),
    }


@pytest.fixture
def ticket(people):
    ticket = TicketFactory(
        title="Theatre 2 workstation frozen",
        team=TeamFactory(lead=people["lead"]),
        assignee=people["engineer"],
        reporter=people["reporter"],
        state=TicketState.IN_PROGRESS,
    )
    ticket.watchers.add(people["watcher"])
    return ticket


@pytest.fixture
def told(django_capture_on_commit_callbacks):
    """``told(ticket, event, **context)``: the usernames e-mailed."""

    def run(ticket, event, **context):
        Delivery.objects.all().delete()
        with django_capture_on_commit_callbacks(execute=True):
            ticket_event(ticket, event, **context)
        return {d.user.username for d in Delivery.objects.filter(kind="email")}

    return run


def test_each_event_reaches_the_people_it_concerns(ticket, told):
    assert told(ticket, "assigned") == {"hana"}
    assert told(ticket, "sla_warning") == {"hana"}
    assert told(ticket, "sla_breach") == {"hana", "lena"}
    assert told(ticket, "reopened") == {"hana", "lena"}
    assert told(ticket, "escalated", level=1) == {"lena"}
    assert told(ticket, "escalated", level=2) == {"dora"}
    assert told(ticket, "resolved") == {"nora", "walt"}


def test_a_restock_alert_reaches_who_keeps_the_spares(ticket, told):
    keeper = UserFactory(username="kim", roles=["hardware_engineer"])
    own_grant = UserFactory(username="olga")
    own_grant.user_permissions.add(Permission.objects.get(codename="change_sparepool"))
    pool = SparePoolFactory(name="Theatre PCs")
    assert told(ticket, "restock", pool=pool) == {keeper.username, "olga"}
    delivery = Delivery.objects.filter(kind="email").first()
    assert "Theatre PCs" in delivery.subject
    assert delivery.payload == {}  # e-mail carries no webhook payload


def test_the_resolved_mail_asks_to_confirm_with_a_link(settings, ticket, told):
    settings.SITE_URL = "https://wk.hospital.example"
    told(ticket, "resolved")
    delivery = Delivery.objects.filter(user__username="nora").get()
    assert delivery.subject == f"{ticket.reference} is resolved: please confirm the fix"
    assert "confirm the fix" in delivery.body
    assert "Theatre 2 workstation frozen" in delivery.body
    assert delivery.link == f"https://wk.hospital.example/desk/tickets/{ticket.pk}/"


def test_p1_is_marked_and_emailed_despite_preferences(ticket, people, told):
    Preference.objects.create(user=people["engineer"], event="assigned", email=False)
    ticket.priority = 1
    assert told(ticket, "assigned") == {"hana"}
    delivery = Delivery.objects.get()
    assert delivery.urgent
    assert delivery.subject.startswith("[P1] ")


def test_p3_follows_the_preferences(ticket, people, told):
    Preference.objects.create(user=people["engineer"], event="assigned", email=False)
    assert told(ticket, "assigned") == set()


def test_a_channel_gets_one_message_whatever_the_languages(ticket, people, told):
    people["reporter"].language = "zh-hans"
    people["reporter"].save()
    Channel.objects.create(
        name="desk", kind="slack", url="https://h.example/1", events=["resolved"]
    )
    told(ticket, "resolved")
    assert Delivery.objects.filter(channel__isnull=False).count() == 1
    assert Delivery.objects.filter(kind="email").count() == 2


def test_people_are_grouped_by_their_language(settings, people):
    settings.LANGUAGE_CODE = "en"
    people["reporter"].language = "zh-hans"
    groups = by_language([people["reporter"], people["engineer"], None])
    assert groups == {"zh-hans": [people["reporter"]], "en": [people["engineer"]]}


def test_a_ticket_resolves_while_the_channel_is_down(
    ticket, smtp, django_capture_on_commit_callbacks
):
    Channel.objects.create(
        name="desk", kind="wecom", url=servers.closed_port_url(), events=["resolved"]
    )
    ticket.resolution_code = ResolutionCode.REPAIRED
    ticket.save()
    with django_capture_on_commit_callbacks(execute=True):
        tickets.move(ticket, TicketState.RESOLVED, actor=ticket.assignee)

    ticket.refresh_from_db()
    assert ticket.state == TicketState.RESOLVED
    deliver_due()
    hook = Delivery.objects.get(channel__name="desk")
    assert hook.state == DeliveryState.FAILED
    assert "Connection refused" in hook.last_error
    assert {m.recipients[0] for m in smtp.mails} == {
        "nora@hospital.example",
        "walt@hospital.example",
    }


def test_an_unknown_event_is_logged_not_raised(ticket, told, caplog):
    assert told(ticket, "exploded") == set()
    assert "exploded" in caplog.text
