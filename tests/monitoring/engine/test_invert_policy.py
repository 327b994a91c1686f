"""Segmentation probes: ``expect: "refused"`` inverts a probe's answer (a
connection that gets through is a violation with its evidence),
``expect: "pass"`` names a failure "blocked"; both on the task path (TCP,
real sockets) and on the fast path (a kind with a starter)."""

from __future__ import annotations

import asyncio
import socket

from tests.monitoring.engine.harness import run_engine
from wardkeeper.monitoring.engine.probes import load_all
from wardkeeper.monitoring.engine.scheduler import invert, judge, probed
from wardkeeper.monitoring.engine.spec import CheckSpec, Outcome, Status

EVIDENCE = {"zone": "guest", "poller": "guest-1", "destination": "servers"}


def listening() -> socket.socket:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    return sock


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def policy_spec(check_id: int, port: int, expect: str, **kw) -> CheckSpec:
    return CheckSpec(
        id=check_id,
        kind="tcp",
        host="127.0.0.1",
        params={"port": port, "expect": expect, "evidence": EVIDENCE},
        interval=0.3,
        timeout=1.0,
        **kw,
    )


def last_of(results, check_id):
    mine = [r for r in results if r.check_id == check_id]
    assert mine, f"check {check_id} never ran"
    return mine[-1].outcome


def test_a_refused_path_that_connects_is_a_violation_with_evidence():
    server = listening()
    try:
        open_port = server.getsockname()[1]
        checks = [
            policy_spec(1, open_port, "refused"),
            policy_spec(2, closed_port(), "refused"),
            policy_spec(3, open_port, "pass"),
            policy_spec(4, closed_port(), "pass"),
        ]
        _engine, results = run_engine(checks, 0.8, probes=load_all(), starters={})
    finally:
        server.close()
    violation = last_of(results, 1)
    assert violation.status == Status.DOWN
    assert violation.reason == "violation"
    assert f"127.0.0.1:{open_port}" in violation.message
    assert "from zone guest" in violation.message
    assert "(poller guest-1)" in violation.message
    assert "into zone servers" in violation.message
    assert violation.values["evidence"] == EVIDENCE
    refused = last_of(results, 2)
    assert refused.status == Status.UP
    assert "refused" in refused.message
    assert last_of(results, 3).status == Status.UP
    blocked = last_of(results, 4)
    assert (blocked.status, blocked.reason) == (Status.DOWN, "blocked")
    assert "from zone guest" in blocked.message


def test_the_probe_never_sees_the_policy_param():
    seen = []

    async def record(spec: CheckSpec) -> Outcome:
        seen.append(dict(spec.params))
        return Outcome(Status.UP)

    check = CheckSpec(
        id=1,
        kind="rec",
        host="h",
        params={"port": 1, "expect": "refused"},
        interval=0.2,
    )
    _engine, results = run_engine([check], 0.5, probes={"rec": record}, starters={})
    assert seen
    assert all("expect" not in params for params in seen)
    assert results[-1].outcome.reason == "violation"
    plain = CheckSpec(id=2, kind="tcp", host="h", params={"expect": "220 ready"})
    assert probed(plain) == (plain, "")


def test_the_fast_path_is_inverted_too():
    """A kind run by a starter (as ICMP is) keeps its fast path."""
    answers = {1: Outcome(Status.UP, 0.4), 2: Outcome(Status.DOWN, reason="timeout")}
    started = []

    def starter(spec: CheckSpec, done) -> bool:
        started.append(dict(spec.params))
        asyncio.get_running_loop().call_soon(done, answers[spec.id])
        return True

    async def never(spec: CheckSpec) -> Outcome:  # pragma: no cover - must not run
        raise AssertionError("the probe ran instead of the starter")

    checks = [
        CheckSpec(
            id=i, kind="fast", host=f"h{i}", params={"expect": "refused"}, interval=0.3
        )
        for i in (1, 2)
    ]
    _engine, results = run_engine(
        checks,
        0.8,
        probes={"fast": never},
        starters={"fast": starter},
    )
    assert started
    assert all("expect" not in params for params in started)
    assert last_of(results, 1).reason == "violation"
    assert last_of(results, 2).status == Status.UP


def test_an_answer_that_proves_nothing_is_unknown():
    spec = CheckSpec(id=1, kind="tcp", host="nowhere.invalid", params={"port": 1})
    dns = Outcome(Status.DOWN, message="no such name", reason="dns")
    assert invert(spec, dns, 0.0).status == Status.UNKNOWN
    assert judge(spec, "pass", dns, 0.0).reason == "dns"  # not "blocked"
    unknown = Outcome(Status.UNKNOWN, reason="no-probe")
    assert invert(spec, unknown, 0.0).status == Status.UNKNOWN


def test_a_policy_change_takes_effect_on_the_running_engine():
    server = listening()
    try:
        port = server.getsockname()[1]
        plain = CheckSpec(
            id=1,
            kind="tcp",
            host="127.0.0.1",
            params={"port": port},
            interval=0.2,
            timeout=1.0,
        )

        async def flip(engine) -> None:
            await asyncio.sleep(0.5)
            engine.set_checks([policy_spec(1, port, "refused")])

        _engine, results = run_engine(
            [plain], 1.2, probes=load_all(), starters={}, during=flip
        )
    finally:
        server.close()
    reasons = [r.outcome.reason for r in results]
    assert "" in reasons
    assert reasons[-1] == "violation"
