"""The message each kind of webhook expects, built from one message.

One function per kind, registered in ``PAYLOADS``; adding a chat service is
"write its function, add it to the table"."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from wardkeeper.core.models.notifications import ChannelKind

# WeCom refuses markdown over 4096 bytes; DingTalk and Slack allow more, but a
# notification is a pointer to the ticket, not the whole story.
MAX_TEXT = 3000


@dataclass(frozen=True)
class Message:
    event: str
    subject: str
    body: str
    link: str = ""
    urgent: bool = False
    context: dict[str, Any] = field(default_factory=dict)


def _short(text: str) -> str:
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


def _markdown(message: Message, title: str) -> str:
    parts = [title, _short(message.body)]
    if message.link:
        parts.append(f"[{_('Open in Wardkeeper')}]({message.link})")
    return "\n\n".join(part for part in parts if part)


def generic(message: Message) -> dict[str, Any]:
    return {
        "event": message.event,
        "subject": message.subject,
        "text": message.body,
        "link": message.link,
        "urgent": message.urgent,
        "context": message.context,
    }


def wecom(message: Message) -> dict[str, Any]:
    content = _markdown(message, f"**{message.subject}**")
    return {"msgtype": "markdown", "markdown": {"content": content}}


def dingtalk(message: Message) -> dict[str, Any]:
    return {
        "msgtype": "markdown",
        "markdown": {
            "title": message.subject,
            "text": _markdown(message, f"### {message.subject}"),
        },
    }


def _slack_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def slack(message: Message) -> dict[str, Any]:
    lines = [f"*{_slack_escape(message.subject)}*", _slack_escape(_short(message.body))]
    if message.link:
        lines.append(f"<{message.link}|{_slack_escape(_('Open in Wardkeeper'))}>")
    return {"text": "\n".join(line for line in lines if line)}


def teams(message: Message) -> dict[str, Any]:
    """An Adaptive Card, which both Teams' Workflows webhooks and the older
    connector webhooks accept."""
    card: dict[str, Any] = {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.4",
        "body": [
            {
                "type": "TextBlock",
                "text": message.subject,
                "weight": "Bolder",
                "size": "Medium",
                "color": "Attention" if message.urgent else "Default",
                "wrap": True,
            },
            {"type": "TextBlock", "text": _short(message.body), "wrap": True},
        ],
    }
    if message.link:
        card["actions"] = [
            {
                "type": "Action.OpenUrl",
                "title": _("Open in Wardkeeper"),
                "url": message.link,
            }
        ]
    return {
        "type": "message",
        "attachments": [
            {
                "contentType": "application/vnd.microsoft.card.adaptive",
                "contentUrl": None,
                "content": card,
            }
        ],
    }


PAYLOADS: dict[str, Callable[[Message], dict[str, Any]]] = {
    ChannelKind.WEBHOOK: generic,
    ChannelKind.WECOM: wecom,
    ChannelKind.DINGTALK: dingtalk,
    ChannelKind.SLACK: slack,
    ChannelKind.TEAMS: teams,
}


def payload_for(kind: str, message: Message) -> dict[str, Any]:
    """The JSON body for a webhook of ``kind``; e-mail has none."""
    build = PAYLOADS.get(kind)
    return build(message) if build else {}


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """DingTalk's signature: base64(HMAC-SHA256(secret, "<ms>\\n<secret>"))."""
    text = f"{timestamp_ms}\n{secret}".encode()
    digest = hmac.new(secret.encode(), text, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def signed_url(url: str, secret: str, *, now: float | None = None) -> str:
    """``url`` with DingTalk's ``timestamp`` and ``sign`` query parameters."""
    timestamp = int((time.time() if now is None else now) * 1000)
    query = urllib.parse.urlencode(
        {"timestamp": timestamp, "sign": dingtalk_sign(secret, timestamp)}
    )
    return f"{url}{'&' if '?' in url else '?'}{query}"
