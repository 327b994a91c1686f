"""Factories for the topology and floor-plan tests: devices with interfaces,
patch panels with their ports, cables between any two points, LLDP
neighbours, outlets, and floor plans with a generated PNG."""

from __future__ import annotations

import io

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.factories.inventory import (
    AssetFactory,
    AssetModelFactory,
    FloorFactory,
    RoomFactory,
    asset_type,
)
from wardkeeper.network.models import (
    Cable,
    CableEnd,
    FloorPlan,
    Interface,
    Neighbour,
    Outlet,
    PanelPort,
    PatchPanel,
)


def device(kind: str = "switch", **kwargs):
    """An asset of built-in type ``kind`` (switch, router, wireless-ap …)."""
    model = AssetModelFactory(asset_type=asset_type(kind))
    return AssetFactory(model=model, status="in_use", **kwargs)


class InterfaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interface

    device = factory.LazyFunction(device)
    name = factory.Sequence(lambda n: f"Gi1/0/{n}")


class PatchPanelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PatchPanel
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"PP-{n:02d}")
    location = factory.SubFactory(RoomFactory)
    ports = 24

    @factory.post_generation
    def make_ports(self, create, extracted, **kwargs):
        if create:
            PanelPort.objects.bulk_create(
                PanelPort(panel=self, number=n) for n in range(1, self.ports + 1)
            )


class OutletFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Outlet

    label = factory.Sequence(lambda n: f"OUT-{n:03d}")
    location = factory.SubFactory(RoomFactory)


def port(panel: PatchPanel, number: int, face: str) -> tuple[PanelPort, str]:
    return panel.panel_ports.get(number=number), face


def connect(a, b, **kwargs) -> Cable:
    """A cable from point ``a`` to point ``b``: an Interface, an Outlet or a
    (PanelPort, face) tuple."""
    cable = Cable.objects.create(**kwargs)
    for side, point in (("a", a), ("b", b)):
        end = CableEnd(cable=cable, side=side)
        if isinstance(point, Interface):
            end.interface = point
        elif isinstance(point, Outlet):
            end.outlet = point
        else:
            end.port, end.face = point
        end.save()
    return cable


def neighbour(interface: Interface, remote: Interface | None, **kwargs) -> Neighbour:
    """What LLDP on ``interface`` reports: ``remote`` (its device and port)."""
    if remote is not None:
        kwargs.setdefault("remote_device", remote.device)
        kwargs.setdefault("port_id", remote.name)
        kwargs.setdefault("system_name", remote.device.name)
    return Neighbour.objects.create(
        interface=interface, remote_interface=remote, **kwargs
    )


def png_bytes(width: int = 400, height: int = 300, colour: str = "white") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def png_upload(name: str = "plan.png", **kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(**kwargs), content_type="image/png")


class FloorPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FloorPlan

    floor = factory.SubFactory(FloorFactory)
    image = factory.LazyFunction(png_upload)
