"""TLS certificate: days to expiry, chain trust and host name of the
certificate a service presents.

Params:
  port            default 443
  server_name     name sent in SNI and matched against the certificate
                  (default spec.host)
  warn_days       fewer days left than this is DEGRADED (default 30)
  crit_days       fewer days left than this is DOWN (default 7)
  ca_file         CA bundle to trust instead of the system store
  verify_chain    judge trust (default true); off for a device whose
                  self-signed certificate is accepted and only expiry counts
  check_hostname  judge the name (default true)

Values: not_after (ISO 8601, UTC), issuer, subject, days_left.
Reasons: expired, expiring, untrusted, hostname, plus the connection
reasons (refused, timeout, dns, unreachable, tls).
"""

from __future__ import annotations

import asyncio
import ssl
import time
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from cryptography import x509

from wardkeeper.monitoring.engine.probes import probe
from wardkeeper.monitoring.engine.probes._net import budget, failed, ms, resolve
from wardkeeper.monitoring.engine.spec import CheckSpec, Outcome, Status

_EXPIRED = 10  # X509_V_ERR_CERT_HAS_EXPIRED
_HOSTNAME = 62  # X509_V_ERR_HOSTNAME_MISMATCH


@lru_cache(maxsize=64)
def _context(verify: bool, check_hostname: bool, ca_file: str | None) -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=ca_file or None)
    context.check_hostname = verify and check_hostname
    if not verify:
        context.verify_mode = ssl.CERT_NONE
    return context


class _Grab(asyncio.Protocol):
    """Only the handshake matters; the protocol never reads."""


async def _handshake(host: str, port: int, name: str, context: ssl.SSLContext) -> bytes:
    """The peer's certificate (DER); raises ssl.SSLError / OSError."""
    loop = asyncio.get_running_loop()
    _family, address = await resolve(loop, host, port)
    transport, _ = await loop.create_connection(
        _Grab, address[0], port, ssl=context, server_hostname=name
    )
    try:
        ssl_object = transport.get_extra_info("ssl_object")
        der = ssl_object.getpeercert(binary_form=True) if ssl_object else None
    finally:
        transport.close()
    if not der:
        raise ssl.SSLError("the peer sent no certificate")
    return bytes(der)


def _name_matches(certificate: x509.Certificate, name: str) -> bool:
    """RFC 6125 matching (one left-most wildcard label) for when the chain
    is not verified and OpenSSL therefore does not check the name."""
    try:
        san = certificate.extensions.get_extension_for_class(
            x509.SubjectAlternativeName
        )
    except x509.ExtensionNotFound:
        return False
    names = [str(item) for item in san.value.get_values_for_type(x509.IPAddress)]
    names += san.value.get_values_for_type(x509.DNSName)
    name = name.lower().rstrip(".")
    for pattern in (item.lower().rstrip(".") for item in names):
        if pattern == name:
            return True
        wildcard = pattern.startswith("*.") and "." in name
        if wildcard and name.split(".", 1)[1] == pattern[2:]:
            return True
    return False


def _describe(certificate: x509.Certificate, now: datetime) -> dict[str, Any]:
    not_after = certificate.not_valid_after_utc
    return {
        "not_after": not_after.isoformat(),
        "issuer": certificate.issuer.rfc4514_string(),
        "subject": certificate.subject.rfc4514_string(),
        "days_left": round((not_after - now).total_seconds() / 86400.0, 2),
    }


async def _fetch(spec: CheckSpec, name: str) -> tuple[bytes, str, str]:
    """(certificate, trust problem reason, its message): one verifying
    handshake, and a second without verification only when the first fails
    (so a healthy service costs one handshake)."""
    params = spec.params
    port = int(params.get("port", 443))
    ca_file = params.get("ca_file") or None
    verify = bool(params.get("verify_chain", True))
    check_name = bool(params.get("check_hostname", True))
    try:
        der = await _handshake(
            spec.host, port, name, _context(verify, check_name, ca_file)
        )
        return der, "", ""
    except ssl.SSLCertVerificationError as error:
        reason = {_EXPIRED: "expired", _HOSTNAME: "hostname"}.get(
            error.verify_code, "untrusted"
        )
        message = error.verify_message or str(error)
    der = await _handshake(spec.host, port, name, _context(False, False, None))
    return der, reason, message


@probe("tls")
async def check_tls(spec: CheckSpec) -> Outcome:
    """Handshake with spec.host and judge its certificate."""
    name = str(spec.params.get("server_name") or spec.host)
    started = time.perf_counter()
    try:
        async with asyncio.timeout(budget(spec.timeout)):
            der, reason, message = await _fetch(spec, name)
    except ssl.SSLError as error:
        return Outcome(Status.DOWN, message=str(error), reason="tls")
    except (OSError, TimeoutError) as error:
        return failed(error, "handshake")
    latency = ms(started, time.perf_counter())
    certificate = x509.load_der_x509_certificate(der)
    values = _describe(certificate, datetime.now(UTC))
    days = values["days_left"]
    # Unverified chains skip OpenSSL's name check, so match the name here.
    unchecked = not reason and not spec.params.get("verify_chain", True)
    if (
        unchecked
        and spec.params.get("check_hostname", True)
        and not _name_matches(certificate, name)
    ):
        reason, message = "hostname", f"the certificate is not valid for {name}"
    if days < 0:
        reason, message = "expired", f"expired on {values['not_after'][:10]}"
    if reason:
        return Outcome(Status.DOWN, latency, message, reason, values)
    expiring = f"expires in {days:.0f} days ({values['not_after'][:10]})"
    if days < float(spec.params.get("crit_days", 7)):
        return Outcome(Status.DOWN, latency, expiring, "expiring", values)
    if days < float(spec.params.get("warn_days", 30)):
        return Outcome(Status.DEGRADED, latency, expiring, "expiring", values)
    return Outcome(Status.UP, latency, "", "", values)
