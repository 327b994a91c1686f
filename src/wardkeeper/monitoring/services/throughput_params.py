"""A throughput check's parameters: what the check form and the API both
refuse, and the long interval such a check runs at (each run loads the
link)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext

THROUGHPUT_INTERVAL = 900
THROUGHPUT_MIN_INTERVAL = 300
THROUGHPUT_TIMEOUT = 120


def throughput_problems(params: Any) -> list[str]:
    """What is wrong with a throughput check's parameters (none: [])."""
    if not isinstance(params, dict):
        return [gettext("Give a JSON object: {…}.")]
    problems: list[str] = []
    mode = params.get("mode", "tcp")
    if mode not in ("tcp", "http"):
        problems.append(gettext('"mode" is "tcp" (to a sink) or "http" (a download).'))
    numbers = {
        "size_mb": (1, 1000, gettext('"size_mb" is a number of megabytes, 1 to 1000.')),
        "min_mbps": (0, 1e6, gettext('"min_mbps" is a rate in Mbit/s, 0 or more.')),
        "port": (1, 65535, gettext('"port" is the sink\'s TCP port, 1 to 65535.')),
    }
    for name, (low, high, message) in numbers.items():
        value = params.get(name)
        if value in (None, ""):
            continue
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            problems.append(message)
            continue
        try:
            number = float(value)
        except ValueError:
            number = -1.0
        if not low <= number <= high:
            problems.append(message)
    url = str(params.get("url") or "")
    if mode == "http" and not url.startswith(("http://", "https://")):
        problems.append(
            gettext('"url" is the http:// or https:// address to download.')
        )
    return problems
