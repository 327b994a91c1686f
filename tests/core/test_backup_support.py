"""Helpers for the backup tests: real data directories built and read by
separate ``wardkeeper`` processes, as an operator's machine would have them.

``build`` and ``fingerprint`` run inside a subprocess whose environment names
the data directory (and the database); the tests compare what the source and
the restored installation print. No tests here.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

ROOT = Path(__file__).resolve().parents[2]
WARDKEEPER = [sys.executable, "-m", "wardkeeper"]
SECRET = "restic-repo-passphrase-7"  # an encrypted field's value in the source
COMMUNITY = "snmp-community-ward3"
ATTACHMENTS = {  # name: content
    "invoice-2026-0042.pdf": b"%PDF-1.4 invoice for ICU monitors\n" + bytes(range(256)),
    "broken-screen.jpg": b"\xff\xd8\xff\xe0" + os.urandom(4096),
}


def environment(data_dir: Path, database_url: str | None = None) -> dict[str, str]:
    """The environment of a Wardkeeper process on ``data_dir`` (SQLite unless a URL)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("WARDKEEPER_") and key != "DJANGO_SETTINGS_MODULE"
    }
    env["WARDKEEPER_DATA_DIR"] = str(data_dir)
    env["PYTHONPATH"] = str(ROOT)
    if database_url:
        env["WARDKEEPER_DATABASE_URL"] = database_url
    return env


