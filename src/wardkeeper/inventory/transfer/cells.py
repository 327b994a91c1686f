"""Reading one cell: each parser turns what a CSV or XLSX cell holds into the
value stored, or raises ``CellError`` saying why it cannot.

Values are normalised exactly as the database holds them (decimals to two
places, MACs with colons, IPv6 compressed), so re-importing an exported file
compares equal and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.utils import translation
from django.utils.ipv6 import clean_ipv6_address
from django.utils.translation import gettext as _

from wardkeeper.core.errors import DomainError
from wardkeeper.inventory.models.assets import normalise_mac
from wardkeeper.inventory.transfer.report import CellError

Parser = Callable[[Any], Any]

# A text cell starting with one of these would run as a formula in a
# spreadsheet; exports prefix it with an apostrophe and imports take it off.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_DATE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]00:00(?::00)?)?$")
LANGUAGES = ("en", "zh-hans")


def cell_text(value: Any) -> str:
    """Any cell as stripped text: numbers lose a trailing ``.0``, dates are ISO."""
    if type(value) is str:  # the common case (every CSV cell) first
        text = value.strip()
        if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_START:
            return text[1:]
        return text
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return (value.date() if value.time() == dt.time() else value).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_START:
        return text[1:]
    return text


def text(max_length: int | None = None, *, required: bool = False) -> Parser:
    """Free text, at most ``max_length`` characters; empty allowed unless required."""

    def parse(value: Any) -> str:
        result = cell_text(value)
        if required and not result:
            raise CellError(_("This column needs a value."))
        if max_length is not None and len(result) > max_length:
            raise CellError(
                _("At most %(max)d characters (this has %(n)d).")
                % {"max": max_length, "n": len(result)}
            )
        return result

    return parse


def choice_code(member: Any) -> str:
    """The word a file uses for a choice: the value of a text choice, the
    lower-case name of a number choice (``critical``, ``non_clinical``)."""
    return member.name.lower() if isinstance(member.value, int) else str(member.value)


def _norm(word: str) -> str:
    return re.sub(r"[\s\-]+", "_", word.strip().casefold())


def choice(enum: type[models.Choices], *, required: bool = False) -> Parser:
    """One of a choices class, by its code, its number or its label in English
    or Chinese, in any case."""
    lookup: dict[str, Any] = {}
    for member in enum:
        lookup[_norm(choice_code(member))] = member.value
        lookup[_norm(str(member.value))] = member.value
        for language in LANGUAGES:
            with translation.override(language):
                lookup.setdefault(_norm(str(member.label)), member.value)
    allowed = ", ".join(choice_code(member) for member in enum)

    def parse(value: Any) -> Any:
        word = cell_text(value)
        if not word:
            if required:
                raise CellError(
                    _("This column needs a value; use one of: %(allowed)s.")
                    % {"allowed": allowed}
                )
            return None
        try:
            return lookup[_norm(word)]
        except KeyError:
            raise CellError(
                _("Unknown value “%(value)s”; use one of: %(allowed)s.")
                % {"value": word, "allowed": allowed}
            ) from None

    return parse


def date(value: Any) -> dt.date | None:
    """A date as YYYY-MM-DD (or YYYY/MM/DD), or a date cell of a workbook."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    word = cell_text(value)
    if not word:
        return None
    match = _DATE.match(word)
    try:
        if match is None:
            raise ValueError(word)
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        raise CellError(
            _("“%(value)s” is not a date; write it as YYYY-MM-DD.") % {"value": word}
        ) from None


def money(value: Any) -> Decimal | None:
    """An amount of at most 12 digits before the point and 2 after, not negative."""
    if isinstance(value, bool):
        raise CellError(_("Expected an amount such as 1234.50."))
    if isinstance(value, float | int | Decimal):
        word = str(value)
    else:
        word = cell_text(value).replace(",", "").replace(" ", "")
    if not word:
        return None
    try:
        amount = Decimal(word)
        if not amount.is_finite():
            raise InvalidOperation
    except InvalidOperation:
        raise CellError(
            _("“%(value)s” is not an amount; write it like 1234.50.") % {"value": word}
        ) from None
    if amount < 0:
        raise CellError(_("An amount cannot be negative."))
    if amount != amount.quantize(Decimal("0.01")):
        raise CellError(_("At most two digits after the decimal point."))
    if amount >= Decimal(10) ** 12:
        raise CellError(_("The amount is too large."))
    return amount.quantize(Decimal("0.01"))


def _words(*keys: str) -> set[str]:
    found: set[str] = set()
    for language in LANGUAGES:
        with translation.override(language):
            found.update(_norm(_(key)) for key in keys)
    return found


def boolean() -> Parser:
    """Yes or no (also true/false, 1/0, 是/否); empty gives ``None``."""
    true_words = {"yes", "y", "true", "1", "是"} | _words("yes")
    false_words = {"no", "n", "false", "0", "否"} | _words("no")

    def parse(value: Any) -> bool | None:
        if isinstance(value, bool):
            return value
        word = _norm(cell_text(value))
        if not word:
            return None
        if word in true_words:
            return True
        if word in false_words:
            return False
        raise CellError(_("Expected yes or no, not “%(value)s”.") % {"value": word})

    return parse


def ip_address(value: Any) -> str | None:
    """An IPv4 or IPv6 address, stored in its canonical form."""
    word = cell_text(value)
    if not word:
        return None
    try:
        address = ipaddress.ip_address(word)
    except ValueError:
        raise CellError(
            _("“%(value)s” is not an IPv4 or IPv6 address.") % {"value": word}
        ) from None
    return clean_ipv6_address(word) if address.version == 6 else str(address)


def mac_address(value: Any) -> str | None:
    """A MAC address in any common notation, stored as ``aa:bb:cc:dd:ee:ff``."""
    word = cell_text(value)
    if not word:
        return None
    try:
        return normalise_mac(word)
    except DomainError as exc:
        raise CellError(f"“{word}”: {exc.message}") from None


def email(value: Any) -> str:
    """An e-mail address, or empty."""
    word = cell_text(value)
    if word:
        try:
            validate_email(word)
        except ValidationError:
            raise CellError(
                _("“%(value)s” is not an e-mail address.") % {"value": word}
            ) from None
        if len(word) > 254:
            raise CellError(_("The e-mail address is too long."))
    return word


def export_text(value: str) -> str:
    """Text for a cell of an export, made safe from running as a formula."""
    return "'" + value if value.startswith(FORMULA_START) else value
