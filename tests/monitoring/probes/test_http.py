"""HTTP(S) against real loopback web servers: status, text, time limit,
redirects, chunked bodies, TLS trust and content changes."""

from __future__ import annotations

import asyncio

import pytest

from tests.monitoring.probes.conftest import run
from wardkeeper.monitoring.engine.probes._extract import select_text
from wardkeeper.monitoring.engine.probes.http import check_http
from wardkeeper.monitoring.engine.spec import CheckSpec, Status


def spec(url, check_id=1, timeout=3.0, **params):
    return CheckSpec(
        check_id, "http", "127.0.0.1", {"url": url, **params}, timeout=timeout
    )


def test_a_page_with_the_expected_text_is_up(web):
    base, _site = web
    outcome = run(check_http(spec(base + "/", expect_text="Visiting hours")))
    assert outcome.status == Status.UP
    assert outcome.values["status_code"] == 200
    assert outcome.values["bytes"] > 20


def test_a_missing_text_or_pattern_is_down(web):
    base, _site = web
    text = run(check_http(spec(base + "/", expect_text="Closed today")))
    regex = run(check_http(spec(base + "/", expect_regex=r"hours \d+-\d+ daily")))
    assert (text.status, text.reason) == (Status.DOWN, "text")
    assert (regex.status, regex.reason) == (Status.DOWN, "text")


def test_an_unexpected_status_is_down_and_an_expected_one_is_up(web):
    base, _site = web
    missing = run(check_http(spec(base + "/missing")))
    assert (missing.status, missing.reason) == (Status.DOWN, "status")
    assert "404" in missing.message
    assert (
        run(check_http(spec(base + "/missing", expect_status=[404]))).status
        == Status.UP
    )
    assert (
        run(check_http(spec(base + "/missing", expect_status="4xx"))).status
        == Status.UP
    )


def test_a_path_is_asked_of_the_checks_host(web):
    base, _site = web
    port = int(base.rsplit(":", 1)[1])
    outcome = run(check_http(spec("/", port=port, expect_text="Visiting")))
    assert outcome.status == Status.UP


def test_slower_than_the_limit_is_degraded_and_past_the_timeout_down(web):
    base, site = web
    site.delay = 0.3
    slow = run(check_http(spec(base + "/slow/", degraded_ms=100)))
    assert (slow.status, slow.reason) == (Status.DEGRADED, "slow")
    assert slow.latency_ms >= 300
    late = run(check_http(spec(base + "/slow/", timeout=0.15)))
    assert (late.status, late.reason) == (Status.DOWN, "timeout")


def test_redirects_are_followed_up_to_the_limit(web):
    base, _site = web
    followed = run(check_http(spec(base + "/redirect/3", expect_text="Visiting")))
    assert followed.status == Status.UP
    assert followed.values["url"].endswith(":" + base.rsplit(":", 1)[1] + "/")
    too_many = run(check_http(spec(base + "/redirect/3", max_redirects=2)))
    assert (too_many.status, too_many.reason) == (Status.DOWN, "redirects")
    unfollowed = run(check_http(spec(base + "/redirect/1", follow_redirects=False)))
    assert (unfollowed.status, unfollowed.values["status_code"]) == (Status.UP, 302)


def test_a_chunked_body_is_read_whole(web):
    base, _site = web
    outcome = run(
        check_http(spec(base + "/chunked", expect_text="Ward status: all good"))
    )
    assert outcome.status == Status.UP


def test_head_asks_without_a_body(web):
    base, _site = web
    outcome = run(check_http(spec(base + "/", method="HEAD")))
    assert (outcome.status, outcome.values["bytes"]) == (Status.UP, 0)


def test_a_refused_connection_is_down(closed_port):
    outcome = run(check_http(spec(f"http://127.0.0.1:{closed_port}/")))
    assert (outcome.status, outcome.reason) == (Status.DOWN, "refused")


