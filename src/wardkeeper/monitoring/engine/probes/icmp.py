"""ICMP echo (ping): is the host on the network, how far away, how lossy.

How it pings, best first ("method" auto): an unprivileged ICMP datagram
socket when net.ipv4.ping_group_range admits this process's group; a raw
socket when the process is root or holds CAP_NET_RAW; else one shared fping
process per batch of hosts (engine/probes/fping.py). One socket per address
family serves every check of the process; replies are matched by sequence.

Params:
  count             echoes per run (default 1, at most 10)
  period_ms         gap between the echoes of one run (default 200)
  timeout_ms        wait per echo (default: the check's timeout)
  max_loss_percent  loss above which the check is DEGRADED ("loss");
                    losing every echo is DOWN (default 0)
  degraded_ms       average round trip above which it is DEGRADED ("slow")
  method            auto (default), socket or fping

Values: sent, received, loss_percent, rtt_min_ms, rtt_avg_ms, rtt_max_ms,
method. Reasons: timeout (no answer), unreachable, dns, loss, slow, error.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import math
import os
import socket
import struct
import time
from collections.abc import Callable
from typing import Any

from wardkeeper.monitoring.engine.probes import Done, fping, probe, starter
from wardkeeper.monitoring.engine.probes._net import (
    budget,
    failed,
    literal_family,
    resolve,
)
from wardkeeper.monitoring.engine.scheduler import TICK
from wardkeeper.monitoring.engine.spec import CheckSpec, Outcome, Status

_UNREACHABLE = -1.0  # an ICMP error came back instead of a reply
# settle(token, rtt): what an echo's answer (or its loss) is handed to.
Settle = Callable[[Any, float | None], None]
# Lost echoes are settled in steps of the scheduler's wheel: the expiry
# runs in the same loop wake-up that starts a slot's runs.
_EXPIRY_STEP = TICK


def _checksum(data: bytes) -> int:
    if len(data) % 2:
        data += b"\0"
    total: int = sum(struct.unpack(f"!{len(data) // 2}H", data))
    total = (total >> 16) + (total & 0xFFFF)
    total += total >> 16
    return ~total & 0xFFFF


def _group_may_ping() -> bool:
    try:
        with open("/proc/sys/net/ipv4/ping_group_range") as handle:
            low, high = (int(part) for part in handle.read().split())
    except (OSError, ValueError):
        return False
    return any(low <= gid <= high for gid in (os.getgid(), *os.getgroups()))


def _open_socket(family: int) -> tuple[socket.socket, bool] | None:
    """(socket, is_raw) or None when this process may not open either kind."""
    proto = socket.IPPROTO_ICMP if family == socket.AF_INET else socket.IPPROTO_ICMPV6
    kinds = [(socket.SOCK_DGRAM, False), (socket.SOCK_RAW, True)]
    if not _group_may_ping():
        kinds = kinds[1:]
    for kind, raw in kinds:
        try:
            sock = socket.socket(family, kind, proto)
        except PermissionError:
            continue
        sock.setblocking(False)
        _tune(sock, raw and family == socket.AF_INET)
        return sock, raw
    return None


def _tune(sock: socket.socket, raw_v4: bool) -> None:
    # Thousands of checks share this socket: a small receive buffer would
    # drop replies that arrive together (seen at ~200 in flight).
    for option in (getattr(socket, "SO_RCVBUFFORCE", None), socket.SO_RCVBUF):
        if option is None:
            continue
        try:
            sock.setsockopt(socket.SOL_SOCKET, option, 4 << 20)
            break
        except OSError:
            continue
    if raw_v4:
        # ICMP_FILTER (SOL_RAW 255, option 1): wake only for echo replies,
        # unreachables and time-exceeded, not every ICMP packet on the host.
        wanted = (1 << 0) | (1 << 3) | (1 << 11)
        with contextlib.suppress(OSError):
            sock.setsockopt(255, 1, struct.pack("I", ~wanted & 0xFFFFFFFF))


_HEADER = struct.Struct("!BBHHH")
_PACKET = struct.Struct("!BBHHH16s")
_PAYLOAD = b"wardkeeper-ping!"


class _Pinger:
    """One ICMP socket shared by all checks of a loop and address family.

    Lean per echo, as thousands go through it a second: the packet is one
    precompiled ``struct`` call (the checksum is the payload's, computed
    once, plus the sequence number); an echo is an entry in ``waiting`` with
    no timer of its own — echoes are filed by deadline in buckets of the
    scheduler's wheel step, one timer per bucket settles the lost ones of
    that bucket; one reader wake-up drains every reply queued on the socket.
    Each echo's answer goes to ``settle(token, rtt)``: the caller's plain
    function and data, no closure made per echo."""

    def __init__(self, sock: socket.socket, raw: bool, family: int) -> None:
        self.sock, self.raw, self.family = sock, raw, family
        self.v6 = family == socket.AF_INET6
        self.ident = os.getpid() & 0xFFFF  # the kernel rewrites it on dgram sockets
        self.kind = 128 if self.v6 else 8
        # The ones' complement sum of the packet but its sequence number.
        self.base = (
            (self.kind << 8)
            + self.ident
            + sum(struct.unpack(f"!{len(_PAYLOAD) // 2}H", _PAYLOAD))
        )
        self.sequence = itertools.count(1)
        # seq → (address, sent, settle, token, bucket)
        self.waiting: dict[int, tuple[str, float, Settle, Any, int]] = {}
        self.buckets: dict[int, list[int]] = {}  # bucket → seqs due in it
        self.loop = asyncio.get_running_loop()
        self.loop.add_reader(sock.fileno(), self._read)

    def packet(self, seq: int) -> bytes:
        if self.v6:  # the kernel fills the ICMPv6 checksum itself
            return _PACKET.pack(self.kind, 0, 0, self.ident, seq, _PAYLOAD)
        total = self.base + seq
        total = (total >> 16) + (total & 0xFFFF)
        total += total >> 16
        return _PACKET.pack(self.kind, 0, ~total & 0xFFFF, self.ident, seq, _PAYLOAD)

    def send(self, address: str, timeout: float, settle: Settle, token: Any) -> None:
        """Send one echo; ``settle(token, rtt)`` is called once, from the
        loop, with the round trip in ms, None when lost or _UNREACHABLE on
        an ICMP error. Raises OSError when the echo cannot be sent."""
        waiting = self.waiting
        seq = next(self.sequence) & 0xFFFF
        while seq in waiting:  # 65 536 echoes in flight: wrap past them
            seq = next(self.sequence) & 0xFFFF
        self.sock.sendto(self.packet(seq), (address, 0))
        sent = time.perf_counter()
        bucket = math.ceil((self.loop.time() + timeout) / _EXPIRY_STEP)
        waiting[seq] = (address, sent, settle, token, bucket)
        due = self.buckets.get(bucket)
        if due is None:
            due = self.buckets[bucket] = []
            self.loop.call_at(bucket * _EXPIRY_STEP, self._expire, bucket)
        due.append(seq)

    def echo(self, address: str, timeout: float) -> asyncio.Future[float | None]:
        """``send`` as a future (which the caller may cancel)."""
        future: asyncio.Future[float | None] = self.loop.create_future()
        self.send(address, timeout, _resolve, future)
        return future

    def _expire(self, bucket: int) -> None:
        """Settle as lost the echoes of ``bucket`` still unanswered."""
        waiting = self.waiting
        for seq in self.buckets.pop(bucket, ()):
            entry = waiting.get(seq)
            if entry is not None and entry[4] == bucket:  # not answered
                del waiting[seq]
                entry[2](entry[3], None)

    def _read(self) -> None:
        now = time.perf_counter()
        receive = self.sock.recvfrom
        while True:
            try:
                data, source = receive(2048)
            except (BlockingIOError, InterruptedError):
                return
            except OSError:
                continue  # e.g. an ICMP error queued on a dgram socket
            self._dispatch(data, source[0], now)

    def _dispatch(self, data: bytes, source: str, now: float) -> None:
        start = (data[0] & 0x0F) * 4 if self.raw and not self.v6 else 0
        if len(data) < start + 8:
            return  # strip the IPv4 header (raw sockets); too short
        kind, _code, _sum, ident, seq = _HEADER.unpack_from(data, start)
        reply, error = (129, (1, 3)) if self.v6 else (0, (3, 11))
        if kind == reply:
            self._settle(ident, seq, source, now)
        elif kind in error and self.raw and not self.v6 and len(data) >= start + 36:
            inner = start + 8
            inner += (data[inner] & 0x0F) * 4
            _k, _c, _s, ident, seq = _HEADER.unpack_from(data, inner)
            self._settle(ident, seq, None, _UNREACHABLE)

    def _settle(self, ident: int, seq: int, source: str | None, now: float) -> None:
        if self.raw and ident != self.ident:
            return  # another process's ping seen by our raw socket
        entry = self.waiting.get(seq)
        if entry is None or (source is not None and source != entry[0]):
            return
        del self.waiting[seq]
        entry[2](entry[3], now if now < 0 else (now - entry[1]) * 1000.0)


def _resolve(future: asyncio.Future[float | None], rtt: float | None) -> None:
    if not future.done():  # cancelled: the engine's timeout came first
        future.set_result(rtt)


_pingers: dict[tuple[asyncio.AbstractEventLoop, int], _Pinger | None] = {}


def _pinger(family: int) -> _Pinger | None:
    key = (asyncio.get_running_loop(), family)
    if key not in _pingers:
        for old in [item for item in _pingers if item[0].is_closed()]:
            pinger = _pingers.pop(old)
            if pinger is not None:
                pinger.sock.close()
        opened = _open_socket(family)
        _pingers[key] = _Pinger(opened[0], opened[1], family) if opened else None
    return _pingers[key]


# IP literals as (family, address): no parsing per echo.
_literals: dict[str, tuple[int, str]] = {}
_LITERALS_KEPT = 1_000_000


async def _by_socket(
    spec: CheckSpec, count: int, period: float, wait: float
) -> tuple[list[float | None], str] | None:
    found = _literals.get(spec.host)
    if found is None:
        family, sockaddr = await resolve(asyncio.get_running_loop(), spec.host)
        address = sockaddr[0]
        if literal_family(spec.host) is not None and len(_literals) < _LITERALS_KEPT:
            _literals[spec.host] = family, address
    else:
        family, address = found
    pinger = _pinger(family)
    if pinger is None:
        return None
    method = "raw" if pinger.raw else "dgram"
    if count == 1:
        return [await pinger.echo(address, wait)], method

    async def later(index: int) -> float | None:
        await asyncio.sleep(index * period)
        return await pinger.echo(address, wait)

    return list(await asyncio.gather(*(later(i) for i in range(count)))), method


def _wait(spec: CheckSpec, count: int, period: float) -> float:
    """How long to wait for each echo's reply, in seconds."""
    wait = budget(spec.timeout) - (count - 1) * period
    if spec.params.get("timeout_ms"):
        wait = min(wait, float(spec.params["timeout_ms"]) / 1000.0)
    return max(0.05, wait)


