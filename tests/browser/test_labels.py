import pytest

from tests.browser.conftest import shot, sign_in
from tests.factories.inventory import AssetFactory, DepartmentFactory
from tests.factories.stocktakes import asset_in, ward
from tests.inventory.test_labels import decode_qr_codes
from wardkeeper.inventory.choices import Condition


@pytest.mark.django_db(transaction=True)
def test_labels_for_three_assets_print_as_a_pdf_with_three_qr_codes(
    page, hardware_engineer, settings
):
    assets = [AssetFactory(name=f"护士站电脑 {n}") for n in range(3)]
    AssetFactory()  # not chosen
    sign_in(page, hardware_engineer)
    query = "&".join(f"asset={asset.pk}" for asset in assets)

    response = page.request.get(f"/inventory/labels/?{query}")

    assert response.ok
    assert response.headers["content-type"] == "application/pdf"
    (codes,) = decode_qr_codes(response.body())
    assert sorted(codes) == sorted(f"{settings.SITE_URL}/a/{a.tag}/" for a in assets)


@pytest.mark.django_db(transaction=True)
def test_the_integrity_page_shows_the_worst_department_first(page, hardware_engineer):
    place = ward()
    for name, faulty in (("Radiology", 1), ("Cardiology", 2)):
        department = DepartmentFactory(name=name)
        for n in range(4):
            asset_in(
                place.room_a,
                f"{name[:3]}-{n}",
                department=department,
                condition=Condition.FAULTY if n < faulty else Condition.WORKING,
            )
    sign_in(page, hardware_engineer)

    page.goto("/inventory/integrity/")

    rows = page.locator("#integrity-table tbody tr")
    assert rows.first.inner_text().startswith("Cardiology")
    assert page.locator("#overall-rate").inner_text().strip() == "62.5%"
    assert page.locator("#integrity-chart canvas").count() == 1
    shot(page, "integrity")
