"""PostgreSQL and MariaDB probes against the servers on this machine
(PostgreSQL 127.0.0.1:5432 with trust, MariaDB 127.0.0.1:3306 root without a
password): a test database and user are made here; failures are a missing
role, a wrong password, a closed port and a server that never answers."""

from __future__ import annotations

import time

import psycopg
import pymysql
import pytest

from tests.monitoring.probes.conftest import run
from wardkeeper.monitoring.engine.probes.mysql import check_mysql, judge_replica
from wardkeeper.monitoring.engine.probes.postgres import check_postgres, judge_lag
from wardkeeper.monitoring.engine.spec import CheckSpec, Status

PG_DB = "wk_probeclin_probe"
MY_DB, MY_USER, MY_PASSWORD = "wk_probeclin", "wk_probe", "s3cret-probe"


@pytest.fixture(scope="module")
def pg_database():
    with psycopg.connect(
        "host=127.0.0.1 user=postgres dbname=postgres", autocommit=True
    ) as conn:
        if not conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [PG_DB]
        ).fetchone():
            conn.execute(f"CREATE DATABASE {PG_DB}")
    with psycopg.connect(
        f"host=127.0.0.1 user=postgres dbname={PG_DB}", autocommit=True
    ) as conn:
        conn.execute("CREATE TABLE IF NOT EXISTS beds (ward text, free int)")
        conn.execute("DELETE FROM beds")
        conn.execute("INSERT INTO beds VALUES ('ICU', 3)")
    return PG_DB


def pg(port=5432, timeout=3.0, **params):
    params = {"port": port, "dbname": PG_DB, **params}
    return CheckSpec(11, "postgres", "127.0.0.1", params, timeout=timeout)


def test_postgres_answers_a_query_with_the_expected_value(pg_database):
    plain = run(check_postgres(pg()))
    assert plain.status == Status.UP
    assert plain.latency_ms < 3000
    query = "SELECT free FROM beds WHERE ward = 'ICU'"
    assert run(check_postgres(pg(query=query, expect=3))).status == Status.UP
    wrong = run(check_postgres(pg(query=query, expect=5)))
    assert (wrong.status, wrong.reason) == (Status.DOWN, "unexpected")
    assert "'3'" in wrong.message


def test_postgres_failures_are_named(pg_database, closed_port, tcp_peer):
    broken = run(check_postgres(pg(query="SELECT * FROM no_such_table")))
    assert (broken.status, broken.reason) == (Status.DOWN, "query")
    no_role = run(check_postgres(pg(user="nobody_here")))
    assert (no_role.status, no_role.reason) == (Status.DOWN, "auth")
    no_db = run(check_postgres(pg(dbname="no_such_db")))
    assert (no_db.status, no_db.reason) == (Status.DOWN, "database")
    refused = run(check_postgres(pg(port=closed_port)))
    assert (refused.status, refused.reason) == (Status.DOWN, "refused")
    started = time.monotonic()
    hung = run(check_postgres(pg(port=tcp_peer(None), timeout=1.0)))
    assert (hung.status, hung.reason) == (Status.DOWN, "timeout")
    assert time.monotonic() - started < 1.5


def test_a_postgres_primary_without_enough_standbys_is_down(pg_database):
    alone = run(check_postgres(pg(lag_crit_s=30)))
    assert alone.status == Status.UP
    assert (alone.values["role"], alone.values["replicas"]) == ("primary", 0)
    wanting = run(check_postgres(pg(min_replicas=1)))
    assert (wanting.status, wanting.reason) == (Status.DOWN, "replication")
    assert wanting.message == "0 standbys streaming, 1 wanted"


@pytest.mark.parametrize(
    ("lag", "status", "reason"),
    [
        (None, Status.UP, ""),
        (2.0, Status.UP, ""),
        (45.0, Status.DEGRADED, "lag"),
        (400.0, Status.DOWN, "replication"),
    ],
)
def test_replication_lag_is_judged_against_warn_and_crit(lag, status, reason):
    params = {"lag_warn_s": 30, "lag_crit_s": 300}
    assert judge_lag(lag, params) == (status, reason)


