"""The probes, one module per protocol. A probe is ``async def (spec) ->
Outcome``; it must never block the event loop (a blocking library runs in an
executor) and need not enforce the timeout (the engine does). Each module
registers its probes with ``@probe("kind")``; ``load_all`` imports them.

A kind run thousands of times a second may also register a starter with
``@starter("kind")``: a plain function ``(spec, done) -> bool`` that begins a
run without a task of its own and returns True, then calls ``done(outcome)``
exactly once, from the loop, never before it has returned, and within the
spec's timeout (the engine does not time it). It returns False for a run it
cannot take that way, which then goes to the probe."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Awaitable, Callable

from wardkeeper.monitoring.engine.spec import CheckSpec, Outcome

Probe = Callable[[CheckSpec], Awaitable[Outcome]]
Done = Callable[[Outcome], None]
Starter = Callable[[CheckSpec, Done], bool]
PROBES: dict[str, Probe] = {}
STARTERS: dict[str, Starter] = {}


def probe(kind: str) -> Callable[[Probe], Probe]:
    def register(func: Probe) -> Probe:
        PROBES[kind] = func
        return func

    return register


def starter(kind: str) -> Callable[[Starter], Starter]:
    def register(func: Starter) -> Starter:
        STARTERS[kind] = func
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
