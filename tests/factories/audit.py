"""Helpers for audit-trail tests: entries at chosen times, the command's result,
and raw SQL that edits the trail behind the application's back."""

import datetime as dt
import io

from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from wardkeeper.core import audit
from wardkeeper.core.models import AuditEntry
from wardkeeper.core.models.audit import AuditAction

TABLE = AuditEntry._meta.db_table


def record_events(count: int, *, days_ago: float = 0, message: str = "event"):
    """Append ``count`` security entries recorded ``days_ago`` days back."""
    at = timezone.now() - dt.timedelta(days=days_ago)
    entries = []
    for number in range(count):
        entry = audit.build_entry(AuditAction.SECURITY, message=f"{message} {number}")
        entry.at = at + dt.timedelta(microseconds=number)
        entries.append(entry)
    return audit.append(entries)


def run_audit(*args: str) -> tuple[int, str, str]:
    """``wardkeeper audit …`` in-process: (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("audit", *args, stdout=out, stderr=err)
    except SystemExit as exc:
        return int(exc.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def raw_sql(sql: str, *params) -> None:
    """Run SQL straight on the database, bypassing every model guard."""
    with connection.cursor() as cursor:
        cursor.execute(sql.format(table=TABLE), params)
