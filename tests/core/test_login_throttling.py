import pytest
from django.urls import reverse

from tests.factories.accounts import totp_device, wrong_code
from tests.factories.core import PASSWORD
from wardkeeper.core.models import AuditEntry
from wardkeeper.core.models.audit import AuditAction


def attempt(client, username, password, address="10.0.0.7"):
    return client.post(
        reverse("core:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


@pytest.fixture
def limit(settings):
    settings.AXES_FAILURE_LIMIT = 3
    return 3


@pytest.mark.django_db
def test_repeated_failures_lock_the_account_from_that_address(
    client, hardware_engineer, limit
):
    for _ in range(limit - 1):
        assert attempt(client, "hana", "wrong").status_code == 200
    locked = attempt(client, "hana", "wrong")
    assert locked.status_code == 429
    assert "core/locked_out.html" in [t.name for t in locked.templates]
    assert "Too many failed sign-ins" in locked.text
    # Even the right password is refused while the lock lasts.
    assert attempt(client, "hana", PASSWORD).status_code == 429


@pytest.mark.django_db
def test_the_lockout_is_logged_and_flagged(client, hardware_engineer, limit):
    for _ in range(limit):
        attempt(client, "hana", "wrong")
    failures = AuditEntry.objects.filter(action=AuditAction.LOGIN_FAILED)
    assert failures.count() >= limit
    lockout = AuditEntry.objects.get(action=AuditAction.LOCKOUT)
    assert lockout.flagged
    assert "hana" in lockout.message
    assert lockout.client_ip == "10.0.0.7"


@pytest.mark.django_db
def test_the_lock_holds_only_for_that_account_and_address(
    client, hardware_engineer, network_engineer, limit
):
    for _ in range(limit):
        attempt(client, "hana", "wrong")
    assert attempt(client, "hana", PASSWORD, address="10.0.0.8").status_code == 302
    client.logout()
    assert attempt(client, "nick", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_the_lock_lifts_when_the_cool_off_is_over(client, hardware_engineer, limit):
    from axes.models import AccessAttempt
    from django.utils import timezone

    for _ in range(limit):
        attempt(client, "hana", "wrong")
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - timezone.timedelta(hours=2)
    )
    assert attempt(client, "hana", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_wrong_second_factor_codes_count_towards_the_lock(client, system_admin, limit):
    device = totp_device(system_admin)
    attempt(client, "sam", PASSWORD)
    responses = [
        client.post(
            reverse("core:mfa"), {"code": wrong_code(device)}, REMOTE_ADDR="10.0.0.7"
        )
        for _ in range(limit)
    ]
    assert responses[-1].status_code == 429
    assert "Too many failed sign-ins" in responses[-1].text


@pytest.mark.django_db
def test_a_password_reset_lifts_the_lock(client, hardware_engineer, limit):
    from wardkeeper.core import accounts

    for _ in range(limit):
        attempt(client, "hana", "wrong")
    password = accounts.reset_password(hardware_engineer, actor=None)
    assert attempt(client, "hana", password).status_code == 302
