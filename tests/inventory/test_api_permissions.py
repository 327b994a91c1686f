"""Who may read and change the inventory through the API (the role table)."""

import pytest

from tests.factories.inventory import AssetFactory, AssetModelFactory, RoomFactory

pytestmark = pytest.mark.django_db


def create_asset(client, asset):
    body = {"tag": "WK-API-1", "name": "New", "model": asset.model_id}
    return client.post("/api/assets/", body, format="json")


ACTIONS = {
    "list assets": lambda c, a: c.get("/api/assets/"),
    "read asset": lambda c, a: c.get(f"/api/assets/{a.pk}/"),
    "asset history": lambda c, a: c.get(f"/api/assets/{a.pk}/history/"),
    "create asset": create_asset,
    "change asset": lambda c, a: c.patch(
        f"/api/assets/{a.pk}/", {"name": "Renamed"}, format="json"
    ),
    "move asset": lambda c, a: c.post(
        f"/api/assets/{a.pk}/move/", {"to": "in_use", "reason": "Issued"}, format="json"
    ),
    "delete asset": lambda c, a: c.delete(f"/api/assets/{a.pk}/"),
    "list locations": lambda c, a: c.get("/api/locations/"),
    "create location": lambda c, a: c.post(
        "/api/locations/",
        {"kind": "campus", "name": "East", "code": "E"},
        format="json",
    ),
    "list models": lambda c, a: c.get("/api/models/"),
    "list wipe records": lambda c, a: c.get("/api/data-wipe-records/"),
}

# persona -> the actions it may take; every other action is refused.
ALLOWED = {
    "hardware_engineer": set(ACTIONS) - {"create location"},
    "network_engineer": set(ACTIONS) - {"delete asset", "create location"},
    "system_admin": {
        "list assets",
        "read asset",
        "asset history",
        "list locations",
        "create location",
        "list models",
        "list wipe records",
    },
    "nurse": {"list assets", "read asset", "asset history"},
    "outsider": set(),
    "audit_admin": set(),
}
SUCCESS = {"get": 200, "post": 201, "patch": 200, "delete": 204}


@pytest.mark.parametrize("persona", list(ALLOWED))
@pytest.mark.parametrize("action", list(ACTIONS))
def test_each_persona_may_do_what_its_role_allows(persona, action, request, api):
    user = request.getfixturevalue(persona)
    asset = AssetFactory(location=RoomFactory(), model=AssetModelFactory())
    response = ACTIONS[action](api(user), asset)
    if action in ALLOWED[persona]:
        expected = 200 if action == "move asset" else None
        method = response.request["REQUEST_METHOD"].lower()
        assert response.status_code == (expected or SUCCESS[method]), response.content
    else:
        assert response.status_code == 403, response.content
        assert response.json()["error"]["code"] == "permission_denied"


@pytest.mark.parametrize("action", list(ACTIONS))
def test_anonymous_callers_are_asked_to_authenticate(action, api):
    asset = AssetFactory()
    response = ACTIONS[action](api(), asset)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["error"]["code"] == "not_authenticated"


def test_a_session_still_missing_its_second_factor_is_refused(system_admin, client):
    client.force_login(system_admin)  # password given, code not yet
    response = client.get("/api/locations/")
    assert response.status_code == 403
    assert "second factor" in response.json()["error"]["message"]


def test_a_verified_session_reads_the_api(system_admin, login):
    assert login(system_admin).get("/api/locations/").status_code == 200
