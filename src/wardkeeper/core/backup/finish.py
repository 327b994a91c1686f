"""The checks after a restore, run in a fresh process on the restored data
directory: migrate an older database, count the records, decrypt every
encrypted value with the restored keys, record the restore in the audit trail
and verify the trail's hash chain."""

from __future__ import annotations

import sys
from typing import Any

from cryptography.fernet import InvalidToken
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from wardkeeper.core import audit
from wardkeeper.core.auditing import chain
from wardkeeper.core.backup import database
from wardkeeper.core.fields import EncryptedTextField
from wardkeeper.core.models.audit import AuditAction


def finish(archive_name: str) -> dict[str, Any]:
    """Check the restored installation; the report is JSON-ready."""
    migrated = migrate_if_older()
    with connection.cursor() as cursor:
        state = database.read_state(
            cursor, connection.introspection.table_names(cursor)
        )
    checked, failed = decrypt_all()
    audit.record(
        AuditAction.SECURITY,
        message=f"restored from the backup {archive_name}",
        changes={"restored_records": [None, sum(state.counts.values())]},
    )
    verified = chain.verify_chain()
    return {
        "migrated": migrated,
        "counts": state.counts,
        "encrypted_checked": checked,
        "encrypted_failed": failed,
        "audit_checked": verified.checked,
        "audit_problem": verified.breakage.detail if verified.breakage else None,
        "audit_entry": verified.breakage.entry_id if verified.breakage else None,
    }


def migrate_if_older() -> list[str]:
    """Apply the migrations the restored database lacks; their names."""
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        # stdout carries the report; migrate's progress goes to the operator.
        call_command("migrate", interactive=False, verbosity=1, stdout=sys.stderr)
    return [f"{migration.app_label}.{migration.name}" for migration, _ in plan]


def decrypt_all() -> tuple[int, list[str]]:
    """Decrypt every stored encrypted value: (values read, fields that fail)."""
    checked, failed = 0, []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if not isinstance(field, EncryptedTextField):
                continue
            values = (
                model._base_manager.exclude(**{f"{field.name}__isnull": True})
                .exclude(**{field.name: ""})
                .values_list(field.name, flat=True)
            )
            try:
                for _value in values.iterator(chunk_size=2000):
                    checked += 1
            except InvalidToken:
                failed.append(f"{model._meta.label_lower}.{field.name}")
    return checked, failed
