import subprocess
import tempfile
from pathlib import Path

import pytest
from django.urls import reverse
from PIL import Image
from pyzbar.pyzbar import ZBarSymbol
from pyzbar.pyzbar import decode as zbar_decode

from tests.factories.inventory import AssetFactory, DepartmentFactory
from wardkeeper.core.errors import DomainError
from wardkeeper.inventory.services import labels
from wardkeeper.inventory.services.labels import PER_PAGE, label_sheet_pdf

BASE = "https://wardkeeper.hospital.example"


def decode_qr_codes(pdf: bytes, dpi: int = 150) -> list[list[str]]:
    """The text of the QR codes on each page of ``pdf``, label by label.

    Pages are rendered by poppler; each label's cell of the sheet is decoded
    on its own (zbar misses the odd code when given a page of 24), and a cell
    holding more than one code fails the test."""
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "labels.pdf").write_bytes(pdf)
        subprocess.run(
            ["pdftoppm", "-r", str(dpi), "-png", "labels.pdf", "page"],
            cwd=folder,
            check=True,
        )
        return [
            _decode_cells(Image.open(png), dpi)
            for png in sorted(Path(folder).glob("page*.png"))
        ]


def _decode_cells(image: Image.Image, dpi: int) -> list[str]:
    scale = dpi / 72  # PDF points to pixels
    codes = []
    for slot in range(labels.PER_PAGE):
        left = labels.LEFT_MARGIN + (slot % labels.COLUMNS) * labels.COLUMN_PITCH
        top = labels.TOP_MARGIN + (slot // labels.COLUMNS) * labels.LABEL_HEIGHT
        box = (left, top, left + labels.LABEL_WIDTH, top + labels.LABEL_HEIGHT)
        cell = image.crop(tuple(round(edge * scale) for edge in box))
        found = [
            s.data.decode() for s in zbar_decode(cell, symbols=[ZBarSymbol.QRCODE])
        ]
        assert len(found) <= 1, f"label {slot} holds {len(found)} codes"
        codes += found
    return codes


@pytest.mark.django_db
def test_every_label_carries_one_qr_code_opening_its_asset():
    assets = [AssetFactory(name=f"护士站电脑 {n}") for n in range(PER_PAGE + 3)]

    pages = decode_qr_codes(label_sheet_pdf(assets, base_url=BASE))

    assert [len(codes) for codes in pages] == [PER_PAGE, 3]
    decoded = sorted(code for codes in pages for code in codes)
    assert decoded == sorted(f"{BASE}/a/{asset.tag}/" for asset in assets)


@pytest.mark.django_db
def test_a_long_name_and_an_unusual_tag_still_make_a_readable_label():
    asset = AssetFactory(tag="ICU/ECG 7", name=("Portable ultrasound " * 7).strip())

    (codes,) = decode_qr_codes(label_sheet_pdf([asset], base_url=BASE + "/"))

    assert codes == [f"{BASE}/a/ICU%2FECG%207/"]


def test_an_empty_selection_is_refused():
    with pytest.raises(DomainError):
        label_sheet_pdf([], base_url=BASE)


@pytest.mark.django_db
def test_the_labels_page_prints_the_chosen_assets_inline(login, nurse, settings):
    settings.SITE_URL = BASE
    chosen = [AssetFactory(), AssetFactory()]
    AssetFactory()

    response = login(nurse).get(
        reverse("inventory:labels"), {"asset": [a.pk for a in chosen]}
    )

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('inline; filename="labels-')
    (codes,) = decode_qr_codes(response.content)
    assert sorted(codes) == sorted(f"{BASE}/a/{a.tag}/" for a in chosen)


@pytest.mark.django_db
def test_the_labels_page_takes_the_asset_lists_filters(login, hardware_engineer):
    ward = DepartmentFactory()
    mine = AssetFactory(department=ward)
    AssetFactory()

    response = login(hardware_engineer).get(
        reverse("inventory:labels"), {"department": ward.pk}
    )

    (codes,) = decode_qr_codes(response.content)
    assert [code.rsplit("/a/", 1)[1] for code in codes] == [f"{mine.tag}/"]


@pytest.mark.django_db
def test_too_many_labels_are_refused_with_a_message(
    login, hardware_engineer, monkeypatch
):
    monkeypatch.setattr("wardkeeper.inventory.views.labels.LABEL_LIMIT", 2)
    for _ in range(3):
        AssetFactory()

    response = login(hardware_engineer).get(reverse("inventory:labels"))

    assert response.status_code == 400
    assert "More than 2 assets match" in response.content.decode()


@pytest.mark.django_db
def test_labels_need_permission_to_see_assets(login, outsider):
    asset = AssetFactory()

    response = login(outsider).get(reverse("inventory:labels"), {"asset": asset.pk})

    assert response.status_code == 403
