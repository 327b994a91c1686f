"""What an asset's page shows, and the files kept with an asset."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories.inventory import AssetFactory, ContractFactory, RoomFactory
from wardkeeper.core.models import Attachment
from wardkeeper.inventory.choices import Criticality

pytestmark = pytest.mark.django_db


def page(client, asset):
    return client.get(reverse("inventory:asset-detail", args=[asset.pk]))


def test_the_page_shows_criticality_from_the_room_unless_overridden(
    hardware_engineer, login
):
    icu = RoomFactory(name="ICU bed 4", criticality=Criticality.CRITICAL)
    client = login(hardware_engineer)
    from_room = page(client, AssetFactory(location=icu))
    assert from_room.context["criticality"] == Criticality.CRITICAL
    assert "from room" in from_room.content.decode()
    overridden = page(
        client, AssetFactory(location=icu, criticality_override=Criticality.NORMAL)
    )
    assert overridden.context["criticality"] == Criticality.NORMAL
    assert "override" in overridden.content.decode()


def test_the_page_shows_book_value_an_expired_warranty_parts_and_cover(
    hardware_engineer, login
):
    server = AssetFactory(
        purchase_cost=Decimal("10000.00"),
        purchase_date=dt.date.today() - dt.timedelta(days=365),
        warranty_end=dt.date.today() - dt.timedelta(days=1),
    )
    disk = AssetFactory(parent=server, name="Disk shelf")
    contract = ContractFactory(title="PACS server care")
    contract.assets.add(server)
    response = page(login(hardware_engineer), server)
    html = response.content.decode()
    # 10,000 bought a year ago, written off over a workstation's five years.
    assert response.context["book_value"] == "8,001.37"
    assert "expired" in html
    assert disk.tag in html
    assert "PACS server care" in html


def test_a_file_is_attached_listed_and_downloaded(hardware_engineer, login):
    asset = AssetFactory()
    client = login(hardware_engineer)
    upload = SimpleUploadedFile("repair-report.pdf", b"%PDF-1.4 report")
    response = client.post(
        reverse("inventory:asset-attach", args=[asset.pk]),
        {"file": upload, "description": "Vendor repair report"},
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.uploaded_by == hardware_engineer
    assert "Vendor repair report" in page(client, asset).content.decode()
    download = client.get(
        reverse("inventory:asset-attachment", args=[asset.pk, attachment.pk])
    )
    assert b"".join(download.streaming_content) == b"%PDF-1.4 report"
    assert download["Content-Disposition"].startswith("attachment")


def test_a_file_over_the_size_limit_is_refused(hardware_engineer, login, settings):
    settings.UPLOAD_MAX_MB = 1
    asset = AssetFactory()
    big = SimpleUploadedFile("scan.tif", b"x" * (1024 * 1024 + 1))
    response = login(hardware_engineer).post(
        reverse("inventory:asset-attach", args=[asset.pk]), {"file": big}
    )
    assert response.status_code == 400
    assert "larger than 1 MB" in response.content.decode()
    assert not Attachment.objects.exists()


def test_a_file_of_one_asset_cannot_be_fetched_through_another(
    hardware_engineer, login
):
    owner, other = AssetFactory(), AssetFactory()
    client = login(hardware_engineer)
    client.post(
        reverse("inventory:asset-attach", args=[owner.pk]),
        {"file": SimpleUploadedFile("a.txt", b"secret")},
    )
    attachment = Attachment.objects.get()
    wrong = reverse("inventory:asset-attachment", args=[other.pk, attachment.pk])
    assert client.get(wrong).status_code == 404


def test_readers_cannot_attach_files(nurse, login):
    asset = AssetFactory()
    response = login(nurse).post(
        reverse("inventory:asset-attach", args=[asset.pk]),
        {"file": SimpleUploadedFile("a.txt", b"x")},
    )
    assert response.status_code == 403
