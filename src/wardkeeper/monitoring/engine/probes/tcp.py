"""TCP connect: does host:port accept a connection, how fast, and (optionally)
does it greet or answer as expected.

Params:
  port          required, 1-65535
  send          text to send once connected ("\\r\\n" escapes are honoured)
  expect        substring the first bytes received must contain
  expect_regex  regular expression the first bytes received must match
  degraded_ms   connect time above which the check is DEGRADED ("slow")
  read_bytes    most bytes read while waiting for the expected answer (4096)

Reasons: refused (closed port), timeout (no answer to the SYN, or no
expected answer in time), unreachable, dns, reset, closed (peer hung up
before the expected answer), mismatch (answered something else), slow.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Mapping
from typing import Any

from wardkeeper.monitoring.engine.probes import probe
from wardkeeper.monitoring.engine.probes._net import budget, failed, ms, resolve
from wardkeeper.monitoring.engine.spec import CheckSpec, Outcome, Status


def _text(value: str) -> bytes:
    # Operators type "QUIT\r\n" in a form; turn the escapes into bytes.
    return value.encode("utf-8").decode("unicode_escape").encode("latin-1")


def _matcher(params: Mapping[str, Any]) -> Any:
    if params.get("expect_regex"):
        # The regex engine reads \r, \n and \S itself: no unescaping.
        pattern = re.compile(str(params["expect_regex"]).encode("utf-8"))
        return pattern.search
    if params.get("expect"):
        wanted = _text(str(params["expect"]))
        return lambda data: wanted in data
    return None


class _Talk(asyncio.Protocol):
    """Collects what the peer says until ``matches`` accepts it; ``answer``
    resolves to None (as expected) or the reason it is not."""

    def __init__(self, matches: Any, limit: int) -> None:
        self.matches, self.limit = matches, limit
        self.data = b""
        self.answer: asyncio.Future[str | None] = (
            asyncio.get_running_loop().create_future()
        )

    def data_received(self, data: bytes) -> None:
        self.data += data
        if self.answer.done() or self.matches is None:
            return
        if self.matches(self.data):
            self.answer.set_result(None)
        elif len(self.data) >= self.limit:
            self.answer.set_result("mismatch")

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.answer.done():
            self.answer.set_result("closed")


@probe("tcp")
async def check_tcp(spec: CheckSpec) -> Outcome:
    """Connect to spec.host:params.port; never raises for network failures."""
    # A protocol, not sock_connect: uvloop does the connect natively (half
    # the CPU); the name is resolved first so a refusal keeps its errno.
    loop = asyncio.get_running_loop()
    params = spec.params
    port = int(params["port"])
    matches = _matcher(params)
    started = time.perf_counter()
    deadline = loop.time() + budget(spec.timeout)
    try:
        async with asyncio.timeout_at(deadline):
            _family, address = await resolve(loop, spec.host, port)
            transport, talk = await loop.create_connection(
                lambda: _Talk(matches, int(params.get("read_bytes", 4096))),
                address[0],
                port,
            )
    except (OSError, TimeoutError) as error:
        return failed(error, "connect")
    latency = ms(started, time.perf_counter())
    values: dict[str, Any] = {"connect_ms": latency}
    problem = None
    try:
        if params.get("send"):
            transport.write(_text(str(params["send"])))
        if matches is not None:
            async with asyncio.timeout_at(deadline):
                problem = await talk.answer
    except TimeoutError:
        problem = "timeout"
    finally:
        transport.close()
    if problem:
        messages = {
            "timeout": "no expected answer in time",
            "closed": "closed the connection before the expected answer",
            "mismatch": "answered something other than expected",
        }
        return Outcome(Status.DOWN, latency, messages[problem], problem, values)
    slow = spec.params.get("degraded_ms")
    if slow is not None and latency > float(slow):
        return Outcome(
            Status.DEGRADED, latency, f"connect took {latency:.0f} ms", "slow", values
        )
    return Outcome(Status.UP, latency, "", "", values)
