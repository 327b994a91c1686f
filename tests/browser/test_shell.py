import pytest
from playwright.sync_api import expect

from tests.browser.conftest import shot, sign_in_with_form
from tests.factories.core import PASSWORD


@pytest.mark.django_db(transaction=True)
def test_an_engineer_signs_in_and_sees_the_overview(page, hardware_engineer):
    sign_in_with_form(page, hardware_engineer.username, PASSWORD)
    expect(page.get_by_role("heading", name="Overview")).to_be_visible()
    shot(page, "overview")


@pytest.mark.django_db(transaction=True)
def test_a_wrong_password_is_refused_with_a_message(page, hardware_engineer):
    sign_in_with_form(page, hardware_engineer.username, "not-the-password")
    expect(page.get_by_role("alert")).to_be_visible()
    assert "/accounts/login/" in page.url
