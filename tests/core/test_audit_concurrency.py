"""Writers appending at the same time still build one unbroken chain: each
takes the chain head's row lock in turn (PostgreSQL; SQLite has one writer)."""

import threading

import pytest
from django.db import connection

from tests.factories.audit import run_audit
from wardkeeper.core import audit
from wardkeeper.core.models import AuditEntry
from wardkeeper.core.models.audit import AuditAction

THREADS = 2
RECORDS = 50


def append_records(name: str, start: threading.Barrier, errors: list) -> None:
    try:
        start.wait()
        for number in range(RECORDS):
            audit.record(AuditAction.SECURITY, message=f"{name} {number}")
    except Exception as exc:  # reported by the test, not lost in the thread
        errors.append(exc)
    finally:
        connection.close()  # each thread had its own connection


@pytest.mark.django_db(transaction=True)
def test_concurrent_appenders_keep_the_chain_intact():
    if connection.vendor != "postgresql":
        pytest.skip("row locks under concurrent connections: PostgreSQL")
    start, errors = threading.Barrier(THREADS), []
    threads = [
        threading.Thread(target=append_records, args=(f"writer{n}", start, errors))
        for n in range(THREADS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    messages = AuditEntry.objects.filter(message__startswith="writer")
    assert messages.count() == THREADS * RECORDS
    code, out, err = run_audit("verify")
    assert (code, err) == (0, "")
    assert f"{AuditEntry.objects.count()} entries" in out
