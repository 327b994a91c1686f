from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _seed_builtin_types(sender: Any, **kwargs: Any) -> None:
    # Also after a test database flush, which empties what the data migration made.
    from wardkeeper.inventory.builtin_types import ensure_builtin_types
    from wardkeeper.inventory.models import AssetType

    ensure_builtin_types(AssetType)


class InventoryConfig(AppConfig):
    name = "wardkeeper.inventory"
    label = "inventory"
    verbose_name = _("Inventory")

    def ready(self) -> None:
        post_migrate.connect(_seed_builtin_types, sender=self)
