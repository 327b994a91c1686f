"""Every PDF carries its font (WenQuanYi Zen Hei, subsetted) so it prints the
same on any reader, and wraps English by word and Chinese by character."""

from __future__ import annotations

import datetime as dt
import io
import logging

import pytest
from django.utils import timezone, translation
from pypdf import PdfReader
from reportlab.lib.styles import ParagraphStyle

from tests.factories.continuity import ProtectedSystemFactory
from tests.factories.continuity_plans import approved_runbook, pdf_text, planned_drill
from tests.factories.inventory import AssetFactory
from tests.factories.stocktakes import ward
from wardkeeper.continuity.models import ProtectedSystem
from wardkeeper.continuity.services import drill_pdf, plans_pdf, runbooks
from wardkeeper.continuity.services.dashboard_pdf import dashboard_pdf
from wardkeeper.core import pdf_fonts
from wardkeeper.inventory.services.labels import label_sheet_pdf
from wardkeeper.inventory.services.stocktakes import (
    open_stocktake,
    stocktake_report_pdf,
)
from wardkeeper.monitoring.services import availability
from wardkeeper.monitoring.services.availability_pdf import report_pdf

# The labels print plain ASCII in Helvetica, one of the 14 fonts every PDF
# reader must have; nothing else may rely on the reader's fonts.
STANDARD = {"/Helvetica", "/Helvetica-Bold"}


def fonts(data: bytes) -> dict[str, bool]:
    """Each font of the PDF by its name: whether its file is embedded."""
    found = {}
    for page in PdfReader(io.BytesIO(data)).pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            if "/DescendantFonts" in font:
                font = font["/DescendantFonts"][0].get_object()
            descriptor = font.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor else {}
            found[str(font["/BaseFont"])] = "/FontFile2" in descriptor
    return found


def words(data: bytes) -> set[str]:
    return set(pdf_text(data).split())


def assert_embedded(data: bytes, *, allowed: frozenset[str] = frozenset()) -> None:
    names = fonts(data)
    assert any("+WenQuanYiZenHei" in name for name in names), names
    assert {n for n, embedded in names.items() if not embedded} <= allowed


@pytest.fixture
def chinese():
    with translation.override("zh-hans"):
        yield


def test_the_font_is_zen_hei_from_its_package():
    assert pdf_fonts.pdf_font() == "WenQuanYiZenHei"


def test_without_the_font_file_pdfs_fall_back_and_say_so(monkeypatch, caplog):
    monkeypatch.setattr(
        pdf_fonts, "FONT_FILES", (pdf_fonts.FONT_FILES[0].with_name("gone.ttc"),)
    )
    pdf_fonts.pdf_font.cache_clear()
    try:
        with caplog.at_level(logging.WARNING, logger="wardkeeper.core.pdf_fonts"):
            assert pdf_fonts.pdf_font() == "STSong-Light"
    finally:
        pdf_fonts.pdf_font.cache_clear()
    assert "fonts-wqy-zenhei" in caplog.text


@pytest.mark.parametrize(
    ("text", "wrap"),
    [
        ("application coordinator", None),
        ("恢复数据库", "CJK"),
        ("数据库工程师 database engineer", "CJK"),
        ("サーバー", "CJK"),
    ],
)
def test_only_text_with_cjk_wraps_by_character(text, wrap):
    style = ParagraphStyle("body", wordWrap="CJK")
    assert pdf_fonts.wrapping(style, text).wordWrap == wrap


@pytest.mark.django_db
def test_the_stocktake_report_embeds_its_font():
    place = ward()
    count = open_stocktake(name="三病区盘点", locations=[place.floor], actor=None)
    data = stocktake_report_pdf(count)
    assert_embedded(data)
    assert "三病区盘点" in pdf_text(data)


@pytest.mark.django_db
def test_labels_embed_the_font_of_their_chinese_names():
    data = label_sheet_pdf(
        [AssetFactory(tag="WK-9", name="心电图机"), AssetFactory(name="Ward PC")],
        base_url="https://wk.example",
    )
    assert_embedded(data, allowed=frozenset(STANDARD))


@pytest.mark.django_db
def test_the_availability_report_embeds_its_font_in_both_languages(chinese):
    end = timezone.now()
    report = availability.compute(end - dt.timedelta(days=7), end)
    assert_embedded(report_pdf(report))


@pytest.mark.django_db
def test_the_runbook_keeps_english_words_whole():
    runbook = approved_runbook()
    draft = runbooks.new_version(runbook, actor=None)
    assert_embedded(plans_pdf.runbook_pdf(draft))
    data = plans_pdf.runbook_pdf(runbook)
    assert_embedded(data)
    # The narrow "Who" column: it once split into "coordinato" / "r".
    assert {"application", "coordinator", "administrator"} <= words(data)


@pytest.mark.django_db
def test_the_drill_report_embeds_its_font():
    drill = planned_drill(title="Spring recovery rehearsal")
    data = drill_pdf.drill_report_pdf(drill)
    assert_embedded(data)
    assert {"Spring", "recovery", "rehearsal"} <= words(data)


@pytest.mark.django_db
def test_the_dashboard_keeps_its_headings_whole():
    ProtectedSystemFactory(name="Laboratory information system")
    data = dashboard_pdf(ProtectedSystem.objects.all())
    assert_embedded(data)
    # The "Open findings" column once printed "Open findi" / "ngs".
    assert {"Laboratory", "information", "findings", "restore"} <= words(data)
