"""Results become check states with confirmation; faults behind a down
parent are unreachable; one alert per root cause."""

import datetime as dt

import pytest
from django.db import OperationalError

from tests.factories.monitoring import T0, CheckFactory, WindowFactory, result, run
from wardkeeper.core.models.audit import AuditEntry
from wardkeeper.monitoring.choices import AlertState, CheckStatus
from wardkeeper.monitoring.engine.spec import Outcome, Result, Status
from wardkeeper.monitoring.models import Alert, Check, Outage
from wardkeeper.monitoring.models import Result as ResultRow
from wardkeeper.monitoring.services import state
from wardkeeper.monitoring.services.state import TOUCH_SECONDS, Recorder, record

pytestmark = pytest.mark.django_db
MINUTE = dt.timedelta(minutes=1)


def fresh(check):
    return Check.objects.get(pk=check.pk)


def test_it_turns_down_only_after_the_confirmation_count():
    check = CheckFactory(confirm_down=3)
    run(record, [check], Status.UP, 1, T0)
    at = run(record, [check], Status.DOWN, 2, T0 + dt.timedelta(minutes=1))
    assert fresh(check).status == CheckStatus.UP
    assert not Alert.objects.exists()
    record([result(check, Status.DOWN, at)])
    assert fresh(check).status == CheckStatus.DOWN
    assert fresh(check).status_since == at
    assert Alert.objects.get().source == check
    assert Outage.objects.get(source=check).ended_at is None
    assert ResultRow.objects.filter(source=check).count() == 4


def test_a_flapping_link_alerts_once():
    check = CheckFactory(confirm_down=2, confirm_up=2)
    at = T0
    for _ in range(5):
        at = run(record, [check], Status.DOWN, 1, at)
        at = run(record, [check], Status.UP, 1, at)
    assert fresh(check).status != CheckStatus.DOWN
    assert not Alert.objects.exists()


def test_recovery_closes_the_outage_and_resolves_the_alert():
    check = CheckFactory()
    at = run(record, [check], Status.DOWN, 2, T0)
    at = run(record, [check], Status.UP, 2, at)
    assert fresh(check).status == CheckStatus.UP
    assert Outage.objects.get().ended_at is not None
    assert Alert.objects.get().state == AlertState.RESOLVED


def test_a_restarted_monitor_does_not_alert_twice():
    check = CheckFactory()
    at = run(record, [check], Status.DOWN, 3, T0)
    # A new process knows only what the database holds.
    Check.objects.filter(pk=check.pk).update(fails=0)
    run(record, [fresh(check)], Status.DOWN, 4, at)
    assert Alert.objects.count() == 1
    assert Outage.objects.count() == 1


def test_children_of_a_down_parent_are_unreachable_and_one_alert_names_them():
    switch = CheckFactory(name="Core switch")
    children = CheckFactory.create_batch(3)
    for child in children:
        child.parents.add(switch)
    run(record, [switch, *children], Status.DOWN, 2, T0)
    assert fresh(switch).status == CheckStatus.DOWN
    assert {fresh(c).status for c in children} == {CheckStatus.UNREACHABLE}
    alert = Alert.objects.get()
    assert alert.source == switch
    assert alert.affected == 3
    assert "Core switch" in alert.message
    assert "3 dependent checks" in alert.message
    outage = Outage.objects.get(source=children[0])
    assert outage.root_cause == switch
    assert outage.status == CheckStatus.UNREACHABLE


def test_children_that_failed_first_are_folded_into_the_parents_alert():
    switch = CheckFactory(confirm_down=3)
    child = CheckFactory(confirm_down=2)
    child.parents.add(switch)
    run(record, [switch, child], Status.DOWN, 3, T0)
    assert fresh(child).status == CheckStatus.UNREACHABLE
    assert Alert.objects.exclude(state=AlertState.RESOLVED).get().source == switch


def test_a_child_still_down_after_its_parent_recovers_alerts_itself():
    switch = CheckFactory()
    child = CheckFactory()
    child.parents.add(switch)
    at = run(record, [switch, child], Status.DOWN, 2, T0)
    at = run(record, [switch], Status.UP, 2, at)
    record([result(child, Status.DOWN, at)])
    assert fresh(child).status == CheckStatus.DOWN
    assert Alert.objects.exclude(state=AlertState.RESOLVED).get().source == child


def test_the_asset_parents_reachability_check_is_an_implicit_parent():
    gateway = CheckFactory(kind="icmp")
    modality = CheckFactory()
    modality.asset.parent = gateway.asset
    modality.asset.save()
    run(record, [gateway, modality], Status.DOWN, 2, T0)
    assert fresh(modality).status == CheckStatus.UNREACHABLE
    assert Alert.objects.get().source == gateway


