"""Every API failure has the one error body: code, message, and the fields."""

import pytest
from django.test import Client
from rest_framework import serializers
from rest_framework.test import APIRequestFactory

from tests.factories.inventory import AssetFactory
from wardkeeper.core.api_errors import exception_handler
from wardkeeper.core.errors import DomainError

pytestmark = pytest.mark.django_db


def error_of(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "fields"}
    assert body["error"]["message"]
    return body["error"]


def test_a_bad_field_is_named_with_its_reason(hardware_engineer, api):
    response = api(hardware_engineer).post(
        "/api/assets/", {"tag": "", "name": "PC"}, format="json"
    )
    error = error_of(response, 400)
    assert error["code"] == "invalid"
    by_field = {item["field"]: item for item in error["fields"]}
    assert by_field["tag"]["code"] == "blank"
    assert by_field["model"] == {
        "field": "model",
        "code": "required",
        "message": "This field is required.",
    }
    assert error["message"] == "Invalid input."


def test_a_single_problem_is_also_the_message(hardware_engineer, api):
    asset = AssetFactory()
    response = api(hardware_engineer).patch(
        f"/api/assets/{asset.pk}/", {"ip_address": "10.0.0.999"}, format="json"
    )
    error = error_of(response, 400)
    assert error["fields"][0]["field"] == "ip_address"
    assert error["message"] == error["fields"][0]["message"]


def test_no_credentials_is_401_with_a_challenge(api):
    response = api().get("/api/assets/")
    error = error_of(response, 401)
    assert error["code"] == "not_authenticated"
    assert error["fields"] == []
    assert response["WWW-Authenticate"] == "Bearer"


def test_a_missing_permission_is_403(outsider, api):
    error = error_of(api(outsider).get("/api/assets/"), 403)
    assert error["code"] == "permission_denied"


def test_a_session_write_without_its_csrf_token_is_403_not_401(hardware_engineer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(hardware_engineer)
    response = client.post("/api/vendors/", {"name": "X"})
    error = error_of(response, 403)
    assert "CSRF" in error["message"]


def test_an_unknown_row_is_404(hardware_engineer, api):
    error = error_of(api(hardware_engineer).get("/api/assets/999999/"), 404)
    assert error["code"] == "not_found"


def test_a_method_the_endpoint_lacks_is_405(hardware_engineer, api):
    error = error_of(api(hardware_engineer).put("/api/assets/", {}, format="json"), 405)
    assert error["code"] == "method_not_allowed"


def test_malformed_json_is_400_without_fields(hardware_engineer, api):
    response = api(hardware_engineer).generic(
        "POST", "/api/assets/", '{"tag": ', content_type="application/json"
    )
    error = error_of(response, 400)
    assert error["code"] == "parse_error"
    assert error["fields"] == []


def handle(exc):
    request = APIRequestFactory().get("/api/x/")
    request.user = type("Anon", (), {"is_authenticated": True})()
    return exception_handler(exc, {"request": request, "view": None})


def test_a_domain_refusal_names_its_field_and_code():
    error = handle(DomainError("Say why.", field="reason", code="refused")).data[
        "error"
    ]
    assert error["fields"] == [
        {"field": "reason", "code": "refused", "message": "Say why."}
    ]


def test_nested_errors_get_dotted_and_indexed_field_names():
    exc = serializers.ValidationError(
        {"wipe": {"method": ["Bad."]}, "lines": [{}, {"tag": ["Missing."]}]}
    )
    fields = handle(exc).data["error"]["fields"]
    assert [item["field"] for item in fields] == ["wipe.method", "lines[1].tag"]


def test_a_whole_request_error_has_an_empty_field_name():
    exc = serializers.ValidationError({"non_field_errors": ["Pick a model or a type."]})
    assert handle(exc).data["error"]["fields"][0]["field"] == ""
