"""Reading the CSV files that barcode and QR scanners export after a stocktake.

A file has one scan a line: the asset tag, optionally the code of the place it
was read in and the time. A header line, a byte-order mark, ``;`` or tab
instead of ``,`` and blank lines are all tolerated, because every scanner and
every spreadsheet writes these files a little differently. A tag may also be
the whole URL a QR label encodes. Any bad line refuses the whole file, with
every bad line listed, so nothing half-recorded has to be cleaned up.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from typing import IO, Any
from urllib.parse import unquote

from django.conf import settings
from django.utils.translation import gettext as _

from wardkeeper.core.errors import DomainError
from wardkeeper.inventory.models import Location

TAG_MAX_LENGTH = 64
# Listing hundreds of bad lines helps nobody: the first ones show the pattern.
MAX_LISTED_ERRORS = 20

_TAG_HEADERS = {"tag", "asset tag", "assettag", "asset", "标签", "资产标签", "资产编号"}
_LOCATION_HEADERS = {
    "location",
    "location code",
    "place",
    "room",
    "room code",
    "code",
    "位置",
    "地点",
    "房间",
}
_TIME_HEADERS = {"time", "scanned", "scanned at", "timestamp", "date", "时间"}
# The path of a label's QR code: .../a/<tag>/
_LABEL_PATH = re.compile(r"/a/([^/?#\s]+)/?(?:[?#].*)?$")


class ScanFileError(DomainError):
    """A scan file was refused; ``errors`` lists each bad line."""

    code = "scan_file_invalid"

    def __init__(self, errors: Sequence[str]) -> None:
        self.errors = list(errors)
        shown = self.errors[:MAX_LISTED_ERRORS]
        if len(self.errors) > MAX_LISTED_ERRORS:
            shown.append(
                _("… and %(n)d more bad lines.")
                % {"n": len(self.errors) - MAX_LISTED_ERRORS}
            )
        self.errors = shown
        message = (
            shown[0]
            if len(shown) == 1
            else _("%(n)d lines of the file are wrong; nothing was recorded.")
            % {"n": len(errors)}
        )
        super().__init__(message, field="file")


def tag_from_text(text: str) -> str:
    """The asset tag in what a scanner read: a bare tag or a label's URL."""
    text = text.strip()
    if "/a/" in text:
        match = _LABEL_PATH.search(text)
        if match:
            return unquote(match.group(1)).strip()
    return text


def parse_scan_file(file: Any, *, filename: str) -> list[tuple[str, str | None]]:
    """The (tag, location code) pairs of a scanner's CSV file.

    Raises ``ScanFileError`` naming the line for text that is not UTF-8, binary
    content, a file over the upload limit, or a line without a usable tag."""
    return [(tag, code) for _line, tag, code in parse_scan_rows(file, filename)]


def scans_from_file(file: Any, *, filename: str) -> list[tuple[str, int | None]]:
    """The (tag, location id) pairs of a scan file, location codes resolved.

    Raises ``ScanFileError`` listing every line whose location code is unknown,
    besides everything ``parse_scan_file`` refuses."""
    rows = parse_scan_rows(file, filename)
    codes = {code for _line, _tag, code in rows if code}
    found = dict(Location.objects.filter(code__in=codes).values_list("code", "pk"))
    if len(found) < len(codes):
        # A scanner may upper-case what the label said: match codes loosely.
        loose = {
            code.upper(): pk for code, pk in Location.objects.values_list("code", "pk")
        }
        found.update(
            {
                code: loose[code.upper()]
                for code in codes - found.keys()
                if code.upper() in loose
            }
        )
    errors = [
        _("Line %(line)d: no place has the code “%(code)s”.")
        % {"line": line, "code": code}
        for line, _tag, code in rows
        if code and code not in found
    ]
    if errors:
        raise ScanFileError(errors)
    return [(tag, found[code] if code else None) for _line, tag, code in rows]


