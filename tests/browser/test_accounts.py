"""The account pages as people see them: profile, tokens, accounts, roles."""

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from playwright.sync_api import expect

from tests.browser.conftest import shot
from tests.factories.accounts import totp_device
from tests.factories.core import UserFactory


def sign_in_verified(page, user) -> None:
    """A session that passed the password and the second factor."""
    device = totp_device(user)
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store["otp_device_id"] = device.persistent_id
    store.create()
    url = page.context._impl_obj._options.get("baseURL")
    page.context.add_cookies(
        [
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "value": store.session_key,
                "url": url,
            }
        ]
    )


@pytest.mark.django_db(transaction=True)
def test_a_person_creates_an_api_token_and_sees_it_once(page, hardware_engineer):
    sign_in_verified(page, hardware_engineer)
    page.goto("/accounts/profile/")
    expect(page.get_by_role("heading", name="My profile")).to_be_visible()
    shot(page, "profile")
    page.goto("/accounts/tokens/")
    page.get_by_label("Name").fill("Stocktake scanner")
    page.get_by_role("button", name="Create token").click()
    value = page.locator("#token-value").input_value()
    assert value.startswith("wk_")
    shot(page, "token-created")
    page.goto("/accounts/tokens/")
    expect(page.locator("#token-value")).to_have_count(0)
    expect(page.get_by_text("Stocktake scanner")).to_be_visible()


@pytest.mark.django_db(transaction=True)
def test_the_system_administrator_creates_an_account(page, system_admin):
    UserFactory.create_batch(3, password=None, roles=["network_engineer"])
    sign_in_verified(page, system_admin)
    page.goto("/admin/users/")
    shot(page, "user-list")
    page.get_by_role("link", name="New account").click()
    page.get_by_label("Username").fill("liu.yang")
    page.get_by_label("Display name").fill("Liu Yang")
    page.get_by_role("button", name="Create account").click()
    expect(page.locator("#generated-password")).to_be_visible()
    shot(page, "user-password")
    page.get_by_role("link", name="Done").click()
    expect(page.get_by_role("heading", name="liu.yang")).to_be_visible()
    shot(page, "user-detail")


@pytest.mark.django_db(transaction=True)
def test_two_administrator_duties_are_refused_with_a_visible_reason(
    page, security_admin
):
    person = UserFactory(username="zhao", password=None, roles=["system_admin"])
    sign_in_verified(page, security_admin)
    page.goto("/admin/roles/")
    shot(page, "role-list")
    page.goto(f"/admin/roles/users/{person.pk}/")
    page.get_by_label("Audit administrator").check()
    page.get_by_role("button", name="Save roles").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "cannot be both System administrator and Audit administrator"
    )
    shot(page, "user-roles-refused")


@pytest.mark.django_db(transaction=True)
def test_a_person_given_a_new_password_chooses_their_own(page, hardware_engineer):
    from tests.browser.conftest import sign_in_with_form
    from wardkeeper.core import accounts

    password = accounts.reset_password(hardware_engineer, actor=None)
    sign_in_with_form(page, hardware_engineer.username, password)
    expect(page.get_by_role("heading", name="Change password")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text(
        "An administrator set your password"
    )
    page.get_by_label("Old password").fill(password)
    page.locator("#id_new_password1").fill("short")
    page.locator("#id_new_password2").fill("short")
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_text("too short")).to_be_visible()
    shot(page, "password-change-refused")
    page.get_by_label("Old password").fill(password)
    page.locator("#id_new_password1").fill("Night-Shift-Ward-12")
    page.locator("#id_new_password2").fill("Night-Shift-Ward-12")
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_role("heading", name="My profile")).to_be_visible()
