"""The demo's contracts, spare pools and open stocktake, written over the
assets already in the database."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.utils import timezone

from wardkeeper.core import audit
from wardkeeper.core.models.audit import AuditAction
from wardkeeper.inventory.choices import (
    AssetStatus,
    ContractKind,
    LocationKind,
)
from wardkeeper.inventory.demo.catalogue import MODELS
from wardkeeper.inventory.demo.identity import add_years
from wardkeeper.inventory.demo.plan import SPARE_POOLS, HospitalPlan
from wardkeeper.inventory.demo.writer import MESSAGE, demo_context, insert
from wardkeeper.inventory.models import (
    Asset,
    AssetModel,
    AssetType,
    Contract,
    LifecycleEvent,
    Location,
    SparePool,
    Vendor,
)

K = ContractKind
# One row per contract keeps the table readable; the formatter would explode it.
# fmt: off
# (kind, vendor, title, types covered, makers covered (empty: any), response h,
#  restore h, on-site, yearly cost, years per term, coverage)
CONTRACTS: tuple[tuple[Any, ...], ...] = (
    (K.MAINTENANCE, "Siemens Healthineers Ltd. (China)", "Full-service maintenance: Siemens CT and MR", ("ct", "mr"), ("Siemens Healthineers",), 4, 48, True, 1_850_000, 1, "Parts, labour, X-ray tubes and coils; two preventive visits a year; remote monitoring."),
    (K.MAINTENANCE, "GE HealthCare (China) Co., Ltd.", "Service contract: GE CT, ultrasound and monitors", ("ct", "ultrasound", "patient-monitor"), ("GE HealthCare",), 4, 48, True, 980_000, 1, "Parts and labour, one preventive visit a year, software updates."),
    (K.MAINTENANCE, "United Imaging Healthcare Co., Ltd.", "Service contract: United Imaging CT and MR", ("ct", "mr"), ("United Imaging",), 4, 48, True, 1_200_000, 1, "Parts and labour; 95% uptime guarantee."),
    (K.MAINTENANCE, "Shenzhen Mindray Medical Sales Co., Ltd.", "Maintenance: Mindray monitors, ultrasound, ECG and infusion", ("patient-monitor", "ultrasound", "ecg", "infusion-gateway"), ("Mindray",), 8, 72, True, 460_000, 1, "Parts and labour; loan monitors during repair; yearly safety tests."),
    (K.MAINTENANCE, "Kangjian Medical Equipment Services Co., Ltd.", "Third-party maintenance: Philips and B. Braun devices", ("patient-monitor", "ecg", "infusion-gateway"), ("Philips", "B. Braun"), 8, 96, True, 180_000, 1, "Labour and common parts; yearly electrical safety tests."),
    (K.SUPPORT, "Huaxin Digital Systems Co., Ltd.", "Network support: Huawei switches, routers and Wi-Fi", ("switch", "router", "wireless-ap"), ("Huawei",), 2, 8, True, 320_000, 3, "24x7 hotline, next-business-day parts, firmware updates."),
    (K.SUPPORT, "Huaxin Digital Systems Co., Ltd.", "Network support: H3C and Ruijie", ("switch", "router", "wireless-ap"), ("H3C", "Ruijie"), 4, 24, True, 140_000, 3, "Business-hours hotline, parts replacement."),
    (K.SUPPORT, "Jinqiao Network Technology Co., Ltd.", "Cisco SmartNet: core switches and IP phones", ("switch", "ip-phone"), ("Cisco",), 4, 24, False, 90_000, 1, "Software updates and advance hardware replacement."),
    (K.SUPPORT, "Jinqiao Network Technology Co., Ltd.", "FortiGate FortiCare and threat protection", ("firewall",), ("Fortinet",), 2, 8, True, 210_000, 1, "24x7 support, signature subscriptions (IPS, antivirus, web filter)."),
    (K.SUPPORT, "Jinqiao Network Technology Co., Ltd.", "Sangfor NGAF security service subscription", ("firewall",), ("Sangfor",), 2, 8, True, 95_000, 1, "Signature updates, 24x7 hotline."),
    (K.WARRANTY, "Yunhai Data Services Co., Ltd.", "ProSupport: Dell data-centre servers and storage", ("server", "storage"), ("Dell",), 4, 8, True, 380_000, 3, "4-hour on-site response, 24x7; failed disks stay in the hospital."),
    (K.WARRANTY, "Yunhai Data Services Co., Ltd.", "Warranty extension: Huawei and Inspur servers", ("server", "storage"), ("Huawei", "Inspur"), 4, 24, True, 260_000, 3, "Next-business-day on-site; failed disks stay in the hospital."),
    (K.MAINTENANCE, "Ruitong Power Engineering Co., Ltd.", "UPS maintenance and quarterly battery checks", ("ups",), ("APC", "Eaton"), 4, 24, True, 150_000, 1, "Quarterly inspections, battery replacement at cost, 24x7 emergency call-out."),
    (K.MAINTENANCE, "Dongfang IT Supplies Co., Ltd.", "Managed print service", ("printer", "label-printer"), (), 8, 48, True, 260_000, 1, "Toner, ribbons, labels and repairs for every printer."),
    (K.WARRANTY, "Dongfang IT Supplies Co., Ltd.", "Extended warranty: PCs, laptops and kiosks", ("workstation", "laptop", "kiosk"), (), 8, 72, True, 120_000, 3, "On-site repair; replacement disks stay in the hospital."),
    (K.MAINTENANCE, "Anbao Security Technology Co., Ltd.", "CCTV maintenance", ("camera",), (), 8, 72, True, 65_000, 1, "Quarterly cleaning and focus checks, repairs."),
    (K.SUPPORT, "Hengxin HIS Software Support Centre", "HIS and EMR software support and upgrades", (), (), 1, 4, True, 1_600_000, 1, "24x7 support of the HIS, EMR and their interfaces; two upgrades a year."),
    (K.SUPPORT, "Hengxin HIS Software Support Centre", "LIS and PACS interface support", (), (), 2, 8, False, 240_000, 1, "HL7 and DICOM interface support for the LIS and PACS."),
    (K.LEASE, "Kangjian Medical Equipment Services Co., Ltd.", "Lease: portable ultrasound for the Health Check Centre", ("ultrasound",), ("GE HealthCare",), 8, 48, True, 120_000, 2, "Lease with maintenance included."),
    (K.PURCHASE, "Dongfang IT Supplies Co., Ltd.", "Purchase: workstation refresh", ("workstation",), ("Dell",), None, None, False, 1_350_000, 1, "Delivery, installation and imaging of the new PCs."),
)
# fmt: on


def contract_term(
    rng: random.Random, index: int, today: dt.date, years: int
) -> tuple[dt.date, dt.date]:
    """Start and end of the current term: every fourth contract ends within 60 days."""
    if index % 4 == 1:
        ends = today + dt.timedelta(days=rng.randint(5, 58))
    else:
        ends = today + dt.timedelta(days=rng.randint(75, 365 * years - 30))
    return add_years(ends, -years) + dt.timedelta(days=1), ends


def write_contracts(
    rng: random.Random, today: dt.date, vendors: dict[str, Vendor]
) -> list[Contract]:
    """Each contract's current term and, for renewals, the term before it."""
    rows: list[tuple[Contract, tuple[str, ...], tuple[str, ...]]] = []
    for index, (
        kind,
        vendor,
        title,
        types,
        makers,
        response,
        restore,
        onsite,
        cost,
        years,
        coverage,
    ) in enumerate(CONTRACTS):
        starts, ends = contract_term(rng, index, today, years)
        terms = [(starts, ends)]
        if kind not in (K.PURCHASE, K.LEASE):
            terms.append((add_years(starts, -years), starts - dt.timedelta(days=1)))
        for term_start, term_end in terms:
            rows.append(
                (
                    Contract(
                        vendor=vendors[vendor],
                        kind=kind,
                        number=f"WK-HT-{term_start.year}-{len(rows) + 1:03d}",
                        title=title,
                        starts_on=term_start,
                        ends_on=term_end,
                        coverage=coverage,
                        response_hours=response,
                        restore_hours=restore,
                        onsite=onsite,
                        cost=Decimal(
                            round(cost * years * rng.uniform(0.9, 1.1), -2)
                        ).quantize(Decimal("0.01")),
                    ),
                    types,
                    makers,
                )
            )
    contracts = insert(Contract, [row[0] for row in rows])
    cover_assets(
        [
            (contract, types, makers)
            for contract, (_c, types, makers) in zip(contracts, rows, strict=True)
        ]
    )
    return contracts


