"""Restoring a pg_dump into a scratch database on the real PostgreSQL and
running the owner's sanity queries; the scratch database is always dropped."""

from __future__ import annotations

import os
import shutil
import uuid

import psycopg
import pytest

from tests.factories.continuity import SanityQueryFactory
from tests.factories.continuity_proofs import (
    PG_SERVER,
    database_job,
    drop_database,
    dump_into,
    file_test,
    scratch,  # noqa: F401
    source_database,
)
from wardkeeper.continuity.choices import (
    Expectation,
    FindingKind,
    ProofStatus,
    RestoreMethod,
)
from wardkeeper.continuity.models import Finding
from wardkeeper.continuity.services import restore

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("scratch"),
]


@pytest.fixture(scope="module")
def made_dumps(tmp_path_factory):
    """Yesterday's dump with 30 admissions, today's with 40 (the newest),
    made once with pg_dump from a database on the real PostgreSQL."""
    name = f"his_{uuid.uuid4().hex[:8]}"
    folder = tmp_path_factory.mktemp("made") / "dumps"
    url = source_database(name, 30)
    try:
        old = dump_into(folder, url, "his-2026-03-03.dump")
        os.utime(old, (1_000_000, 1_000_000))
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(
                "INSERT INTO admission (patient)"
                " SELECT 'later' FROM generate_series(1, 10)"
            )
        dump_into(folder, url, "his-2026-03-04.dump")
    finally:
        drop_database(name)
    (folder / "notes.txt").write_text("not a dump")
    return folder


@pytest.fixture
def dumps(made_dumps, tmp_path):
    """The dumps folder, a copy of its own (times kept): a test may damage it."""
    return shutil.copytree(made_dumps, tmp_path / "dumps")


def database_test(folder, *queries):
    test = file_test(database_job(folder), RestoreMethod.DATABASE)
    for position, (label, sql, expectation, value) in enumerate(queries):
        SanityQueryFactory(
            test=test,
            position=position,
            label=label,
            sql=sql,
            expectation=expectation,
            value=value,
        )
    return test


def run(test):
    restore.start_on_demand(test, actor=None)
    restore.run_pending()
    return test.runs.get()


def scratch_exists(name: str) -> bool:
    with psycopg.connect(PG_SERVER) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return found.fetchone() is not None


def test_the_newest_dump_restores_and_its_sanity_queries_pass(dumps):
    test = database_test(
        dumps,
        ("admissions", "SELECT count(*) FROM admission", Expectation.EQUALS, "40"),
        ("enough", "SELECT count(*) FROM admission;", Expectation.AT_LEAST, "35"),
        (
            "latest admission",
            "SELECT max(admitted_at) FROM admission",
            Expectation.NEWER_THAN_HOURS,
            "24",
        ),
    )
    result = run(test)
    assert result.status == ProofStatus.PASSED, result.evidence
    assert result.snapshot == "his-2026-03-04.dump"
    answers = result.evidence["queries"]
    assert [a["value"] for a in answers[:2]] == [40, 40]
    assert all(a["passed"] for a in answers)
    assert result.evidence["database"].startswith("wk_restore_")
    assert not scratch_exists(result.evidence["database"])


def test_a_query_expecting_more_rows_than_exist_fails_the_test(dumps):
    test = database_test(
        dumps,
        ("admissions", "SELECT count(*) FROM admission", Expectation.AT_LEAST, "1000"),
        ("patients", "SELECT count(*) FROM admission", Expectation.AT_MOST, "50"),
    )
    result = run(test)
    assert result.status == ProofStatus.FAILED
    first, second = result.evidence["queries"]
    assert (first["value"], first["passed"]) == (40, False)
    assert second["passed"] is True
    assert "1 of 2 sanity queries failed" in result.message
    assert Finding.objects.filter(kind=FindingKind.RESTORE_FAILED).exists()
    assert not scratch_exists(result.evidence["database"])


def test_a_broken_query_is_named_and_fails(dumps):
    test = database_test(
        dumps,
        ("typo", "SELECT count(*) FROM admissions", Expectation.AT_LEAST, "1"),
        ("two rows", "SELECT id FROM admission LIMIT 2", Expectation.AT_LEAST, "1"),
    )
    result = run(test)
    assert result.status == ProofStatus.FAILED
    typo, rows = result.evidence["queries"]
    assert 'relation "admissions" does not exist' in typo["error"]
    assert "2 row(s)" in rows["error"]


def test_a_damaged_dump_fails_the_restore(dumps):
    newest = dumps / "his-2026-03-04.dump"
    data = bytearray(newest.read_bytes())
    newest.write_bytes(bytes(data[: len(data) // 2]))
    result = run(database_test(dumps))
    assert result.status == ProofStatus.FAILED
    assert "pg_restore" in result.evidence["commands"][0]["command"]
    assert result.evidence["error"]
    assert not scratch_exists(result.evidence["database"])


def test_a_folder_without_dumps_fails(tmp_path):
    result = run(database_test(tmp_path))
    assert result.status == ProofStatus.FAILED
    assert "No pg_dump file" in result.message
