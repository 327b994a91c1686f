"""DICOM: C-ECHO (verification) and modality worklist C-FIND against a PACS,
a modality or a worklist broker, with pynetdicom.

pynetdicom blocks, so each check runs in a thread of this module's own pool
(sized for many devices; the loop's default pool has ~6 threads on a small
machine). Its timeouts are set to the check's budget, so a cancelled check's
thread ends by itself shortly after.

Params (both kinds):
  port          104
  calling_ae    our AE title (WARDKEEPER)
  called_ae     the peer's AE title (ANY-SCP)
  degraded_ms   answer time above which the check is DEGRADED ("slow")

dicom_worklist also:
  modality      ScheduledProcedureStepSequence/Modality to ask for ("" = any)
  station_ae    ScheduledStationAETitle to ask for ("" = any)
  date          "today" (default), "" (any), YYYYMMDD or YYYYMMDD-YYYYMMDD
  tz            IANA zone that decides "today" (default the monitor's zone)
  min_matches   DEGRADED ("empty") with fewer matching worklist items (0)

Reasons: rejected (the peer refused the association, usually an AE title
it does not know; the message names result, source and reason), aborted
(the peer aborted), refused, timeout, dns, unreachable, status (a DIMSE
status other than success), empty, slow. Values: status (DIMSE status),
matches (worklist).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from pydicom.dataset import Dataset
from pynetdicom import AE, evt
from pynetdicom.association import Association

from wardkeeper.monitoring.engine.probes import probe
from wardkeeper.monitoring.engine.probes._net import budget, failed, ms
from wardkeeper.monitoring.engine.spec import CheckSpec, Outcome, Status

_POOL = ThreadPoolExecutor(max_workers=32, thread_name_prefix="dicom-probe")
PENDING = {0xFF00, 0xFF01}
# SOP class UIDs (pynetdicom.sop_class builds these names at run time, out of
# the type checker's sight).
Verification = "1.2.840.10008.1.1"
ModalityWorklistInformationFind = "1.2.840.10008.5.1.4.31"

# pynetdicom logs every rejected or failed association at ERROR; the engine
# reports failures on state changes, so keep it quiet unless configured.
if logging.getLogger("pynetdicom").level == logging.NOTSET:
    logging.getLogger("pynetdicom").setLevel(logging.CRITICAL)


@dataclass
class Talk:
    """What one association said: the A-ASSOCIATE-RJ or A-ABORT received
    (captured from pynetdicom's ACSE events) and the DIMSE answer."""

    connected: bool = False
    rejection: str = ""
    peer_aborted: bool = False
    status: int | None = None
    matches: int = 0
    notes: list[str] = field(default_factory=list)


def _heard(talk: Talk) -> Callable[[Any], None]:
    """The A-ASSOCIATE-RJ PDU itself, as read off the socket: a peer that
    rejects and closes at once can make pynetdicom abort before its ACSE
    reports the rejection, but the PDU has been read by then."""

    def on_pdu(event: Any) -> None:
        pdu = event.pdu
        if type(pdu).__name__ == "A_ASSOCIATE_RJ" and not talk.rejection:
            talk.rejection = (
                f"{pdu.result_str}, source {pdu.source_str}: {pdu.reason_str}"
            )

    return on_pdu


def _watch(talk: Talk) -> Callable[[Any], None]:
    def on_acse(event: Any) -> None:
        primitive = event.primitive
        name = type(primitive).__name__
        if name == "A_ASSOCIATE" and getattr(primitive, "result", 0) in (1, 2):
            talk.rejection = (
                f"{primitive.result_str}, source {primitive.source_str}: "
                f"{primitive.reason_str}"
            )
        elif name in ("A_ABORT", "A_P_ABORT"):
            talk.peer_aborted = True

    return on_acse


def _opened(talk: Talk) -> Callable[[Any], None]:
    def on_open(event: Any) -> None:
        talk.connected = True

    return on_open


def _associate(spec: CheckSpec, context: Any, talk: Talk, limit: float) -> Association:
    params = spec.params
    ae = AE(ae_title=str(params.get("calling_ae", "WARDKEEPER")))
    ae.add_requested_context(context)
    ae.acse_timeout = ae.dimse_timeout = ae.network_timeout = limit
    ae.connection_timeout = limit
    return ae.associate(
        spec.host,
        int(params.get("port", 104)),
        ae_title=str(params.get("called_ae", "ANY-SCP")),
        evt_handlers=[
            (evt.EVT_ACSE_RECV, _watch(talk)),
            (evt.EVT_PDU_RECV, _heard(talk)),
            (evt.EVT_CONN_OPEN, _opened(talk)),
        ],
    )


def _echo(assoc: Association, talk: Talk, spec: CheckSpec) -> None:
    reply = assoc.send_c_echo()
    talk.status = int(reply.Status) if "Status" in reply else None


def _find(assoc: Association, talk: Talk, spec: CheckSpec) -> None:
    for reply, _identifier in assoc.send_c_find(
        worklist_query(spec.params), ModalityWorklistInformationFind
    ):
        if "Status" not in reply:
            talk.status = None  # timed out or aborted mid-answer
            return
        talk.status = int(reply.Status)
        if talk.status in PENDING:
            talk.matches += 1


def worklist_query(params: Mapping[str, Any], now: float | None = None) -> Dataset:
    """The C-FIND identifier: scheduled steps of the modality, station and
    date the params name, asking back the few keys a worklist check needs."""
    date = str(params.get("date", "today"))
    if date == "today":
        zone = ZoneInfo(str(params["tz"])) if params.get("tz") else None
        moment = datetime.fromtimestamp(time.time() if now is None else now, zone)
        date = moment.strftime("%Y%m%d")
    step = Dataset()
    step.Modality = str(params.get("modality", ""))
    step.ScheduledStationAETitle = str(params.get("station_ae", ""))
    step.ScheduledProcedureStepStartDate = date
    step.ScheduledProcedureStepStartTime = ""
    query = Dataset()
    query.PatientName = ""
    query.PatientID = ""
    query.AccessionNumber = ""
    query.ScheduledProcedureStepSequence = [step]
    return query


def _converse(
    spec: CheckSpec, context: Any, work: Callable[[Association, Talk, CheckSpec], None]
) -> tuple[Talk, Association]:
    """Associate, do ``work``, release; runs in the pool thread."""
    talk = Talk()
    assoc = _associate(spec, context, talk, budget(spec.timeout))
    if assoc.is_established:
        try:
            work(assoc, talk, spec)
        finally:
            if assoc.is_established:
                assoc.release()
    return talk, assoc


async def _network_failure(spec: CheckSpec) -> Outcome:
    """Why the connection failed: pynetdicom swallows the socket error, so a
    plain connect names it (refused, unreachable, timeout); run only after
    a failure, so a healthy device sees one connection per check."""
    port = int(spec.params.get("port", 104))
    try:
        async with asyncio.timeout(min(2.0, budget(spec.timeout))):
            _reader, writer = await asyncio.open_connection(spec.host, port)
    except (OSError, TimeoutError) as error:
        return failed(error, "connect")
    writer.close()
    message = "association failed although the port accepts connections"
    return Outcome(Status.DOWN, message=message, reason="aborted")


def _unexplained_abort(talk: Talk, assoc: Association) -> bool:
    return (
        talk.connected
        and not talk.rejection
        and not talk.peer_aborted
        and not assoc.is_rejected
        and assoc.is_aborted
    )


async def _run(
    spec: CheckSpec, context: Any, work: Callable[[Association, Talk, CheckSpec], None]
) -> tuple[Outcome | None, Talk, float]:
    """Run one association in the pool: (failure outcome or None, talk, ms)."""
    loop = asyncio.get_running_loop()
    started = time.perf_counter()
    talk, assoc = await loop.run_in_executor(_POOL, _converse, spec, context, work)
    if _unexplained_abort(talk, assoc) and time.perf_counter() - started < (
        budget(spec.timeout) / 3
    ):
        # A peer that rejects and closes at once can race pynetdicom into an
        # abort with no reason heard; one more try tells the two apart.
        talk, assoc = await loop.run_in_executor(_POOL, _converse, spec, context, work)
    latency = ms(started, time.perf_counter())
    if not talk.connected:
        return await _network_failure(spec), talk, latency
    # A rejection heard from the peer counts even when the peer closed the
    # connection before pynetdicom marked the association rejected.
    if assoc.is_rejected or talk.rejection:
        message = f"association rejected: {talk.rejection}"
        return Outcome(Status.DOWN, latency, message, "rejected"), talk, latency
    if assoc.is_aborted or (talk.status is None and assoc.is_released):
        if talk.peer_aborted:
            return (
                Outcome(Status.DOWN, latency, "peer aborted", "aborted"),
                talk,
                latency,
            )
        message = "no answer in time"
        return Outcome(Status.DOWN, latency, message, "timeout"), talk, latency
    if talk.status not in (0, None):
        message = f"DIMSE status 0x{talk.status:04X}"
        values = {"status": talk.status}
        return Outcome(Status.DOWN, latency, message, "status", values), talk, latency
    return None, talk, latency


def _slow(outcome: Outcome, params: Mapping[str, Any]) -> Outcome:
    slow = params.get("degraded_ms")
    latency = outcome.latency_ms or 0.0
    if outcome.status == Status.UP and slow is not None and latency > float(slow):
        outcome.status, outcome.reason = Status.DEGRADED, "slow"
        outcome.message = f"answer took {latency:.0f} ms"
    return outcome


@probe("dicom_echo")
async def check_dicom_echo(spec: CheckSpec) -> Outcome:
    """C-ECHO from calling_ae to called_ae; never raises for network or
    association failures."""
    failure, talk, latency = await _run(spec, Verification, _echo)
    if failure is not None:
        return failure
    return _slow(
        Outcome(Status.UP, latency, "", "", {"status": talk.status}), spec.params
    )


@probe("dicom_worklist")
async def check_dicom_worklist(spec: CheckSpec) -> Outcome:
    """Modality worklist C-FIND that must end in success; DEGRADED when
    fewer items match than min_matches."""
    failure, talk, latency = await _run(spec, ModalityWorklistInformationFind, _find)
    if failure is not None:
        return failure
    values = {"status": talk.status, "matches": talk.matches}
    wanted = int(spec.params.get("min_matches", 0))
    if talk.matches < wanted:
        message = f"{talk.matches} worklist items, at least {wanted} expected"
        return Outcome(Status.DEGRADED, latency, message, "empty", values)
    return _slow(Outcome(Status.UP, latency, "", "", values), spec.params)
