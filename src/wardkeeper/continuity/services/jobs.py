"""A backup job's webhook token: the secret a backup product presents when it
reports a run. Only its hash is kept; the token is shown once, when issued."""

from __future__ import annotations

import secrets

from django.db import transaction

from wardkeeper.continuity.models import BackupJob
from wardkeeper.core import audit
from wardkeeper.core.models.audit import AuditAction
from wardkeeper.core.models.tokens import hash_token

__all__ = ["TOKEN_PREFIX", "issue_webhook_token", "job_for_token"]

TOKEN_PREFIX = "wkb_"


@transaction.atomic
def issue_webhook_token(job: BackupJob) -> str:
    """Give the job a new webhook token (the old one stops working) and return
    it; the trail records that it changed, never the token."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    BackupJob.objects.filter(pk=job.pk).update(webhook_token_hash=hash_token(raw))
    job.webhook_token_hash = hash_token(raw)
    # The next save of this instance must not record the hash as its change.
    job._audit_snapshot = job.audit_values()
    audit.record(
        AuditAction.SECURITY,
        job,
        changes={"webhook_token": [audit.MASK, audit.MASK]},
        message="webhook token issued",
    )
    return raw


def job_for_token(token: str) -> BackupJob | None:
    """The job whose webhook token this is (enabled or not), or None."""
    token = token.strip()
    if not token.startswith(TOKEN_PREFIX):
        return None
    return (
        BackupJob.objects.select_related("system", "destination")
        .filter(webhook_token_hash=hash_token(token))
        .first()
    )
