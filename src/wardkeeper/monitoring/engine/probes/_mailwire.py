"""What the SMTP and IMAP probes share: the TLS settings read from params,
a line-based session over asyncio streams that can switch to TLS mid-way
(STARTTLS), and naming a failed TLS handshake."""

from __future__ import annotations

import asyncio
import contextlib
import ssl
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from wardkeeper.monitoring.engine.spec import Outcome, Status

LINE_LIMIT = 64 * 1024  # a longer line is a broken or hostile peer
TLS_MODES = ("auto", "starttls", "implicit", "off")


class Refused(Exception):
    """The server answered, but not what the protocol needs (a 5xx, a BYE,
    a NO); ``reason`` is the outcome's reason word."""

    def __init__(self, message: str, reason: str = "rejected") -> None:
        super().__init__(message)
        self.reason = reason


@lru_cache(maxsize=64)
def _context(verify: bool, ca_file: str | None) -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=ca_file or None)
    if not verify:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


def tls_settings(params: Mapping[str, Any], host: str) -> tuple[ssl.SSLContext, str]:
    """(context, server name) for a TLS session as the params ask."""
    verify = bool(params.get("verify_tls", True))
    context = _context(verify, params.get("ca_file") or None)
    return context, str(params.get("server_name") or host)


def tls_mode(params: Mapping[str, Any], implicit_port: int) -> str:
    mode = str(params.get("tls") or "").lower()
    if mode in TLS_MODES:
        return mode
    return "implicit" if int(params.get("port", 0)) == implicit_port else "auto"


class Session:
    """One connection read and written line by line."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
        self.reader = reader
        self.writer = writer

    @classmethod
    async def open(
        cls,
        host: str,
        port: int,
        tls: tuple[ssl.SSLContext, str] | None = None,
    ) -> Session:
        context, name = tls if tls else (None, None)
        reader, writer = await asyncio.open_connection(
            host, port, ssl=context, server_hostname=name, limit=LINE_LIMIT
        )
        return cls(reader, writer)

    async def line(self) -> str:
        """The next line without its line end; raises Refused("closed") when
        the peer hangs up."""
        try:
            raw = await self.reader.readline()
        except ValueError:  # longer than LINE_LIMIT
            raise Refused("answer line too long", reason="protocol") from None
        if not raw:
            raise Refused("connection closed by the server", reason="closed")
        return raw.decode("utf-8", "replace").rstrip("\r\n")

    async def send(self, text: str | bytes) -> None:
        data = text.encode("utf-8") if isinstance(text, str) else text
        self.writer.write(data)
        await self.writer.drain()

    async def start_tls(self, tls: tuple[ssl.SSLContext, str]) -> None:
        context, name = tls
        await self.writer.start_tls(context, server_hostname=name)

    def tls_values(self) -> dict[str, Any]:
        ssl_object = self.writer.get_extra_info("ssl_object")
        if ssl_object is None:
            return {"tls": False}
        return {"tls": True, "tls_version": ssl_object.version()}

    async def close(self) -> None:
        self.writer.close()
        # The answer is already known; a messy hang-up changes nothing.
        with contextlib.suppress(OSError, TimeoutError, ssl.SSLError):
            await asyncio.wait_for(self.writer.wait_closed(), 1.0)


def tls_failed(error: ssl.SSLError, what: str) -> Outcome:
    """DOWN naming a refused certificate apart from other TLS failures."""
    if isinstance(error, ssl.SSLCertVerificationError):
        detail = error.verify_message or str(error)
        return Outcome(Status.DOWN, message=f"{what}: {detail}", reason="certificate")
    return Outcome(Status.DOWN, message=f"{what}: {error}", reason="tls")
