"""DNS: does a name resolve at a server, to the expected answers, in time;
and the mail domain's records: MX hosts, SPF and DMARC policy.

Params:
  name      the name asked for (default spec.host when that is a name)
  record    A (default), AAAA, MX, TXT, CNAME, PTR, NS, SRV, SOA … or the
            mail-domain checks "SPF" (the TXT record starting v=spf1) and
            "DMARC" (the TXT record of _dmarc.<name>)
  server    IP address of the DNS server asked; default spec.host when that
            is an IP address, else the system resolver ("system" forces it)
  port      default 53
  tcp       ask over TCP (default false: UDP, TCP when truncated)
  expect    answers wanted (a list or one string): addresses for A/AAAA,
            host names for MX/CNAME/PTR/NS, the whole text for TXT, the
            record text for other types
  match     "exact" (default: the answers are exactly these) or "contains"
            (these are among the answers)
  mechanisms  SPF only: terms the record must hold ("include:_spf.example.org",
            "ip4:192.0.2.0/24", "-all")
  policy    DMARC only: the p= policy wanted (none, quarantine, reject)
  degraded_ms  answer time above which the check is DEGRADED

Values: answers (sorted), ttl, server; SPF: record; DMARC: record, policy.
Reasons: nxdomain, noanswer (the name has no such record), servfail (no
server answered usefully: SERVFAIL, REFUSED), timeout, mismatch, missing
(no SPF/DMARC record), invalid (two SPF records, DMARC without p=), policy
(another DMARC policy), slow, config.
"""

from __future__ import annotations

import asyncio
import ipaddress
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

import dns.asyncresolver
import dns.exception
import dns.rdatatype
import dns.resolver

from wardkeeper.monitoring.engine.probes import probe
from wardkeeper.monitoring.engine.probes._net import budget, literal_family, ms
from wardkeeper.monitoring.engine.spec import CheckSpec, Outcome, Status

_NAMES = {"MX", "CNAME", "PTR", "NS", "DNAME"}


class _Failed(Exception):
    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@lru_cache(maxsize=1)
def _system() -> dns.asyncresolver.Resolver:
    # Reads /etc/resolv.conf once per process: a small local file, not I/O
    # worth an executor.
    return dns.asyncresolver.Resolver()


@lru_cache(maxsize=256)
def _at(server: str, port: int) -> dns.asyncresolver.Resolver:
    resolver = dns.asyncresolver.Resolver(configure=False)
    resolver.nameservers = [server]
    resolver.port = port
    return resolver


def _resolver(spec: CheckSpec) -> tuple[dns.asyncresolver.Resolver, str]:
    server = str(spec.params.get("server") or "")
    if not server and literal_family(spec.host) is not None:
        server = spec.host.strip("[]")
    if not server or server == "system":
        return _system(), "system"
    port = int(spec.params.get("port", 53))
    return _at(server, port), server


def _normal(kind: str, text: str) -> str:
    """An answer or an expected answer in one comparable form."""
    text = text.strip()
    if kind in ("A", "AAAA"):
        try:
            return str(ipaddress.ip_address(text))
        except ValueError:
            return text
    if kind in _NAMES:
        return text.lower().rstrip(".")
    return text


def _answer_text(kind: str, rdata: Any) -> str:
    if kind == "MX":
        return _normal(kind, rdata.exchange.to_text())
    if kind in _NAMES:
        return _normal(kind, rdata.target.to_text())
    if kind == "TXT":
        return b"".join(rdata.strings).decode("utf-8", "replace")
    return _normal(kind, rdata.to_text())


async def _ask(spec: CheckSpec, name: str, kind: str) -> tuple[list[str], int | None]:
    resolver, server = _resolver(spec)
    try:
        answer = await resolver.resolve(
            name,
            kind,
            tcp=bool(spec.params.get("tcp", False)),
            raise_on_no_answer=False,
            lifetime=budget(spec.timeout),
            search=False,
        )
    except dns.resolver.NXDOMAIN:
        raise _Failed("nxdomain", f"{name} does not exist") from None
    except dns.resolver.NoNameservers as error:
        raise _Failed("servfail", f"no answer for {name} {kind}: {error}") from None
    except dns.exception.Timeout:
        raise _Failed("timeout", f"{server} did not answer for {name}") from None
    except (dns.exception.DNSException, ValueError) as error:
        raise _Failed("error", str(error)) from None
    if answer.rrset is None:
        return [], None
    return sorted(_answer_text(kind, rdata) for rdata in answer.rrset), answer.rrset.ttl


