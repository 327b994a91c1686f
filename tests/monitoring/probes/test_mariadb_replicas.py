"""The MySQL/MariaDB probe against a real primary and a real replica
(started in replicas/mariadb.py): Seconds_Behind_Master while the replica
keeps up and while a lock holds its SQL thread back; replication stopped or
broken (SQL thread stopped, a conflicting row, the primary gone) is DOWN
with the server's own error."""

from __future__ import annotations

import pytest

from tests.monitoring.probes.conftest import run
from tests.monitoring.probes.replicas import eventually
from tests.monitoring.probes.replicas.mariadb import (
    MyPair,
    mariadb_missing,
    mariadb_pair,
)
from wardkeeper.monitoring.engine.probes.mysql import check_mysql
from wardkeeper.monitoring.engine.spec import CheckSpec, Status

pytestmark = [
    pytest.mark.skipif(bool(mariadb_missing()), reason=mariadb_missing()),
    # One pair per module: keep its tests on one xdist worker.
    pytest.mark.xdist_group("mariadb_replicas"),
]
LIMITS = {"lag_warn_s": 1, "lag_crit_s": 3600}


@pytest.fixture(scope="module")
def started():
    with mariadb_pair() as pair:
        pair.primary.sql("CREATE TABLE ward.beds (id int PRIMARY KEY, free int)")
        pair.primary.sql("INSERT INTO ward.beds VALUES (1, 3)")
        yield pair


@pytest.fixture
def pair(started):
    eventually(started.caught_up, bool)
    yield started
    started.heal()


def probe(node, **params):
    params = {
        "port": node.port,
        "user": MyPair.MONITOR,
        "password": MyPair.MONITOR_PASSWORD,
        **params,
    }
    return run(check_mysql(CheckSpec(22, "mysql", "127.0.0.1", params)))


def test_a_replica_in_step_with_its_primary_is_up_with_no_lag(pair):
    outcome = probe(pair.replica, replica=True, **LIMITS)
    assert (outcome.status, outcome.reason) == (Status.UP, "")
    assert outcome.values["role"] == "replica"
    assert (outcome.values["io_running"], outcome.values["sql_running"]) == (
        "Yes",
        "Yes",
    )
    assert outcome.values["lag_s"] == 0
    assert outcome.message == "replica is 0 s behind its primary"
    primary = probe(pair.primary, **LIMITS)
    assert (primary.status, primary.values["role"]) == (Status.UP, "primary")
    not_replica = probe(pair.primary, replica=True)
    assert (not_replica.status, not_replica.message) == (Status.DOWN, "not a replica")


def test_a_replica_held_back_by_a_lock_lags_then_catches_up(pair):
    # A long transaction on the replica (a report, a backup) locks the row
    # the primary's next update changes: the SQL thread waits behind it.
    with pair.replica.connect() as report:
        report.begin()
        report.cursor().execute("SELECT * FROM ward.beds WHERE id = 1 FOR UPDATE")
        pair.primary.sql("UPDATE ward.beds SET free = free - 1 WHERE id = 1")
        behind = eventually(
            lambda: probe(pair.replica, **LIMITS), lambda o: o.status != Status.UP
        )
        assert (behind.status, behind.reason) == (Status.DEGRADED, "lag")
        assert behind.values["lag_s"] > 1
        assert (
            behind.message
            == f"replica is {behind.values['lag_s']} s behind its primary"
        )
        beyond = probe(pair.replica, lag_warn_s=0, lag_crit_s=1)
        assert (beyond.status, beyond.reason) == (Status.DOWN, "replication")
        report.rollback()
    back = eventually(
        lambda: probe(pair.replica, **LIMITS), lambda o: o.status == Status.UP
    )
    assert back.values["lag_s"] == 0


def test_a_stopped_sql_thread_is_down_not_zero_lag(pair):
    pair.replica.sql("STOP REPLICA SQL_THREAD")
    pair.primary.sql("UPDATE ward.beds SET free = free + 1 WHERE id = 1")
    stopped = probe(pair.replica, **LIMITS)
    assert (stopped.status, stopped.reason) == (Status.DOWN, "replication")
    assert stopped.values["lag_s"] is None
    assert stopped.values["sql_running"] == "No"
    assert (
        stopped.message
        == "replica is not applying what it received (SQL thread stopped)"
    )
    pair.replica.sql("START REPLICA SQL_THREAD")
    eventually(pair.caught_up, bool)
    assert probe(pair.replica, **LIMITS).status == Status.UP


def test_a_conflicting_row_stops_replication_with_the_servers_error(pair):
    pair.replica.sql(
        "INSERT INTO ward.beds VALUES (7, 1)"
    )  # written where it must not be
    pair.primary.sql("INSERT INTO ward.beds VALUES (7, 4)")
    broken = eventually(
        lambda: probe(pair.replica, **LIMITS), lambda o: o.status != Status.UP
    )
    assert (broken.status, broken.reason) == (Status.DOWN, "replication")
    assert broken.message.startswith(
        "replica is not applying what it received (SQL thread stopped): "
    )
    assert "Duplicate entry '7'" in broken.message
    # The DBA removes the stray row and restarts the thread: replication heals.
    pair.replica.sql("DELETE FROM ward.beds WHERE id = 7")
    pair.replica.sql("START REPLICA SQL_THREAD")
    eventually(pair.caught_up, bool)
    assert probe(pair.replica, **LIMITS).status == Status.UP


def test_a_replica_that_lost_its_primary_is_down_with_the_connect_error(pair):
    pair.replica.sql("STOP REPLICA IO_THREAD")
    stopped = probe(pair.replica, **LIMITS)
    assert (stopped.status, stopped.reason) == (Status.DOWN, "replication")
    assert (
        stopped.message
        == "replica is not receiving from its primary (IO thread stopped)"
    )
    pair.replica.sql("START REPLICA IO_THREAD")
    pair.primary.stop()
    lost = eventually(
        lambda: probe(pair.replica, **LIMITS), lambda o: "Can't connect" in o.message
    )
    assert (lost.status, lost.reason) == (Status.DOWN, "replication")
    assert lost.message.startswith(
        "replica is not receiving from its primary (IO thread connecting): "
    )
    assert lost.values["io_running"] == "Connecting"
