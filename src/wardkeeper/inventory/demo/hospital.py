"""The demo hospital's shape: campuses, buildings, floors, kinds of room and
departments of a Chinese tertiary hospital, named in English.

Everything here is plain data; ``plan.py`` turns it into rows.
"""

from __future__ import annotations

from dataclasses import dataclass

from wardkeeper.inventory.choices import Criticality

CRIT = Criticality.CRITICAL
HIGH = Criticality.HIGH
NORMAL = Criticality.NORMAL
OFFICE = Criticality.NON_CLINICAL


@dataclass(frozen=True)
class RoomKind:
    """A kind of room: its name pattern, clinical criticality and the
    equipment a typical one holds (type code, how many). A ``fixed`` room
    holds exactly that (one scanner per scanner room); the others are scaled
    together to the demo's size."""

    label: str  # "{dept}", "{n}", "{floor}" and "{section}" are filled in
    criticality: Criticality
    assets: tuple[tuple[str, float], ...]
    fixed: bool = False


def kit(text: str) -> tuple[tuple[str, float], ...]:
    """``"workstation:3 printer:0.5"`` → ``(("workstation", 3.0), ("printer", 0.5))``."""
    pairs = (item.split(":") for item in text.split())
    return tuple((code, float(count)) for code, count in pairs)


ROOM_KINDS: dict[str, RoomKind] = {
    "or": RoomKind(
        "Operating theatre {n}",
        CRIT,
        kit(
            "patient-monitor:2 workstation:3 infusion-gateway:1 ip-phone:1 camera:2 ups:1"
        ),
    ),
    "icu": RoomKind(
        "ICU bay {n}",
        CRIT,
        kit(
            "patient-monitor:10 infusion-gateway:2 workstation:4 laptop:2 ip-phone:1 camera:1"
        ),
    ),
    "resus": RoomKind(
        "Resuscitation room {n}",
        CRIT,
        kit("patient-monitor:3 ecg:1 workstation:1 infusion-gateway:1 ups:1"),
    ),
    "ed": RoomKind(
        "Emergency treatment room {n}",
        CRIT,
        kit("patient-monitor:3 workstation:2 ecg:0.5 infusion-gateway:0.5"),
    ),
    "triage": RoomKind(
        "{dept} triage desk",
        HIGH,
        kit("workstation:3 kiosk:2 printer:2 label-printer:1 camera:1"),
    ),
    "station": RoomKind(
        "{dept} nurse station",
        HIGH,
        kit(
            "workstation:10 printer:2 label-printer:3 ip-phone:3 patient-monitor:1 "
            "laptop:4 wireless-ap:2 camera:1"
        ),
    ),
    "ward": RoomKind(
        "{dept} ward room {n}",
        NORMAL,
        kit("patient-monitor:1.5 wireless-ap:1 infusion-gateway:0.5"),
    ),
    "doctors": RoomKind(
        "{dept} doctors' office",
        NORMAL,
        kit("workstation:18 printer:3 ip-phone:2 laptop:1"),
    ),
    "consult": RoomKind(
        "{dept} consultation room {n}",
        NORMAL,
        kit("workstation:2 printer:2 label-printer:0.5 ip-phone:1"),
    ),
    "registration": RoomKind(
        "Registration and cashier hall {n}",
        HIGH,
        kit(
            "kiosk:16 workstation:12 printer:12 label-printer:4 camera:4 "
            "wireless-ap:3 ip-phone:2"
        ),
    ),
    "pharmacy": RoomKind(
        "{dept} dispensary",
        HIGH,
        kit("workstation:12 printer:6 label-printer:6 kiosk:2 camera:2"),
    ),
    "ct": RoomKind(
        "CT room {n}", HIGH, kit("ct:1 workstation:2 ups:1 printer:1"), fixed=True
    ),
    "mr": RoomKind("MR room {n}", HIGH, kit("mr:1 workstation:2 ups:1"), fixed=True),
    "us": RoomKind(
        "Ultrasound room {n}",
        NORMAL,
        kit("ultrasound:1 workstation:1 printer:1"),
        fixed=True,
    ),
    "reading": RoomKind("{dept} reading room", HIGH, kit("workstation:16 printer:2")),
    "lab": RoomKind(
        "{section} laboratory",
        HIGH,
        kit("workstation:10 printer:3 label-printer:4 ups:1"),
    ),
    "ecg": RoomKind("ECG room {n}", NORMAL, kit("ecg:3 workstation:2 printer:1")),
    "office": RoomKind(
        "{dept} office", OFFICE, kit("workstation:8 printer:2 laptop:2 ip-phone:4")
    ),
    "meeting": RoomKind(
        "Meeting room {n}", OFFICE, kit("workstation:1 laptop:1 ip-phone:1")
    ),
    "closet": RoomKind("Network closet {floor}", HIGH, kit("switch:6 ups:1 camera:3")),
    "datacentre": RoomKind(
        "Data centre hall {n}",
        CRIT,
        kit("server:100 storage:6 switch:12 router:2 firewall:4 ups:4"),
    ),
    "servicedesk": RoomKind(
        "IT service desk", OFFICE, kit("workstation:10 ip-phone:6 laptop:4 printer:2")
    ),
    "security": RoomKind(
        "Security control room", OFFICE, kit("workstation:6 camera:4")
    ),
    "store": RoomKind("IT store", OFFICE, (), fixed=True),
}
# The sections of a laboratory department, one per laboratory room.
LAB_SECTIONS = {
    "CLAB": (
        "Specimen reception",
        "Clinical chemistry",
        "Haematology",
        "Immunology",
        "Microbiology",
        "Molecular diagnostics (PCR)",
    ),
    "PATH": ("Histology", "Cytology"),
}
# Shorter department names where a room's name carries one.
SHORT_NAMES = {
    "OPDO": "Outpatient",
    "ANAE": "Theatre",
    "ENTS": "ENT",
    "OBGY": "Obstetrics and Gynaecology",
    "TCMD": "TCM",
    "RADI": "Radiology",
}


