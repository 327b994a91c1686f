"""The PostgreSQL probe against a real primary and a real streaming standby
(started in replicas/postgres.py): the standby's lag while it keeps up,
falls behind with its replay paused and catches up; a standby whose primary
has stopped; what the primary says about its standbys."""

from __future__ import annotations

import pytest

from tests.monitoring.probes.conftest import run
from tests.monitoring.probes.replicas import eventually
from tests.monitoring.probes.replicas.postgres import (
    PgPair,
    postgres_missing,
    postgres_pair,
)
from wardkeeper.monitoring.engine.probes.postgres import check_postgres
from wardkeeper.monitoring.engine.spec import CheckSpec, Status

pytestmark = [
    pytest.mark.skipif(bool(postgres_missing()), reason=postgres_missing()),
    # One pair per module: keep its tests on one xdist worker.
    pytest.mark.xdist_group("postgres_replicas"),
]
LIMITS = {"lag_warn_s": 1, "lag_crit_s": 3600}


@pytest.fixture(scope="module")
def started():
    with postgres_pair() as pair:
        yield pair


@pytest.fixture
def pair(started):
    yield started
    started.heal()


def probe(node, **params):
    spec = CheckSpec(21, "postgres", "127.0.0.1", {"port": node.port, **params})
    return run(check_postgres(spec))


def caught_up(pair, note):
    pair.write(note)
    eventually(lambda: pair.replayed(note), bool)


def test_a_standby_in_step_with_its_primary_is_up_with_no_lag(pair):
    caught_up(pair, "in step")
    outcome = probe(pair.standby, **LIMITS)
    assert (outcome.status, outcome.reason) == (Status.UP, "")
    assert outcome.values["role"] == "standby"
    assert outcome.values["lag_s"] == 0
    assert outcome.values["connected"] is True
    assert outcome.message == "standby is 0.0 s behind its primary"


def test_a_paused_standby_falls_behind_then_catches_up(pair):
    caught_up(pair, "before the pause")
    pair.standby.sql("SELECT pg_wal_replay_pause()")
    pair.write("while paused")
    behind = eventually(
        lambda: probe(pair.standby, **LIMITS), lambda o: o.status != Status.UP
    )
    assert (behind.status, behind.reason) == (Status.DEGRADED, "lag")
    assert behind.values["lag_s"] > 1
    assert behind.values["replay_paused"] is True
    assert "s behind its primary (replay is paused)" in behind.message
    beyond = probe(pair.standby, lag_warn_s=0.5, lag_crit_s=1)
    assert (beyond.status, beyond.reason) == (Status.DOWN, "replication")

    pair.standby.sql("SELECT pg_wal_replay_resume()")
    back = eventually(
        lambda: probe(pair.standby, **LIMITS), lambda o: o.status == Status.UP
    )
    assert back.values["lag_s"] == 0
    assert pair.replayed("while paused")


def test_a_standby_whose_primary_stopped_is_down_and_says_so(pair):
    caught_up(pair, "last words")
    pair.primary.stop()
    cut_off = eventually(
        lambda: probe(pair.standby, lag_crit_s=3600), lambda o: o.status != Status.UP
    )
    assert (cut_off.status, cut_off.reason) == (Status.DOWN, "replication")
    assert cut_off.values["connected"] is False
    # What is still known: how long ago the standby last replayed anything.
    assert cut_off.values["lag_s"] >= 0
    assert cut_off.message.startswith("standby is not connected to its primary;")
    assert "last transaction replayed" in cut_off.message
    # Asked only to answer a query, the standby still does.
    assert probe(pair.standby).status == Status.UP


def test_the_primary_reports_its_streaming_standby(pair):
    outcome = probe(pair.primary, **LIMITS)
    assert (outcome.status, outcome.values["role"]) == (Status.UP, "primary")
    assert outcome.values["replicas"] == 1
    [standby] = outcome.values["standbys"]
    assert standby["name"] == PgPair.STANDBY
    assert (standby["address"], standby["state"]) == ("127.0.0.1", "streaming")
    assert (standby["lag_s"], standby["behind_bytes"]) == (0, 0)
    assert outcome.message == "primary, 1 standby streaming"
    wanting = probe(pair.primary, min_replicas=2)
    assert (wanting.status, wanting.reason) == (Status.DOWN, "replication")
    assert wanting.message == "1 standby streaming, 2 wanted"


def test_the_primary_sees_a_paused_standby_fall_behind(pair):
    pair.standby.sql("SELECT pg_wal_replay_pause()")

    def written_then_probed():
        # The primary learns the standby's position from its replies, and
        # the standby replies when WAL arrives.
        pair.write("keep the standby talking")
        return probe(pair.primary, **LIMITS)

    behind = eventually(written_then_probed, lambda o: o.status != Status.UP)
    assert (behind.status, behind.reason) == (Status.DEGRADED, "lag")
    assert behind.values["lag_s"] > 1
    assert behind.values["standbys"][0]["behind_bytes"] > 0
    assert behind.message.startswith(f"standby {PgPair.STANDBY} at 127.0.0.1 is ")


def test_a_role_without_pg_monitor_gets_unknown_not_a_false_alarm(pair):
    pair.primary.sql("DROP ROLE IF EXISTS ward_watcher")
    pair.primary.sql("CREATE ROLE ward_watcher LOGIN")
    caught_up(pair, "role made")
    # A standby shows its own lag to any role.
    assert probe(pair.standby, user="ward_watcher", **LIMITS).status == Status.UP
    blind = probe(pair.primary, user="ward_watcher", min_replicas=1)
    assert (blind.status, blind.reason) == (Status.UNKNOWN, "privilege")
    assert "GRANT pg_monitor TO ward_watcher" in blind.message
    pair.primary.sql("GRANT pg_monitor TO ward_watcher")
    assert probe(pair.primary, user="ward_watcher", min_replicas=1).status == Status.UP
