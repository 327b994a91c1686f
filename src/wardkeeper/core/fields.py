"""Encrypted model fields: secrets at rest, keyed from outside the database."""

from __future__ import annotations

from functools import cache
from typing import Any

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.db import models


@cache
def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in settings.FIELD_ENCRYPTION_KEYS])


def encrypt(text: str) -> str:
    return _fernet().encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    return _fernet().decrypt(token.encode()).decode()


class EncryptedTextField(models.TextField):
    """Text stored as a Fernet token; read back in clear by the application only.

    Rotating keys: make one with ``wardkeeper genkey`` and put it first in
    WARDKEEPER_FIELD_ENCRYPTION_KEYS; values are re-encrypted with it as they
    are saved, and the old keys after it still decrypt the rest."""

    def from_db_value(
        self, value: str | None, expression: Any, connection: Any
    ) -> str | None:
        return decrypt(value) if value else value

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        return value if value in (None, "") else encrypt(str(value))
