"""Backup and recovery API, one module per part."""

from rest_framework.routers import BaseRouter

from wardkeeper.continuity.api import (
    backups,
    findings,
    ingest,
    plans,
    proofs,
    systems,
)


def register(router: BaseRouter) -> None:
    for part in (systems, backups, proofs, plans, ingest, findings):
        part.register(router)
