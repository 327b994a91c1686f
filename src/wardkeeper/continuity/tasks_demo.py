"""The demo hospital's backups keep running while the demo runs (imported
by ``continuity/tasks.py`` so the worker's discovery finds it). Does
nothing on a database without the demo; see demo_live.py."""

from __future__ import annotations

import datetime as dt

from wardkeeper.continuity import demo_live
from wardkeeper.core.tasks import periodic


@periodic("continuity.demo", every=demo_live.PASS)
def run_demo_backups(now: dt.datetime) -> dict[str, int]:
    """One run for each of the demo's healthy jobs that is due."""
    return demo_live.run_due(now)
