import pytest

from tests.factories.stocktakes import ward
from wardkeeper.inventory.models import StocktakeScan
from wardkeeper.inventory.services.stocktakes import (
    ScanFileError,
    open_stocktake,
    parse_scan_file,
    record_scan_file,
)


def parse(data: bytes):
    return parse_scan_file(data, filename="scans.csv")


def test_a_bare_list_of_tags_is_read_line_by_line():
    assert parse(b"WK-1\nWK-2\n") == [("WK-1", None), ("WK-2", None)]


def test_a_header_a_bom_semicolons_and_blank_lines_are_tolerated():
    data = "\ufeffTime;Location;Asset tag\r\n\r\n2026-01-05 10:00;W3-01;WK-1\r\n;;\r\n".encode()
    assert parse(data) == [("WK-1", "W3-01")]


def test_without_a_header_the_second_column_is_the_location_code():
    assert parse(b"WK-1,W3-01,2026-01-05T10:00\nWK-2,,\n") == [
        ("WK-1", "W3-01"),
        ("WK-2", None),
    ]


def test_a_label_url_read_by_a_scanner_gives_its_tag():
    data = b"https://wk.hospital.example/a/WK-7/\nhttp://localhost:8000/a/WK%2F8/\n"
    assert parse(data) == [("WK-7", None), ("WK/8", None)]


def test_text_that_is_not_utf8_is_refused_naming_the_line():
    with pytest.raises(ScanFileError, match="Line 3 is not UTF-8"):
        parse("WK-1\nWK-2\n病房".encode("gb18030"))


def test_binary_content_is_refused_naming_the_line():
    with pytest.raises(ScanFileError, match="Line 2 holds binary data"):
        parse(b"WK-1\n\x00\x01\x02")


def test_a_spreadsheet_saved_as_xlsx_is_refused_with_advice():
    with pytest.raises(ScanFileError, match="save it as CSV"):
        parse(b"PK\x03\x04rest-of-a-zip")


def test_an_oversized_file_is_refused(settings):
    settings.UPLOAD_MAX_MB = 1
    with pytest.raises(ScanFileError, match="larger than 1 MB"):
        parse(b"WK-123456789\n" * 100_000)


def test_every_line_without_a_tag_is_listed():
    with pytest.raises(ScanFileError) as refused:
        parse(b"tag,location\n,W3-01\nWK-1,W3-01\n,W3-02\n")
    assert refused.value.errors == [
        "Line 2: there is no asset tag.",
        "Line 4: there is no asset tag.",
    ]


def test_an_empty_file_is_refused():
    with pytest.raises(ScanFileError, match="holds no scans"):
        parse(b"\n\n")


@pytest.mark.django_db
def test_unknown_location_codes_are_listed_by_line_and_nothing_is_recorded(
    hardware_engineer,
):
    place = ward()
    count = open_stocktake(name="W3", locations=[place.floor], actor=hardware_engineer)
    data = b"WK-1;W3-01\nWK-2;NO-SUCH\nWK-3;w3-02\nWK-4;ALSO-NOT\n"

    with pytest.raises(ScanFileError) as refused:
        record_scan_file(count, data, filename="s.csv", actor=hardware_engineer)

    assert refused.value.errors == [
        "Line 2: no place has the code “NO-SUCH”.",
        "Line 4: no place has the code “ALSO-NOT”.",
    ]
    assert not StocktakeScan.objects.filter(stocktake=count).exists()


@pytest.mark.django_db
def test_a_good_file_is_recorded_with_its_places(hardware_engineer):
    place = ward()
    count = open_stocktake(name="W3", locations=[place.floor], actor=hardware_engineer)

    recorded = record_scan_file(
        count,
        b"WK-1;W3-01\nWK-2;w3-02\nWK-3\n",
        filename="s.csv",
        actor=hardware_engineer,
    )

    assert recorded == 3
    scans = StocktakeScan.objects.filter(stocktake=count).order_by("tag")
    assert [(s.tag, s.location_id, s.source) for s in scans] == [
        ("WK-1", place.room_a.pk, "upload"),
        ("WK-2", place.room_b.pk, "upload"),
        ("WK-3", None, "upload"),
    ]
    assert scans[0].scanned_by == hardware_engineer
