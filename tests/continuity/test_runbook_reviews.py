"""The review of a runbook draft: asked for, sent back with what to change,
approved with a remark — on the page, over the API, and who is told."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import continuity_plans as people
from tests.factories.continuity_plans import approved_runbook
from wardkeeper.continuity.choices import ReviewVerdict, RunbookState
from wardkeeper.continuity.services import runbook_reviews, runbooks
from wardkeeper.continuity.services.runbooks import RunbookRefused
from wardkeeper.core.models import Delivery
from wardkeeper.core.models.notifications import NotificationEvent

pytestmark = pytest.mark.django_db

EVENT = NotificationEvent.RUNBOOK_REVIEW


def told() -> dict[str, str]:
    """Who was told about a review, and the subject they got."""
    return dict(
        Delivery.objects.filter(event=EVENT).values_list("user__username", "subject")
    )


@pytest.fixture
def cast():
    """The planner who drafts, the director who approves, a reader."""
    return people.planner(), people.director(), people.reader()


@pytest.fixture
def draft(cast):
    planner, _director, _reader = cast
    return runbooks.new_version(approved_runbook(), actor=planner)


def detail(draft) -> str:
    return reverse("continuity:runbook-detail", args=[draft.pk])


def test_the_drafter_asks_for_a_review_and_the_approvers_are_told(
    login, cast, draft, django_capture_on_commit_callbacks
):
    planner, director, _reader = cast
    client = login(planner)
    page = client.get(detail(draft)).content.decode()
    assert "Ask for review" in page
    assert "Ask for changes" not in page  # four eyes: not on one's own draft
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("continuity:runbook-review", args=[draft.pk]),
            {"text": "Step 3 now uses the new SAN."},
        )
    entry = draft.reviews.get()
    assert (entry.verdict, entry.by, entry.text) == (
        ReviewVerdict.ASKED,
        planner,
        "Step 3 now uses the new SAN.",
    )
    assert set(told()) == {director.username}
    assert "Review asked" in told()[director.username]
    page = client.get(detail(draft)).content.decode()
    assert "Step 3 now uses the new SAN." in page


def test_a_reviewer_sends_it_back_and_the_drafter_sees_what_to_change(
    login, cast, draft, django_capture_on_commit_callbacks
):
    planner, director, _reader = cast
    client = login(director)
    changes = reverse("continuity:runbook-changes", args=[draft.pk])
    refused = client.post(changes, {"text": "  "}, follow=True).content.decode()
    assert "Say what should change." in refused
    assert not draft.reviews.exists()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(changes, {"text": "Add the vendor's after-hours number."})
    draft.refresh_from_db()
    assert draft.state == RunbookState.DRAFT
    assert set(told()) == {planner.username}
    page = login(planner).get(detail(draft)).content.decode()
    assert "Changes asked by" in page
    assert "Add the vendor&#x27;s after-hours number." in page

    # Asking for a review again answers the request: the banner goes.
    runbook_reviews.ask_for_review(draft, actor=planner)
    assert runbook_reviews.changes_asked(draft) is None


def test_approving_with_a_remark_keeps_it_and_tells_the_drafter(
    login, cast, draft, django_capture_on_commit_callbacks
):
    planner, director, reader = cast
    client = login(director)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("continuity:runbook-approve", args=[draft.pk]),
            {"text": "Fine; rehearse it in spring."},
        )
    draft.refresh_from_db()
    assert draft.state == RunbookState.APPROVED
    entry = draft.reviews.get()
    assert (entry.verdict, entry.text) == (
        ReviewVerdict.APPROVED,
        "Fine; rehearse it in spring.",
    )
    assert "Approved" in told()[planner.username]
    page = login(reader).get(detail(draft)).content.decode()
    assert "Fine; rehearse it in spring." in page
    assert "Ask for review" not in page


def test_the_rules_hold_in_the_service(cast, draft):
    planner, director, reader = cast
    with pytest.raises(RunbookRefused):
        runbook_reviews.ask_for_changes(draft, actor=planner, text="mine")
    with pytest.raises(RunbookRefused):
        runbook_reviews.ask_for_changes(draft, actor=reader, text="not mine to ask")
    runbook_reviews.approve(draft, actor=director)
    with pytest.raises(RunbookRefused):  # an approved version is frozen
        runbook_reviews.ask_for_review(draft, actor=planner)
    empty = runbooks.new_version(draft, actor=planner)
    empty.steps.all().delete()
    with pytest.raises(RunbookRefused, match="at least one step"):
        runbook_reviews.ask_for_review(empty, actor=planner)


def test_asking_is_refused_when_nobody_else_may_approve(cast):
    planner, director, _reader = cast
    director.is_active = False
    director.save()
    draft = runbooks.new_version(approved_runbook(), actor=planner)
    with pytest.raises(RunbookRefused, match="approver"):
        runbook_reviews.ask_for_review(draft, actor=planner)


def test_readers_have_no_review_buttons(login, cast, draft):
    _planner, _director, reader = cast
    client = login(reader)
    page = client.get(detail(draft)).content.decode()
    assert "Ask for review" not in page
    assert "Ask for changes" not in page
    for name in ("runbook-review", "runbook-changes", "runbook-approve"):
        answer = client.post(reverse(f"continuity:{name}", args=[draft.pk]))
        assert answer.status_code == 403


def test_the_api_reviews_as_the_page_does(api, cast, draft):
    planner, director, _reader = cast
    url = f"/api/continuity/runbooks/{draft.pk}/"
    asked = api(planner).post(f"{url}review/", {"text": "ready"}, format="json")
    assert asked.status_code == 200, asked.content
    sent_back = api(director).post(f"{url}changes/", {"text": ""}, format="json")
    assert sent_back.status_code in (400, 409)
    sent_back = api(director).post(f"{url}changes/", {"text": "fix step 2"})
    assert [r["verdict"] for r in sent_back.json()["reviews"]] == ["asked", "changes"]
    approved = api(director).post(f"{url}approve/", {}, format="json")
    assert approved.json()["state"] == "approved"
    assert approved.json()["reviews"][-1]["verdict"] == "approved"
    assert api(planner).post(f"{url}approve/").status_code == 403
