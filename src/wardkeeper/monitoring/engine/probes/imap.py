"""IMAP: does the mail store greet with "* OK", list its capabilities,
switch to TLS (STARTTLS, or TLS from the first byte on port 993) and, when
credentials are given, accept them and open the mailbox.

Params:
  port            default 143 (993 when tls is "implicit")
  tls             "auto" (default: STARTTLS when offered), "starttls" (DOWN
                  when not offered), "implicit" (the default on port 993),
                  "off"
  verify_tls      check the certificate's chain and name (default true)
  ca_file         CA bundle to trust instead of the system store
  server_name     name sent in SNI and matched against the certificate
                  (default spec.host)
  expect_greeting text the greeting must contain
  username        log in as this user (a secret, with password)
  password        (a secret)
  mailbox         opened with SELECT after logging in (default "INBOX")
  degraded_ms     time to the greeting above which the check is DEGRADED

Latency is the time from connecting to the end of the greeting.
Values: greeting, capabilities, tls, tls_version, messages (in the mailbox,
after a login), session_ms. Reasons: rejected (BYE greeting, NO/BAD
answer), mismatch, starttls (required but not offered), login (refused or
disabled), mailbox (SELECT refused), certificate, tls, protocol, closed,
slow, plus the connection reasons (refused, timeout, dns, unreachable, reset).
"""

from __future__ import annotations

import asyncio
import re
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

_LITERAL = re.compile(r"\{(\d+)\}$")
_EXISTS = re.compile(r"^\* (\d+) EXISTS", re.IGNORECASE)
_QUOTABLE = re.compile(r"^[\x20-\x7e]*$")


def _quoted(value: str) -> bytes | None:
    """The value as an IMAP quoted string, or None when it needs a literal
    (line ends or 8-bit characters)."""
    if not _QUOTABLE.match(value):
        return None
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'.encode("ascii")


class _Client:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.count = 0

    async def untagged_line(self) -> str:
        """One response line with any literal it announces folded in."""
        line = await self.session.line()
        while match := _LITERAL.search(line):
            size = int(match.group(1))
            data = await self.session.reader.readexactly(size)
            line = line[: match.start()] + data.decode("utf-8", "replace")
            line += await self.session.line()
        return line

    async def command(self, verb: str, *args: str) -> list[str]:
        """Send a tagged command; the untagged lines of a tagged OK, or
        Refused with the server's words."""
        self.count += 1
        tag = f"W{self.count}"
        pending = f"{tag} {verb}".encode("ascii")
        for arg in args:
            quoted = _quoted(arg)
            if quoted is not None:
                pending += b" " + quoted
                continue
            data = arg.encode("utf-8")
            await self.session.send(pending + b" {%d}\r\n" % len(data))
            line = await self.session.line()
            if not line.startswith("+"):
                raise Refused(f"{verb} refused: {line[:120]}")
            pending = data
        await self.session.send(pending + b"\r\n")
        untagged: list[str] = []
        while True:
            line = await self.untagged_line()
            if not line.startswith(f"{tag} "):
                untagged.append(line)
                continue
            state = line[len(tag) + 1 :].split(" ", 1)
            if state[0].upper() != "OK":
                raise Refused(f"{verb} answered {line[len(tag) + 1 :][:120]}")
            return untagged


def _capabilities(lines: list[str]) -> list[str]:
    for line in lines:
        if line.upper().startswith("* CAPABILITY "):
            return [word.upper() for word in line.split()[2:]]
    return []


class _Run:
    def __init__(self, spec: CheckSpec) -> None:
        self.spec = spec
        self.params: Mapping[str, Any] = spec.params
        self.mode = tls_mode(self.params, 993)
        self.tls = tls_settings(self.params, spec.host)
        self.stage = "connect"
        self.greeting_ms: float | None = None
        self.values: dict[str, Any] = {}

    async def run(self, started: float) -> None:
        port = int(self.params.get("port") or (993 if self.mode == "implicit" else 143))
        implicit = self.tls if self.mode == "implicit" else None
        session = await Session.open(self.spec.host, port, implicit)
        try:
            client = _Client(session)
            await self._greeting(client, started)
            await self._capabilities(client)
            if self.params.get("username"):
                await self._login(client)
            self.stage = "LOGOUT"
            await session.send(f"W{client.count + 1} LOGOUT\r\n")
        finally:
            await session.close()

    async def _greeting(self, client: _Client, started: float) -> None:
        self.stage = "greeting"
        line = await client.untagged_line()
        self.greeting_ms = ms(started, asyncio.get_running_loop().time())
        self.values["greeting"] = line[:200]
        word = line.split(" ", 2)[1].upper() if line.startswith("* ") else ""
        if word == "BYE":
            raise Refused(f"greeting {line[:120]}")
        if word not in ("OK", "PREAUTH"):
            raise Refused(f"not an IMAP greeting: {line[:80]!r}", reason="protocol")
        wanted = self.params.get("expect_greeting")
        if wanted and str(wanted) not in line:
            raise Refused(f"greeting lacks {wanted!r}", reason="mismatch")

    async def _capabilities(self, client: _Client) -> None:
        self.stage = "CAPABILITY"
        capabilities = _capabilities(await client.command("CAPABILITY"))
        if self.mode in ("auto", "starttls"):
            if "STARTTLS" in capabilities:
                self.stage = "STARTTLS"
                await client.command("STARTTLS")
                await client.session.start_tls(self.tls)
                self.stage = "CAPABILITY"
                capabilities = _capabilities(await client.command("CAPABILITY"))
            elif self.mode == "starttls":
                raise Refused("STARTTLS is not offered", reason="starttls")
        self.values["capabilities"] = capabilities
        self.values.update(client.session.tls_values())

    async def _login(self, client: _Client) -> None:
        self.stage = "LOGIN"
        if "LOGINDISABLED" in self.values["capabilities"]:
            raise Refused("the server refuses LOGIN on this connection", "login")
        user, password = (
            str(self.params["username"]),
            str(self.params.get("password", "")),
        )
        try:
            await client.command("LOGIN", user, password)
        except Refused as error:
            raise Refused(str(error), reason="login") from None
        mailbox = str(self.params.get("mailbox") or "INBOX")
        self.stage = "SELECT"
        try:
            lines = await client.command("SELECT", mailbox)
        except Refused as error:
            raise Refused(str(error), reason="mailbox") from None
        for line in lines:
            if match := _EXISTS.match(line):
                self.values["messages"] = int(match.group(1))


@probe("imap")
async def imap(spec: CheckSpec) -> Outcome:
    loop = asyncio.get_running_loop()
    started = loop.time()
    run = _Run(spec)
    try:
        async with asyncio.timeout(budget(spec.timeout)):
            await run.run(started)
    except Refused as error:
        return Outcome(
            Status.DOWN, run.greeting_ms, str(error), error.reason, run.values
        )
    except ssl.SSLError as error:
        return tls_failed(error, run.stage)
    except (OSError, TimeoutError) as error:
        return failed(error, run.stage)
    except asyncio.IncompleteReadError:
        return Outcome(Status.DOWN, run.greeting_ms, "closed mid-answer", "closed")
    run.values["session_ms"] = ms(started, loop.time())
    latency = run.greeting_ms or 0.0
    tls = f", {run.values['tls_version']}" if run.values.get("tls") else ""
    message = f"{run.values['greeting'][:80]}{tls}"
    slow = spec.params.get("degraded_ms")
    if slow and latency > float(slow):
        return Outcome(
            Status.DEGRADED, latency, f"slow greeting: {message}", "slow", run.values
        )
    return Outcome(Status.UP, latency, message, values=run.values)
