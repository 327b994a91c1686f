"""Keeping webhook tokens out of Wardkeeper's logs.

A backup product that cannot set a header puts the job's webhook token in
the address (``/continuity/hooks/<token>/``); Django's "Bad Request"
warnings, the development server and gunicorn's access log would write it
out. ``HookTokenFilter`` rewrites such records with the token masked; hang
it on the console handler in settings.LOGGING, and ``install()`` puts it on
the loggers that do not pass their records on (``django.server``,
``gunicorn.access``)."""

from __future__ import annotations

import logging
import re
from typing import Any

__all__ = ["MASK", "HookTokenFilter", "install", "mask_hook_tokens"]

MASK = "***"
# The token part of a webhook address, and a token seen anywhere else.
_IN_PATH = re.compile(r"(/continuity/hooks/)[^/\s?#\"']+")
_TOKEN = re.compile(r"\bwkb_[A-Za-z0-9_\-]+")
QUIET_LOGGERS = ("django.request", "django.server", "gunicorn.access")


def mask_hook_tokens(text: str) -> str:
    """``text`` with every webhook token replaced by ``***``."""
    return _TOKEN.sub("wkb_" + MASK, _IN_PATH.sub(r"\g<1>" + MASK, text))


def _masked(value: Any) -> Any:
    return mask_hook_tokens(value) if isinstance(value, str) else value


class HookTokenFilter(logging.Filter):
    """Masks webhook tokens in a record's message and arguments; keeps
    every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = _masked(record.msg)
        if isinstance(record.args, dict):
            record.args = {key: _masked(v) for key, v in record.args.items()}
        elif isinstance(record.args, tuple):
            record.args = tuple(_masked(value) for value in record.args)
        return True


def install(names: tuple[str, ...] = QUIET_LOGGERS) -> None:
    """Put the filter on the loggers ``names`` (once each)."""
    for name in names:
        logger = logging.getLogger(name)
        if not any(isinstance(f, HookTokenFilter) for f in logger.filters):
            logger.addFilter(HookTokenFilter())