async def _rounds(spec: CheckSpec) -> tuple[list[float | None], str]:
    """Round trips per echo and the method used; raises OSError."""
    params = spec.params
    count = max(1, min(10, int(params.get("count", 1))))
    period = float(params.get("period_ms", 200)) / 1000.0
    wait = _wait(spec, count, period)
    method = params.get("method", "auto")
    if method != "fping":
        found = await _by_socket(spec, count, period, wait)
        if found is not None:
            return found
        if method == "socket":
            raise PermissionError("this process may open no ICMP socket")
    # The batch window passes before fping starts, and its run spends up to
    # a quarter of the echo timeout sending to the batch's other hosts
    # (fping.py): give the echo 70 % of what is left.
    batcher = fping.shared()
    echo_ms = max(50, int((wait - batcher.window) * 700))
    times = await batcher.ping(spec.host, count, echo_ms, int(period * 1000))
    if times is None:
        raise socket.gaierror(f"fping could not ping {spec.host}")
    return times, "fping"


# The values of one answered echo, by method: the same for every such run,
# so one object is shared (never changed: the engine's policy judge copies
# before adding) and the monitor writes its JSON once per batch. The round
# trip itself is the outcome's latency.
_ONE_ANSWERED = {
    method: {"method": method, "sent": 1, "received": 1, "loss_percent": 0.0}
    for method in ("raw", "dgram", "fping")
}


