"""File downloads of exports and templates, shared by the page and the API."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from typing import Any

from django.http import FileResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase

from wardkeeper.inventory.transfer.exporting import csv_chunks, write_xlsx

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# A workbook is kept in memory up to this size, then in a temporary file.
SPOOL_BYTES = 8 * 1024 * 1024


def file_response(
    kind: str, fmt: str, header: list[str], rows: Iterable[list[Any]], name: str
) -> HttpResponseBase:
    """CSV streams as it is read; a workbook is built in a temporary file first."""
    if fmt == "csv":
        response = StreamingHttpResponse(
            csv_chunks(header, rows), content_type=CONTENT_TYPES["csv"]
        )
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    # FileResponse closes the file once it is sent.
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115
    write_xlsx(header, rows, spool, kind)
    spool.seek(0)
    return FileResponse(
        spool, as_attachment=True, filename=name, content_type=CONTENT_TYPES["xlsx"]
    )