# (code, name, cost centre, clinical, campus)
DEPARTMENTS = (
    ("CARD", "Cardiology", "CC1101", True, "MAIN"),
    ("RESP", "Respiratory Medicine", "CC1102", True, "MAIN"),
    ("GAST", "Gastroenterology", "CC1103", True, "MAIN"),
    ("NEUR", "Neurology", "CC1104", True, "MAIN"),
    ("NEPH", "Nephrology", "CC1105", True, "MAIN"),
    ("ENDO", "Endocrinology", "CC1106", True, "MAIN"),
    ("ONCO", "Oncology", "CC1107", True, "MAIN"),
    ("GENM", "General Medicine", "CC1108", True, "MAIN"),
    ("GSUR", "General Surgery", "CC1201", True, "MAIN"),
    ("ORTH", "Orthopaedics", "CC1202", True, "MAIN"),
    ("UROL", "Urology", "CC1203", True, "MAIN"),
    ("OBGY", "Obstetrics and Gynaecology", "CC1204", True, "MAIN"),
    ("PAED", "Paediatrics", "CC1205", True, "EAST"),
    ("OPHT", "Ophthalmology", "CC1206", True, "MAIN"),
    ("ENTS", "Otorhinolaryngology (ENT)", "CC1207", True, "MAIN"),
    ("DERM", "Dermatology", "CC1208", True, "MAIN"),
    ("STOM", "Stomatology", "CC1209", True, "MAIN"),
    ("TCMD", "Traditional Chinese Medicine", "CC1210", True, "MAIN"),
    ("REHA", "Rehabilitation Medicine", "CC1211", True, "EAST"),
    ("EMER", "Emergency Medicine", "CC1301", True, "MAIN"),
    ("ICU", "Intensive Care Unit", "CC1302", True, "MAIN"),
    ("ANAE", "Anaesthesiology and Theatres", "CC1303", True, "MAIN"),
    ("RADI", "Radiology", "CC2101", True, "MAIN"),
    ("ULTR", "Ultrasound", "CC2102", True, "MAIN"),
    ("CLAB", "Clinical Laboratory", "CC2103", True, "MAIN"),
    ("PATH", "Pathology", "CC2104", True, "MAIN"),
    ("PHAR", "Pharmacy", "CC2105", True, "MAIN"),
    ("HCC", "Health Check Centre", "CC2106", True, "MAIN"),
    ("OPDO", "Outpatient Office", "CC2107", True, "MAIN"),
    ("NURS", "Nursing Department", "CC2108", True, "MAIN"),
    ("EEMR", "Emergency Medicine (East)", "CC1311", True, "EAST"),
    ("EGEN", "General Medicine (East)", "CC1111", True, "EAST"),
    ("EGER", "Geriatrics (East)", "CC1112", True, "EAST"),
    ("FIN", "Finance", "CC3101", False, "MAIN"),
    ("HR", "Human Resources", "CC3102", False, "MAIN"),
    ("MEDA", "Medical Affairs", "CC3103", False, "MAIN"),
    ("INFO", "Information Centre", "CC3104", False, "MAIN"),
    ("EQUP", "Medical Equipment Department", "CC3105", False, "MAIN"),
    ("LOGI", "Logistics and Security", "CC3106", False, "MAIN"),
    ("HOFF", "Hospital Office", "CC3107", False, "MAIN"),
    ("QUAL", "Quality and Infection Control", "CC3108", False, "MAIN"),
)

# Pinyin names, family name first as in China.
FAMILY_NAMES = [
    "Wang",
    "Li",
    "Zhang",
    "Liu",
    "Chen",
    "Yang",
    "Zhao",
    "Huang",
    "Zhou",
    "Wu",
    "Xu",
    "Sun",
    "Hu",
    "Zhu",
    "Gao",
    "Lin",
    "He",
    "Guo",
    "Ma",
    "Luo",
    "Liang",
    "Song",
    "Zheng",
    "Xie",
    "Han",
    "Tang",
    "Feng",
    "Deng",
    "Cao",
    "Peng",
    "Zeng",
    "Xiao",
    "Tian",
    "Dong",
]
GIVEN_NAMES = [
    "Wei",
    "Fang",
    "Min",
    "Jing",
    "Lei",
    "Qiang",
    "Jun",
    "Yang",
    "Yan",
    "Jie",
    "Tao",
    "Ming",
    "Chao",
    "Xiuying",
    "Xia",
    "Ping",
    "Gang",
    "Hui",
    "Yun",
    "Hong",
    "Lin",
    "Ying",
    "Hao",
    "Yu",
    "Xin",
    "Bo",
    "Lan",
    "Juan",
    "Dan",
    "Kai",
    "Rui",
    "Ning",
    "Qian",
    "Shu",
]
