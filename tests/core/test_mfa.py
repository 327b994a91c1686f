import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories.accounts import code_for, totp_device, wrong_code
from tests.factories.core import PASSWORD
from wardkeeper.core.models import AuditEntry
from wardkeeper.core.models.audit import AuditAction

HOME = "/"


def sign_in(client, user, password=PASSWORD):
    return client.post(
        reverse("core:login"), {"username": user.username, "password": password}
    )


@pytest.mark.django_db
def test_an_administrator_is_asked_for_a_code_and_is_not_signed_in_before(
    client, system_admin
):
    totp_device(system_admin)
    response = sign_in(client, system_admin)
    assert response.url == reverse("core:mfa")
    assert "Type the six-digit code" in client.get(reverse("core:mfa")).text
    # The password alone opened no session.
    assert client.get(HOME).url.startswith(reverse("core:login"))


@pytest.mark.django_db
def test_a_valid_code_completes_the_sign_in(client, system_admin):
    device = totp_device(system_admin)
    sign_in(client, system_admin)
    response = client.post(reverse("core:mfa"), {"code": code_for(device)})
    assert response.status_code == 302
    assert client.get(HOME).status_code == 200
    assert AuditEntry.objects.filter(
        action=AuditAction.LOGIN, actor=system_admin
    ).exists()


@pytest.mark.django_db
def test_a_wrong_code_is_refused_with_a_clear_error(client, system_admin):
    device = totp_device(system_admin)
    sign_in(client, system_admin)
    response = client.post(reverse("core:mfa"), {"code": wrong_code(device)})
    assert response.status_code == 200
    assert "That code is not right" in response.text
    assert client.get(HOME).status_code == 302


@pytest.mark.django_db
def test_an_administrator_without_a_device_enrols_at_sign_in(client, security_admin):
    sign_in(client, security_admin)
    page = client.get(reverse("core:mfa"))
    assert "<svg" in page.text
    assert "Set up your authenticator" in page.text
    device = TOTPDevice.objects.get(user=security_admin, confirmed=False)
    assert page.context["secret"].replace(" ", "") in page.text.replace(" ", "")
    client.post(reverse("core:mfa"), {"code": code_for(device)})
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("core:role-list")).status_code == 200


@pytest.mark.django_db
def test_an_engineer_without_a_device_signs_straight_in(client, hardware_engineer):
    response = sign_in(client, hardware_engineer)
    assert response.url == reverse("core:home")
    assert client.get(HOME).status_code == 200


@pytest.mark.django_db
def test_an_engineer_who_enrolled_a_device_is_asked_for_it_too(
    client, hardware_engineer
):
    totp_device(hardware_engineer)
    assert sign_in(client, hardware_engineer).url == reverse("core:mfa")


@pytest.mark.django_db
def test_the_code_step_expires_and_sends_back_to_the_password(client, system_admin):
    device = totp_device(system_admin)
    sign_in(client, system_admin)
    session = client.session
    session["wk_pending_sign_in"]["at"] -= 600
    session.save()
    response = client.post(reverse("core:mfa"), {"code": code_for(device)})
    assert response.url == reverse("core:login")


@pytest.mark.django_db
def test_an_unverified_administrator_session_is_held_at_the_code_step(
    client, api, system_admin
):
    client.force_login(system_admin)  # a session without the second factor
    assert client.get(reverse("core:user-list")).url == reverse("core:mfa")
    assert client.get(reverse("core:token-list")).url == reverse("core:mfa")
    assert client.get("/api/me/").status_code == 403


@pytest.mark.django_db
def test_a_person_replaces_their_authenticator_from_the_profile(
    login, client, hardware_engineer
):
    old = totp_device(hardware_engineer)
    login(hardware_engineer)
    client.get(reverse("core:mfa-enrol"))
    new = TOTPDevice.objects.get(user=hardware_engineer, confirmed=False)
    response = client.post(reverse("core:mfa-enrol"), {"code": wrong_code(new)})
    assert "That code is not right" in response.text
    assert TOTPDevice.objects.filter(pk=old.pk).exists()  # still works meanwhile
    new.throttle_reset()  # as if the person waited the second a wrong code costs
    client.post(reverse("core:mfa-enrol"), {"code": code_for(new)})
    assert list(TOTPDevice.objects.filter(user=hardware_engineer)) == [new]


@pytest.mark.django_db
def test_an_administrator_cannot_remove_their_required_second_factor(
    login, client, system_admin
):
    login(system_admin)
    client.post(reverse("core:mfa-remove"))
    assert TOTPDevice.objects.filter(user=system_admin, confirmed=True).exists()


@pytest.mark.django_db
def test_the_qr_code_names_the_site_as_issuer(system_admin, settings):
    from wardkeeper.core import mfa

    settings.MFA_ISSUER = "City Hospital IT"
    device = mfa.pending_device(system_admin)
    uri = mfa.provisioning_uri(device)
    assert uri.startswith("otpauth://totp/City%20Hospital%20IT%3Asam?")
    assert "issuer=City%20Hospital%20IT" in uri


@pytest.mark.django_db
def test_the_code_step_never_sends_anyone_to_another_site(client, system_admin):
    device = totp_device(system_admin)
    client.force_login(system_admin)
    url = reverse("core:mfa") + "?next=https://evil.example/"
    response = client.post(url, {"code": code_for(device)})
    assert response.url == reverse("core:home")
