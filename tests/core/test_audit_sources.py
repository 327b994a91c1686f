"""Each way in records its source, the acting user and the client address.

The writes go through small views defined here (the real pages and API
endpoints belong to each area), behind the project's real middleware."""

import datetime as dt

import pytest
from django.core import management
from django.core.management import call_command
from django.http import HttpResponse
from django.urls import include, path
from django.utils import timezone
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from tests.factories.inventory import AssetFactory
from wardkeeper import cli
from wardkeeper.core import audit
from wardkeeper.core.models import ApiToken, AuditEntry
from wardkeeper.core.models.audit import AuditAction, AuditSource
from wardkeeper.inventory.models import Asset

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


def rename(pk: int, name: str) -> None:
    asset = Asset.objects.get(pk=pk)
    asset.name = name
    asset.save()


def rename_page(request, pk):
    rename(pk, request.POST["name"])
    return HttpResponse("saved")


class RenameEndpoint(APIView):
    permission_classes = [IsAuthenticated]

    def post(self, request, pk):
        rename(pk, request.data["name"])
        return Response({"saved": True})


urlpatterns = [
    path("", include("wardkeeper.core.urls")),
    path("test/assets/<int:pk>/rename/", rename_page),
    path("api/test/assets/<int:pk>/rename/", RenameEndpoint.as_view()),
]


def latest(asset) -> AuditEntry:
    return AuditEntry.objects.for_object(asset).order_by("-id").first()


def test_a_form_post_is_recorded_as_the_web_interface(client, hardware_engineer):
    asset = AssetFactory()
    client.force_login(hardware_engineer)
    client.post(
        f"/test/assets/{asset.pk}/rename/",
        {"name": "Triage PC"},
        REMOTE_ADDR="10.20.30.40",
    )
    entry = latest(asset)
    assert (entry.source, entry.actor, entry.client_ip) == (
        AuditSource.UI,
        hardware_engineer,
        "10.20.30.40",
    )
    assert entry.changes["name"][1] == "Triage PC"


def test_an_api_call_with_a_token_is_recorded_as_the_api(client, hardware_engineer):
    asset = AssetFactory()
    _token, raw = ApiToken.issue(
        hardware_engineer, "script", timezone.now() + dt.timedelta(days=1)
    )
    response = client.post(
        f"/api/test/assets/{asset.pk}/rename/",
        {"name": "Kiosk 2"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
        REMOTE_ADDR="2001:db8::7",
    )
    assert response.status_code == 200
    entry = latest(asset)
    assert (entry.source, entry.actor, entry.client_ip) == (
        AuditSource.API,
        hardware_engineer,
        "2001:db8::7",
    )


def test_the_wardkeeper_command_records_the_command_line(tmp_path, monkeypatch):
    # Django's own runner closes the connection when a command ends, which
    # would end the test's transaction; run the same command in-process.
    monkeypatch.setattr(
        management, "execute_from_command_line", lambda argv: call_command(*argv[1:])
    )
    AssetFactory()
    cli.main(["audit", "export", "--output", str(tmp_path / "trail.jsonl")])
    entry = AuditEntry.objects.order_by("-id").first()
    assert (entry.action, entry.source, entry.client_ip) == (
        AuditAction.EXPORT,
        AuditSource.CLI,
        None,
    )


@pytest.mark.parametrize("source", [AuditSource.IMPORT, AuditSource.TASK])
def test_imports_and_background_work_record_their_own_source(source, system_admin):
    with audit.audit_context(source=source, actor=system_admin):
        asset = AssetFactory()
    entry = latest(asset)
    assert (entry.source, entry.actor, entry.action) == (
        source,
        system_admin,
        AuditAction.CREATE,
    )
