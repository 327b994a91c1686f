import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.factories.stocktakes import asset_in, ward
from wardkeeper.inventory.services.stocktakes import (
    close_stocktake,
    open_stocktake,
    record_scans,
    stocktake_report_pdf,
    stocktake_report_xlsx,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_count(hardware_engineer):
    place = ward()
    asset_in(place.room_a, "WK-1", name="心电图机")
    asset_in(place.room_a, "WK-2", name="Ward PC")
    asset_in(place.room_b, "WK-3", name="Printer")
    count = open_stocktake(name="三病区盘点", locations=[place.floor], actor=None)
    record_scans(
        count,
        [("WK-1", place.room_a.pk), ("WK-3", place.room_a.pk), ("GHOST", None)],
        source="upload",
        actor=hardware_engineer,
    )
    return close_stocktake(count, actor=hardware_engineer)


def test_the_pdf_report_opens_and_shows_the_counts_and_chinese_names(closed_count):
    reader = PdfReader(io.BytesIO(stocktake_report_pdf(closed_count)))
    text = "\n".join(page.extract_text() for page in reader.pages)

    assert "Stocktake report" in text
    assert "三病区盘点" in text
    assert "心电图机" in text
    for label in ("Found (1)", "Missing (1)", "Unexpected (1)"):
        assert label in text
    assert "Found in the wrong place (1)" in text
    fonts = {
        str(font["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    # One font, embedded as a subset (its name carries the subset tag).
    assert fonts
    assert all("+WenQuanYiZenHei" in name for name in fonts)


def test_the_xlsx_report_has_a_summary_and_one_sheet_per_result(closed_count):
    book = load_workbook(io.BytesIO(stocktake_report_xlsx(closed_count)))

    assert book.sheetnames == [
        "Summary",
        "missing",
        "found in the wrong place",
        "unexpected",
        "found",
    ]
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True)}
    assert summary["Stocktake"] == "三病区盘点"
    assert summary["missing"] == 1
    assert summary["found"] == 1
    wrong = list(book["found in the wrong place"].iter_rows(values_only=True))
    line = closed_count.lines.get(tag="WK-3")
    assert wrong[1] == (
        "WK-3",
        "Printer",
        line.expected_location.full_name,
        line.found_location.full_name,
    )
    unexpected = list(book["unexpected"].iter_rows(values_only=True))
    assert unexpected[1][:2] == ("GHOST", "(unknown tag)")