def _wanted(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    return [str(value)] if isinstance(value, str) else [str(item) for item in value]


def _compare(kind: str, answers: list[str], params: Mapping[str, Any]) -> None:
    wanted = {_normal(kind, text) for text in _wanted(params.get("expect"))}
    if not wanted:
        return
    got = set(answers)
    if params.get("match", "exact") == "contains":
        missing = sorted(wanted - got)
        if missing:
            raise _Failed("mismatch", f"missing {', '.join(missing)}")
    elif got != wanted:
        shown = ", ".join(answers) or "nothing"
        raise _Failed(
            "mismatch", f"answered {shown}; expected {', '.join(sorted(wanted))}"
        )


async def _plain(spec: CheckSpec, name: str, kind: str) -> dict[str, Any]:
    answers, ttl = await _ask(spec, name, kind)
    if not answers:
        raise _Failed("noanswer", f"{name} has no {kind} record")
    _compare(kind, answers, spec.params)
    return {"answers": answers, "ttl": ttl}


def _tagged(texts: Iterable[str], prefix: str) -> list[str]:
    return [text for text in texts if text.lower().startswith(prefix)]


async def _spf(spec: CheckSpec, name: str) -> dict[str, Any]:
    answers, ttl = await _ask(spec, name, "TXT")
    records = [text for text in answers if text.lower().split(" ", 1)[0] == "v=spf1"]
    if not records:
        raise _Failed("missing", f"{name} publishes no SPF record")
    if len(records) > 1:
        raise _Failed("invalid", f"{name} publishes {len(records)} SPF records")
    terms = {term.lower() for term in records[0].split()}
    absent = [
        term
        for term in _wanted(spec.params.get("mechanisms"))
        if term.lower() not in terms
    ]
    if absent:
        raise _Failed("mismatch", f"SPF lacks {', '.join(absent)}: {records[0]}")
    return {"answers": answers, "ttl": ttl, "record": records[0]}


def _dmarc_tags(record: str) -> dict[str, str]:
    tags: dict[str, str] = {}
    for part in record.split(";"):
        key, _, value = part.partition("=")
        tags[key.strip().lower()] = value.strip()
    return tags


async def _dmarc(spec: CheckSpec, name: str) -> dict[str, Any]:
    try:
        answers, ttl = await _ask(spec, f"_dmarc.{name}", "TXT")
    except _Failed as failure:
        if failure.reason != "nxdomain":
            raise
        answers, ttl = [], None
    records = _tagged(answers, "v=dmarc1")
    if not records:
        raise _Failed("missing", f"{name} publishes no DMARC record")
    tags = _dmarc_tags(records[0])
    policy = tags.get("p", "").lower()
    if not policy:
        raise _Failed("invalid", f"DMARC record without a policy: {records[0]}")
    wanted = str(spec.params.get("policy") or "").lower()
    if wanted and policy != wanted:
        raise _Failed("policy", f"DMARC policy is {policy}, expected {wanted}")
    return {"answers": answers, "ttl": ttl, "record": records[0], "policy": policy}


def _name(spec: CheckSpec) -> str:
    name = str(spec.params.get("name") or "")
    if not name and literal_family(spec.host) is None:
        name = spec.host
    if not name:
        raise _Failed("config", "no name to look up")
    return name


@probe("dns")
async def dns_probe(spec: CheckSpec) -> Outcome:
    loop = asyncio.get_running_loop()
    kind = str(spec.params.get("record") or "A").upper()
    started = loop.time()
    try:
        name = _name(spec)
        if kind == "SPF":
            values = await _spf(spec, name)
        elif kind == "DMARC":
            values = await _dmarc(spec, name)
        else:
            dns.rdatatype.from_text(kind)  # an unknown type is a config error
            values = await _plain(spec, name, kind)
    except _Failed as failure:
        status = Status.UNKNOWN if failure.reason == "config" else Status.DOWN
        return Outcome(status, ms(started, loop.time()), str(failure), failure.reason)
    except dns.rdatatype.UnknownRdatatype:
        return Outcome(Status.UNKNOWN, None, f"unknown record type {kind}", "config")
    latency = ms(started, loop.time())
    values["server"] = _resolver(spec)[1]
    message = f"{name} {kind}: {'; '.join(values['answers'])[:160]}"
    slow = spec.params.get("degraded_ms")
    if slow and latency > float(slow):
        return Outcome(Status.DEGRADED, latency, f"slow: {message}", "slow", values)
    return Outcome(Status.UP, latency, message, values=values)
