"""A small, realistic hospital for page tests and screenshots: places with
their clinical criticality, departments, models and about thirty assets."""

import datetime as dt
from decimal import Decimal

from tests.factories.inventory import (
    AssetFactory,
    AssetModelFactory,
    BuildingFactory,
    CampusFactory,
    ContractFactory,
    DepartmentFactory,
    FloorFactory,
    ManufacturerFactory,
    RoomFactory,
    SparePoolFactory,
    VendorFactory,
    asset_type,
)
from wardkeeper.inventory.choices import Criticality
from wardkeeper.inventory.models import AssetType

TODAY = dt.date.today()

MODELS = {  # name: (manufacturer, built-in type)
    "OptiPlex 7010": ("Dell", "workstation"),
    "LaserJet Pro M404dn": ("HP", "printer"),
    "ZD421 wristband printer": ("Zebra", "label-printer"),
    "S5735-L48T4X": ("Huawei", "switch"),
    "BeneVision N17": ("Mindray", "patient-monitor"),
    "PageWriter TC50": ("Philips", "ecg"),
    "PowerEdge R750": ("Dell", "server"),
    "Smart-UPS 3000": ("APC", "ups"),
    "AP-515": ("Aruba", "wireless-ap"),
    "Revolution CT": ("GE HealthCare", "ct"),
}
# tag | name | model | room | department | status | last octet of the IP address
ASSETS_TABLE = """
NUR-3F-001  | NUR-3F Nurse station PC          | OptiPlex 7010           | ns3   | icu       | in_use    | 21
NUR-3F-002  | NUR-3F Medication cart PC        | OptiPlex 7010           | ns3   | icu       | in_use    | 22
NUR-3F-003  | NUR-3F Wristband printer         | ZD421 wristband printer | ns3   | icu       | in_use    | 23
ICU-BED-04  | ICU bed 4 patient monitor        | BeneVision N17          | icu4  | icu       | in_use    | 41
ICU-BED-05  | ICU bed 5 patient monitor        | BeneVision N17          | icu5  | icu       | in_repair | 42
ICU-BED-06  | ICU bed 6 patient monitor        | BeneVision N17          | icu6  | icu       | in_use    | 43
ICU-ECG-01  | ICU ECG cart                     | PageWriter TC50         | icu4  | icu       | in_use    | 44
OR3-PC-01   | OR 3 anaesthesia record PC       | OptiPlex 7010           | or3   | surgery   | in_use    | 31
OR3-PRN-01  | OR 3 label printer               | ZD421 wristband printer | or3   | surgery   | at_vendor |
RAD-CT-02   | CT room 2 scanner                | Revolution CT           | ct2   | radiology | in_use    | 61
RAD-PC-11   | Reading room PC 1                | OptiPlex 7010           | read  | radiology | in_use    | 62
RAD-PC-12   | Reading room PC 2                | OptiPlex 7010           | read  | radiology | in_use    | 63
RAD-PRN-01  | Radiology front desk printer     | LaserJet Pro M404dn     | read  | radiology | in_use    | 64
ER-REG-01   | ER registration kiosk PC         | OptiPlex 7010           | er    | emergency | in_use    | 81
ER-REG-02   | ER triage desk PC                | OptiPlex 7010           | er    | emergency | in_use    | 82
ER-PRN-01   | ER triage wristband printer      | ZD421 wristband printer | er    | emergency | in_use    | 83
PHA-PC-01   | Pharmacy dispensing PC           | OptiPlex 7010           | pharm | pharmacy  | in_use    | 91
PHA-PRN-01  | Pharmacy label printer           | LaserJet Pro M404dn     | pharm | pharmacy  | in_use    | 92
NET-3F-SW1  | Surgery 3F access switch         | S5735-L48T4X            | idf3  | it        | in_use    | 2
NET-3F-AP1  | Surgery 3F corridor access point | AP-515                  | ns3   | it        | in_use    | 3
NET-1F-SW1  | Surgery 1F access switch         | S5735-L48T4X            | idf1  | it        | in_use    | 4
SRV-PACS-01 | PACS archive server              | PowerEdge R750          | dc    | it        | in_use    | 10
UPS-DC-01   | Data centre UPS A                | Smart-UPS 3000          | dc    | it        | in_use    |
SPR-PC-07   | Spare ward PC                    | OptiPlex 7010           | store | it        | in_stock  |
SPR-PC-08   | Spare ward PC                    | OptiPlex 7010           | store | it        | in_stock  |
OLD-PC-31   | Old outpatient PC                | OptiPlex 7010           | store | it        | retired   |
ORD-MON-09  | ICU bed 9 patient monitor        | BeneVision N17          |       | icu       | ordered   |
"""
ASSETS = [
    tuple(cell.strip() for cell in line.split("|"))
    for line in ASSETS_TABLE.strip().splitlines()
]