def wardkeeper(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``python -m wardkeeper ARGS`` as an operator would."""
    return subprocess.run(
        [*WARDKEEPER, *args],
        env=env,
        cwd=Path(env["WARDKEEPER_DATA_DIR"]).parent,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def python(env: dict[str, str], function: str) -> dict:
    """Run one of this module's functions in a Wardkeeper process; its JSON."""
    code = f"from tests.core.test_backup_support import {function}; {function}()"
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def migrations_complete() -> bool:
    """Whether every app with models has its migrations written."""
    return not [
        folder
        for folder in (ROOT / "src" / "wardkeeper").glob("*/migrations")
        if not list(folder.glob("0*.py"))
    ]


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wardkeeper.settings")
    import django

    django.setup()


def _migrate() -> None:
    """Migrate, then create the tables of an app whose migrations the lead
    has not written yet (an in-progress tree), as ``--run-syncdb`` would."""
    from django.apps import apps
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    unmigrated = [
        config
        for config in apps.get_app_configs()
        if config.models_module
        and (Path(config.path) / "migrations").is_dir()
        and not list((Path(config.path) / "migrations").glob("0*.py"))
    ]
    settings.MIGRATION_MODULES = {config.label: None for config in unmigrated}
    call_command("migrate", interactive=False, verbosity=0)
    with connection.schema_editor() as editor:
        for config in unmigrated:
            for model in config.get_models():
                editor.create_model(model)


def build() -> None:
    """A migrated installation with records of every area, attachments with
    real files, encrypted secrets and audit entries."""
    _setup()
    _migrate()
    from django.contrib.contenttypes.models import ContentType
    from django.core.files.base import ContentFile

    from tests.factories.audit import record_events
    from tests.factories.continuity import BackupJobFactory, RestoreTestFactory
    from tests.factories.core import UserFactory
    from tests.factories.hospital import hospital
    from tests.factories.monitoring import CheckFactory
    from tests.factories.network_logical import PrefixFactory, VLANFactory
    from tests.factories.network_physical import RackFactory
    from tests.factories.servicedesk import TeamFactory, TicketFactory
    from wardkeeper.core import audit
    from wardkeeper.core.models import Attachment
    from wardkeeper.core.models.audit import AuditSource
    from wardkeeper.inventory.models import Asset

    with audit.audit_context(source=AuditSource.CLI):
        hospital()
        UserFactory(username="hana", roles=["hardware_engineer"])
        asset = Asset.objects.order_by("pk").first()
        CheckFactory(asset=asset, secrets=COMMUNITY)
        job = BackupJobFactory(repository_password=SECRET)
        RestoreTestFactory(job=job)
        TeamFactory()
        TicketFactory(asset=asset)
        VLANFactory()
        PrefixFactory()
        RackFactory()
        for name, content in ATTACHMENTS.items():
            Attachment.objects.create(
                content_type=ContentType.objects.get_for_model(asset),
                object_id=str(asset.pk),
                file=ContentFile(content, name=name),
            )
        record_events(5, message="backup test")
    sys.stdout.write(json.dumps({"built": True}) + "\n")


def fingerprint() -> None:
    """What a user would compare: rows per table, sample rows of each model
    (encrypted fields in clear), each attachment's bytes, the audit chain."""
    _setup()
    from django.apps import apps
    from django.db import connection

    from wardkeeper.core import audit
    from wardkeeper.core.auditing import chain
    from wardkeeper.core.backup import database
    from wardkeeper.core.models import Attachment

    with connection.cursor() as cursor:
        state = database.read_state(
            cursor, connection.introspection.table_names(cursor)
        )
    samples = {}
    for model in apps.get_models():
        rows = model._base_manager.order_by("pk").values()[:3]
        samples[model._meta.label_lower] = [
            {key: audit.jsonable(value) for key, value in row.items()} for row in rows
        ]
    files = {
        item.file.name: hashlib.sha256(item.file.read()).hexdigest()
        for item in Attachment.objects.all()
    }
    verified = chain.verify_chain()
    sys.stdout.write(
        json.dumps(
            {
                "counts": state.counts,
                "samples": samples,
                "files": files,
                "audit_intact": verified.intact,
                "audit_checked": verified.checked,
            }
        )
        + "\n"
    )


def postgres_admin_url() -> str:
    """The PostgreSQL server of the tests (its maintenance database)."""
    url = os.environ.get("WARDKEEPER_DATABASE_URL", "")
    if not url.startswith("postgres"):
        url = "postgres://postgres@127.0.0.1:5432/postgres"
    return url.rsplit("/", 1)[0] + "/postgres"


def scratch_database(name: str, *, drop: bool = False) -> str:
    """Create (or drop) a scratch database; its URL."""
    admin = postgres_admin_url()
    with psycopg.connect(admin, autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop:
            db.execute(f'CREATE DATABASE "{name}"')
    return admin.rsplit("/", 1)[0] + f"/{name}"


_sources: dict[Path, dict] = {}


@pytest.fixture(scope="session")
def source(tmp_path_factory):
    """A built SQLite installation, its fingerprint, and a backup of it.

    Each module that uses it names it (``source = support.source``), which
    makes a fixture of its own there: the first build of the session is kept
    here and handed to the others, so a worker builds it once."""
    base = tmp_path_factory.getbasetemp()
    if base not in _sources:
        _sources[base] = _build_source(tmp_path_factory)
    return _sources[base]


def _build_source(tmp_path_factory) -> dict:
    data_dir = tmp_path_factory.mktemp("source")
    env = environment(data_dir)
    python(env, "build")
    before = python(env, "fingerprint")
    archive = tmp_path_factory.mktemp("archives") / "wardkeeper.tar.gz"
    written = wardkeeper(env, "backup", "--output", str(archive))
    assert written.returncode == 0, written.stderr
    return {"dir": data_dir, "before": before, "archive": archive, "written": written}


def backup_of_a_copy(source: dict, folder: Path, sql: str) -> Path:
    """Copy the source installation, change it with raw SQL behind the
    application's back, and back the copy up; the archive."""
    copy = folder / "copy"
    shutil.copytree(source["dir"], copy)
    with sqlite3.connect(copy / "wardkeeper.sqlite3") as db:
        db.execute(sql)
    archive = folder / "copy.tar.gz"
    written = wardkeeper(environment(copy), "backup", "--output", str(archive))
    assert written.returncode == 0, written.stderr
    return archive
