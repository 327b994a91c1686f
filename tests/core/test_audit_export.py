"""`wardkeeper audit export` writes entries anyone can re-verify off-system."""

import csv
import hashlib
import itertools
import json

import pytest
from django.core.management.base import CommandError

from tests.factories.audit import record_events, run_audit
from wardkeeper.core.models import AuditEntry
from wardkeeper.core.models.audit import AuditAction

pytestmark = pytest.mark.django_db

HASHED = [
    "at",
    "actor_id",
    "actor_name",
    "source",
    "client_ip",
    "action",
    "content_type_id",
    "object_id",
    "object_repr",
    "changes",
    "message",
    "flagged",
    "prev_hash",
]


def recompute(row: dict) -> str:
    """The recipe of docs/audit.md, written independently of the product."""
    content = {name: row[name] for name in HASHED}
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def test_each_exported_line_carries_hashes_an_outsider_can_recompute():
    record_events(4, message="ünïcode ✓")
    code, out, _err = run_audit("export")
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0
    assert len(rows) == AuditEntry.objects.exclude(action=AuditAction.EXPORT).count()
    for before, after in itertools.pairwise(rows):
        assert after["prev_hash"] == before["hash"]
    assert all(recompute(row) == row["hash"] for row in rows)


def test_since_and_until_take_whole_days_in_the_configured_zone():
    record_events(2, days_ago=10, message="old")
    record_events(3, days_ago=1, message="yesterday's")
    code, out, _err = run_audit(
        "export", "--since", "yesterday", "--until", "yesterday"
    )
    messages = [json.loads(line)["message"] for line in out.splitlines()]
    assert code == 0
    assert sorted(messages) == [f"yesterday's {n}" for n in range(3)]


def test_csv_goes_to_a_file_with_a_header_row(tmp_path):
    record_events(3, message="=cmd|calc")
    target = tmp_path / "trail.csv"
    code, out, _err = run_audit("export", "--format", "csv", "--output", str(target))
    with target.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert code == 0
    assert "exported" in out
    assert {"id", "at", "prev_hash", "hash", "changes"} <= set(rows[0])
    # A cell a spreadsheet would run as a formula is defused.
    assert rows[-1]["message"].startswith("'=cmd")


def test_exporting_is_itself_recorded():
    record_events(2)
    run_audit("export", "--since", "today")
    entry = AuditEntry.objects.order_by("-id").first()
    assert entry.action == AuditAction.EXPORT
    assert entry.changes == {"exported_entries": [None, 2]}


def test_an_exported_file_verifies_and_a_tampered_one_does_not(tmp_path):
    record_events(5)
    target = tmp_path / "trail.jsonl"
    run_audit("export", "--output", str(target))
    assert run_audit("verify", "--file", str(target))[0] == 0
    lines = target.read_text(encoding="utf-8").splitlines()
    row = json.loads(lines[2])
    row["message"] = "rewritten"
    lines[2] = json.dumps(row)
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, _out, err = run_audit("verify", "--file", str(target))
    assert code == 1
    assert f"entry #{row['id']} " in err


def test_a_date_it_cannot_read_is_refused_with_the_formats_it_takes():
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        run_audit("export", "--since", "last tuesday")