def test_a_maintenance_window_suppresses_the_alert_and_marks_the_history():
    check = CheckFactory()
    window = WindowFactory(starts_at=T0 - dt.timedelta(minutes=5), duration=30)
    window.assets.add(check.asset)
    run(record, [check], Status.DOWN, 2, T0)
    assert fresh(check).status == CheckStatus.DOWN
    assert not Alert.objects.exists()
    assert Outage.objects.get().in_maintenance
    assert all(ResultRow.objects.values_list("in_maintenance", flat=True))


def test_a_batch_costs_a_bounded_number_of_queries(django_assert_max_num_queries):
    checks = CheckFactory.create_batch(30)
    run(record, checks, Status.UP, 1, T0)
    with django_assert_max_num_queries(12):
        run(record, checks, Status.UP, 1, T0 + dt.timedelta(minutes=1))


def test_a_check_with_two_uplinks_is_unreachable_only_when_both_are_down():
    left, right = CheckFactory(name="Uplink A"), CheckFactory(name="Uplink B")
    ward = CheckFactory(name="Ward switch")
    ward.parents.add(left, right)
    at = run(record, [left, ward], Status.DOWN, 2, T0)
    assert fresh(ward).status == CheckStatus.DOWN  # still reached through B
    assert {a.source for a in Alert.objects.all()} == {left, ward}
    run(record, [right], Status.DOWN, 2, at)
    assert fresh(ward).status == CheckStatus.UNREACHABLE
    open_alerts = Alert.objects.exclude(state=AlertState.RESOLVED)
    assert {a.source for a in open_alerts} == {left, right}


def test_the_alert_counts_every_check_cut_off_behind_the_root_cause():
    switch = CheckFactory(name="Core switch")
    children = CheckFactory.create_batch(4)
    for child in children:
        child.parents.add(switch)
    # The children's own checks have not confirmed down yet: they count.
    run(record, [switch], Status.DOWN, 2, T0)
    assert Alert.objects.get().affected == 4


def snmp_result(check, at, uptime, status=Status.UP, reason=""):
    return Result(
        check_id=check.pk,
        at=at.timestamp(),
        lag=0.0,
        outcome=Outcome(status=status, reason=reason, values={"uptime_s": uptime}),
    )


def test_a_lower_uptime_than_the_last_stored_one_is_a_reboot_after_a_restart():
    device = CheckFactory(kind="snmp", params={"what": "uptime"}, confirm_down=1)
    record([snmp_result(device, T0, 86_400.0)])
    # The monitor restarted: its probe has no previous reading and says up.
    record([snmp_result(device, T0 + dt.timedelta(minutes=5), 120.0)])
    last = ResultRow.objects.filter(source=device).latest("at")
    assert (last.status, last.reason) == (Status.DEGRADED, "rebooted")
    assert fresh(device).status == CheckStatus.DEGRADED
    # Counting on from there is no reboot.
    record([snmp_result(device, T0 + dt.timedelta(minutes=6), 180.0)])
    assert ResultRow.objects.filter(source=device).latest("at").status == Status.UP


def test_a_reboot_the_probe_saw_or_a_counter_wrap_is_not_reported_twice():
    device = CheckFactory(kind="snmp", params={"what": "uptime"})
    wrap = 2**32 / 100.0
    record([snmp_result(device, T0, wrap - 30)])
    record([snmp_result(device, T0 + dt.timedelta(minutes=1), 30.0)])
    assert ResultRow.objects.filter(source=device).latest("at").status == Status.UP
    seen = snmp_result(device, T0 + dt.timedelta(hours=1), 10.0, Status.DEGRADED)
    seen.outcome.reason = "rebooted"
    seen.outcome.message = "restarted 10 s ago"
    record([seen])
    last = ResultRow.objects.filter(source=device).latest("at")
    assert (last.reason, last.message) == ("rebooted", "restarted 10 s ago")
    # Other SNMP modes carry no uptime rule.
    storage = CheckFactory(kind="snmp", params={"what": "storage"})
    record([snmp_result(storage, T0, 500.0)])
    record([snmp_result(storage, T0 + dt.timedelta(minutes=1), 5.0)])
    assert not ResultRow.objects.filter(source=storage, reason="rebooted").exists()


def test_uptime_checks_cost_one_more_query_per_batch(django_assert_max_num_queries):
    devices = CheckFactory.create_batch(20, kind="snmp", params={"what": "uptime"})
    record([snmp_result(d, T0, 1000.0) for d in devices])
    with django_assert_max_num_queries(13):
        record([snmp_result(d, T0 + dt.timedelta(minutes=1), 1060.0) for d in devices])


