"""HTTP(S): does a URL answer with an expected status and text, how fast,
and has the watched content changed since the last run.

Params:
  url              required: an absolute http(s) URL, or a path ("/health")
                   asked of spec.host with ``scheme`` (http) and ``port``
  method           GET (default) or HEAD
  host_header      Host header (and TLS server name) when it is not the
                   URL's host, e.g. a virtual host reached by its address
  expect_status    accepted statuses: list of codes, "2xx" classes or
                   "200-299" ranges (default "200-399")
  expect_text      substring the body must contain
  expect_regex     regular expression the body must match
  degraded_ms      response time above which the check is DEGRADED ("slow")
  verify_tls       check the certificate chain and name (default true)
  ca_file          CA bundle to verify against instead of the system store
  follow_redirects follow 301/302/303/307/308 (default true), at most
                   ``max_redirects`` (5)
  content_change   report a change of the content as DEGRADED "changed"
  content_selector CSS selector of the watched part (tag, #id, .class,
                   descendants), or content_regex (its first group)
  max_body_bytes   body kept for matching and hashing (1 MiB)

Values: status_code, response_ms, bytes, url (the last one fetched),
content_hash (when content_change is on).
Reasons: refused, timeout, dns, unreachable, reset, tls, protocol, status,
text, redirects, slow, changed, selector.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
import ssl
import time
from collections.abc import Mapping
from functools import lru_cache
from typing import Any
from urllib.parse import urljoin, urlsplit

from wardkeeper.monitoring.engine.probes import probe
from wardkeeper.monitoring.engine.probes._extract import (
    SelectorError,
    regex_part,
    select_text,
)
from wardkeeper.monitoring.engine.probes._http1 import (
    ProtocolError,
    Response,
    build_request,
    fetch,
)
from wardkeeper.monitoring.engine.probes._net import budget, failed, ms, resolve
from wardkeeper.monitoring.engine.spec import CheckSpec, Outcome, Status

REDIRECTS = {301, 302, 303, 307, 308}
# check id -> (what was hashed, hash): in-process only, so a restarted
# monitor starts over and never reports a change it cannot have seen.
_previous_hash: dict[int, tuple[str, str]] = {}


@lru_cache(maxsize=64)
def tls_context(verify: bool, ca_file: str | None) -> ssl.SSLContext:
    """One context per (verify, CA bundle): building one reads the system
    store, which costs milliseconds, so it is never done per request."""
    if not verify:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        return context
    return ssl.create_default_context(cafile=ca_file or None)


@lru_cache(maxsize=1024)
def status_set(spec: str) -> frozenset[int]:
    """ "200-399", "2xx,301", "200 204" → the accepted status codes."""
    codes: set[int] = set()
    for part in re.split(r"[\s,;]+", spec.strip()):
        if not part:
            continue
        if part.lower().endswith("xx"):
            base = int(part[0]) * 100
            codes.update(range(base, base + 100))
        elif "-" in part:
            low, high = part.split("-", 1)
            codes.update(range(int(low), int(high) + 1))
        else:
            codes.add(int(part))
    return frozenset(codes)


def _expected(params: Mapping[str, Any]) -> frozenset[int]:
    raw = params.get("expect_status", "200-399")
    if isinstance(raw, list | tuple):
        raw = ",".join(str(item) for item in raw)
    return status_set(str(raw))


def _target(spec: CheckSpec) -> str:
    url = str(spec.params["url"])
    if url.startswith("/"):
        scheme = spec.params.get("scheme", "http")
        port = spec.params.get("port")
        netloc = f"{spec.host}:{port}" if port else spec.host
        url = f"{scheme}://{netloc}{url}"
    return url


async def _get(spec: CheckSpec, url: str) -> Response:
    params = spec.params
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ProtocolError(f"not an http(s) URL: {url}")
    secure = parts.scheme == "https"
    port = parts.port or (443 if secure else 80)
    host_header = str(params.get("host_header") or parts.netloc)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    method = str(params.get("method", "GET")).upper()
    context = None
    if secure:
        context = tls_context(
            bool(params.get("verify_tls", True)), params.get("ca_file") or None
        )
    # Resolve first: one address, so a refusal keeps its errno (and reason).
    _family, address = await resolve(asyncio.get_running_loop(), parts.hostname, port)
    return await fetch(
        address[0],
        port,
        build_request(method, target, host_header),
        tls=context,
        server_hostname=host_header.rsplit(":", 1)[0] if params.get("host_header")
        else parts.hostname,
        no_body=method == "HEAD",
        max_body=int(params.get("max_body_bytes", 1 << 20)),
    )  # fmt: skip


async def _follow(spec: CheckSpec) -> tuple[Response, str]:
    url = _target(spec)
    hops = int(spec.params.get("max_redirects", 5))
    follow = bool(spec.params.get("follow_redirects", True))
    while True:
        response = await _get(spec, url)
        location = response.headers.get("location")
        if not (follow and response.status in REDIRECTS and location):
            return response, url
        if hops <= 0:
            raise _TooManyRedirects(url)
        hops -= 1
        url = urljoin(url, location)


class _TooManyRedirects(Exception):
    pass


def _text_of(response: Response) -> str:
    content_type = response.headers.get("content-type", "")
    charset = "utf-8"
    if "charset=" in content_type:
        charset = content_type.split("charset=", 1)[1].split(";")[0].strip(" \"'")
    try:
        return response.body.decode(charset, errors="replace")
    except LookupError:
        return response.body.decode("utf-8", errors="replace")


def _judge_body(spec: CheckSpec, response: Response) -> tuple[str, str] | None:
    """(reason, message) when the body is not as expected, else None."""
    params = spec.params
    wanted = params.get("expect_text")
    pattern = params.get("expect_regex")
    if not wanted and not pattern:
        return None
    text = _text_of(response)
    if wanted and str(wanted) not in text:
        return "text", f"the page does not contain {str(wanted)[:80]!r}"
    if pattern and re.search(str(pattern), text) is None:
        return "text", f"the page does not match {str(pattern)[:80]!r}"
    return None


def _content_change(spec: CheckSpec, response: Response) -> tuple[str, bool]:
    """(hash of the watched content, whether it changed since the last run).
    Raises SelectorError when the selector finds nothing or is unsupported."""
    selector = spec.params.get("content_selector")
    pattern = spec.params.get("content_regex")
    if selector or pattern:
        text = _text_of(response)
        part = (
            select_text(text, str(selector))
            if selector
            else regex_part(text, str(pattern))
        )
        if part is None:
            raise SelectorError(f"nothing matches {selector or pattern!r}")
        data = part.encode("utf-8")
    else:
        data = response.body
    digest = hashlib.blake2b(data, digest_size=16).hexdigest()
    what = f"{selector}|{pattern}"
    previous = _previous_hash.get(spec.id)
    _previous_hash[spec.id] = (what, digest)
    # A changed selector is a new baseline, not a change of the page.
    changed = previous is not None and previous[0] == what and previous[1] != digest
    return digest, changed


@probe("http")
async def check_http(spec: CheckSpec) -> Outcome:
    """Fetch spec.params.url and judge status, text, time and content."""
    started = time.perf_counter()
    try:
        async with asyncio.timeout(budget(spec.timeout)):
            response, url = await _follow(spec)
    except ssl.SSLCertVerificationError as error:
        return Outcome(
            Status.DOWN, message=error.verify_message or str(error), reason="tls"
        )
    except ssl.SSLError as error:
        return Outcome(Status.DOWN, message=str(error), reason="tls")
    except ProtocolError as error:
        return Outcome(Status.DOWN, message=str(error), reason="protocol")
    except _TooManyRedirects as error:
        return Outcome(
            Status.DOWN, message=f"too many redirects at {error}", reason="redirects"
        )
    except (OSError, TimeoutError) as error:
        return failed(error)
    latency = ms(started, time.perf_counter())
    values: dict[str, Any] = {
        "status_code": response.status,
        "response_ms": latency,
        "bytes": len(response.body),
        "url": url,
    }
    if response.status not in _expected(spec.params):
        message = f"HTTP {response.status} {response.reason}".strip()
        return Outcome(Status.DOWN, latency, message, "status", values)
    problem = _judge_body(spec, response)
    if problem:
        return Outcome(Status.DOWN, latency, problem[1], problem[0], values)
    changed = False
    if spec.params.get("content_change"):
        try:
            values["content_hash"], changed = _content_change(spec, response)
        except SelectorError as error:
            return Outcome(Status.DEGRADED, latency, str(error), "selector", values)
    slow = spec.params.get("degraded_ms")
    if slow is not None and latency > float(slow):
        return Outcome(
            Status.DEGRADED, latency, f"answered in {latency:.0f} ms", "slow", values
        )
    if changed:
        return Outcome(
            Status.DEGRADED, latency, "the content has changed", "changed", values
        )
    return Outcome(Status.UP, latency, "", "", values)
