"""Stocktakes: open a count of some places, record the labels read there,
reconcile the reads against the books into found, missing, unexpected and
found-in-the-wrong-place, and close the count with a report.

The web pages, the API and the benchmark all call these functions. Reading a
scanner's file lives in ``scan_files``, the comparison in
``stocktake_reconcile`` and the reports in ``stocktake_reports``; the names
are re-exported here so callers need one import.
"""

from __future__ import annotations

import contextlib
import functools
import operator
from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from wardkeeper.core import audit
from wardkeeper.core.errors import DomainError
from wardkeeper.core.models.audit import AuditAction
from wardkeeper.inventory.choices import ScanSource, StocktakeStatus
from wardkeeper.inventory.models import (
    Location,
    Stocktake,
    StocktakeScan,
)
from wardkeeper.inventory.models.locations import subtree_q
from wardkeeper.inventory.services.scan_files import (
    TAG_MAX_LENGTH,
    ScanFileError,
    parse_scan_file,
    scans_from_file,
    tag_from_text,
)
from wardkeeper.inventory.services.stocktake_reconcile import (
    insert_rows,
    reconcile_lines,
    result_counts,
)
from wardkeeper.inventory.services.stocktake_reports import (
    stocktake_report_pdf,
    stocktake_report_xlsx,
)

__all__ = [
    "ScanFileError",
    "StocktakeClosed",
    "close_stocktake",
    "open_stocktake",
    "parse_scan_file",
    "reconcile",
    "record_scan_file",
    "record_scans",
    "result_counts",
    "scans_from_file",
    "scope_locations",
    "stocktake_report_pdf",
    "stocktake_report_xlsx",
    "tag_from_text",
]


class StocktakeClosed(DomainError):
    code = "stocktake_closed"


def _acting(actor: Any) -> contextlib.AbstractContextManager[Any]:
    """The audit context with ``actor`` named explicitly, when one is given."""
    if actor is None:
        return contextlib.nullcontext()
    return audit.audit_context(actor=actor)


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def open_stocktake(*, name: str, locations: list[Location], actor: Any) -> Stocktake:
    """Open a stocktake of ``locations`` (and every place inside them).

    Raises ``DomainError`` for a missing name or an empty set of places."""
    name = name.strip()
    if not name:
        raise DomainError(_("Give the stocktake a name."), field="name")
    if not locations:
        raise DomainError(_("Choose at least one place to count."), field="locations")
    with transaction.atomic(), _acting(actor):
        stocktake = Stocktake(name=name, opened_by=_user(actor))
        stocktake.save()
        # The core's many-to-many receiver records the places in the trail.
        stocktake.locations.set(locations)
    return stocktake


def scope_locations(stocktake: Stocktake) -> QuerySet[Location]:
    """Every place the stocktake counts: its chosen places and all inside them."""
    roots = list(stocktake.locations.values_list("pk", flat=True))
    if not roots:
        return Location.objects.none()
    return Location.objects.filter(
        functools.reduce(operator.or_, (subtree_q(pk) for pk in roots))
    )


def _check_open(stocktake: Stocktake) -> None:
    # Re-read under a lock: the copy in hand may predate another user's close.
    status = (
        Stocktake.objects.select_for_update()
        .values_list("status", flat=True)
        .get(pk=stocktake.pk)
    )
    if status != StocktakeStatus.OPEN:
        raise StocktakeClosed(
            _("The stocktake “%(name)s” is closed: it takes no more scans.")
            % {"name": stocktake.name}
        )


def _clean_scans(
    scans: Iterable[tuple[str, int | None]],
) -> list[tuple[str, int | None]]:
    """The reads with tags trimmed; raises ``DomainError`` for an empty or
    overlong tag or a place id that does not exist."""
    rows = []
    for number, (raw_tag, location_id) in enumerate(scans, start=1):
        tag = (raw_tag or "").strip()
        if not tag or len(tag) > TAG_MAX_LENGTH:
            raise DomainError(
                _("Scan %(n)d: an asset tag has 1 to %(max)d characters.")
                % {"n": number, "max": TAG_MAX_LENGTH},
                field="tag",
            )
        rows.append((tag, location_id))
    places = {location for _tag, location in rows if location is not None}
    known = set(Location.objects.filter(pk__in=places).values_list("pk", flat=True))
    if unknown := places - known:
        raise DomainError(
            _("No place has the id %(id)s.") % {"id": min(unknown)}, field="location"
        )
    return rows


def record_scans(
    stocktake: Stocktake,
    scans: Iterable[tuple[str, int | None]],
    *,
    source: str,
    actor: Any,
) -> int:
    """Record (tag, location id) reads and return how many were recorded.

    One audit entry covers the whole batch. Raises ``StocktakeClosed`` on a
    closed stocktake and ``DomainError`` for a bad tag or an unknown place."""
    if source not in ScanSource.values:
        raise DomainError(
            _("Unknown scan source %(s)s.") % {"s": source}, field="source"
        )
    rows = _clean_scans(scans)
    if not rows:
        return 0
    with transaction.atomic(), _acting(actor):
        _check_open(stocktake)
        when = connection.ops.adapt_datetimefield_value(timezone.now())
        user = _user(actor)
        user_id = user.pk if user is not None else None
        insert_rows(
            StocktakeScan,
            ["stocktake", "tag", "location", "scanned_at", "scanned_by", "source"],
            ((stocktake.pk, tag, place, when, user_id, source) for tag, place in rows),
        )
        detail = f": {rows[0][0]}" if len(rows) == 1 else ""
        audit.record(
            AuditAction.UPDATE,
            stocktake,
            message=f"recorded {len(rows)} scan(s) from {source}{detail}",
        )
    return len(rows)


def record_scan_file(
    stocktake: Stocktake, file: Any, *, filename: str, actor: Any
) -> int:
    """Record every scan of a scanner's CSV file, or none if any line is bad.

    Raises ``ScanFileError`` listing the bad lines (see ``scans_from_file``)
    and ``StocktakeClosed`` on a closed stocktake."""
    if not stocktake.is_open:
        raise StocktakeClosed(_("The stocktake is closed: it takes no more scans."))
    scans = scans_from_file(file, filename=filename)
    return record_scans(stocktake, scans, source=ScanSource.UPLOAD, actor=actor)


def reconcile(stocktake: Stocktake) -> dict[str, int]:
    """Compare the reads with the books, replacing the stocktake's lines, and
    return the number of lines of each result (a ``Reconciliation`` value).

    Raises ``StocktakeClosed`` when the stocktake is closed (its lines are final)."""
    with transaction.atomic():
        _check_open(stocktake)
        counts = reconcile_lines(stocktake)
        stocktake.reconciled_at = timezone.now()
        Stocktake.objects.filter(pk=stocktake.pk).update(
            reconciled_at=stocktake.reconciled_at
        )
        summary = ", ".join(f"{key} {value}" for key, value in counts.items())
        audit.record(AuditAction.UPDATE, stocktake, message=f"reconciled: {summary}")
    return counts


def close_stocktake(stocktake: Stocktake, *, actor: Any) -> Stocktake:
    """Reconcile a final time and close the stocktake: it takes no more scans.

    Raises ``StocktakeClosed`` if it is already closed."""
    with transaction.atomic(), _acting(actor):
        reconcile(stocktake)
        stocktake.refresh_from_db()
        stocktake.status = StocktakeStatus.CLOSED
        stocktake.closed_by = _user(actor)
        stocktake.closed_at = timezone.now()
        stocktake.save()
    return stocktake
