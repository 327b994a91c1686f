import re

import pytest
from django.urls import reverse

from tests.factories.inventory import AssetFactory, DepartmentFactory, RoomFactory
from wardkeeper.inventory.choices import AssetStatus, Condition
from wardkeeper.inventory.services.figures import (
    integrity_by_department,
    integrity_rate,
)

pytestmark = pytest.mark.django_db


def in_use(department, condition=Condition.WORKING, **kw):
    return AssetFactory(
        department=department, status=AssetStatus.IN_USE, condition=condition, **kw
    )


@pytest.fixture
def hospital():
    radiology = DepartmentFactory(name="Radiology")
    cardiology = DepartmentFactory(name="Cardiology")
    for _ in range(3):
        in_use(radiology)
    in_use(radiology, Condition.FAULTY)
    in_use(cardiology)
    in_use(cardiology, Condition.DEGRADED)
    # Spares and equipment away for repair do not count either way.
    AssetFactory(department=radiology, status=AssetStatus.IN_STOCK, condition="faulty")
    AssetFactory(
        department=cardiology, status=AssetStatus.IN_REPAIR, condition="faulty"
    )
    return radiology, cardiology


def test_the_rate_is_working_in_use_assets_over_all_in_use_assets(hospital):
    overall = integrity_rate()

    assert (overall.working, overall.in_use, overall.percent) == (4, 6, 66.7)


def test_departments_come_worst_first_and_degraded_counts_against(hospital):
    rates = [
        (r.label, r.working, r.in_use, r.percent) for r in integrity_by_department()
    ]

    assert rates == [("Cardiology", 1, 2, 50.0), ("Radiology", 3, 4, 75.0)]


def test_with_nothing_in_use_there_is_no_rate():
    assert integrity_rate().percent is None


def test_the_page_shows_the_overall_rate_and_a_table_that_needs_no_script(
    login, nurse, hospital
):
    page = login(nurse).get(reverse("inventory:integrity")).content.decode()

    assert re.search(r'id="overall-rate">\s*66.7%', page)
    table = page.split('id="integrity-table"')[1]
    assert table.index("Cardiology") < table.index("Radiology")
    assert "50.0%" in table
    assert "75.0%" in table
    assert "echarts.min.js" in page


def test_the_page_can_be_limited_to_one_campus(login, hardware_engineer, hospital):
    room = RoomFactory()
    icu = DepartmentFactory(name="ICU")
    in_use(icu, Condition.FAULTY, location=room)

    page = login(hardware_engineer).get(
        reverse("inventory:integrity"), {"campus": room.campus_id}
    )

    table = page.content.decode().split('id="integrity-table"')[1]
    assert "ICU" in table
    assert "Radiology" not in table
    assert re.search(r'id="overall-rate">\s*0.0%', page.content.decode())


def test_the_page_needs_permission_to_see_assets(login, outsider):
    assert login(outsider).get(reverse("inventory:integrity")).status_code == 403