def test_a_changed_page_is_degraded_once(web):
    base, site = web
    check = spec(base + "/", check_id=901, content_change=True)
    first = run(check_http(check))
    assert first.status == Status.UP  # nothing to compare with yet
    assert run(check_http(check)).status == Status.UP
    site.pages["/"] = (200, "<html>Defaced!</html>")
    changed = run(check_http(check))
    assert (changed.status, changed.reason) == (Status.DEGRADED, "changed")
    assert changed.values["content_hash"] != first.values["content_hash"]
    assert run(check_http(check)).status == Status.UP


def test_only_the_selected_part_counts_as_content(web):
    base, site = web
    check = spec(
        base + "/", check_id=902, content_change=True, content_selector="main .news"
    )
    run(check_http(check))
    original = site.pages["/"][1]
    site.pages["/"] = (200, original.replace("stamp 1", "stamp 2"))
    assert run(check_http(check)).status == Status.UP  # outside the watched part
    site.pages["/"] = (200, original.replace("10-18", "10-20"))
    assert run(check_http(check)).reason == "changed"
    regex = spec(
        base + "/", check_id=903, content_change=True, content_regex=r"stamp (\d)"
    )
    run(check_http(regex))
    site.pages["/"] = (200, original.replace("stamp 1", "stamp 3"))
    assert run(check_http(regex)).reason == "changed"
    gone = run(check_http(spec(base + "/", check_id=904, content_change=True,
                               content_selector="#nothing")))  # fmt: skip
    assert (gone.status, gone.reason) == (Status.DEGRADED, "selector")


def test_the_selector_subset():
    html = "<body><div id='a' class='x y'><p>one<br>two</p></div><p class='x'>three</p></body>"
    assert select_text(html, "div.x#a p") == "onetwo"
    assert select_text(html, "p.x") == "three"
    assert select_text(html, "span") is None


@pytest.fixture
def https(pki, tls_server):
    return tls_server


def test_https_with_a_trusted_certificate_is_up(pki, https):
    port = https(pki.issue("web-ok"))
    url = f"https://localhost:{port}/"
    outcome = run(
        check_http(spec(url, expect_text="Visiting", ca_file=str(pki.ca_file)))
    )
    assert outcome.status == Status.UP


def test_https_with_an_untrusted_certificate_is_down_unless_verification_is_off(
    pki, https
):
    port = https(pki.issue("web-self", self_signed=True))
    url = f"https://localhost:{port}/"
    refused = run(check_http(spec(url, ca_file=str(pki.ca_file))))
    assert (refused.status, refused.reason) == (Status.DOWN, "tls")
    assert run(check_http(spec(url, verify_tls=False))).status == Status.UP


def test_https_for_another_host_is_down(pki, https):
    port = https(pki.issue("web-other", names=("pacs.example",)))
    outcome = run(
        check_http(spec(f"https://localhost:{port}/", ca_file=str(pki.ca_file)))
    )
    assert (outcome.status, outcome.reason) == (Status.DOWN, "tls")
    assert "localhost" in outcome.message or "mismatch" in outcome.message.lower()


def test_the_probes_work_on_uvloop_too(web, tcp_peer):
    # The engine runs on uvloop when it is installed; its transports differ.
    uvloop = pytest.importorskip("uvloop")
    from wardkeeper.monitoring.engine.probes.icmp import check_icmp
    from wardkeeper.monitoring.engine.probes.tcp import check_tcp

    base, _site = web
    port = tcp_peer(b"220 ready\r\n")

    async def all_three():
        return await asyncio.gather(
            check_http(spec(base + "/chunked", expect_text="all good")),
            check_tcp(
                CheckSpec(2, "tcp", "127.0.0.1", {"port": port, "expect": "220"})
            ),
            check_icmp(CheckSpec(3, "icmp", "127.0.0.1", {}, timeout=2.0)),
        )

    outcomes = uvloop.run(all_three())
    assert [item.status for item in outcomes] == [Status.UP] * 3, outcomes
