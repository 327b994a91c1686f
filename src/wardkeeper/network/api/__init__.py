"""The network's API, one module per part."""

from rest_framework.routers import BaseRouter

from wardkeeper.network.api import logical, physical, plans, topology, traffic


def register(router: BaseRouter) -> None:
    for part in (physical, logical, traffic, topology, plans):
        part.register(router)
