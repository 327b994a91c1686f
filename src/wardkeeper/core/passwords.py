from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class CharacterClassValidator:
    """At least three of: lower case, upper case, digits, other characters."""

    def validate(self, password: str, user: Any = None) -> None:
        classes = [
            any(ch.islower() for ch in password),
            any(ch.isupper() for ch in password),
            any(ch.isdigit() for ch in password),
            any(not ch.isalnum() for ch in password),
        ]
        if sum(classes) < 3:
            raise ValidationError(
                _(
                    "The password must mix at least three of: lower-case letters, "
                    "upper-case letters, digits and other characters."
                ),
                code="password_too_simple",
            )

    def get_help_text(self) -> str:
        return _(
            "Use at least three of: lower-case letters, upper-case letters, digits "
            "and other characters."
        )
