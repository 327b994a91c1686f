"""Exporting the trail for keeping off-system, as JSON Lines or CSV.

Each JSON line is self-contained: the entry's canonical fields (exactly what
its hash covers), its ``prev_hash`` and ``hash``, and the object type's name.
Anyone holding a day's export can recompute its chain without Wardkeeper
(docs/audit.md gives the recipe); ``wardkeeper audit verify --file`` does it.
"""

from __future__ import annotations

import csv
import datetime as dt
import enum
import json
from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from wardkeeper.core import audit
from wardkeeper.core.auditing.chain import walk
from wardkeeper.core.models.audit import CANONICAL_FIELDS, AuditAction, AuditEntry

# Exactly the fields the hash covers (so the chain can be recomputed from an
# export), plus the id, the object type's name and the entry's own hash.
_TYPE_AT = CANONICAL_FIELDS.index("content_type_id") + 1
COLUMNS = (
    "id",
    *CANONICAL_FIELDS[:_TYPE_AT],
    "content_type",
    *CANONICAL_FIELDS[_TYPE_AT:],
    "hash",
)
# A spreadsheet runs a cell starting with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class ExportFormat(enum.StrEnum):
    JSONL = "jsonl"
    CSV = "csv"


def entry_row(entry: AuditEntry) -> dict[str, Any]:
    """One entry as an export row (needs ``content_type`` selected)."""
    content_type = entry.content_type
    return {
        "id": entry.id,
        **entry.canonical_content(),
        "content_type": (
            f"{content_type.app_label}.{content_type.model}" if content_type else None
        ),
        "hash": entry.hash,
    }


def entries(queryset: QuerySet[AuditEntry]) -> Iterator[AuditEntry]:
    """The queryset's entries in chain order, in memory-flat batches."""
    return walk(queryset.select_related("content_type"))


def jsonl_lines(rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    for row in rows:
        yield json.dumps(row, ensure_ascii=False) + "\n"


class _Echo:
    """A file-like object whose ``write`` returns the line: csv.writer on top
    of it produces one CSV line per call without buffering the export."""

    def write(self, value: str) -> str:
        return value


def _cell(value: Any) -> Any:
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False)
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_lines(rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    """CSV for reading in a spreadsheet (re-verify from JSON Lines: cells that
    would run as formulas are quoted with a leading apostrophe)."""
    writer = csv.writer(_Echo())
    yield writer.writerow(COLUMNS)
    for row in rows:
        yield writer.writerow([_cell(row[name]) for name in COLUMNS])


def lines(queryset: QuerySet[AuditEntry], fmt: str) -> Iterator[str]:
    """The export of ``queryset`` as text lines in the given format."""
    rows = (entry_row(entry) for entry in entries(queryset))
    if fmt == ExportFormat.CSV:
        return csv_lines(rows)
    return jsonl_lines(rows)


def parse_bound(text: str, *, end: bool = False) -> dt.datetime:
    """``today``, ``yesterday``, a date or a date and time, in the configured
    zone. As an end, a date means the end of that day (exclusive bound)."""
    word = text.strip().lower()
    today = timezone.localdate()
    named = {"today": today, "yesterday": today - dt.timedelta(days=1)}
    try:
        day = named[word] if word in named else dt.date.fromisoformat(word)
    except ValueError:
        day = None
    if day is not None and (word in named or len(word) == 10):
        if end:
            day += dt.timedelta(days=1)
        return timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    try:
        moment = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(
            _(
                "%(text)r is not a date: use today, yesterday, YYYY-MM-DD "
                "or YYYY-MM-DDTHH:MM."
            )
            % {"text": text}
        ) from None
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def in_range(
    since: dt.datetime | None = None, until: dt.datetime | None = None
) -> QuerySet[AuditEntry]:
    """Entries recorded at or after ``since`` and before ``until``."""
    queryset = AuditEntry.objects.all()
    if since is not None:
        queryset = queryset.filter(at__gte=since)
    if until is not None:
        queryset = queryset.filter(at__lt=until)
    return queryset


def frozen(queryset: QuerySet[AuditEntry]) -> QuerySet[AuditEntry]:
    """The queryset limited to entries that exist now, so an export started
    while others write (or that records itself) has a fixed end."""
    newest = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first()
    return queryset.filter(id__lte=newest or 0)


def record_export(count: int, fmt: str, scope: str) -> AuditEntry:
    """Record that ``count`` entries were exported (exporting is audited)."""
    return audit.record(
        AuditAction.EXPORT,
        message=f"exported {count} audit entries as {fmt}: {scope}",
        changes={"exported_entries": [None, count]},
    )
