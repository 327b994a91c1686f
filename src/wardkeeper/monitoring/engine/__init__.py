"""Wardkeeper's monitoring engine: plain asyncio, no Django.

It takes check specifications (``spec.CheckSpec``), runs each check's probe
(``probes``) on its interval, spread across the interval, under a global
concurrency limit and per-host limits, with a timeout per check, and hands
batches of results (``spec.Result``) to a sink. The Django side
(``wardkeeper.monitoring``) loads the specs, stores the results and turns
state changes into alerts; nothing here imports Django, so the hot path is
fast and testable alone (ARCHITECTURE.md).
"""
