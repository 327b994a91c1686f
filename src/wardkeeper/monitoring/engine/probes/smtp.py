"""SMTP: does the mail server greet with 220, answer EHLO and (when asked or
offered) switch to TLS with STARTTLS; which extensions it offers.

Params:
  port           default 25 (465 when tls is "implicit")
  tls            "auto" (default: STARTTLS when offered), "starttls" (DOWN
                 when not offered), "implicit" (TLS from the first byte, the
                 default on port 465), "off"
  verify_tls     check the certificate's chain and name (default true)
  ca_file        CA bundle to trust instead of the system store
  server_name    name sent in SNI and matched against the certificate
                 (default spec.host)
  expect_banner  text the 220 greeting must contain
  helo           name given in EHLO (default: our address as a literal,
                 "[192.0.2.7]", which RFC 5321 allows and needs no lookup)
  degraded_ms    time to the greeting above which the check is DEGRADED

Latency is the time from connecting to the end of the greeting.
Values: banner, capabilities (EHLO keywords, after STARTTLS when used), tls,
tls_version, session_ms. Reasons: rejected (a 4xx/5xx greeting or reply),
mismatch (banner without the expected text), starttls (required but not
offered), certificate, tls, protocol (not an SMTP reply), closed, slow, plus
the connection reasons (refused, timeout, dns, unreachable, reset).
"""

from __future__ import annotations

import asyncio
import ipaddress
import ssl
from collections.abc import Mapping
from typing import Any

from wardkeeper.monitoring.engine.probes import probe
from wardkeeper.monitoring.engine.probes._mailwire import (
    Refused,
    Session,
    tls_failed,
    tls_mode,
    tls_settings,
)
from wardkeeper.monitoring.engine.probes._net import budget, failed, ms
from wardkeeper.monitoring.engine.spec import CheckSpec, Outcome, Status


async def _reply(session: Session) -> tuple[int, list[str]]:
    """(code, text of each line) of one possibly multi-line reply."""
    texts: list[str] = []
    while True:
        line = await session.line()
        if len(line) < 3 or not line[:3].isdigit() or line[3:4] not in ("", " ", "-"):
            raise Refused(f"not an SMTP reply: {line[:80]!r}", reason="protocol")
        texts.append(line[4:])
        if line[3:4] != "-":
            return int(line[:3]), texts


async def _command(session: Session, command: str, want: int) -> list[str]:
    await session.send(f"{command}\r\n")
    code, texts = await _reply(session)
    if code != want:
        verb = command.split()[0]
        raise Refused(f"{verb} answered {code} {' '.join(texts)}".strip())
    return texts


def _address_literal(session: Session) -> str:
    sockname = session.writer.get_extra_info("sockname")
    try:
        address = ipaddress.ip_address(sockname[0])
    except (TypeError, ValueError, IndexError):
        return "localhost"
    return f"[IPv6:{address}]" if address.version == 6 else f"[{address}]"


def _keywords(ehlo: list[str]) -> list[str]:
    # The first line is the server's name; each later one is "KEYWORD params".
    return [line.split()[0].upper() for line in ehlo[1:] if line.split()]


class _Run:
    """One SMTP conversation, remembering how far it got for the message."""

    def __init__(self, spec: CheckSpec) -> None:
        self.spec = spec
        self.params: Mapping[str, Any] = spec.params
        self.mode = tls_mode(self.params, 465)
        self.tls = tls_settings(self.params, spec.host)
        self.stage = "connect"
        self.banner_ms: float | None = None
        self.values: dict[str, Any] = {}

    async def run(self, started: float) -> None:
        loop = asyncio.get_running_loop()
        port = int(self.params.get("port") or (465 if self.mode == "implicit" else 25))
        implicit = self.tls if self.mode == "implicit" else None
        session = await Session.open(self.spec.host, port, implicit)
        try:
            self.stage = "greeting"
            code, texts = await _reply(session)
            self.banner_ms = ms(started, loop.time())
            self.values["banner"] = " ".join(texts)[:200]
            if code != 220:
                raise Refused(f"greeting {code} {self.values['banner']}".strip())
            wanted = self.params.get("expect_banner")
            if wanted and str(wanted) not in self.values["banner"]:
                raise Refused(f"greeting lacks {wanted!r}", reason="mismatch")
            await self._hello(session)
            self.stage = "QUIT"
            await session.send("QUIT\r\n")
        finally:
            await session.close()

    async def _hello(self, session: Session) -> None:
        helo = str(self.params.get("helo") or _address_literal(session))
        self.stage = "EHLO"
        keywords = _keywords(await _command(session, f"EHLO {helo}", 250))
        if self.mode in ("auto", "starttls"):
            if "STARTTLS" in keywords:
                self.stage = "STARTTLS"
                await _command(session, "STARTTLS", 220)
                await session.start_tls(self.tls)
                self.stage = "EHLO"
                keywords = _keywords(await _command(session, f"EHLO {helo}", 250))
            elif self.mode == "starttls":
                raise Refused("STARTTLS is not offered", reason="starttls")
        self.values["capabilities"] = keywords
        self.values.update(session.tls_values())


@probe("smtp")
async def smtp(spec: CheckSpec) -> Outcome:
    loop = asyncio.get_running_loop()
    started = loop.time()
    run = _Run(spec)
    try:
        async with asyncio.timeout(budget(spec.timeout)):
            await run.run(started)
    except Refused as error:
        return Outcome(
            Status.DOWN,
            latency_ms=run.banner_ms,
            message=str(error),
            reason=error.reason,
            values=run.values,
        )
    except ssl.SSLError as error:
        return tls_failed(error, run.stage)
    except (OSError, TimeoutError) as error:
        return failed(error, run.stage)
    run.values["session_ms"] = ms(started, loop.time())
    return _judged(run)


def _judged(run: _Run) -> Outcome:
    tls = f", {run.values['tls_version']}" if run.values.get("tls") else ""
    message = f"{run.values['banner'][:80]}{tls}"
    slow = run.params.get("degraded_ms")
    latency = run.banner_ms or 0.0
    if slow and latency > float(slow):
        return Outcome(
            Status.DEGRADED, latency, f"slow greeting: {message}", "slow", run.values
        )
    return Outcome(Status.UP, latency, message, values=run.values)
