"""The webhook's token in a header (the documented way), the address form
kept for tools that cannot set one, and the token masked in the logs."""

import datetime as dt
import logging

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from tests.factories.continuity import BackupJobFactory, database_engineer_persona
from tests.factories.continuity_ingest import ingest_urls  # noqa: F401
from wardkeeper.continuity import logging as hook_logging
from wardkeeper.continuity.services import jobs

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("ingest_urls")]


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()


def run(external_id="veeam-1"):
    started = timezone.now() - dt.timedelta(hours=1)
    return {
        "status": "success",
        "started_at": started.isoformat(),
        "finished_at": (started + dt.timedelta(minutes=20)).isoformat(),
        "external_id": external_id,
    }


def test_the_token_in_a_header_reports_a_run():
    job = BackupJobFactory()
    token = jobs.issue_webhook_token(job)
    hook = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    answer = hook.post("/continuity/hooks/", run(), content_type="application/json")
    assert answer.status_code == 201, answer.content
    assert job.runs.get().external_id == "veeam-1"
    # The address form still works for tools that cannot set a header.
    again = Client().post(
        f"/continuity/hooks/{token}/", run("veeam-2"), content_type="application/json"
    )
    assert again.status_code == 201
    assert job.runs.count() == 2


def test_no_token_or_a_wrong_one_is_refused():
    job = BackupJobFactory()
    jobs.issue_webhook_token(job)
    none = Client().post("/continuity/hooks/", run(), content_type="application/json")
    assert none.status_code == 401
    assert none["WWW-Authenticate"].startswith("Bearer")
    wrong = Client(HTTP_AUTHORIZATION="Bearer wkb_wrong").post(
        "/continuity/hooks/", run(), content_type="application/json"
    )
    assert wrong.status_code == 404
    assert not job.runs.exists()


def test_the_token_page_shows_the_header_form(login):
    job = BackupJobFactory()
    page = login(database_engineer_persona()).post(f"/continuity/jobs/{job.pk}/token/")
    html = page.content.decode()
    token = page.context["token"]
    assert "/continuity/hooks/\nAuthorization: Bearer " + token in html
    assert f"/continuity/hooks/{token}/" in html  # the fallback, with its warning


def test_a_bad_request_warning_does_not_show_the_token(caplog):
    hook_logging.install()
    job = BackupJobFactory()
    token = jobs.issue_webhook_token(job)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        answer = Client().post(
            f"/continuity/hooks/{token}/",
            {"status": "fine"},
            content_type="application/json",
        )
    assert answer.status_code == 400
    logged = [r.getMessage() for r in caplog.records if r.name == "django.request"]
    assert logged == ["Bad Request: /continuity/hooks/***/"]
    assert token not in caplog.text


def test_the_filter_masks_access_log_lines():
    token = "wkb_" + "A1b2" * 10
    record = logging.LogRecord(
        "django.server",
        logging.INFO,
        __file__,
        1,
        '"%s" %s %s',
        (f"POST /continuity/hooks/{token}/ HTTP/1.1", "201", "52"),
        None,
    )
    hook_logging.HookTokenFilter().filter(record)
    assert record.getMessage() == '"POST /continuity/hooks/***/ HTTP/1.1" 201 52'
    access = logging.LogRecord(
        "gunicorn.access", logging.INFO, __file__, 1, "%(r)s", (), None
    )
    access.args = {"r": f"POST /continuity/hooks/{token}/ HTTP/1.1", "s": "201"}
    hook_logging.HookTokenFilter().filter(access)
    assert token not in access.getMessage()
    assert hook_logging.mask_hook_tokens(f"token={token}") == "token=wkb_***"
