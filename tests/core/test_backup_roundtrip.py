"""``wardkeeper backup`` then ``wardkeeper restore``, run as an operator runs
them, on an installation with records of every area, attachments, encrypted
secrets and an audit trail: everything comes back and the trail verifies."""

from __future__ import annotations

import stat
import tarfile
import uuid

import psycopg
import pytest

from tests.core import test_backup_support as support
from tests.core.test_backup_support import (
    ATTACHMENTS,
    COMMUNITY,
    SECRET,
    backup_of_a_copy,
    environment,
    migrations_complete,
    postgres_admin_url,
    python,
    scratch_database,
    wardkeeper,
)

source = support.source
# The tests of the source installation, here and in test_backup_refusals.py,
# on one worker: it is built once.
on_the_source = pytest.mark.xdist_group("backup_source")


def assert_same_installation(before: dict, after: dict) -> None:
    """Every table, sample row, attachment and secret is back; the trail holds
    one more entry (the restore's) and verifies."""
    expected = dict(
        before["counts"], **{"core.auditentry": before["counts"]["core.auditentry"] + 1}
    )
    assert after["counts"] == expected
    # The chain head moved on to the restore's entry; every other row is as it was.
    after["samples"].pop("core.auditchainhead")
    before = dict(before, samples=dict(before["samples"]))
    before["samples"].pop("core.auditchainhead")
    assert after["samples"] == before["samples"]
    assert after["files"] == before["files"]
    assert len(after["files"]) == len(ATTACHMENTS)
    assert after["samples"]["continuity.backupjob"][0]["repository_password"] == SECRET
    assert after["samples"]["monitoring.check"][0]["secrets"] == COMMUNITY
    assert after["audit_intact"]
    assert after["audit_checked"] == expected["core.auditentry"]


@on_the_source
def test_the_backup_is_one_private_archive_with_a_warning(source):
    archive, written = source["archive"], source["written"]
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    assert str(archive) in written.stdout
    assert "uploaded files" in written.stdout
    assert "keep it like a password" in written.stderr
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert names[-1] == "manifest.json"
    assert {"database/wardkeeper.sqlite3", "keys/field-encryption.key"} <= set(names)
    assert sum(name.startswith("uploads/") for name in names) == len(ATTACHMENTS)
    assert not list(archive.parent.glob(".*partial"))


@on_the_source
def test_a_restore_brings_back_every_record_file_and_secret(source, tmp_path):
    target = tmp_path / "restored"
    env = environment(target)
    restored = wardkeeper(env, "restore", str(source["archive"]))
    assert restored.returncode == 0, restored.stderr
    assert "Every table holds as many records as the archive says" in restored.stdout
    assert "2 encrypted values decrypt" in restored.stdout
    assert "audit trail intact" in restored.stdout
    assert_same_installation(source["before"], python(env, "fingerprint"))
    assert stat.S_IMODE((target / "field-encryption.key").stat().st_mode) == 0o600
    assert not list(target.glob(".restore-*"))


@on_the_source
def test_a_backup_without_uploads_restores_without_them(source, tmp_path):
    archive = tmp_path / "no-uploads.tar.gz"
    written = wardkeeper(
        environment(source["dir"]), "backup", "--no-uploads", "--output", str(archive)
    )
    assert written.returncode == 0, written.stderr
    assert "no uploaded files" in written.stdout
    restored = wardkeeper(environment(tmp_path / "restored"), "restore", str(archive))
    assert restored.returncode == 0, restored.stderr
    assert not (tmp_path / "restored" / "uploads").exists()


@on_the_source
@pytest.mark.skipif(
    not migrations_complete(),
    reason="an app's migrations are not written yet: migrate cannot run on it",
)
def test_an_older_archive_is_migrated_on_restore(source, tmp_path):
    archive = backup_of_a_copy(
        source,
        tmp_path,
        # A leaf migration (nothing depends on it) whose SQL is a no-op on
        # the tables as they are: the archive looks one migration older.
        "DELETE FROM django_migrations WHERE app = 'monitoring' "
        "AND name = '0004_more_kinds'",
    )
    restored = wardkeeper(environment(tmp_path / "restored"), "restore", str(archive))
    assert restored.returncode == 0, restored.stderr
    assert "Applied 1 migrations" in restored.stdout
    assert "audit trail intact" in restored.stdout


def _postgres_reachable() -> bool:
    try:
        psycopg.connect(postgres_admin_url(), connect_timeout=3).close()
    except psycopg.Error:
        return False
    return True


@pytest.mark.skipif(not _postgres_reachable(), reason="no PostgreSQL server")
def test_postgresql_round_trip_through_pg_dump_and_pg_restore(tmp_path):
    names = [f"wk_cown_{part}_{uuid.uuid4().hex[:8]}" for part in ("src", "dst")]
    source_url, target_url = (scratch_database(name) for name in names)
    try:
        env = environment(tmp_path / "source", source_url)
        (tmp_path / "source").mkdir()
        python(env, "build")
        before = python(env, "fingerprint")
        archive = tmp_path / "pg.tar.gz"
        written = wardkeeper(env, "backup", "--output", str(archive))
        assert written.returncode == 0, written.stderr
        with tarfile.open(archive) as tar:
            assert "database/wardkeeper.pgdump" in tar.getnames()
        target = environment(tmp_path / "restored", target_url)
        restored = wardkeeper(target, "restore", str(archive))
        assert restored.returncode == 0, restored.stderr
        assert_same_installation(before, python(target, "fingerprint"))
        again = wardkeeper(
            environment(tmp_path / "another", target_url), "restore", str(archive)
        )
        assert again.returncode != 0
        assert "already has tables" in again.stderr
    finally:
        for name in names:
            scratch_database(name, drop=True)
