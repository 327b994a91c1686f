"""The API's one router. Each area registers its viewsets in its own
``api.py``; this module only gathers them under /api/."""

from rest_framework.routers import DefaultRouter

from wardkeeper.core.api import register as register_core
from wardkeeper.inventory.api import register as register_inventory

router = DefaultRouter()
register_core(router)
register_inventory(router)
