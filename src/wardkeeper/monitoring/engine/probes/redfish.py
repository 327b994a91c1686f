"""Redfish storage health: a server's management controller (BMC: iDRAC,
iLO, XClarity, IPMI-era boards with Redfish) asked over HTTPS for its
storage — the RAID controllers, their cache and battery, the volumes (RAID
sets) and the drives, hot spares included.

Params:
  system          the computer system's id under /redfish/v1/Systems/
                  (default: every member of that collection)
  scheme, port    https (default) and 443
  username        the BMC account (read-only role is enough)
  password        a secret
  verify_tls      check the certificate (default true); ca_file to verify
                  against a BMC's own CA
  min_hot_spares  fewer hot spares in an array is DEGRADED (default 0)

Each storage subsystem is one array. Health "Warning" anywhere (a degraded
volume, a predicted drive failure, a battery running low) is DEGRADED,
"Critical" (a failed volume or drive) is DOWN.

Values: arrays — one entry per array: id, name, health (the worst seen),
controllers, volumes (name, raid, health, state), drives, failed_drives,
hot_spares, cache and battery (health, when the BMC reports them).
Reasons: auth, status, protocol, tls, refused, timeout, unreachable, storage
(the system lists no storage), degraded, failed, spares.
"""

from __future__ import annotations

import asyncio
import base64
import json
import ssl
import time
from collections.abc import Mapping
from typing import Any

from wardkeeper.monitoring.engine.probes import probe
from wardkeeper.monitoring.engine.probes._http1 import (
    ProtocolError,
    build_request,
    fetch,
)
from wardkeeper.monitoring.engine.probes._net import budget, failed, ms
from wardkeeper.monitoring.engine.probes.http import tls_context
from wardkeeper.monitoring.engine.spec import CheckSpec, Outcome, Status

ROOT = "/redfish/v1/Systems"
# A BMC is a small computer: a few requests at a time, and a bound on how
# many documents one run reads (a big array has a few dozen drives).
PARALLEL = 4
MAX_DOCUMENTS = 300
RANK = {"OK": 0, "Warning": 1, "Critical": 2}
HEALTH_OF_RANK = {0: "OK", 1: "Warning", 2: "Critical"}


class RedfishError(Exception):
    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


class Bmc:
    """Reads JSON documents from one BMC with basic authentication."""

    def __init__(self, spec: CheckSpec) -> None:
        params = spec.params
        self.host = spec.host
        self.secure = str(params.get("scheme", "https")) == "https"
        self.port = int(params.get("port") or (443 if self.secure else 80))
        pair = f"{params.get('username', '')}:{params.get('password', '')}"
        self.headers = {
            "Authorization": "Basic " + base64.b64encode(pair.encode()).decode(),
            "Accept": "application/json",
            "OData-Version": "4.0",
        }
        self.tls: ssl.SSLContext | None = None
        if self.secure:
            verify = bool(params.get("verify_tls", True))
            self.tls = tls_context(verify, params.get("ca_file") or None)
        self.gate = asyncio.Semaphore(PARALLEL)
        self.read = 0

    async def get(self, path: str) -> dict[str, Any]:
        self.read += 1
        if self.read > MAX_DOCUMENTS:
            raise RedfishError("protocol", f"more than {MAX_DOCUMENTS} documents")
        netloc = self.host if self.port in (80, 443) else f"{self.host}:{self.port}"
        request = build_request("GET", path, netloc, self.headers)
        async with self.gate:
            response = await fetch(
                self.host, self.port, request, tls=self.tls, server_hostname=self.host
            )
        if response.status in (401, 403):
            raise RedfishError(
                "auth", f"the BMC refused the account ({response.status})"
            )
        if response.status != 200:
            raise RedfishError("status", f"HTTP {response.status} for {path}")
        try:
            document = json.loads(response.body)
        except ValueError as error:
            raise RedfishError("protocol", f"{path} is not JSON") from error
        if not isinstance(document, dict):
            raise RedfishError("protocol", f"{path} is not a JSON object")
        return document

    async def members(self, path: str) -> list[dict[str, Any]]:
        collection = await self.get(path)
        links = [
            m["@odata.id"] for m in collection.get("Members", []) if "@odata.id" in m
        ]
        return list(await asyncio.gather(*(self.get(link) for link in links)))

    async def linked(
        self, document: Mapping[str, Any], key: str
    ) -> list[dict[str, Any]]:
        """The documents a property links to: a collection, a list of links,
        or a list of embedded objects."""
        value = document.get(key)
        if isinstance(value, dict) and "@odata.id" in value:
            return await self.members(value["@odata.id"])
        if isinstance(value, list):
            links = [item for item in value if isinstance(item, dict)]
            return list(await asyncio.gather(*(self.expand(item) for item in links)))
        return []

    async def expand(self, item: dict[str, Any]) -> dict[str, Any]:
        if set(item) == {"@odata.id"}:
            return await self.get(item["@odata.id"])
        return item


def health(document: Mapping[str, Any] | None) -> str | None:
    """The Status.Health of a document ("OK", "Warning", "Critical"; None
    when absent or when the part is not there — Status.State "Absent")."""
    if not document:
        return None
    status = document.get("Status") or {}
    if status.get("State") == "Absent":
        return None
    value = status.get("Health") or status.get("HealthRollup")
    return value if value in RANK else None


