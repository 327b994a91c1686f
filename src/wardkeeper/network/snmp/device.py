"""Running readers against devices: one device, or many at once with a
bounded number in flight and a deadline for the lot."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

from wardkeeper.monitoring.engine.probes.snmp_client import (
    Session,
    SnmpFailure,
    close_engines,
    open_session,
)

T = TypeVar("T")
Reader = Callable[[Session], Awaitable[T]]


@dataclass(frozen=True, slots=True)
class Target:
    """One device to ask: its key (the asset's id), address and SNMP params
    (community or v3 keys, port)."""

    key: int
    host: str
    params: Mapping[str, Any]


async def read(target: Target, reader: Reader[T], wait: float = 3.0) -> T:
    """Run ``reader`` against one device. Raises SnmpFailure."""
    session = await open_session(target.host, target.params, wait)
    return await reader(session)


async def read_many(
    targets: Sequence[Target],
    reader: Reader[T],
    *,
    wait: float = 3.0,
    concurrency: int = 16,
    deadline: float = 30.0,
) -> dict[int, T | SnmpFailure]:
    """Run ``reader`` against every target, at most ``concurrency`` at once;
    a device that fails or is still unfinished at ``deadline`` seconds maps to
    a SnmpFailure."""
    gate = asyncio.Semaphore(concurrency)

    async def one(target: Target) -> T | SnmpFailure:
        async with gate:
            try:
                return await read(target, reader, wait)
            except SnmpFailure as failure:
                return failure

    tasks = {t.key: asyncio.ensure_future(one(t)) for t in targets}
    if tasks:
        await asyncio.wait(tasks.values(), timeout=deadline)
    results: dict[int, T | SnmpFailure] = {}
    for key, task in tasks.items():
        if task.done():
            results[key] = task.result()
        else:
            task.cancel()
            results[key] = SnmpFailure("timeout", "no complete answer in time")
    await asyncio.gather(*tasks.values(), return_exceptions=True)
    return results


def run(coroutine: Awaitable[T]) -> T:
    """Run a coroutine in a loop of its own and close its SNMP sockets; from
    a thread that already runs a loop (an async caller of sync code), in a
    thread of its own."""

    async def wrapped() -> T:
        try:
            return await coroutine
        finally:
            close_engines()

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(wrapped())
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, wrapped()).result()