def _judge(
    spec: CheckSpec, times: list[float | None], values: dict[str, Any]
) -> Outcome:
    first = times[0]
    if len(times) == 1 and first is not None and first >= 0:  # the common run
        rtt = round(first, 3)
        shared = _ONE_ANSWERED.get(values.get("method", ""))
        if shared is None or len(values) != 1:
            values.update(sent=1, received=1, loss_percent=0.0)
            values.update(rtt_min_ms=rtt, rtt_avg_ms=rtt, rtt_max_ms=rtt)
            shared = values
        return _up_unless_slow(spec, rtt, shared)
    answered = [rtt for rtt in times if rtt is not None and rtt >= 0]
    loss = round(100.0 * (len(times) - len(answered)) / len(times), 1)
    values.update(sent=len(times), received=len(answered), loss_percent=loss)
    if not answered:
        if _UNREACHABLE in times:
            return Outcome(
                Status.DOWN, None, "destination unreachable", "unreachable", values
            )
        return Outcome(Status.DOWN, None, "no echo reply", "timeout", values)
    average = round(sum(answered) / len(answered), 3)
    values.update(
        rtt_min_ms=round(min(answered), 3),
        rtt_avg_ms=average,
        rtt_max_ms=round(max(answered), 3),
    )
    if loss > float(spec.params.get("max_loss_percent", 0)):
        return Outcome(
            Status.DEGRADED, average, f"{loss:g} % of echoes lost", "loss", values
        )
    return _up_unless_slow(spec, average, values)


