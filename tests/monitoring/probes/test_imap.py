"""IMAP checks against Dovecot (Debian's dovecot-imapd) started by the test
on two loopback ports (STARTTLS and TLS from the first byte) with its whole
configuration in a temporary directory: a user with one message in the
inbox, plain-text login refused before TLS, a certificate from the test CA.
A listener greeting with BYE, a closed port and a silent one cover the rest."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.monitoring.probes.conftest import Pki, run
from wardkeeper.monitoring.engine.probes.imap import imap
from wardkeeper.monitoring.engine.spec import CheckSpec, Status

CONFIG = """
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.2
ssl = yes
ssl_cert = <{cert}
ssl_key = <{key}
disable_plaintext_auth = yes
auth_failure_delay = 0
passdb {{
  driver = passwd-file
  args = {root}/users
}}
userdb {{
  driver = static
  args = uid=nobody gid=nogroup home={root}/home/%u
}}
mail_location = maildir:~/Maildir
service imap-login {{
  inet_listener imap {{
    port = {plain}
  }}
  inet_listener imaps {{
    port = {implicit}
    ssl = yes
  }}
}}
"""
HOST = "127.0.0.2"
PASSWORD = 'Ward-s3cret "x"'
MESSAGE = (
    b"From: pacs@ward.test\r\nSubject: nightly report\r\n\r\nAll studies archived.\r\n"
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _wait_for(port: int) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection((HOST, port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("dovecot did not start listening")


def _mailbox(root: Path) -> None:
    """The nurse's Maildir with one new message, owned by the mail user."""
    maildir = root / "home" / "nurse" / "Maildir"
    for sub in ("cur", "new", "tmp"):
        (maildir / sub).mkdir(parents=True)
    (maildir / "new" / "1700000000.1.ward").write_bytes(MESSAGE)
    nobody = shutil.chown
    for path in [root / "home", *root.joinpath("home").rglob("*")]:
        nobody(path, "nobody", "nogroup")


@contextmanager
def _dovecot(folder: Path):
    """Dovecot on 127.0.0.2 (so that the client, 127.0.0.1, is not "local"
    and plain-text login is refused before TLS); yields (STARTTLS port,
    implicit TLS port, CA file)."""
    if not shutil.which("dovecot") or os.geteuid() != 0:
        pytest.fail("needs dovecot-imapd (apt-get install dovecot-imapd) and root")
    pki = Pki(folder)
    issued = pki.issue("imap")
    # Dovecot's mail process runs as nobody: the home must be reachable,
    # which pytest's private tmp_path is not.
    root = Path(tempfile.mkdtemp(prefix="wk-dovecot-"))
    root.chmod(0o755)
    (root / "users").write_text(f"nurse:{{PLAIN}}{PASSWORD}::::::\n")
    _mailbox(root)
    plain, implicit = _free_port(), _free_port()
    config = root / "dovecot.conf"
    config.write_text(
        CONFIG.format(
            root=root, cert=issued.cert, key=issued.key, plain=plain, implicit=implicit
        )
    )
    server = subprocess.Popen(
        ["dovecot", "-F", "-c", str(config)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(plain)
        _wait_for(implicit)
        yield plain, implicit, str(pki.ca_file)
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
def dovecot(tmp_path_factory):
    with _dovecot(tmp_path_factory.mktemp("imap-pki")) as ports:
        yield ports


def check(port, ca_file=None, timeout=3.0, host=HOST, **params):
    params = {"port": port, "server_name": "localhost", **params}
    if ca_file:
        params.setdefault("ca_file", ca_file)
    return run(imap(CheckSpec(1, "imap", host, params, timeout=timeout)))


def test_starttls_then_login_and_inbox(dovecot):
    plain, _implicit, ca_file = dovecot
    outcome = check(plain, ca_file, username="nurse", password=PASSWORD)
    assert outcome.status == Status.UP, outcome.message
    assert outcome.values["tls"] is True
    assert outcome.values["messages"] == 1
    assert "Dovecot" in outcome.values["greeting"]
    assert "IMAP4REV1" in outcome.values["capabilities"]
    assert outcome.latency_ms is not None


def test_implicit_tls_on_its_own_port(dovecot):
    _plain, implicit, ca_file = dovecot
    outcome = check(implicit, ca_file, tls="implicit", expect_greeting="ready")
    assert outcome.status == Status.UP, outcome.message
    assert outcome.values["tls"] is True


def test_a_wrong_password_is_down_as_login_and_not_echoed(tmp_path):
    # Its own server: Dovecot slows later logins from an address that failed.
    with _dovecot(tmp_path) as (plain, _implicit, ca_file):
        outcome = check(plain, ca_file, username="nurse", password="guess-123")
    assert (outcome.status, outcome.reason) == (Status.DOWN, "login"), outcome.message
    assert "guess-123" not in outcome.message


def test_login_without_tls_is_refused_by_the_server(dovecot):
    plain, _implicit, _ca = dovecot
    outcome = check(plain, tls="off", username="nurse", password=PASSWORD)
    assert (outcome.status, outcome.reason) == (Status.DOWN, "login"), outcome.message
    assert outcome.values["tls"] is False


def test_a_missing_mailbox_is_down(dovecot):
    plain, _implicit, ca_file = dovecot
    outcome = check(
        plain, ca_file, username="nurse", password=PASSWORD, mailbox="Radiology"
    )
    assert (outcome.status, outcome.reason) == (Status.DOWN, "mailbox"), outcome.message


def test_an_untrusted_certificate_is_down(dovecot):
    plain, _implicit, _ca = dovecot
    outcome = check(plain)  # the system store does not know the test CA
    assert (outcome.status, outcome.reason) == (Status.DOWN, "certificate")
    assert check(plain, verify_tls=False).status == Status.UP


def test_bye_greeting_closed_and_silent_ports(tcp_peer, closed_port):
    bye = check(tcp_peer(b"* BYE too many connections\r\n"), host="127.0.0.1")
    assert (bye.status, bye.reason) == (Status.DOWN, "rejected")
    assert check(closed_port, host="127.0.0.1").reason == "refused"
    silent = check(tcp_peer(None), timeout=1.0, host="127.0.0.1")
    assert (silent.status, silent.reason) == (Status.DOWN, "timeout")
