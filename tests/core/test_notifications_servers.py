"""Real servers on loopback for the notification tests: an SMTP server
(aiosmtpd) and an HTTP server that records each webhook call. Other test
modules wrap these in fixtures of their own."""

from __future__ import annotations

import json
import socket
import threading
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes
from email.header import decode_header, make_header
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Mail:
    sender: str
    recipients: list[str]
    subject: str
    body: str


class MailBox:
    """aiosmtpd handler keeping every message it receives."""

    def __init__(self) -> None:
        self.mails: list[Mail] = []

    async def handle_DATA(self, server, session, envelope):
        parsed = message_from_bytes(envelope.original_content)
        self.mails.append(
            Mail(
                sender=envelope.mail_from,
                recipients=list(envelope.rcpt_tos),
                subject=str(make_header(decode_header(parsed["Subject"]))),
                body=parsed.get_payload(decode=True).decode(),
            )
        )
        return "250 Message accepted"


@contextmanager
def smtp_server(settings) -> Iterator[MailBox]:
    """An SMTP server on loopback that Django's SMTP backend sends to (use it
    in a fixture: ``with smtp_server(settings) as box: yield box``)."""
    box = MailBox()
    controller = Controller(box, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.DEFAULT_FROM_EMAIL = "wardkeeper@hospital.example"
    try:
        yield box
    finally:
        controller.stop()


@dataclass
class Call:
    path: str
    query: dict[str, str]
    body: dict


@dataclass
class WebhookServer:
    """Records each POST; answers with the statuses queued in ``answers``
    (then 200), and with ``reply`` as the body."""

    url: str
    calls: list[Call] = field(default_factory=list)
    answers: list[int] = field(default_factory=list)
    reply: bytes = b"ok"


@contextmanager
def webhook_server() -> Iterator[WebhookServer]:
    """An HTTP server on loopback recording each webhook call."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    state = WebhookServer(url=f"http://127.0.0.1:{server.server_port}")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length", 0))
            parts = urllib.parse.urlsplit(self.path)
            state.calls.append(
                Call(
                    path=parts.path,
                    query=dict(urllib.parse.parse_qsl(parts.query)),
                    body=json.loads(self.rfile.read(length) or b"{}"),
                )
            )
            status = state.answers.pop(0) if state.answers else 200
            self.send_response(status)
            self.end_headers()
            self.wfile.write(state.reply)

        def log_message(self, *args):
            pass

    server.RequestHandlerClass = Handler
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


def closed_port_url() -> str:
    """A loopback URL nothing listens on: the channel is down."""
    return f"http://127.0.0.1:{free_port()}/hook"