# --- the monitor's recorder: state kept in memory --------------------------


def test_the_recorder_alerts_like_record_and_its_rows_say_what_it_holds():
    recorder = Recorder()
    check = CheckFactory(confirm_down=2)
    at = run(recorder, [check], Status.UP, 1, T0)
    at = run(recorder, [check], Status.DOWN, 1, at)
    row = fresh(check)
    assert (row.status, row.fails) == (CheckStatus.UP, 1)  # a restart resumes here
    at = run(recorder, [check], Status.DOWN, 1, at)
    assert fresh(check).status == CheckStatus.DOWN
    assert Alert.objects.get().source == check
    assert AuditEntry.objects.filter(
        object_id=str(check.pk), changes__status=[CheckStatus.UP, CheckStatus.DOWN]
    ).exists()
    run(recorder, [check], Status.UP, 2, at)
    assert fresh(check).status == CheckStatus.UP
    assert Alert.objects.get().state == AlertState.RESOLVED


def test_the_last_run_shown_lags_the_newest_result_by_at_most_the_bound():
    recorder = Recorder()
    check = CheckFactory()
    step = TOUCH_SECONDS / 4
    at = run(recorder, [check], Status.UP, 12, T0, step=step)
    newest = at - dt.timedelta(seconds=step)
    shown = fresh(check).last_run_at
    assert newest - dt.timedelta(seconds=TOUCH_SECONDS) < shown <= newest
    assert ResultRow.objects.filter(source=check).count() == 12  # all stored
    recorder.flush()  # the monitor stops
    assert fresh(check).last_run_at == newest
    # A new message is shown at once.
    recorder([result(check, Status.DEGRADED, at)])
    assert fresh(check).last_message == str(Status.DEGRADED)


def test_a_steady_batch_costs_no_check_query(django_assert_max_num_queries):
    recorder = Recorder()
    checks = CheckFactory.create_batch(30)
    run(recorder, checks, Status.UP, 1, T0)
    with django_assert_max_num_queries(7) as queries:
        run(recorder, checks, Status.UP, 1, T0 + dt.timedelta(seconds=10))
    statements = [q["sql"] for q in queries.captured_queries]
    assert not [s for s in statements if s.startswith("SELECT") and "_check" in s]


def test_a_refresh_sees_what_others_changed():
    recorder = Recorder()
    check = CheckFactory(confirm_down=3)
    at = run(recorder, [check], Status.UP, 1, T0)
    Check.objects.filter(pk=check.pk).update(confirm_down=1)
    recorder.refresh()
    run(recorder, [check], Status.DOWN, 1, at)
    assert fresh(check).status == CheckStatus.DOWN


def test_a_failed_batch_is_counted_once_when_handed_in_again(monkeypatch):
    recorder = Recorder()
    check = CheckFactory(confirm_down=3)
    at = run(recorder, [check], Status.UP, 1, T0)
    batch = [result(check, Status.DOWN, at), result(check, Status.DOWN, at + MINUTE)]
    real_write = state._write_state

    def write_fails_once(checks):  # a mock: the database failing mid-batch
        monkeypatch.setattr(state, "_write_state", real_write)
        raise OperationalError("database is locked (test)")

    monkeypatch.setattr(state, "_write_state", write_fails_once)
    with pytest.raises(OperationalError):
        recorder(batch)
    assert not ResultRow.objects.filter(status=Status.DOWN).exists()
    recorder(batch)  # the runner's retry
    assert (fresh(check).status, fresh(check).fails) == (CheckStatus.UP, 2)
    recorder([result(check, Status.DOWN, at + 2 * MINUTE)])
    assert fresh(check).status == CheckStatus.DOWN


def test_result_rows_wait_to_be_written_together_but_state_never_waits():
    check = CheckFactory(confirm_down=2)
    recorder = Recorder(raw_flush=120)
    at = run(recorder, [check], Status.DOWN, 2, T0)  # two batches, a minute apart
    assert fresh(check).status == CheckStatus.DOWN  # the state went at once
    assert Alert.objects.filter(source=check).exists()
    assert not ResultRow.objects.exists()  # the rows wait …
    run(recorder, [check], Status.DOWN, 1, at + MINUTE)
    assert ResultRow.objects.filter(source=check).count() == 3  # … two minutes
    recorder([result(check, Status.UP, at + 3 * MINUTE)])
    assert ResultRow.objects.count() == 3
    recorder.flush()  # the monitor stops: nothing waiting is lost
    assert ResultRow.objects.count() == 4