@pytest.fixture(scope="module")
def my_database():
    with pymysql.connect(host="127.0.0.1", port=3306, user="root", password="") as conn:
        with conn.cursor() as cur:
            cur.execute(f"CREATE DATABASE IF NOT EXISTS {MY_DB}")
            cur.execute(
                f"CREATE USER IF NOT EXISTS '{MY_USER}'@'%' IDENTIFIED BY '{MY_PASSWORD}'"
            )
            cur.execute(f"ALTER USER '{MY_USER}'@'%' IDENTIFIED BY '{MY_PASSWORD}'")
            cur.execute(f"GRANT SELECT, SLAVE MONITOR ON *.* TO '{MY_USER}'@'%'")
            cur.execute(
                f"CREATE TABLE IF NOT EXISTS {MY_DB}.orders (id int, state text)"
            )
            cur.execute(f"DELETE FROM {MY_DB}.orders")
            cur.execute(
                f"INSERT INTO {MY_DB}.orders VALUES (1, 'scheduled'), (2, 'done')"
            )
        conn.commit()
    return MY_DB


def my(port=3306, timeout=3.0, **params):
    params = {
        "port": port,
        "user": MY_USER,
        "password": MY_PASSWORD,
        "database": MY_DB,
        **params,
    }
    return CheckSpec(12, "mysql", "127.0.0.1", params, timeout=timeout)


def test_mariadb_answers_a_query_with_the_expected_value(my_database):
    plain = run(check_mysql(my()))
    assert plain.status == Status.UP
    assert plain.values["server"].startswith("10.")
    query = "SELECT count(*) FROM orders WHERE state = 'scheduled'"
    assert run(check_mysql(my(query=query, expect="1"))).status == Status.UP
    wrong = run(check_mysql(my(query=query, expect="7")))
    assert (wrong.status, wrong.reason) == (Status.DOWN, "unexpected")


def test_mariadb_failures_are_named(my_database, closed_port, tcp_peer):
    broken = run(check_mysql(my(query="SELECT * FROM no_such_table")))
    assert (broken.status, broken.reason) == (Status.DOWN, "query")
    bad_password = run(check_mysql(my(password="wrong")))
    assert (bad_password.status, bad_password.reason) == (Status.DOWN, "auth")
    refused = run(check_mysql(my(port=closed_port)))
    assert (refused.status, refused.reason) == (Status.DOWN, "refused")
    started = time.monotonic()
    hung = run(check_mysql(my(port=tcp_peer(None), timeout=1.0)))
    assert (hung.status, hung.reason) == (Status.DOWN, "timeout")
    assert time.monotonic() - started < 1.5


def test_a_mariadb_server_that_is_no_replica_fails_a_replica_check(my_database):
    assert run(check_mysql(my(lag_crit_s=60))).values["role"] == "primary"
    outcome = run(check_mysql(my(replica=True)))
    assert (outcome.status, outcome.reason) == (Status.DOWN, "replication")


@pytest.mark.parametrize(
    ("row", "status", "reason"),
    [
        ({"Slave_IO_Running": "Yes", "Slave_SQL_Running": "Yes", "Seconds_Behind_Master": 1},
         Status.UP, ""),
        ({"Slave_IO_Running": "Yes", "Slave_SQL_Running": "Yes", "Seconds_Behind_Master": 90},
         Status.DEGRADED, "lag"),
        ({"Slave_IO_Running": "Yes", "Slave_SQL_Running": "Yes", "Seconds_Behind_Master": 900},
         Status.DOWN, "replication"),
        ({"Slave_IO_Running": "Connecting", "Slave_SQL_Running": "Yes",
          "Seconds_Behind_Master": None, "Last_IO_Error": "can't connect"},
         Status.DOWN, "replication"),
    ],
)  # fmt: skip
def test_replica_status_rows_are_judged(row, status, reason):
    params = {"lag_warn_s": 60, "lag_crit_s": 300}
    assert judge_replica(row, params)[:2] == (status, reason)
