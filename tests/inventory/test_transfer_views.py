import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.conftest import verified_login
from tests.factories.inventory import AssetModelFactory
from tests.factories.transfer import csv_bytes
from wardkeeper.core import audit
from wardkeeper.inventory.models import Asset

URL = reverse("inventory:transfer")


@pytest.fixture(autouse=True)
def _data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path


@pytest.fixture
def model():
    return AssetModelFactory(name="OptiPlex 7010", manufacturer__name="Dell")


def upload(client, rows, name="assets.csv", kind="assets"):
    data = SimpleUploadedFile(name, csv_bytes(rows), content_type="text/csv")
    return client.post(URL, {"kind": kind, "file": data})


def staged_files(tmp_path):
    folder = tmp_path / "imports"
    return list(folder.iterdir()) if folder.exists() else []


@pytest.mark.django_db
def test_people_without_the_permissions_cannot_open_the_page(login, nurse, outsider):
    for person in (nurse, outsider):
        assert login(person).get(URL).status_code == 403


@pytest.mark.django_db
def test_a_dry_run_shows_the_counts_and_the_confirm_imports(
    login, hardware_engineer, model, tmp_path
):
    client = login(hardware_engineer)
    rows = [["tag", "name", "model"], ["A1", "PC", "Dell OptiPlex 7010"]]
    response = upload(client, rows)
    assert response.status_code == 200
    assert response.context["report"].created == 1
    assert "Confirm the import" in response.text
    assert not Asset.objects.exists()
    token = response.context["staged"].token
    response = client.post(reverse("inventory:transfer-confirm"), {"token": token})
    assert response.status_code == 302
    asset = Asset.objects.get(tag="A1")
    assert audit.history(asset).get().source == "import"
    assert staged_files(tmp_path) == []
    page = client.get(URL)
    assert "1 created, 0 updated, 0 unchanged" in page.text


@pytest.mark.django_db
def test_a_file_with_errors_lists_row_column_and_reason(
    login, hardware_engineer, model, tmp_path
):
    rows = [["tag", "name", "model"], ["A1", "PC", "Dell Nothing"], ["A2", "", "x"]]
    response = upload(login(hardware_engineer), rows)
    assert response.status_code == 422
    assert [(e.row, e.column) for e in response.context["errors"]] == [
        (2, "model"),
        (3, "name"),
    ]
    assert "No model “Dell Nothing” is known" in response.text
    assert "Confirm the import" not in response.text
    assert staged_files(tmp_path) == []


@pytest.mark.django_db
def test_a_token_from_another_session_imports_nothing(login, hardware_engineer, model):
    rows = [["tag", "name", "model"], ["A1", "PC", "Dell OptiPlex 7010"]]
    token = upload(login(hardware_engineer), rows).context["staged"].token
    other = verified_login(Client(), hardware_engineer)
    response = other.post(reverse("inventory:transfer-confirm"), {"token": token})
    assert response.status_code == 302
    assert not Asset.objects.exists()


@pytest.mark.django_db
def test_cancel_deletes_the_staged_file(login, hardware_engineer, model, tmp_path):
    client = login(hardware_engineer)
    rows = [["tag", "name", "model"], ["A1", "PC", "Dell OptiPlex 7010"]]
    token = upload(client, rows).context["staged"].token
    assert len(staged_files(tmp_path)) == 1
    client.post(reverse("inventory:transfer-cancel"), {"token": token})
    assert staged_files(tmp_path) == []
    assert not Asset.objects.exists()


@pytest.mark.django_db
def test_an_upload_over_the_limit_is_refused_before_reading(
    login, hardware_engineer, settings, tmp_path
):
    settings.UPLOAD_MAX_MB = 1
    rows = [["tag", "name", "model"]] + [["A", "x" * 200, "m"]] * 6000
    response = upload(login(hardware_engineer), rows)
    assert "larger than the 1 MB allowed" in response.text
    assert staged_files(tmp_path) == []


@pytest.mark.django_db
def test_templates_hold_the_import_headings(login, hardware_engineer):
    client = login(hardware_engineer)
    response = client.get(
        reverse("inventory:transfer-template", args=["vendors", "csv"])
    )
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert text.strip() == "name,contact_name,phone,email,address"
    response = client.get(
        reverse("inventory:transfer-template", args=["assets", "xlsx"])
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
