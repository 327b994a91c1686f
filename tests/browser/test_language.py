import pytest
from playwright.sync_api import expect

from tests.browser.conftest import shot
from tests.factories.core import PASSWORD


@pytest.mark.django_db(transaction=True)
def test_a_user_switches_to_chinese_and_the_pages_follow(page, hardware_engineer):
    page.goto("/accounts/login/")
    with page.expect_navigation():
        page.get_by_label("Language").select_option("zh-hans")
    expect(page.get_by_role("heading", name="登录")).to_be_visible()
    page.get_by_label("用户名").fill(hardware_engineer.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="概览")).to_be_visible()
    page.goto("/inventory/assets/")
    expect(page.get_by_role("heading", name="资产")).to_be_visible()
    shot(page, "assets-zh-hans")
