"""The columns of a kind's file and how a file's header row maps onto them."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from wardkeeper.inventory.transfer.cells import LANGUAGES, Parser, text
from wardkeeper.inventory.transfer.report import CellError, RowError

PLAIN_TEXT = text()


@dataclass(frozen=True)
class Column:
    """One column: its key (the English heading), its label (translated, also
    accepted as a heading), how a cell is read, and whether the file must have
    it. Export-only columns (book value, full names) are ignored on import."""

    key: str
    label: str | Promise
    parse: Parser = PLAIN_TEXT
    required: bool = False
    export_only: bool = False
    # Other headings accepted on import (the names another program uses).
    aliases: tuple[str, ...] = ()


def _norm(heading: str) -> str:
    return re.sub(r"[\s\-]+", "_", heading.strip().casefold())


def heading_lookup(columns: Sequence[Column]) -> dict[str, Column]:
    """Every accepted spelling of every heading: the key, and the label in
    English and in Chinese, in any case."""
    lookup: dict[str, Column] = {}
    for column in columns:
        lookup[_norm(column.key)] = column
    for column in columns:
        for alias in column.aliases:
            lookup.setdefault(_norm(alias), column)
    for column in columns:
        for language in LANGUAGES:
            with translation.override(language):
                lookup.setdefault(_norm(str(column.label)), column)
    return lookup


@dataclass
class HeaderMap:
    """Which cell index holds which column; ``ignored`` are export-only columns
    and unnamed empty columns."""

    positions: dict[str, int]
    ignored: list[int]
    # Columns no kind's column matches, skipped by ``ignore_unknown``.
    unknown: list[int] = field(default_factory=list)

    def present(self, key: str) -> bool:
        return key in self.positions


def map_header(
    header: list[str], columns: Sequence[Column], *, ignore_unknown: bool = False
) -> tuple[HeaderMap, list[RowError]]:
    """Match the header row to the columns; unknown, repeated or missing
    columns are errors on row 1 (unknown ones are skipped with
    ``ignore_unknown``)."""
    lookup = heading_lookup(columns)
    positions: dict[str, int] = {}
    ignored: list[int] = []
    unknown: list[int] = []
    errors: list[RowError] = []
    for index, heading in enumerate(header):
        if not heading:
            ignored.append(index)
            continue
        column = lookup.get(_norm(heading))
        if column is None and ignore_unknown:
            unknown.append(index)
        elif column is None:
            errors.append(RowError(1, heading, unknown_message(heading, columns)))
        elif column.key in positions:
            errors.append(
                RowError(
                    1,
                    column.key,
                    _("The column “%(name)s” appears twice.") % {"name": heading},
                )
            )
        elif column.export_only:
            ignored.append(index)
        else:
            positions[column.key] = index
    for column in columns:
        if column.required and column.key not in positions:
            errors.append(
                RowError(
                    1,
                    column.key,
                    _("The file has no “%(name)s” column, which is required.")
                    % {"name": column.key},
                )
            )
    return HeaderMap(positions, ignored + unknown, unknown), errors


def unknown_message(heading: str, columns: Sequence[Column]) -> str:
    known = ", ".join(c.key for c in columns if not c.export_only)
    return _("Unknown column “%(name)s”; the columns are: %(known)s.") % {
        "name": heading,
        "known": known,
    }


def cells_of(
    number: int, cells: list[Any], header: HeaderMap, columns: dict[str, Column]
) -> tuple[dict[str, Any], list[RowError]]:
    """Read a row's cells into ``{key: value}``, with an error per bad cell."""
    values: dict[str, Any] = {}
    errors: list[RowError] = []
    for key, index in header.positions.items():
        try:
            values[key] = columns[key].parse(cells[index])
        except CellError as exc:
            errors.append(RowError(number, key, str(exc)))
    return values, errors
