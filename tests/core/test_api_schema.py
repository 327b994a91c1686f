"""The OpenAPI schema and the interactive docs page, served from this machine."""

import re

import pytest
import yaml
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_the_schema_is_openapi_3_with_the_inventory_and_the_move(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    paths = schema["paths"]
    assert {"get", "post"} <= set(paths["/api/assets/"])
    move = paths["/api/assets/{id}/move/"]["post"]
    assert move["requestBody"]["content"]["application/json"]["schema"][
        "$ref"
    ].endswith("/MoveRequest")
    assert "/api/assets/{id}/history/" in paths
    error = move["responses"]["4XX"]["content"]["application/json"]["schema"]
    assert error["$ref"] == "#/components/schemas/Error"
    assert schema["components"]["securitySchemes"]["bearerToken"]["scheme"] == "bearer"
    as_json = client.get("/api/schema/", {"format": "json"})
    assert as_json.json()["paths"].keys() == paths.keys()


def test_the_schema_generates_without_warnings_and_validates(tmp_path):
    # --fail-on-warn turns every drf-spectacular warning or error into a failure.
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    assert "/api/spare-pools/" in target.read_text()


def test_the_docs_page_loads_only_local_assets(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    references = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert references, html
    assert all(ref.startswith("/static/") for ref in references), references
    assert not re.search(r"https?://", html.split("<script>")[0])
    for ref in references:
        asset = client.get(ref)
        assert asset.status_code == 200, ref
        assert b"".join(asset.streaming_content if asset.streaming else [asset.content])
