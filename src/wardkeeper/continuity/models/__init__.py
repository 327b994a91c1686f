from wardkeeper.continuity.models.backups import BackupDestination, BackupJob, BackupRun
from wardkeeper.continuity.models.findings import Finding
from wardkeeper.continuity.models.plans import (
    Drill,
    DrillStep,
    Runbook,
    RunbookReview,
    RunbookStep,
)
from wardkeeper.continuity.models.proofs import RestoreRun, RestoreTest, SanityQuery
from wardkeeper.continuity.models.systems import DataStore, ProtectedSystem

__all__ = [
    "BackupDestination",
    "BackupJob",
    "BackupRun",
    "DataStore",
    "Drill",
    "DrillStep",
    "Finding",
    "ProtectedSystem",
    "RestoreRun",
    "RestoreTest",
    "Runbook",
    "RunbookReview",
    "RunbookStep",
    "SanityQuery",
]
