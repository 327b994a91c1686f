"""Who may open which inventory page: a contract over every model and action."""

import pytest
from django.urls import reverse

from tests.factories.inventory_pages import MAKERS, make

pytestmark = pytest.mark.django_db

# Configuration (the hospital's structure and types) is the system
# administrator's; equipment records are the hardware engineer's.
CONFIGURED = {"location", "department", "assettype"}
KEPT_BUT_DELETED_BY_ADMIN = {"manufacturer", "assetmodel", "vendor"}


def writer(model: str, action: str) -> str:
    if model in CONFIGURED:
        return "system_admin"
    if action == "delete" and model in KEPT_BUT_DELETED_BY_ADMIN:
        return "system_admin"
    return "hardware_engineer"


def url(model, action, obj):
    name = f"inventory:{model}-{action}"
    return reverse(name) if action in ("list", "add") else reverse(name, args=[obj.pk])


@pytest.fixture
def personas(request):
    def persona(name):
        return request.getfixturevalue(name)

    return persona


@pytest.mark.parametrize("model", sorted(MAKERS))
@pytest.mark.parametrize("action", ["list", "detail"])
def test_readers_see_the_pages_and_others_are_refused(model, action, login, personas):
    obj = make(model)
    for name in ("hardware_engineer", "network_engineer", "system_admin"):
        assert login(personas(name)).get(url(model, action, obj)).status_code == 200
    assert login(personas("outsider")).get(url(model, action, obj)).status_code == 403


@pytest.mark.parametrize("model", sorted(MAKERS))
@pytest.mark.parametrize("action", ["add", "edit", "delete"])
def test_only_the_role_that_keeps_a_record_may_write_it(model, action, login, personas):
    obj = make(model)
    allowed = writer(model, action)
    assert login(personas(allowed)).get(url(model, action, obj)).status_code == 200
    for name in ("nurse", "outsider", "security_admin"):
        response = login(personas(name)).get(url(model, action, obj))
        assert response.status_code == 403, name


def test_a_nurse_may_open_an_asset_but_not_the_catalogue(nurse, login):
    client = login(nurse)
    asset = make("asset")
    assert client.get(url("asset", "detail", asset)).status_code == 200
    assert client.get(url("location", "list", None)).status_code == 403


def test_a_visitor_who_is_not_signed_in_is_sent_to_sign_in(client):
    response = client.get(reverse("inventory:asset-list"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
