"""What the monitor reloads every half minute: the enabled checks as specs,
and the loader that rebuilds only the checks whose rows changed."""

from __future__ import annotations

import json

import pytest

from tests.factories.monitoring import CheckFactory
from wardkeeper.monitoring.services.specs import SpecLoader, load_specs

pytestmark = pytest.mark.django_db


def _by_id(specs):
    return {spec.id: spec for spec in specs}


def test_an_edit_a_secret_a_dependency_or_a_pause_shows_in_the_next_load():
    switch = CheckFactory(kind="icmp", params={})
    pacs = CheckFactory(params={"port": 104}, interval=60)
    snmp = CheckFactory(kind="snmp", params={"what": "uptime"})
    snmp.secrets = json.dumps({"community": "public"})
    snmp.save()
    load = SpecLoader()
    first = _by_id(load())
    assert first[snmp.pk].params == {"what": "uptime", "community": "public"}
    assert first[pacs.pk].parents == ()

    pacs.params = {"port": 11112}
    pacs.interval = 30
    pacs.save()
    pacs.parents.add(switch)
    snmp.secrets = json.dumps({"community": "hospital-ro"})
    snmp.save()
    second = _by_id(load())
    assert (second[pacs.pk].params, second[pacs.pk].interval) == ({"port": 11112}, 30)
    assert second[pacs.pk].parents == (switch.pk,)
    assert second[snmp.pk].params["community"] == "hospital-ro"
    assert second[switch.pk] is first[switch.pk]  # untouched: not rebuilt

    switch.enabled = False
    switch.save()
    third = _by_id(load())
    assert switch.pk not in third
    assert third[pacs.pk].parents == ()  # a paused parent is no dependency
    assert list(third.values()) == [
        s for s in load_specs() if s.id in third
    ]  # the loader and a plain load agree


def test_the_monitor_rereads_the_checks_only_after_an_audited_change():
    """The monitor's periodic look (ChangeWatch) sees an engineer's edit, a
    new dependency and an asset change, but not the monitor's own state-change
    entries: then the 20,000 checks are not read again for nothing."""
    from wardkeeper.core import audit
    from wardkeeper.core.models.audit import AuditAction
    from wardkeeper.monitoring.services.specs import STATE_CHANGE_MESSAGE, ChangeWatch

    switch = CheckFactory(kind="icmp", params={})
    pacs = CheckFactory(params={"port": 104})
    watch = ChangeWatch()
    assert watch.changed()  # the first look: load
    assert not watch.changed()

    pacs.interval = 30
    pacs.save()
    assert watch.changed()
    assert not watch.changed()

    pacs.parents.add(switch)
    assert watch.changed()

    audit.append(
        [
            audit.build_entry(
                AuditAction.UPDATE,
                pacs,
                changes={"status": ["unknown", "up"]},
                message=STATE_CHANGE_MESSAGE,
            )
        ]
    )
    assert not watch.changed()
