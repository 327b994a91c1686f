"""Import and export of inventory files (CSV and XLSX).

``run_import`` validates a whole file first and then writes it all or
nothing; ``export_rows`` with ``csv_chunks``/``write_xlsx`` produce the same
columns back, so an exported file re-imports without changes. The web page,
the API and the ``import``/``export`` commands all call these functions.
"""

from wardkeeper.inventory.transfer.engine import run_import
from wardkeeper.inventory.transfer.exporting import (
    ExportRefused,
    csv_chunks,
    export_rows,
    file_name,
    record_export,
    template_header,
    write_xlsx,
)
from wardkeeper.inventory.transfer.kinds import KINDS
from wardkeeper.inventory.transfer.report import FileRefused, ImportReport, RowError

__all__ = [
    "KINDS",
    "ExportRefused",
    "FileRefused",
    "ImportReport",
    "RowError",
    "csv_chunks",
    "export_rows",
    "file_name",
    "record_export",
    "run_import",
    "template_header",
    "write_xlsx",
]
