"""Daily roll-ups of tickets for the figures (services/figures.py).

Derived data, rebuilt from the tickets at any time (``wardkeeper figures
rebuild``), so not audited: the tickets they come from are. A ticket's save
marks its day stale; stale days are recounted before figures are read and by
the worker every minute.
"""

from __future__ import annotations

from django.db import models

__all__ = ["DayFault", "DayTally", "StaleDay"]


class DayTally(models.Model):
    """The sums of one day's tickets (by the day they were reported, in the
    configured time zone) for one team, department, category and priority."""

    day = models.DateField()
    # Plain ids, not foreign keys: a roll-up row must never block a delete.
    team_id = models.IntegerField(null=True)
    department_id = models.IntegerField(null=True)
    category = models.CharField(max_length=12)
    priority = models.IntegerField()
    reported = models.IntegerField(default=0)
    responded = models.IntegerField(default=0)
    response_total = models.BigIntegerField(default=0)
    resolved = models.IntegerField(default=0)
    restore_total = models.BigIntegerField(default=0)
    sla_known = models.IntegerField(default=0)
    sla_met = models.IntegerField(default=0)
    closed = models.IntegerField(default=0)
    fixed_first_time = models.IntegerField(default=0)
    still_open = models.IntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["day"])]

    def __str__(self) -> str:
        return f"{self.day} {self.category} P{self.priority}: {self.reported}"


class DayFault(models.Model):
    """Faults (corrective tickets) of one day on one asset model or in one place."""

    MODEL = "model"
    LOCATION = "location"

    day = models.DateField()
    kind = models.CharField(max_length=8)
    key = models.IntegerField()
    faults = models.IntegerField()

    class Meta:
        indexes = [models.Index(fields=["kind", "day"])]

    def __str__(self) -> str:
        return f"{self.day} {self.kind} {self.key}: {self.faults}"


class StaleDay(models.Model):
    """A day whose roll-ups must be recounted before they are read."""

    day = models.DateField(unique=True)

    def __str__(self) -> str:
        return str(self.day)
