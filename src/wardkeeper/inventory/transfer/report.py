"""What an import found and did: per-row errors and the counts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from wardkeeper.core.errors import DomainError


@dataclass(frozen=True)
class RowError:
    """One problem in the file: the row as the user sees it (the header is row
    1), the column's key (empty for the whole row) and why."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"row {self.row}" + (f", {self.column}" if self.column else "")
        return f"{where}: {self.message}"


@dataclass
class ImportReport:
    """The outcome of a dry run or an import. ``ok`` is false when any row has
    an error, in which case nothing was written."""

    kind: str
    dry_run: bool
    errors: list[RowError] = field(default_factory=list)
    # Remarks that do not stop the import (a record made along the way, a
    # column of another program left out), by row like the errors.
    notes: list[RowError] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    total: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict[str, Any]:
        """The counts (and errors, and notes when there are any) as plain
        data for JSON."""
        data = {
            "kind": self.kind,
            "dry_run": self.dry_run,
            "ok": self.ok,
            "total": self.total,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "errors": [
                {"row": e.row, "column": e.column, "message": e.message}
                for e in self.errors
            ],
        }
        if self.notes:
            data["notes"] = [
                {"row": n.row, "column": n.column, "message": n.message}
                for n in self.notes
            ]
        return data


class FileRefused(DomainError):
    """The file as a whole cannot be read (not UTF-8, not a workbook, too big,
    empty); nothing was changed."""

    code = "file_refused"

    def __init__(self, message: str) -> None:
        super().__init__(message, field="file")


class CellError(ValueError):
    """A cell's value is not acceptable; the message says why."""
