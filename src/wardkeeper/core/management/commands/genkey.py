from __future__ import annotations

from typing import Any

from cryptography.fernet import Fernet
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Print a new field-encryption key. To rotate, put it first in "
        "WARDKEEPER_FIELD_ENCRYPTION_KEYS, keeping the old keys after it."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(Fernet.generate_key().decode())
