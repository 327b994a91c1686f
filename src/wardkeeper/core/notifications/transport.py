"""Sending one message: a JSON POST to a webhook, or an e-mail over SMTP.

Each function returns nothing or raises ``SendFailed`` with a reason short
enough to show an administrator; the caller decides whether to retry."""

from __future__ import annotations

import json
import smtplib
import urllib.error
import urllib.request
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection

# Long enough for a chat service on a slow hospital uplink, short enough that
# one dead endpoint cannot hold the worker for long.
TIMEOUT_SECONDS = 10


class SendFailed(Exception):
    """The message did not get through; ``str()`` says why."""


def post_json(
    url: str, payload: dict[str, Any], *, timeout: float = TIMEOUT_SECONDS
) -> None:
    """POST ``payload``; anything but a 2xx (or a robot's non-zero errcode)
    is a failure."""
    if not url.lower().startswith(("http://", "https://")):
        raise SendFailed(f"not an http(s) URL: {url[:40]}")
    request = urllib.request.Request(
        url,
        data=json.dumps(payload).encode(),
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "Wardkeeper",
        },
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read(4096)
    except urllib.error.HTTPError as error:
        raise SendFailed(f"HTTP {error.code} {error.reason}") from error
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise SendFailed(f"{type(error).__name__}: {reason}") from error
    _refuse_robot_error(body)


def _refuse_robot_error(body: bytes) -> None:
    """WeCom and DingTalk answer 200 with ``{"errcode": 310000, …}`` when they
    refuse a message (bad signature, keyword missing, rate limit)."""
    try:
        answer = json.loads(body)
    except ValueError:
        return
    if isinstance(answer, dict) and answer.get("errcode") not in (None, 0):
        raise SendFailed(f"refused: {answer.get('errcode')} {answer.get('errmsg', '')}")


def send_email(address: str, subject: str, body: str) -> None:
    """One plain-text e-mail through the configured backend (SMTP in use)."""
    if not address:
        raise SendFailed("no e-mail address")
    message = EmailMessage(
        subject=" ".join(subject.split()),  # a header must not fold on newlines
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[address],
        connection=get_connection(timeout=TIMEOUT_SECONDS),
    )
    try:
        message.send(fail_silently=False)
    except (OSError, smtplib.SMTPException) as error:
        raise SendFailed(f"{type(error).__name__}: {error}") from error