def parse_scan_rows(file: Any, filename: str) -> list[tuple[int, str, str | None]]:
    """(line number, tag, location code) for each scan line of the file."""
    text = _decode(_read_limited(file, filename), filename)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    rows: list[tuple[int, str, str | None]] = []
    errors: list[str] = []
    columns: tuple[int, int | None] | None = None
    try:
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            line = reader.line_num
            if columns is None:
                columns = _header_columns(cells, line)
                if columns is not None:
                    continue  # the header line itself holds no scan
                columns = (0, 1)
            error = _read_row(cells, line, columns, rows)
            if error:
                errors.append(error)
    except csv.Error as exc:
        errors.append(
            _("Line %(line)d: %(error)s") % {"line": reader.line_num, "error": exc}
        )
    if errors:
        raise ScanFileError(errors)
    if not rows:
        raise ScanFileError([_("%(file)s holds no scans.") % {"file": filename}])
    return rows


def _read_row(
    cells: list[str],
    line: int,
    columns: tuple[int, int | None],
    rows: list[tuple[int, str, str | None]],
) -> str:
    """Append the scan of one line to ``rows``, or return what is wrong with it."""
    tag_column, location_column = columns
    tag = tag_from_text(cells[tag_column]) if tag_column < len(cells) else ""
    if not tag:
        return _("Line %(line)d: there is no asset tag.") % {"line": line}
    if len(tag) > TAG_MAX_LENGTH:
        return _("Line %(line)d: an asset tag has at most %(n)d characters.") % {
            "line": line,
            "n": TAG_MAX_LENGTH,
        }
    code = None
    if location_column is not None and location_column < len(cells):
        code = cells[location_column].strip() or None
    rows.append((line, tag, code))
    return ""


def _header_columns(cells: list[str], line: int) -> tuple[int, int | None] | None:
    """The tag and location columns named by a header line; None if not a header."""
    names = [re.sub(r"[\s_\-]+", " ", cell.strip().lower()) for cell in cells]
    if not any(
        name in _TAG_HEADERS | _LOCATION_HEADERS | _TIME_HEADERS for name in names
    ):
        return None
    tag = next((i for i, name in enumerate(names) if name in _TAG_HEADERS), None)
    if tag is None:
        raise ScanFileError(
            [_("Line %(line)d: the header names no tag column.") % {"line": line}]
        )
    location = next(
        (i for i, name in enumerate(names) if name in _LOCATION_HEADERS), None
    )
    return tag, location


def _read_limited(file: Any, filename: str) -> bytes:
    limit = settings.UPLOAD_MAX_MB * 1024 * 1024
    if isinstance(file, bytes | bytearray):
        data = bytes(file)
    else:
        stream: IO[Any] = file
        raw = stream.read(limit + 1)
        data = raw.encode("utf-8") if isinstance(raw, str) else bytes(raw)
    if len(data) > limit:
        raise ScanFileError(
            [
                _("%(file)s is larger than %(mb)d MB: split it into smaller files.")
                % {"file": filename, "mb": settings.UPLOAD_MAX_MB}
            ]
        )
    return data


def _decode(data: bytes, filename: str) -> str:
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise ScanFileError(
            [
                _("%(file)s is a spreadsheet, not a CSV file: save it as CSV (UTF-8).")
                % {"file": filename}
            ]
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ScanFileError(
            [_("%(file)s is UTF-16 text: save it as UTF-8.") % {"file": filename}]
        )
    nul = data.find(b"\x00")
    if nul >= 0:
        raise ScanFileError(
            [
                _("Line %(line)d holds binary data: is %(file)s a CSV file?")
                % {"line": data.count(b"\n", 0, nul) + 1, "file": filename}
            ]
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ScanFileError(
            [
                _("Line %(line)d is not UTF-8 text: save %(file)s as CSV (UTF-8).")
                % {"line": line, "file": filename}
            ]
        ) from None


def _delimiter(text: str) -> str:
    """The separator the first non-blank line uses most: ``,``, ``;`` or tab."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {sep: first.count(sep) for sep in (",", ";", "\t")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","
