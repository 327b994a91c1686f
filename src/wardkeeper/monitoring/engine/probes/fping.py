"""One fping process for many hosts: the ICMP fallback when this process
may open no ICMP socket (not root, no CAP_NET_RAW, ping_group_range closed).

Echo requests arriving within ``window`` seconds are gathered and sent by a
single ``fping -C<count> -q`` run (fping is setuid or has CAP_NET_RAW as
Debian installs it), and each waiting caller gets its round-trip times. One
run per (count, timeout, period) so different checks' settings never mix."""

from __future__ import annotations

import asyncio
import shutil
from collections import defaultdict

RoundTrips = list[float | None]  # ms per echo, None for a lost echo
_Key = tuple[int, int, int]  # count, per-echo timeout ms, period ms
MAX_HOSTS_PER_RUN = 1000  # also keeps the command line well under ARG_MAX


def available() -> bool:
    return shutil.which("fping") is not None


def parse(output: str, count: int) -> dict[str, RoundTrips]:
    """fping -C -q prints ``host : 0.05 - 0.07`` per host on stderr."""
    answers: dict[str, RoundTrips] = {}
    for line in output.splitlines():
        host, sep, rest = line.partition(" : ")
        if not sep:
            continue  # "name: Name or service not known" and the like
        times = [None if item == "-" else float(item) for item in rest.split()]
        if len(times) == count:
            answers[host.strip()] = times
    return answers


class Batcher:
    """Collects hosts for ``window`` seconds, then pings them all at once."""

    def __init__(self, window: float = 0.05, binary: str = "fping") -> None:
        self.window = window
        self.binary = binary
        self.pending: dict[_Key, dict[str, list[asyncio.Future[RoundTrips | None]]]] = (
            defaultdict(dict)
        )
        self.runs = 0  # fping processes started (tests and the bench read it)

    async def ping(
        self, host: str, count: int = 1, timeout_ms: int = 1000, period_ms: int = 100
    ) -> RoundTrips | None:
        """Round-trip times per echo to host, or None when fping could not
        resolve or ping it. Raises OSError when fping cannot be run."""
        loop = asyncio.get_running_loop()
        key = (count, timeout_ms, period_ms)
        waiting = self.pending[key]
        if not waiting:
            loop.call_later(self.window, self._launch, key)
        future: asyncio.Future[RoundTrips | None] = loop.create_future()
        waiting.setdefault(host, []).append(future)
        return await future

    def _launch(self, key: _Key) -> None:
        batch = self.pending.pop(key, {})
        hosts = list(batch)
        for start in range(0, len(hosts), MAX_HOSTS_PER_RUN):
            chunk = {
                host: batch[host] for host in hosts[start : start + MAX_HOSTS_PER_RUN]
            }
            task = asyncio.get_running_loop().create_task(self._run(key, chunk))
            task.add_done_callback(_ignore)

    async def _run(
        self, key: _Key, batch: dict[str, list[asyncio.Future[RoundTrips | None]]]
    ) -> None:
        count, timeout_ms, period_ms = key
        self.runs += 1
        try:
            process = await asyncio.create_subprocess_exec(
                self.binary, f"-C{count}", "-q", f"-t{timeout_ms}", f"-p{period_ms}",
                "-i1", "-r0", *batch,
                stdout=asyncio.subprocess.DEVNULL,
                stderr=asyncio.subprocess.PIPE,
            )  # fmt: skip
            _, err = await process.communicate()
        except OSError as error:
            _settle(batch, error)
            return
        except asyncio.CancelledError:
            _settle(batch, asyncio.CancelledError())
            raise
        answers = parse(err.decode("utf-8", "replace"), count)
        for host, futures in batch.items():
            for future in futures:
                if not future.done():
                    future.set_result(answers.get(host))


def _settle(
    batch: dict[str, list[asyncio.Future[RoundTrips | None]]], error: BaseException
) -> None:
    for futures in batch.values():
        for future in futures:
            if not future.done():
                future.set_exception(error)


def _ignore(task: asyncio.Task[None]) -> None:
    if not task.cancelled():
        task.exception()


_batchers: dict[asyncio.AbstractEventLoop, Batcher] = {}


def shared() -> Batcher:
    """The running loop's batcher (one per loop: futures cannot cross loops)."""
    loop = asyncio.get_running_loop()
    batcher = _batchers.get(loop)
    if batcher is None:
        for old in [item for item in _batchers if item.is_closed()]:
            del _batchers[old]
        batcher = _batchers[loop] = Batcher()
    return batcher