def cover_assets(rows: list[tuple[Contract, tuple[str, ...], tuple[str, ...]]]) -> None:
    """Link each contract to the assets of its types and makers."""
    through = Contract.assets.through
    links: list[Any] = []
    events: list[audit.Event] = []
    for contract, types, makers in rows:
        if not types:
            continue
        assets = Asset.objects.filter(asset_type__code__in=types)
        if makers:
            assets = assets.filter(model__manufacturer__name__in=makers)
        ids = sorted(assets.values_list("pk", flat=True))
        links.extend(through(contract_id=contract.pk, asset_id=pk) for pk in ids)
        # Recorded as the many-to-many signal would: the ids before and after.
        events.append(
            audit.Event(AuditAction.UPDATE, contract, {"assets": [[], ids]}, MESSAGE)
        )
    through.objects.bulk_create(links, batch_size=2000)
    audit.append_events(events, context=demo_context())


# The moves behind each state the demo leaves an asset in, with their reasons.
S = AssetStatus
MOVES = {
    S.IN_REPAIR: ((S.IN_USE, S.IN_REPAIR),),
    S.AT_VENDOR: ((S.IN_USE, S.IN_REPAIR), (S.IN_REPAIR, S.AT_VENDOR)),
    S.RETIRED: ((S.IN_USE, S.RETIRED),),
    S.DISPOSED: ((S.IN_USE, S.RETIRED), (S.RETIRED, S.DISPOSED)),
}
REASONS = {
    S.IN_REPAIR: (
        "Does not start; taken to the IT workshop.",
        "Intermittent network drop-outs reported by the ward.",
        "Screen flickers; spare swapped in while it is repaired.",
        "Paper feed fault reported by the nurse station.",
        "Battery does not hold its charge.",
    ),
    S.AT_VENDOR: (
        "Main board fault: sent to the vendor under warranty (RMA).",
        "Vendor repair: needs a part not held locally.",
    ),
    S.RETIRED: (
        "End of life at the equipment refresh.",
        "Beyond economic repair.",
    ),
    S.DISPOSED: ("Collected by the certified e-waste contractor.",),
}


