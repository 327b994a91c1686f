"""The few HL7 v2 pieces monitoring needs: read MSH and MSA fields, give a
message a fresh control ID, build a test message and an acknowledgement.

Written in-house rather than with python-hl7 or hl7apy: the probes touch four
fields of two segments, and a full parser would be a dependency for ~100
lines (docs/monitoring-checks.md, "HL7").
"""

from __future__ import annotations

import itertools
import os
import time

# MSA-1 codes: original mode (AA/AE/AR) and enhanced mode (CA/CE/CR).
ACCEPTED = frozenset({"AA", "CA"})
NEGATIVE = frozenset({"AE", "AR", "CE", "CR"})

_counter = itertools.count(1)


def segments(message: str) -> list[str]:
    """The message's segments (HL7 ends them with CR; LF and CRLF are
    tolerated because operators paste messages from text files)."""
    text = message.replace("\r\n", "\r").replace("\n", "\r")
    return [line for line in text.split("\r") if line.strip()]


def separator(message: str) -> str:
    """The field separator, MSH-1 (the character right after "MSH")."""
    for line in segments(message):
        if line.startswith("MSH") and len(line) > 3:
            return line[3]
    return "|"


def fields(message: str, segment_id: str) -> list[str] | None:
    """The first ``segment_id`` segment split so that index n is field n
    (for MSH too: index 1 is the separator itself, index 2 the encoding
    characters), or None when the message has no such segment."""
    sep = separator(message)
    for line in segments(message):
        if line.split(sep, 1)[0] == segment_id:
            parts = line.split(sep)
            if segment_id == "MSH":
                parts.insert(1, sep)
            return parts
    return None


def field(message: str, segment_id: str, number: int) -> str:
    """Field ``number`` of the first ``segment_id`` segment ("" if absent)."""
    parts = fields(message, segment_id)
    if parts is None or number >= len(parts):
        return ""
    return parts[number]


def component(value: str, number: int = 1, message: str = "") -> str:
    """Component ``number`` (1-based) of a field value."""
    msh = fields(message, "MSH") if message else None
    mark = msh[2][0] if msh and len(msh) > 2 and msh[2] else "^"
    parts = value.split(mark)
    return parts[number - 1] if number <= len(parts) else ""


def new_control_id() -> str:
    """A fresh MSH-10 of at most 20 characters (the field's length in v2.3 to
    v2.5): time in ms, process id and a counter, so two checks never share one."""
    stamp = int(time.time() * 1000) % 10**13
    return f"WK{stamp}{os.getpid() % 100:02d}{next(_counter) % 1000:03d}"


def timestamp(at: float | None = None) -> str:
    return time.strftime("%Y%m%d%H%M%S", time.localtime(at))


def with_control_id(message: str, control_id: str) -> str:
    """The message with MSH-10 set to ``control_id`` and MSH-7 to now;
    segments end with CR as MLLP expects. Raises ValueError without an MSH."""
    lines = segments(message)
    if not lines or not lines[0].startswith("MSH"):
        raise ValueError("an HL7 message starts with an MSH segment")
    sep = lines[0][3]
    parts = lines[0].split(sep)  # parts[n] is MSH-(n+1)
    parts.extend([""] * (12 - len(parts)))
    parts[6] = timestamp()
    parts[9] = control_id
    lines[0] = sep.join(parts)
    return "\r".join(lines) + "\r"


def sample_message(
    *,
    sending_app: str = "WARDKEEPER",
    sending_facility: str = "MONITOR",
    receiving_app: str = "",
    receiving_facility: str = "",
    message_type: str = "QRY^A19",
    processing_id: str = "P",
    version: str = "2.5",
) -> str:
    """A harmless query (QRY^A19 with a QRD segment) unless another type is
    asked for; the control ID is set later by with_control_id."""
    msh = (
        f"MSH|^~\\&|{sending_app}|{sending_facility}|{receiving_app}|"
        f"{receiving_facility}|{timestamp()}||{message_type}|0|{processing_id}|{version}"
    )
    if message_type.startswith("QRY"):
        qrd = f"QRD|{timestamp()}|R|I|WARDKEEPER|||1^RD|WARDKEEPER-TEST|DEM"
        return f"{msh}\r{qrd}\r"
    event = component(message_type, 2) or "A01"
    return f"{msh}\rEVN|{event}|{timestamp()}\r"


def is_ack(message: str) -> bool:
    """Whether the message is itself an acknowledgement (MSH-9 ACK or an MSA)."""
    return component(field(message, "MSH", 9)) == "ACK" or (
        fields(message, "MSA") is not None
    )


def ack(message: str, code: str = "AA", text: str = "", echo: str | None = None) -> str:
    """The acknowledgement of ``message``: sender and receiver swapped, MSA-1
    ``code``, MSA-2 the original control ID (or ``echo`` when given)."""
    msh = fields(message, "MSH") or ["MSH", "|", "^~\\&"]
    msh.extend([""] * (13 - len(msh)))
    sep, enc = msh[1], msh[2] or "^~\\&"
    trigger = component(msh[9], 2, message)
    header = sep.join(
        [
            "MSH",
            enc,
            msh[5],
            msh[6],
            msh[3],
            msh[4],
            timestamp(),
            "",
            f"ACK^{trigger}^ACK" if trigger else "ACK",
            new_control_id(),
            msh[11] or "P",
            msh[12] or "2.5",
        ]
    )
    echoed = msh[10] if echo is None else echo
    msa = sep.join(["MSA", code, echoed] + ([text] if text else []))
    return f"{header}\r{msa}\r"
