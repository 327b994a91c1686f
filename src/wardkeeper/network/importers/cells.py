"""Cell parsers the network's files need beyond the inventory's
(inventory/transfer/cells.py): whole numbers, lengths, prefixes, addresses
and VLAN references."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from wardkeeper.inventory.transfer.cells import Parser, cell_text
from wardkeeper.inventory.transfer.report import CellError
from wardkeeper.network import addressing


def integer(low: int = 0, high: int = 2**31 - 1, *, required: bool = False) -> Parser:
    """A whole number from ``low`` to ``high``; empty gives ``None``."""

    def parse(value: Any) -> int | None:
        word = cell_text(value)
        if not word:
            if required:
                raise CellError(_("This column needs a value."))
            return None
        try:
            number = int(word)
        except ValueError:
            raise CellError(
                _("“%(value)s” is not a whole number.") % {"value": word}
            ) from None
        if not low <= number <= high:
            raise CellError(
                _("Expected a number from %(low)d to %(high)d, not %(value)d.")
                % {"low": low, "high": high, "value": number}
            )
        return number

    return parse


def decimal(places: int = 2, *, signed: bool = False) -> Parser:
    """A number with at most ``places`` decimals (metres, decibels)."""

    def parse(value: Any) -> Decimal | None:
        word = cell_text(value).replace(",", ".")
        if not word:
            return None
        try:
            number = Decimal(word)
            if not number.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            raise CellError(
                _("“%(value)s” is not a number.") % {"value": word}
            ) from None
        if number < 0 and not signed:
            raise CellError(_("This cannot be negative."))
        step = Decimal(1).scaleb(-places)
        if number != number.quantize(step):
            raise CellError(
                _("At most %(n)d digits after the decimal point.") % {"n": places}
            )
        if abs(number) >= Decimal(10) ** 5:
            raise CellError(_("The number is too large."))
        return number.quantize(step)

    return parse


def prefix(value: Any) -> str | None:
    """A prefix such as 10.20.0.0/16, in its canonical form."""
    word = cell_text(value)
    if not word:
        return None
    try:
        return str(addressing.parse_network(word))
    except ValueError as error:
        raise CellError(f"“{word}”: {error}") from None


def address(value: Any) -> str | None:
    """An address with its prefix length (10.20.3.7/24), canonical."""
    word = cell_text(value)
    if not word:
        return None
    try:
        return str(addressing.parse_interface(word))
    except ValueError as error:
        raise CellError(f"“{word}”: {error}") from None


def vlan_ref(text: str) -> tuple[str, int]:
    """``20`` (a global VLAN) or ``20@NORTH`` (VLAN 20 of site NORTH) as
    (site code, vid); raises ``CellError``."""
    vid_text, _at, site = text.partition("@")
    try:
        vid = int(vid_text.strip())
    except ValueError:
        raise CellError(
            _("“%(value)s” is not a VLAN; write its number, or number@site code.")
            % {"value": text}
        ) from None
    if not 1 <= vid <= 4094:
        raise CellError(_("A VLAN number is from 1 to 4094, not %(n)d.") % {"n": vid})
    return site.strip(), vid


def vlan(value: Any) -> tuple[str, int] | None:
    word = cell_text(value)
    return vlan_ref(word) if word else None


def vlan_list(value: Any) -> list[tuple[str, int]]:
    """VLAN references separated by commas or spaces."""
    word = cell_text(value)
    return [vlan_ref(part) for part in word.replace(",", " ").split() if part]


def vlan_text(site_code: str | None, vid: int) -> str:
    """A VLAN as its file reference, the inverse of ``vlan_ref``."""
    return f"{vid}@{site_code}" if site_code else str(vid)
