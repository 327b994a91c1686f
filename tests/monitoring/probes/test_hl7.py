"""HL7 v2 over MLLP against Wardkeeper's own MLLP listener on loopback:
the active probe (AA, AE, AR, a wrong control ID, no answer, closed port)
and the passive probe fed by the listener (silence, NAK rate)."""

from __future__ import annotations

import asyncio
import time

import pytest

from tests.monitoring.probes.conftest import run
from wardkeeper.monitoring.engine import hl7v2, mllp
from wardkeeper.monitoring.engine.probes.hl7 import check_hl7
from wardkeeper.monitoring.engine.probes.hl7_passive import (
    check_hl7_passive,
    in_working_hours,
)
from wardkeeper.monitoring.engine.spec import CheckSpec, Status

ADT = (
    "MSH|^~\\&|LAB|WARD|HIS|HOSP|20250101120000||ADT^A01|{id}|P|2.5\r"
    "PID|1||12345^^^HOSP||DOE^JANE\r"
)


def spec(port, timeout=2.0, **params):
    return CheckSpec(7, "hl7", "127.0.0.1", {"port": port, **params}, timeout=timeout)


def answering(answer):
    """Run the probe against a listener that answers with ``answer``."""

    async def scenario():
        registry = mllp.Registry()
        async with mllp.MllpListener(
            "peer", port=0, answer=answer, registry=registry
        ) as peer:
            outcome = await check_hl7(spec(peer.port, timeout=1.0))
        return outcome, registry.get("peer")

    return run(scenario())


def test_an_aa_echoing_the_control_id_is_up():
    outcome, figures = answering(mllp.accept_all)
    assert (outcome.status, outcome.values["ack"]) == (Status.UP, "AA")
    assert outcome.latency_ms < 1000
    assert figures.messages == 1
    assert figures.acks["AA"] == 1


@pytest.mark.parametrize("code", ["AE", "AR"])
def test_a_negative_ack_is_down_as_nak_with_its_text(code):
    outcome, _ = answering(
        lambda m: hl7v2.ack(m, code, "unknown receiving application")
    )
    assert (outcome.status, outcome.reason) == (Status.DOWN, "nak")
    assert outcome.message == f"{code}: unknown receiving application"


def test_an_ack_for_another_control_id_is_a_mismatch():
    outcome, _ = answering(lambda m: hl7v2.ack(m, "AA", echo="SOMEONE-ELSE"))
    assert (outcome.status, outcome.reason) == (Status.DOWN, "mismatch")


def test_a_listener_that_never_answers_times_out_within_the_limit():
    started = time.monotonic()
    outcome, figures = answering(lambda m: None)
    assert (outcome.status, outcome.reason) == (Status.DOWN, "timeout")
    assert time.monotonic() - started < 1.5
    assert figures.messages == 1  # it arrived; only the ack is missing


def test_a_closed_port_is_refused(closed_port):
    outcome = run(check_hl7(spec(closed_port)))
    assert (outcome.status, outcome.reason) == (Status.DOWN, "refused")


def test_a_configured_message_goes_out_with_a_fresh_control_id():
    seen = []

    def remember(message):
        seen.append(message)
        return hl7v2.ack(message)

    async def scenario():
        async with mllp.MllpListener(
            port=0, answer=remember, registry=mllp.Registry()
        ) as peer:
            first = await check_hl7(spec(peer.port, message=ADT.format(id="OLD")))
            second = await check_hl7(spec(peer.port, message=ADT.format(id="OLD")))
        return first, second

    first, second = run(scenario())
    assert first.status == second.status == Status.UP
    ids = [hl7v2.field(m, "MSH", 10) for m in seen]
    assert "OLD" not in ids
    assert ids[0] != ids[1]
    assert hl7v2.field(seen[0], "PID", 5) == "DOE^JANE"


