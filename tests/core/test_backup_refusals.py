"""What ``wardkeeper backup`` and ``wardkeeper restore`` refuse, and what a
restore reports when the data it brought back is not right."""

from __future__ import annotations

import io
import tarfile

import pytest
from cryptography.fernet import Fernet

from tests.core import test_backup_support as support
from tests.core.test_backup_support import backup_of_a_copy, environment, wardkeeper

source = support.source
# On one worker with test_backup_roundtrip.py's tests of the source: it is
# built once.
pytestmark = pytest.mark.xdist_group("backup_source")


def test_a_restore_into_a_data_dir_in_use_is_refused(source):
    database = source["dir"] / "wardkeeper.sqlite3"
    size = database.stat().st_size
    refused = wardkeeper(environment(source["dir"]), "restore", str(source["archive"]))
    assert refused.returncode != 0
    assert "is not empty" in refused.stderr
    assert "wardkeeper.sqlite3" in refused.stderr
    assert "uploads" in refused.stderr
    assert database.stat().st_size == size


def test_a_damaged_archive_is_refused_and_nothing_is_restored(source, tmp_path):
    damaged = tmp_path / "damaged.tar.gz"
    data = bytearray(source["archive"].read_bytes())
    data[len(data) // 2] ^= 0x01
    damaged.write_bytes(bytes(data))
    target = tmp_path / "restored"
    refused = wardkeeper(environment(target), "restore", str(damaged))
    assert refused.returncode != 0
    assert "damaged" in refused.stderr or "altered" in refused.stderr
    assert not (target / "wardkeeper.sqlite3").exists()
    assert not (target / "uploads").exists()
    assert not list(target.glob(".restore-*"))


def test_an_archive_with_a_changed_file_is_refused(source, tmp_path):
    altered = tmp_path / "altered.tar.gz"
    with tarfile.open(source["archive"]) as old, tarfile.open(altered, "w:gz") as new:
        for member in old.getmembers():
            content = old.extractfile(member).read()
            if member.name.startswith("uploads/"):
                content = content[:-1] + bytes([content[-1] ^ 0x01])
            new.addfile(member, io.BytesIO(content))
    refused = wardkeeper(environment(tmp_path / "restored"), "restore", str(altered))
    assert refused.returncode != 0
    assert "does not match its checksum" in refused.stderr


def test_a_failed_backup_says_why_and_leaves_no_file(source, tmp_path):
    env = environment(source["dir"])
    exists = wardkeeper(env, "backup", "--output", str(source["archive"]))
    assert exists.returncode != 0
    assert "already exists" in exists.stderr
    no_database = wardkeeper(
        environment(tmp_path / "new"), "backup", "--output", str(tmp_path / "x.tar.gz")
    )
    assert no_database.returncode != 0
    assert "There is no database" in no_database.stderr
    assert list(tmp_path.glob("*.tar.gz*")) == []
    assert list(tmp_path.glob(".*")) == []


def test_a_restore_reports_an_audit_trail_edited_before_the_backup(source, tmp_path):
    archive = backup_of_a_copy(
        source,
        tmp_path,
        "UPDATE core_auditentry SET message = 'nothing happened' "
        "WHERE id = (SELECT MIN(id) FROM core_auditentry)",
    )
    restored = wardkeeper(environment(tmp_path / "restored"), "restore", str(archive))
    assert restored.returncode == 1
    assert "audit trail BROKEN at entry #" in restored.stderr


def test_a_restore_with_other_keys_says_the_secrets_do_not_decrypt(source, tmp_path):
    env = environment(tmp_path / "restored")
    env["WARDKEEPER_FIELD_ENCRYPTION_KEYS"] = Fernet.generate_key().decode()
    restored = wardkeeper(env, "restore", str(source["archive"]))
    assert restored.returncode == 1
    assert "continuity.backupjob.repository_password" in restored.stderr
    assert "do not decrypt" in restored.stderr
