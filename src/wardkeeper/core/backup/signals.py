"""What ``wardkeeper backup`` tells the rest of Wardkeeper when it is done,
so that an area keeping backup records (continuity: the "Wardkeeper" system's
job) can store the run without the core knowing of it.

``backup_finished`` is sent with ``started_at`` and ``finished_at`` (aware
datetimes), ``path`` (the archive, a str), ``size`` (bytes, None when it
failed) and ``error`` (empty when the archive was written). A receiver may
return a line for the command to print."""

from django.dispatch import Signal

__all__ = ["backup_finished"]

backup_finished = Signal()
