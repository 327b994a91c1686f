"""The probes, one module per protocol. A probe is ``async def (spec) ->
Outcome``; it must never block the event loop (a blocking library runs in an
executor) and need not enforce the timeout (the engine does). Each module
registers its probes with ``@probe("kind")``; ``load_all`` imports them."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Awaitable, Callable

from wardkeeper.monitoring.engine.spec import CheckSpec, Outcome

Probe = Callable[[CheckSpec], Awaitable[Outcome]]
PROBES: dict[str, Probe] = {}


def probe(kind: str) -> Callable[[Probe], Probe]:
    def register(func: Probe) -> Probe:
        PROBES[kind] = func
        return func

    return register


def load_all() -> dict[str, Probe]:
    """Import every probe module (a module whose library is missing is left
    out, and its kinds are then unknown to the engine)."""
    for module in pkgutil.iter_modules(__path__):
        try:
            importlib.import_module(f"{__name__}.{module.name}")
        except ImportError:
            continue
    return PROBES
