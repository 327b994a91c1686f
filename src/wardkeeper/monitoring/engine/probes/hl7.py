"""HL7 v2 over MLLP, active: send a message with a fresh control ID and
expect an AA acknowledgement echoing it within the time limit.

Params:
  port              MLLP port (2575)
  message           the HL7 message to send (segments separated by CR or
                    newlines); its MSH-10 and MSH-7 are replaced on each run.
                    Default: a QRY^A19 query built from the params below
  message_type      type of the default message (QRY^A19; e.g. ADT^A01)
  sending_app, sending_facility      MSH-3/4 (WARDKEEPER, MONITOR)
  receiving_app, receiving_facility  MSH-5/6 ("")
  processing_id     MSH-11 (P)
  version           MSH-12 (2.5)
  encoding          character set on the wire (utf-8)
  degraded_ms       answer time above which the check is DEGRADED ("slow")

Reasons: refused, timeout (no connection or no answer in time), dns, reset,
closed (hung up without answering), nak (MSA-1 AE/AR/CE/CR; the message
names MSA-3), mismatch (MSA-2 is not our control ID), invalid (no MSA),
slow. Values: ack (MSA-1), answer_ms.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping
from typing import Any

from wardkeeper.monitoring.engine import hl7v2, mllp
from wardkeeper.monitoring.engine.probes import probe
from wardkeeper.monitoring.engine.probes._net import budget, failed, ms
from wardkeeper.monitoring.engine.spec import CheckSpec, Outcome, Status


def build_message(params: Mapping[str, Any]) -> str:
    """The configured message, or the default test message."""
    if params.get("message"):
        return str(params["message"])
    names = (
        "sending_app",
        "sending_facility",
        "receiving_app",
        "receiving_facility",
        "message_type",
        "processing_id",
        "version",
    )
    return hl7v2.sample_message(**{k: str(params[k]) for k in names if k in params})


def judge(answer: str, control_id: str, latency: float, slow: Any) -> Outcome:
    """The outcome for an acknowledgement ``answer`` to ``control_id``."""
    code = hl7v2.field(answer, "MSA", 1)
    echoed = hl7v2.field(answer, "MSA", 2)
    values: dict[str, Any] = {"ack": code, "answer_ms": latency}
    if not code:
        return Outcome(Status.DOWN, latency, "answer has no MSA segment", "invalid")
    if echoed != control_id:
        message = f"ack for control ID {echoed!r}, sent {control_id!r}"
        return Outcome(Status.DOWN, latency, message, "mismatch", values)
    if code not in hl7v2.ACCEPTED:
        text = hl7v2.field(answer, "MSA", 3) or hl7v2.field(answer, "ERR", 1)
        message = f"{code}: {text}" if text else code
        return Outcome(Status.DOWN, latency, message, "nak", values)
    if slow is not None and latency > float(slow):
        message = f"ack took {latency:.0f} ms"
        return Outcome(Status.DEGRADED, latency, message, "slow", values)
    return Outcome(Status.UP, latency, "", "", values)


@probe("hl7")
async def check_hl7(spec: CheckSpec) -> Outcome:
    """Send one message over MLLP and judge its ack; never raises for
    network failures."""
    params = spec.params
    control_id = hl7v2.new_control_id()
    try:
        message = hl7v2.with_control_id(build_message(params), control_id)
    except ValueError as error:
        return Outcome(Status.UNKNOWN, message=str(error), reason="config")
    port = int(params.get("port", 2575))
    encoding = str(params.get("encoding", "utf-8"))
    started = time.perf_counter()
    try:
        async with asyncio.timeout(budget(spec.timeout)):
            answer, _took = await mllp.exchange(
                spec.host, port, message, encoding=encoding
            )
    except TimeoutError as error:
        return failed(error, "no acknowledgement")
    except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError) as error:
        if isinstance(error, OSError):
            return failed(error, "MLLP")
        return Outcome(Status.DOWN, message="hung up mid-answer", reason="closed")
    latency = ms(started, time.perf_counter())
    if answer is None:
        return Outcome(Status.DOWN, latency, "closed without an ack", "closed")
    return judge(answer, control_id, latency, params.get("degraded_ms"))
