"""The service desk in the OpenAPI schema: what a kiosk's programmer reads."""

import pytest
import yaml

pytestmark = pytest.mark.django_db


def test_the_schema_describes_reporting_and_working_tickets(client):
    schema = yaml.safe_load(client.get("/api/schema/").content)
    paths, parts = schema["paths"], schema["components"]["schemas"]
    assert {"get", "post"} == set(paths["/api/tickets/"])
    for name in (
        "move",
        "assign",
        "priority",
        "worklog",
        "visits",
        "confirm",
        "reopen",
    ):
        assert "post" in paths[f"/api/tickets/{{id}}/{name}/"], name
    report = parts["TicketReportRequest"]
    assert {"title", "category"} <= set(report["required"])
    assert {"asset", "location", "department", "join", "separate"} <= set(
        report["properties"]
    )
    conflict = paths["/api/tickets/"]["post"]["responses"]["409"]
    body = conflict["content"]["application/json"]["schema"]["$ref"].split("/")[-1]
    assert "error" in parts[body]["properties"]
    assert {"get"} == set(paths["/api/teams/"]) == set(paths["/api/sla-policies/"])
