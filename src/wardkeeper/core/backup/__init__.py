"""Wardkeeper's own backup: one archive holding the database, the uploads and
the keys, and the restore that brings it back into an empty data directory.

``archive`` writes and reads the archive, ``database`` takes and loads the
database snapshot (SQLite online backup, ``pg_dump``/``pg_restore``),
``manifest`` describes an archive and decides whether it can be restored here,
``restore`` places a verified archive into a data directory and ``finish``
checks the result in a fresh process that has loaded the restored keys.
"""

from __future__ import annotations


class BackupError(Exception):
    """A backup or restore that cannot go on; ``str()`` is the message for
    the operator, saying what is wrong and what to do."""