def write_history(plan: HospitalPlan, assets: dict[str, Asset]) -> int:
    """Lifecycle moves that brought assets to the states the demo shows."""
    rng = plan.rng_for("history")
    now = timezone.now()
    events, entries = [], []
    for spec in plan.assets:
        steps = MOVES.get(AssetStatus(spec.status), ())
        days = rng.randint(len(steps) * 10, 400)
        for before, after in steps:
            reason = rng.choice(REASONS[after])
            at = now - dt.timedelta(days=days, minutes=rng.randint(0, 600))
            days = rng.randint(0, max(0, days - 5))
            asset = assets[spec.tag]
            events.append(
                LifecycleEvent(
                    asset=asset,
                    from_status=before,
                    to_status=after,
                    reason=reason,
                    at=at,
                )
            )
            entries.append(
                audit.Event(
                    AuditAction.LIFECYCLE,
                    asset,
                    {"status": [str(before), str(after)]},
                    MESSAGE,
                )
            )
    LifecycleEvent.objects.bulk_create(events, batch_size=1000)
    audit.append_events(entries, context=demo_context())
    return len(events)


def write_spare_pools(places: dict[str, Location]) -> list[SparePool]:
    types = {kind.code: kind for kind in AssetType.objects.filter(is_builtin=True)}
    models = {
        m.name: m for m in AssetModel.objects.filter(name__in=[s.name for s in MODELS])
    }
    stores = {
        loc.campus_id: loc
        for loc in places.values()
        if loc.kind == LocationKind.ROOM and loc.name == "IT store"
    }
    rows = []
    for campus, name, type_code, model_name, minimum, _held in SPARE_POOLS:
        campus_loc = places[campus]
        rows.append(
            SparePool(
                name=name,
                campus=campus_loc,
                asset_model=models[model_name] if model_name else None,
                asset_type=None if model_name else types[type_code],
                minimum_level=minimum,
                storage=stores.get(campus_loc.pk),
            )
        )
    return insert(SparePool, rows)
