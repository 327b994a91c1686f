"""The review of a runbook draft: its author asks for a review (the people
who may approve are told), a reviewer sends it back with what to change or
approves it (the author and the last editor are told). Every step is an
entry on the version's page, so the conversation that shaped a plan is kept
with it.

Who may review is who may approve: the permission and four eyes
(``runbooks.can_approve``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from wardkeeper.continuity.choices import ReviewVerdict
from wardkeeper.continuity.models import Runbook, RunbookReview
from wardkeeper.continuity.services import runbooks
from wardkeeper.continuity.services.runbooks import RunbookRefused
from wardkeeper.core.models import User
from wardkeeper.core.models.notifications import NotificationEvent
from wardkeeper.core.notifications import notify

__all__ = [
    "approve",
    "ask_for_changes",
    "ask_for_review",
    "changes_asked",
    "reviewers",
]

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def reviewers(runbook: Runbook) -> list[Any]:
    """The active people who may approve this draft (four eyes: not whoever
    drafted it or changed it last)."""
    people = User.objects.with_perm(
        runbooks.APPROVE_PERMISSION, is_active=True, backend=MODEL_BACKEND
    ).exclude(pk__in=[pk for pk in (runbook.author_id, runbook.edited_by_id) if pk])
    return list(people.order_by("pk"))


def changes_asked(runbook: Runbook) -> RunbookReview | None:
    """The reviewer's request for changes this draft still answers to: the
    newest entry when it asks for changes and nobody asked for a review
    since."""
    newest = runbook.reviews.select_related("by").order_by("-at", "-pk").first()
    if newest is None or newest.verdict != ReviewVerdict.CHANGES:
        return None
    return newest


@transaction.atomic
def ask_for_review(
    runbook: Runbook, *, actor: Any, text: str = "", now: dt.datetime | None = None
) -> RunbookReview:
    """Ask the reviewers to look at this draft, with a note (``text``) if
    any. Refused for a version that is not a draft, or has no steps yet."""
    runbook = _locked(runbook)
    runbooks.ensure_draft(runbook)
    if not runbook.steps.exists():
        raise RunbookRefused(_("A runbook needs at least one step."))
    people = reviewers(runbook)
    if not [person for person in people if person.pk != actor.pk]:
        raise RunbookRefused(
            _("Nobody else may approve runbooks: give someone the approver's role.")
        )
    entry = _record(runbook, ReviewVerdict.ASKED, actor, text, now)
    _tell(
        people,
        entry,
        _("Review asked: %(runbook)s (%(system)s)"),
        _("%(user)s asks you to review this draft before it is approved."),
    )
    return entry


@transaction.atomic
def ask_for_changes(
    runbook: Runbook, *, actor: Any, text: str, now: dt.datetime | None = None
) -> RunbookReview:
    """Send the draft back with what to change (the comment is required)."""
    runbook = _locked(runbook)
    _ensure_reviewer(runbook, actor)
    if not text.strip():
        raise RunbookRefused(_("Say what should change."))
    entry = _record(runbook, ReviewVerdict.CHANGES, actor, text, now)
    _tell(
        _drafters(runbook),
        entry,
        _("Changes asked: %(runbook)s (%(system)s)"),
        _("%(user)s sent this draft back with changes to make."),
    )
    return entry


@transaction.atomic
def approve(
    runbook: Runbook, *, actor: Any, text: str = "", now: dt.datetime | None = None
) -> Runbook:
    """Approve the draft (``runbooks.approve``: four eyes, steps, supersedes
    the version before), with the reviewer's remark if any; its drafters are
    told."""
    now = now or timezone.now()
    approved = runbooks.approve(runbook, actor=actor, now=now)
    entry = _record(approved, ReviewVerdict.APPROVED, actor, text, now)
    _tell(
        _drafters(approved),
        entry,
        _("Approved: %(runbook)s (%(system)s)"),
        _("%(user)s approved this version; it replaces the one before."),
    )
    return approved


def _locked(runbook: Runbook) -> Runbook:
    """The version as it stands now (a page may be stale), held until the
    entry is written."""
    return Runbook.objects.select_for_update().get(pk=runbook.pk)


def _ensure_reviewer(runbook: Runbook, actor: Any) -> None:
    runbooks.ensure_draft(runbook)
    if not runbooks.can_approve(runbook, actor):
        raise RunbookRefused(
            _(
                "Four eyes: someone other than who drafted or last changed this "
                "version must approve it."
            )
        )


def _record(
    runbook: Runbook,
    verdict: ReviewVerdict,
    actor: Any,
    text: str,
    now: dt.datetime | None,
) -> RunbookReview:
    return RunbookReview.objects.create(
        runbook=runbook,
        verdict=verdict,
        text=text.strip(),
        by=actor,
        at=now or timezone.now(),
    )


def _drafters(runbook: Runbook) -> list[Any]:
    people = {
        runbook.author_id: runbook.author,
        runbook.edited_by_id: runbook.edited_by,
    }
    return [person for pk, person in people.items() if pk is not None]


def _tell(people: Iterable[Any], entry: RunbookReview, subject: str, lead: str) -> None:
    runbook = entry.runbook
    recipients = [person for person in people if person.pk != entry.by_id]
    if not recipients:
        return
    names = {"runbook": str(runbook), "system": str(runbook.system)}
    body = lead % {"user": entry.by}
    if entry.text:
        body += "\n\n" + entry.text
    notify(
        NotificationEvent.RUNBOOK_REVIEW,
        recipients,
        subject=(subject % names)[:200],
        body=body,
        link=reverse("continuity:runbook-detail", args=[runbook.pk]),
    )
