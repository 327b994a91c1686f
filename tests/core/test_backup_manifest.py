"""Which archives this Wardkeeper restores: the manifest's checks."""

from __future__ import annotations

import json

import pytest

import wardkeeper
from wardkeeper.core.backup import BackupError
from wardkeeper.core.backup.manifest import (
    Manifest,
    check_restorable,
    differences,
    per_app,
    version_tuple,
)


def manifest(version: str = wardkeeper.__version__, **changes) -> Manifest:
    values = {
        "wardkeeper_version": version,
        "created_at": "2026-11-24T10:00:00+00:00",
        "database_vendor": "sqlite",
        "database_member": "database/wardkeeper.sqlite3",
        "migrations": {"core": ["0001_initial"], "inventory": ["0001_initial"]},
        "counts": {"inventory.asset": 30, "inventory.room": 12, "core.auditentry": 80},
    }
    return Manifest(**{**values, **changes})


def test_versions_compare_by_their_numbers():
    assert version_tuple("0.10.0") > version_tuple("0.9.3")
    assert version_tuple("1.4.2rc1") == (1, 4, 2)


def test_an_archive_of_this_version_is_restorable():
    check_restorable(manifest(), "sqlite")


def test_an_older_archive_of_the_same_major_version_is_restorable(monkeypatch):
    monkeypatch.setattr(wardkeeper, "__version__", "0.4.0")
    check_restorable(manifest("0.1.0"), "sqlite")


def test_an_archive_from_a_newer_wardkeeper_is_refused(monkeypatch):
    monkeypatch.setattr(wardkeeper, "__version__", "0.1.0")
    with pytest.raises(BackupError, match=r"Wardkeeper 0\.2\.0, newer than this one"):
        check_restorable(manifest("0.2.0"), "sqlite")


def test_an_archive_of_another_major_version_is_refused(monkeypatch):
    monkeypatch.setattr(wardkeeper, "__version__", "2.0.0")
    with pytest.raises(BackupError, match="another major version"):
        check_restorable(manifest("1.3.0"), "sqlite")


def test_an_archive_with_migrations_this_code_lacks_is_refused():
    newer = manifest(migrations={"inventory": ["0001_initial", "0999_from_the_future"]})
    with pytest.raises(BackupError, match=r"inventory\.0999_from_the_future"):
        check_restorable(newer, "sqlite")


def test_an_archive_of_another_database_vendor_is_refused():
    with pytest.raises(BackupError, match=r"holds a sqlite database.*postgresql"):
        check_restorable(manifest(), "postgresql")


def test_a_manifest_reads_back_as_written():
    original = manifest(members={"keys/secret.key": {"sha256": "ab", "size": 2}})
    assert Manifest.from_bytes(original.to_bytes()) == original


def test_an_edited_manifest_is_refused():
    content = json.loads(manifest().to_bytes())
    content["counts"]["inventory.asset"] = 29
    with pytest.raises(BackupError, match="manifest was altered"):
        Manifest.from_bytes(json.dumps(content).encode())


def test_what_is_not_a_manifest_is_refused():
    with pytest.raises(BackupError, match="cannot be read"):
        Manifest.from_bytes(b"not json")


def test_counts_are_summed_per_app_and_compared_per_table():
    counts = manifest().counts
    assert per_app(counts) == [("core", 80), ("inventory", 42)]
    found = {**counts, "inventory.asset": 31}
    found.pop("inventory.room")
    assert differences(counts, found) == {
        "inventory.asset": [30, 31],
        "inventory.room": [12, None],
    }