async def _send(port, *messages):
    """A sending system: one connection, each message framed, acks read."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    for message in messages:
        writer.write(mllp.frame(message))
        await writer.drain()
        if not hl7v2.is_ack(message):
            await mllp.read_frame(reader)
    writer.close()
    await writer.wait_closed()


def passive(name, **params):
    return CheckSpec(8, "hl7_passive", "", {"interface": name, **params})


def test_the_passive_check_is_up_while_messages_flow_and_down_after_silence():
    async def scenario():
        async with mllp.MllpListener("lab-feed", port=0) as listener:
            await _send(listener.port, ADT.format(id="1"), ADT.format(id="2"))
            flowing = await check_hl7_passive(passive("lab-feed", max_silence_s=0.3))
            by_sender = await check_hl7_passive(passive("app:LAB", max_silence_s=0.3))
            await asyncio.sleep(0.4)
            silent = await check_hl7_passive(passive("lab-feed", max_silence_s=0.3))
        mllp.REGISTRY.forget("lab-feed")
        mllp.REGISTRY.forget("app:LAB")
        return flowing, by_sender, silent

    flowing, by_sender, silent = run(scenario())
    assert flowing.status == Status.UP
    assert flowing.values["messages"] == 2
    assert by_sender.status == Status.UP
    assert (silent.status, silent.reason) == (Status.DOWN, "silent")
    assert silent.values["silence_s"] >= 0.3


def test_a_listener_that_never_hears_anything_goes_down_after_the_limit():
    async def scenario():
        async with mllp.MllpListener("quiet", port=0):
            await asyncio.sleep(0.25)
            return await check_hl7_passive(passive("quiet", max_silence_s=0.2))

    outcome = run(scenario())
    mllp.REGISTRY.forget("quiet")
    assert (outcome.status, outcome.reason) == (Status.DOWN, "silent")
    assert outcome.message.startswith("no message")


def test_too_many_naks_among_recent_messages_is_degraded():
    codes = iter(["AA"] * 8 + ["AE", "AR"])

    async def scenario():
        answer = lambda m: hl7v2.ack(m, next(codes))  # noqa: E731
        async with mllp.MllpListener("ris", port=0, answer=answer) as listener:
            await _send(listener.port, *[ADT.format(id=n) for n in range(10)])
            return (
                await check_hl7_passive(passive("ris", nak_rate_max=0.1)),
                await check_hl7_passive(passive("ris", nak_rate_max=0.25)),
            )

    over, under = run(scenario())
    mllp.REGISTRY.forget("ris")
    mllp.REGISTRY.forget("app:LAB")
    assert (over.status, over.reason) == (Status.DEGRADED, "naks")
    assert over.values["nak_rate"] == 0.2
    assert over.values["acks"] == {
        "AA": 8,
        "AE": 1,
        "AR": 1,
    }
    assert under.status == Status.UP


def test_acks_the_listener_sees_count_toward_the_nak_rate():
    async def scenario():
        async with mllp.MllpListener("tap", port=0, by_sender=False) as listener:
            original = ADT.format(id="9")
            await _send(
                listener.port, hl7v2.ack(original, "AR"), hl7v2.ack(original, "AA")
            )
        return mllp.REGISTRY.get("tap")

    figures = run(scenario())
    mllp.REGISTRY.forget("tap")
    assert figures.acks == {"AR": 1, "AA": 1}
    assert figures.nak_rate(10) == (0.5, 2)


def test_figures_an_interface_engine_pushes_are_judged_alike():
    now = time.time()
    mllp.REGISTRY.push("engine:adt", last_message_at=now - 5, messages=100, naks=2)
    mllp.REGISTRY.push("engine:adt", last_message_at=now - 1, messages=120, naks=12)
    outcome = run(check_hl7_passive(passive("engine:adt", nak_window=20)))
    mllp.REGISTRY.forget("engine:adt")
    assert (outcome.status, outcome.values["nak_rate"]) == (Status.DEGRADED, 0.5)
    from_params = run(check_hl7_passive(passive(
        "engine:pushed", max_silence_s=60,
        figures={"last_message_at": now - 600, "messages": 50, "naks": 0},
    )))  # fmt: skip
    assert (from_params.status, from_params.reason) == (Status.DOWN, "silent")


def test_an_interface_nobody_reports_is_unknown():
    outcome = run(check_hl7_passive(passive("nowhere")))
    assert (outcome.status, outcome.reason) == (Status.UNKNOWN, "no_data")


def test_silence_outside_working_hours_does_not_count():
    monday_3am = time.mktime((2025, 6, 2, 3, 0, 0, 0, 0, -1))
    assert not in_working_hours({"hours": "07:00-19:00"}, monday_3am)
    assert in_working_hours({"hours": "22:00-06:00"}, monday_3am)
    assert not in_working_hours({"days": [5, 6]}, monday_3am)
    assert in_working_hours({"hours": "03:00-04:00", "tz": "UTC"}, 1748833200.0)
