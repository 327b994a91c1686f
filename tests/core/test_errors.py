import pytest


@pytest.mark.django_db
def test_an_unknown_api_path_answers_with_the_json_error_body(client):
    response = client.get("/api/no-such-thing/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.django_db
def test_an_unknown_page_answers_in_html(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_genkey_prints_a_usable_fernet_key(capsys):
    from cryptography.fernet import Fernet
    from django.core.management import call_command

    call_command("genkey")
    Fernet(capsys.readouterr().out.strip().encode())
