"""A remote poller: the engine inside a network zone, fed by and reporting
to the server over its API with a token of its own. No Django.

``Poller.run`` loads its checks (``GET monitoring/poller/checks/``), runs
them on the engine, and hands the engine's batches to ``send`` (``POST
monitoring/poller/results/``). A failed POST raises, so the engine's writer
keeps the batch and retries with back-off, its buffer bounded (the oldest
results go first when the server stays away too long). The checks are
loaded again every ``reload_every`` seconds (a failure keeps the current
set), and a heartbeat (an empty batch) goes out every ``heartbeat_every``
seconds even with no checks, so the server can tell a quiet poller from a
dead one.

HTTP is the standard library's (``urllib``), run in a worker thread so the
loop never blocks; one request at a time per kind (a batch, a load).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import ssl
import urllib.error
import urllib.request
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from wardkeeper.monitoring.engine.scheduler import Engine
from wardkeeper.monitoring.engine.spec import CheckSpec, Result

log = logging.getLogger("wardkeeper.poller")

CHECKS_PATH = "/api/monitoring/poller/checks/"
RESULTS_PATH = "/api/monitoring/poller/results/"


class ServerError(Exception):
    """The server could not be reached or refused a request."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class Assignment:
    """What the server gave the poller on its last load."""

    name: str
    zone: str | None
    heartbeat_seconds: float
    specs: list[CheckSpec]


def spec_from(data: Mapping[str, Any]) -> CheckSpec:
    return CheckSpec(
        id=int(data["id"]),
        kind=str(data["kind"]),
        host=str(data["host"]),
        params=dict(data.get("params") or {}),
        interval=float(data.get("interval", 60.0)),
        timeout=float(data.get("timeout", 10.0)),
        confirm_down=int(data.get("confirm_down", 3)),
        confirm_up=int(data.get("confirm_up", 2)),
        parents=tuple(int(p) for p in data.get("parents") or ()),
    )


def result_json(result: Result) -> dict[str, Any]:
    outcome = result.outcome
    return {
        "check_id": result.check_id,
        "at": result.at,
        "lag": max(0.0, result.lag),
        "outcome": {
            "status": outcome.status.value,
            "latency_ms": outcome.latency_ms,
            "message": outcome.message[:500],
            "reason": outcome.reason[:40],
            "values": outcome.values,
        },
    }


class Client:
    """The poller's side of the API: blocking requests, run in a thread."""

    def __init__(
        self,
        server: str,
        token: str,
        *,
        version: str = "",
        timeout: float = 15.0,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        self.server = server.rstrip("/")
        self._headers = {
            "Authorization": f"Poller {token}",
            "Accept": "application/json",
            "X-Wardkeeper-Version": version,
            "User-Agent": f"wardkeeper-poller/{version}",
        }
        self._timeout = timeout
        self._ssl = ssl_context
        # Separate threads: a slow load never holds a batch back.
        self._load_pool = ThreadPoolExecutor(1, thread_name_prefix="poller-load")
        self._send_pool = ThreadPoolExecutor(1, thread_name_prefix="poller-send")

    def close(self) -> None:
        self._load_pool.shutdown(wait=False, cancel_futures=True)
        self._send_pool.shutdown(wait=False, cancel_futures=True)

    def _request(self, method: str, path: str, body: Any = None) -> Any:
        data = None
        headers = dict(self._headers)
        if body is not None:
            data = json.dumps(body, default=str).encode("utf-8")
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(
            self.server + path, data=data, headers=headers, method=method
        )
        try:
            with urllib.request.urlopen(
                request, timeout=self._timeout, context=self._ssl
            ) as response:
                return json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            detail = error.read()[:300].decode("utf-8", "replace")
            raise ServerError(
                f"{method} {path}: {error.code} {detail}", error.code
            ) from error
        except (OSError, ValueError) as error:  # URLError is an OSError
            raise ServerError(f"{method} {path}: {error}") from error

    async def load(self) -> Assignment:
        loop = asyncio.get_running_loop()
        data = await loop.run_in_executor(
            self._load_pool, self._request, "GET", CHECKS_PATH
        )
        return Assignment(
            name=str(data.get("poller", "")),
            zone=data.get("zone"),
            heartbeat_seconds=float(data.get("heartbeat_seconds") or 30),
            specs=[spec_from(item) for item in data.get("checks", [])],
        )

    async def send(self, results: list[Result]) -> None:
        """POST one batch (empty: a heartbeat); raises ServerError."""
        loop = asyncio.get_running_loop()
        body = {"results": [result_json(r) for r in results]}
        await loop.run_in_executor(
            self._send_pool, self._request, "POST", RESULTS_PATH, body
        )


class Poller:
    """The engine plus the client; ``run`` until ``stop`` is set."""

    def __init__(
        self,
        client: Client,
        *,
        zone: str = "",
        reload_every: float = 60.0,
        heartbeat_every: float | None = None,
        **engine_options: Any,
    ) -> None:
        self.client = client
        self.zone = zone
        self.reload_every = reload_every
        self.heartbeat_every = heartbeat_every  # None: as the server says
        self.engine = Engine(client.send, **engine_options)
        self.specs: list[CheckSpec] = []
        self.assignment: Assignment | None = None

    async def reload(self) -> bool:
        """Load the checks; give the engine the set when it changed."""
        assignment = await self.client.load()
        first = self.assignment is None
        self.assignment = assignment
        if first:
            log.info(
                "poller %s (zone %s): connected to %s",
                assignment.name,
                assignment.zone or self.zone or "-",
                self.client.server,
            )
        if assignment.specs == self.specs:
            return False
        self.specs = assignment.specs
        self.engine.set_checks(assignment.specs)
        log.info("poller: %d checks", len(assignment.specs))
        return True

    def _heartbeat_every(self) -> float:
        if self.heartbeat_every:
            return self.heartbeat_every
        if self.assignment is not None:
            return self.assignment.heartbeat_seconds
        return 30.0

    async def run(self, stop: asyncio.Event) -> None:
        loop = asyncio.get_running_loop()
        engine = asyncio.create_task(self.engine.run(stop))
        next_load = next_beat = loop.time()
        try:
            while not stop.is_set():
                now = loop.time()
                if now >= next_load:
                    try:
                        await self.reload()
                        next_load = now + self.reload_every
                    except ServerError as error:
                        log.warning("poller: loading checks failed: %s", error)
                        # Sooner than a full interval while it fails.
                        next_load = now + min(self.reload_every, 5.0)
                if now >= next_beat:
                    try:
                        await self.client.send([])
                    except ServerError as error:
                        log.warning("poller: heartbeat failed: %s", error)
                    next_beat = now + self._heartbeat_every()
                wait = max(0.05, min(next_load, next_beat) - loop.time())
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), wait)
        finally:
            stop.set()
            await engine
            self.client.close()
