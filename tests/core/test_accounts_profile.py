import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.factories.core import PASSWORD, UserFactory
from wardkeeper.core.models import AuditEntry


@pytest.mark.django_db
def test_a_person_edits_their_own_details(login, client, hardware_engineer):
    login(hardware_engineer)
    client.post(
        reverse("core:profile"),
        {
            "display_name": "Hana W.",
            "email": "hana@h.example",
            "phone": "8021",
            "language": "",
        },
    )
    hardware_engineer.refresh_from_db()
    assert (hardware_engineer.display_name, hardware_engineer.phone) == (
        "Hana W.",
        "8021",
    )
    entry = AuditEntry.objects.filter(object_id=str(hardware_engineer.pk)).latest("id")
    assert entry.changes["phone"] == ["", "8021"]


@pytest.mark.django_db
def test_the_profile_shows_roles_and_second_factor_status(login, client, system_admin):
    login(system_admin)
    page = client.get(reverse("core:profile")).text
    assert "System administrator" in page
    assert "Required by your role." in page
    assert "Authenticator app" in page


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("Sh0rt!pass", "too short"),
        ("onlylowercaseletters", "at least three of"),
        ("12345678901234", "entirely numeric"),
        ("Password1234", "too common"),
    ],
)
@pytest.mark.django_db
def test_the_password_policy_refuses_weak_passwords(
    login, client, hardware_engineer, password, reason
):
    login(hardware_engineer)
    response = client.post(
        reverse("core:password-change"),
        {
            "old_password": PASSWORD,
            "new_password1": password,
            "new_password2": password,
        },
    )
    assert reason in response.text
    hardware_engineer.refresh_from_db()
    assert hardware_engineer.check_password(PASSWORD)


@pytest.mark.django_db
def test_a_good_new_password_is_taken_and_the_session_kept(
    login, client, hardware_engineer
):
    login(hardware_engineer)
    new = "Ward-7-Stocktake-Day"
    response = client.post(
        reverse("core:password-change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.url == reverse("core:profile")
    hardware_engineer.refresh_from_db()
    assert hardware_engineer.check_password(new)
    assert hardware_engineer.password_changed_at is not None
    assert client.get(reverse("core:profile")).status_code == 200


@pytest.mark.django_db
def test_the_chosen_language_applies_at_sign_in():
    UserFactory(username="zhang", language="zh-hans")
    client = Client()
    response = client.post(
        reverse("core:login"), {"username": "zhang", "password": PASSWORD}
    )
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "zh-hans"
    assert client.get(reverse("core:profile"))["Content-Language"] == "zh-hans"


@pytest.mark.django_db
def test_changing_the_language_in_the_profile_applies_it(
    login, client, hardware_engineer
):
    login(hardware_engineer)
    response = client.post(
        reverse("core:profile"),
        {"display_name": "Hana", "email": "", "phone": "", "language": "zh-hans"},
    )
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "zh-hans"
