"""The backup figures on ``/metrics``, for a Grafana panel of RPO compliance:
per protected system its last good backup, its RPO, whether it is within it
and since when its restore is proven; and the open findings by kind.

The verdicts are the dashboard's: the RPO state from ``rpo.rpo_states`` and
the restore proof from ``proofs.proof_states``, read a chunk of systems at a
time in a fixed number of queries per chunk (about five), plus one for the
findings. The monitoring area writes the page and calls ``families()``
(monitoring/services/metrics.py, ``CONTRIBUTORS``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.db.models import Count
from django.utils import timezone

from wardkeeper.continuity.choices import FindingKind, FindingState
from wardkeeper.continuity.models import Finding, ProtectedSystem
from wardkeeper.continuity.services import proofs
from wardkeeper.continuity.services.rpo import rpo_states
from wardkeeper.inventory.choices import Criticality
from wardkeeper.monitoring.services.metrics import Family

__all__ = ["CHUNK", "families", "proven_since"]

CHUNK = 500  # systems read together (one IN list per query)

Sample = tuple[Mapping[str, str], float | None]


def _stamp(moment: dt.datetime | None) -> float | None:
    return None if moment is None else moment.timestamp()


def proven_since(proof: proofs.SystemProof) -> dt.datetime | None:
    """Since when every enabled job of the system has a passed restore: the
    oldest of their newest passes (None when a job never passed, or the
    system has no enabled job). A system is only as proven as its least
    proven job, as ``SystemProof.proven`` judges it."""
    passes = [job.passed_at for job in proof.jobs]
    if not passes or any(at is None for at in passes):
        return None
    return min(at for at in passes if at is not None)


def _systems() -> list[list[ProtectedSystem]]:
    """Every protected system, in chunks, by key (a stable series order)."""
    rows = ProtectedSystem.objects.only("pk", "name", "criticality", "rpo_minutes")
    chunks: list[list[ProtectedSystem]] = []
    last = 0
    while True:
        chunk = list(rows.filter(pk__gt=last).order_by("pk")[:CHUNK])
        if chunk:
            chunks.append(chunk)
            last = chunk[-1].pk
        if len(chunk) < CHUNK:  # a short chunk is the last one
            return chunks


def _system_samples(now: dt.datetime) -> dict[str, list[Sample]]:
    found: dict[str, list[Sample]] = {
        key: [] for key in ("last", "rpo", "within", "proof", "proven")
    }
    for chunk in _systems():
        states = rpo_states(chunk, now)
        proven = proofs.proof_states(chunk, now)
        for system in chunk:
            labels = {
                "system_id": str(system.pk),
                "system": system.name,
                "criticality": Criticality(system.criticality).name.lower(),
            }
            state, proof = states[system.pk], proven[system.pk]
            found["last"].append((labels, _stamp(state.last)))
            found["rpo"].append((labels, state.rpo.total_seconds()))
            found["within"].append((labels, int(state.is_ok)))
            found["proof"].append((labels, _stamp(proven_since(proof))))
            found["proven"].append((labels, int(proof.proven)))
    return found


def _open_findings() -> list[Sample]:
    """Open findings per kind, every kind named (0 when none is open)."""
    counts = dict(
        Finding.objects.filter(state=FindingState.OPEN)
        .values("kind")
        .annotate(n=Count("pk"))
        .values_list("kind", "n")
    )
    return [({"kind": kind.value}, counts.get(kind.value, 0)) for kind in FindingKind]


def families(now: dt.datetime | None = None) -> list[Family]:
    """The backup families for ``/metrics`` (timestamps in Unix seconds)."""
    found = _system_samples(now or timezone.now())
    gauge = "gauge"
    return [
        Family(
            "wardkeeper_backup_last_success_timestamp_seconds",
            gauge,
            "When the system's last good backup ended (Unix time): the oldest "
            "of its data stores' newest; absent when there is none.",
            found["last"],
        ),
        Family(
            "wardkeeper_backup_rpo_seconds",
            gauge,
            "The system's recovery-point objective, in seconds.",
            found["rpo"],
        ),
        Family(
            "wardkeeper_backup_within_rpo",
            gauge,
            "1 if the system's last good backup is within its RPO, 0 if it is "
            "late or there is none.",
            found["within"],
        ),
        Family(
            "wardkeeper_backup_last_restore_proof_timestamp_seconds",
            gauge,
            "Since when every enabled job of the system has passed a restore "
            "(Unix time): the oldest of their newest passes; absent when a job "
            "never passed.",
            found["proof"],
        ),
        Family(
            "wardkeeper_backup_restore_proven",
            gauge,
            "1 if every enabled job of the system passed a restore within its "
            "restore-proof interval, 0 otherwise.",
            found["proven"],
        ),
        Family(
            "wardkeeper_backup_findings_open",
            gauge,
            "Open backup and recovery findings, by kind.",
            _open_findings(),
        ),
    ]