def hospital():
    """A small, realistic hospital: places, departments, models, assets."""
    north = CampusFactory(name="North Campus", code="N")
    surgery = BuildingFactory(parent=north, name="Surgery Building", code="N-SUR")
    f3 = FloorFactory(parent=surgery, name="3F", code="N-SUR-3F")
    f1 = FloorFactory(parent=surgery, name="1F", code="N-SUR-1F")
    med = BuildingFactory(parent=north, name="Medical Technology", code="N-MT")
    mt1 = FloorFactory(parent=med, name="1F", code="N-MT-1F")
    crit, high, normal = Criticality.CRITICAL, Criticality.HIGH, Criticality.NORMAL
    rooms = {
        key: RoomFactory(parent=floor, name=name, code=code, criticality=level)
        for key, floor, name, code, level in [
            ("ns3", f3, "Nurse station 3F", "N-SUR-3F-NS", high),
            ("icu4", f3, "ICU bed 4", "ICU-04", crit),
            ("icu5", f3, "ICU bed 5", "ICU-05", crit),
            ("icu6", f3, "ICU bed 6", "ICU-06", crit),
            ("or3", f3, "Operating theatre 3", "OR-3", crit),
            ("idf3", f3, "Wiring closet 3F", "N-SUR-3F-IDF", high),
            ("er", f1, "Emergency triage", "ER-TRIAGE", crit),
            ("idf1", f1, "Wiring closet 1F", "N-SUR-1F-IDF", high),
            ("pharm", f1, "Inpatient pharmacy", "PHA-1F", normal),
            ("ct2", mt1, "CT room 2", "RAD-CT2", crit),
            ("read", mt1, "Radiology reading room", "RAD-READ", normal),
            ("dc", mt1, "Data centre", "N-DC", crit),
            ("store", mt1, "IT store room", "N-IT-STORE", Criticality.NON_CLINICAL),
        ]
    }
    departments = {
        key: DepartmentFactory(name=name, code=key.upper(), campus=north)
        for key, name in [
            ("icu", "Intensive Care Unit"),
            ("surgery", "Surgery"),
            ("radiology", "Radiology"),
            ("emergency", "Emergency"),
            ("pharmacy", "Pharmacy"),
            ("it", "Information Technology"),
        ]
    }
    models = {
        name: AssetModelFactory(
            name=name,
            manufacturer=ManufacturerFactory(name=maker),
            asset_type=asset_type(kind),
        )
        for name, (maker, kind) in MODELS.items()
    }
    vendor = VendorFactory(name="Shanghai MedIT Services", phone="021-6555-0100")
    assets = {}
    for index, (tag, name, model, room, dept, status, octet) in enumerate(ASSETS):
        assets[tag] = AssetFactory(
            tag=tag,
            name=name,
            model=models[model],
            location=rooms.get(room),  # an ordered monitor has no room yet
            department=departments[dept],
            status=status,
            ip_address=f"10.20.{3 + index % 4}.{octet}" if octet else None,
            vendor=vendor,
            purchase_cost=Decimal("4800.00"),
            purchase_date=TODAY - dt.timedelta(days=400 + 30 * index),
            warranty_end=TODAY + dt.timedelta(days=500 - 40 * index),
        )
    # A type's own fields: the CT scanners carry their DICOM identity.
    ct = AssetType.objects.get(code="ct")
    ct.extra_fields = [
        {"key": "slices", "label": "Slices", "type": "number"},
        {"key": "dicom_ae", "label": "DICOM AE title", "type": "text"},
    ]
    ct.save()
    assets["RAD-CT-02"].extra = {"slices": 128, "dicom_ae": "CT2_NORTH"}
    assets["RAD-CT-02"].save()
    cover(vendor, assets)
    north = rooms["store"].campus
    SparePoolFactory(
        name="Spare ward PCs",
        campus=north,
        asset_model=models["OptiPlex 7010"],
        minimum_level=2,
        storage=rooms["store"],
    )
    SparePoolFactory(
        name="Spare patient monitors",
        campus=north,
        asset_model=models["BeneVision N17"],
        minimum_level=1,
        storage=rooms["store"],
    )
    return {"rooms": rooms, "departments": departments, "models": models}


def cover(vendor, assets):
    """Two maintenance contracts: monitors (ending soon) and PCs."""
    monitors = ContractFactory(
        vendor=vendor,
        number="MR-2024-118",
        title="Patient monitor maintenance",
        ends_on=TODAY + dt.timedelta(days=45),
        response_hours=4,
        restore_hours=24,
        onsite=True,
    )
    monitors.assets.set([a for tag, a in assets.items() if tag.startswith("ICU-BED")])
    pcs = ContractFactory(
        vendor=vendor,
        kind="warranty",
        number="DELL-PS-2291",
        title="Dell ProSupport for ward PCs",
        ends_on=TODAY + dt.timedelta(days=220),
    )
    pcs.assets.set([a for a in assets.values() if a.model.name == "OptiPlex 7010"])