def _up_unless_slow(spec: CheckSpec, average: float, values: dict[str, Any]) -> Outcome:
    slow = spec.params.get("degraded_ms")
    if slow is not None and average > float(slow):
        return Outcome(
            Status.DEGRADED, average, f"round trip {average:.1f} ms", "slow", values
        )
    return Outcome(Status.UP, average, "", "", values)


@probe("icmp")
async def check_icmp(spec: CheckSpec) -> Outcome:
    """Ping spec.host; never raises for network failures."""
    try:
        times, method = await _rounds(spec)
    except socket.gaierror as error:
        return Outcome(Status.DOWN, message=str(error), reason="dns")
    except OSError as error:
        return failed(error, "ping")
    return _judge(spec, times, {"method": method})


class _Plan:
    """What a one-echo check needs at each run, worked out once per spec
    and loop: the pinger, the address, the wait, the slowness limit and the
    values an answered echo shares."""

    __slots__ = (
        "address",
        "loop",
        "method",
        "pinger",
        "slow",
        "spec",
        "values",
        "wait",
    )

    def __init__(self, spec: CheckSpec, pinger: _Pinger, address: str) -> None:
        self.spec, self.pinger, self.address = spec, pinger, address
        self.loop = pinger.loop
        self.wait = _wait(spec, 1, 0.0)
        slow = spec.params.get("degraded_ms")
        self.slow = None if slow is None else float(slow)
        self.method = "raw" if pinger.raw else "dgram"
        self.values = _ONE_ANSWERED[self.method]


# One plan per check id (a changed spec makes a new one).
_plans: dict[int, _Plan] = {}


def _plan_of(spec: CheckSpec) -> _Plan | None:
    params = spec.params
    found = _literals.get(spec.host)
    if found is None or params.get("method", "auto") == "fping":
        return None
    if int(params.get("count", 1)) != 1:
        return None
    pinger = _pinger(found[0])
    if pinger is None:
        return None
    plan = _plans[spec.id] = _Plan(spec, pinger, found[1])
    return plan


def _answered(token: tuple[_Plan, Done], rtt: float | None) -> None:
    """A one-echo run's answer: UP unless slow (what ``_judge`` says of one
    echo, without its lists and copies), else ``_judge``'s verdict."""
    plan, done = token
    if rtt is not None and rtt >= 0:
        rtt = round(rtt, 3)
        if plan.slow is None or rtt <= plan.slow:
            done(Outcome(Status.UP, rtt, "", "", plan.values))
            return
    done(_judge(plan.spec, [rtt], {"method": plan.method}))


@starter("icmp")
def start_icmp(spec: CheckSpec, done: Done) -> bool:
    """The engine's fast path for the common check, one echo to an address
    already seen: no task, no future, the reply settles it directly (what
    lets one monitor ping 20,000 hosts every 30 s for about what fping costs).
    Anything else (several echoes, a name to resolve, fping) says False and
    runs as ``check_icmp``."""
    plan = _plans.get(spec.id)
    if (
        plan is None
        or plan.spec is not spec
        or plan.loop is not asyncio.get_running_loop()
    ):
        plan = _plan_of(spec)
        if plan is None:
            return False
    try:
        plan.pinger.send(plan.address, plan.wait, _answered, (plan, done))
    except OSError as error:
        plan.loop.call_soon(done, failed(error, "ping"))
    return True
