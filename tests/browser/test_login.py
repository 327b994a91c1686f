import pytest
from playwright.sync_api import expect

from tests.browser.conftest import shot, sign_in_with_form
from tests.factories.accounts import code_for, totp_device
from tests.factories.core import PASSWORD


@pytest.mark.django_db(transaction=True)
def test_an_engineer_signs_in_with_the_form(page, hardware_engineer):
    page.goto("/accounts/login/")
    shot(page, "login")
    sign_in_with_form(page, hardware_engineer.username, PASSWORD)
    expect(page.get_by_role("heading", name="Overview")).to_be_visible()


@pytest.mark.django_db(transaction=True)
def test_a_wrong_password_shows_an_error_and_stays_on_the_form(page, hardware_engineer):
    sign_in_with_form(page, hardware_engineer.username, "Not-the-password-1")
    expect(page.get_by_role("alert")).to_contain_text("correct username and password")
    assert "/accounts/login/" in page.url
    shot(page, "login-refused")


@pytest.mark.django_db(transaction=True)
def test_an_administrator_gives_the_authenticator_code_to_get_in(page, system_admin):
    device = totp_device(system_admin)
    sign_in_with_form(page, system_admin.username, PASSWORD)
    expect(page.get_by_role("heading", name="Second factor")).to_be_visible()
    page.get_by_label("Code from your authenticator app").fill("000000")
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("alert")).to_contain_text("That code is not right")
    shot(page, "mfa-refused")
    device.throttle_reset()  # as if the person waited a moment before retrying
    page.get_by_label("Code from your authenticator app").fill(code_for(device))
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("heading", name="Overview")).to_be_visible()
    expect(page.get_by_text("Accounts").first).to_be_attached()


@pytest.mark.django_db(transaction=True)
def test_an_administrator_without_a_device_enrols_at_first_sign_in(page, audit_admin):
    sign_in_with_form(page, audit_admin.username, PASSWORD)
    expect(
        page.get_by_role("heading", name="Set up your authenticator")
    ).to_be_visible()
    expect(page.locator(".wk-qr svg")).to_be_visible()
    shot(page, "mfa-enrol")
    device = audit_admin.totpdevice_set.get(confirmed=False)
    page.get_by_label("Code from your authenticator app").fill(code_for(device))
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("heading", name="Overview")).to_be_visible()


@pytest.mark.django_db(transaction=True)
def test_repeated_failures_show_the_locked_page(page, hardware_engineer, settings):
    settings.AXES_FAILURE_LIMIT = 2
    for _ in range(2):
        sign_in_with_form(page, hardware_engineer.username, "Not-the-password-1")
    expect(page.get_by_role("alert")).to_contain_text("Too many failed sign-ins")
    expect(page.get_by_role("alert")).to_contain_text("15 minutes")
    shot(page, "locked-out")