def worst(*values: str | None) -> str:
    return HEALTH_OF_RANK[max((RANK[v] for v in values if v), default=0)]


def _label(document: Mapping[str, Any]) -> str:
    return str(document.get("Name") or document.get("Id") or "?")


async def _battery(bmc: Bmc, controller: Mapping[str, Any]) -> str | None:
    """A controller's battery health where the schema gives one: a
    ``Battery`` link or object (Redfish Battery, 2021.2) on the controller
    or among its links."""
    for owner in (controller, controller.get("Links") or {}):
        found = owner.get("Battery") or owner.get("Batteries")
        if isinstance(found, list):
            found = found[0] if found else None
        if isinstance(found, dict):
            return health(await bmc.expand(found))
    return None


async def read_array(bmc: Bmc, storage: dict[str, Any]) -> dict[str, Any]:
    """One storage subsystem's state, with its problems."""
    # StorageControllers (embedded) is the older form of Controllers (a link).
    controllers = [c for c in storage.get("StorageControllers") or [] if c]
    controllers = controllers or await bmc.linked(storage, "Controllers")
    drives, volumes = await asyncio.gather(
        bmc.linked(storage, "Drives"), bmc.linked(storage, "Volumes")
    )
    batteries = [await _battery(bmc, c) for c in controllers]
    cache = [health(c.get("CacheSummary")) for c in controllers]
    problems: list[tuple[str, str]] = []
    for kind, items in (
        ("controller", controllers),
        ("volume", volumes),
        ("drive", drives),
    ):
        for item in items:
            seen = health(item)
            if seen in ("Warning", "Critical"):
                problems.append((seen, f"{kind} {_label(item)} {seen}"))
    for what, values in (("cache", cache), ("battery", batteries)):
        seen = worst(*values) if any(values) else None
        if seen in ("Warning", "Critical"):
            problems.append((seen, f"{what} {seen}"))
    spares = [d for d in drives if (d.get("HotspareType") or "None") != "None"]
    return {
        "id": str(storage.get("Id") or _label(storage)),
        "name": _label(storage),
        "health": worst(health(storage), *(p[0] for p in problems)),
        "controllers": len(controllers),
        "volumes": [
            {
                "name": _label(v),
                "raid": v.get("RAIDType") or v.get("VolumeType") or "",
                "health": health(v) or "",
                "state": (v.get("Status") or {}).get("State", ""),
            }
            for v in volumes
        ],
        "drives": len(drives),
        "failed_drives": sum(1 for d in drives if health(d) == "Critical"),
        "hot_spares": len(spares),
        "cache": worst(*cache) if any(cache) else None,
        "battery": worst(*batteries) if any(batteries) else None,
        "problems": [text for _rank, text in problems],
    }


async def read_storage(bmc: Bmc, spec: CheckSpec) -> list[dict[str, Any]]:
    system = spec.params.get("system")
    paths = (
        [f"{ROOT}/{system}"]
        if system
        else [m["@odata.id"] for m in (await bmc.get(ROOT)).get("Members", [])]
    )
    arrays: list[dict[str, Any]] = []
    for path in paths:
        subsystems = await bmc.members(f"{path.rstrip('/')}/Storage")
        arrays += await asyncio.gather(*(read_array(bmc, s) for s in subsystems))
    return arrays


def judge(
    arrays: list[dict[str, Any]], params: Mapping[str, Any]
) -> tuple[Status, str, str]:
    """(status, reason, message) of the arrays read."""
    if not arrays:
        return Status.UNKNOWN, "storage", "the system lists no storage"
    rank = max(RANK[a["health"]] for a in arrays)
    problems = [f"{a['name']}: {p}" for a in arrays for p in a["problems"]]
    if rank == RANK["Critical"]:
        return Status.DOWN, "failed", "; ".join(problems)[:500]
    if rank == RANK["Warning"]:
        return Status.DEGRADED, "degraded", "; ".join(problems)[:500]
    wanted = int(params.get("min_hot_spares", 0))
    short = [a["name"] for a in arrays if a["hot_spares"] < wanted]
    if short:
        return (
            Status.DEGRADED,
            "spares",
            f"fewer than {wanted} hot spares: {', '.join(short)}",
        )
    return Status.UP, "", ""


@probe("redfish")
async def check_redfish(spec: CheckSpec) -> Outcome:
    """Read the storage of a server's BMC and judge its health."""
    started = time.perf_counter()
    bmc = Bmc(spec)
    try:
        async with asyncio.timeout(budget(spec.timeout)):
            arrays = await read_storage(bmc, spec)
    except RedfishError as error:
        return Outcome(Status.DOWN, message=str(error), reason=error.reason)
    except ssl.SSLCertVerificationError as error:
        return Outcome(
            Status.DOWN, message=error.verify_message or str(error), reason="tls"
        )
    except ssl.SSLError as error:
        return Outcome(Status.DOWN, message=str(error), reason="tls")
    except ProtocolError as error:
        return Outcome(Status.DOWN, message=str(error), reason="protocol")
    except (OSError, TimeoutError) as error:
        return failed(error)
    latency = ms(started, time.perf_counter())
    status, reason, message = judge(arrays, spec.params)
    return Outcome(status, latency, message, reason, {"arrays": arrays})
