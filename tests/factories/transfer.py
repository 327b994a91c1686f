"""Helpers for import/export tests: small files built in memory."""

import csv
import io

from openpyxl import Workbook, load_workbook

from wardkeeper.inventory.transfer import (
    csv_chunks,
    export_rows,
    run_import,
    write_xlsx,
)


def csv_bytes(rows, *, bom=False) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return ("\ufeff" if bom else "").encode() + out.getvalue().encode("utf-8")


def xlsx_bytes(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def import_rows(kind, rows, *, dry_run=False, actor=None, fmt="csv", **kwargs):
    """Import ``rows`` (header first) as a CSV or XLSX file."""
    data = csv_bytes(rows) if fmt == "csv" else xlsx_bytes(rows)
    return run_import(
        kind,
        io.BytesIO(data),
        filename=f"{kind}.{fmt}",
        dry_run=dry_run,
        actor=actor,
        **kwargs,
    )


def export_csv(kind, params=None) -> bytes:
    header, rows = export_rows(kind, params)
    return "".join(csv_chunks(header, rows)).encode("utf-8")


def export_xlsx(kind, params=None) -> bytes:
    header, rows = export_rows(kind, params)
    out = io.BytesIO()
    write_xlsx(header, rows, out, kind)
    return out.getvalue()


def read_csv(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def read_xlsx(data: bytes) -> list[list]:
    book = load_workbook(io.BytesIO(data), read_only=True)
    return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]
