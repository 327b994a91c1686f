"""The demo hospital's buildings: which rooms each floor holds, and for which
department. Plain data; ``places.py`` turns it into locations."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Building:
    """A building and its floors; each floor lists (room kind, count, department)."""

    campus: str
    code: str
    name: str
    chinese: str
    octet: int  # second octet of the building's 10.x.0.0/16 address plan
    floors: tuple[tuple[str, tuple[tuple[str, int, str], ...]], ...]


def ward_floor(dept: str, rooms: int = 7) -> tuple[tuple[str, int, str], ...]:
    return (
        ("station", 1, dept),
        ("doctors", 1, dept),
        ("ward", rooms, dept),
        ("closet", 1, "INFO"),
    )


def clinic_floor(*depts: str) -> tuple[tuple[str, int, str], ...]:
    return (
        *(("consult", 2, dept) for dept in depts),
        ("triage", 1, "OPDO"),
        ("closet", 1, "INFO"),
    )


CAMPUSES = (
    ("MAIN", "Main Campus", "本部院区", "1 Renmin Road"),
    ("EAST", "East Campus", "东院区", "88 Dongfang Avenue"),
)
# The departments of the inpatient tower's ward floors, 2F upwards.
MAIN_WARDS: tuple[str, ...] = (
    *("CARD", "RESP", "GAST", "NEUR", "NEPH", "ENDO"),
    *("ONCO", "GSUR", "ORTH", "UROL", "OBGY"),
)
BUILDINGS = (
    Building(
        "MAIN",
        "OPD",
        "Outpatient Building",
        "门诊楼",
        11,
        (
            (
                "1F",
                (
                    ("registration", 2, "OPDO"),
                    ("pharmacy", 1, "PHAR"),
                    ("consult", 2, "GENM"),
                    ("closet", 1, "INFO"),
                ),
            ),
            ("2F", (*clinic_floor("CARD", "RESP", "GAST", "NEUR"), ("ecg", 2, "CARD"))),
            ("3F", clinic_floor("GSUR", "ORTH", "UROL", "OBGY")),
            ("4F", clinic_floor("PAED", "OPHT", "ENTS", "DERM", "STOM", "TCMD")),
            (
                "5F",
                (
                    ("consult", 3, "HCC"),
                    ("us", 1, "ULTR"),
                    ("office", 1, "HCC"),
                    ("closet", 1, "INFO"),
                ),
            ),
        ),
    ),
    Building(
        "MAIN",
        "IPD",
        "Inpatient Tower",
        "住院楼",
        12,
        (
            (
                "1F",
                (
                    ("registration", 1, "OPDO"),
                    ("pharmacy", 1, "PHAR"),
                    ("closet", 1, "INFO"),
                ),
            ),
            *((f"{n + 2}F", ward_floor(dept)) for n, dept in enumerate(MAIN_WARDS)),
        ),
    ),
    Building(
        "MAIN",
        "SUR",
        "Surgery and ICU Building",
        "外科与重症医学楼",
        13,
        (
            (
                "1F",
                (
                    ("triage", 1, "EMER"),
                    ("resus", 2, "EMER"),
                    ("ed", 4, "EMER"),
                    ("station", 1, "EMER"),
                    ("doctors", 1, "EMER"),
                    ("closet", 1, "INFO"),
                ),
            ),
            ("2F", (("station", 1, "ICU"), ("icu", 4, "ICU"), ("closet", 1, "INFO"))),
            (
                "3F",
                (
                    ("or", 6, "ANAE"),
                    ("station", 1, "ANAE"),
                    ("office", 1, "ANAE"),
                    ("closet", 1, "INFO"),
                ),
            ),
            ("4F", (("or", 6, "ANAE"), ("closet", 1, "INFO"))),
        ),
    ),
    Building(
        "MAIN",
        "IMG",
        "Imaging Centre",
        "医学影像中心",
        14,
        (
            ("B1", (("mr", 2, "RADI"), ("closet", 1, "INFO"))),
            (
                "1F",
                (
                    ("ct", 3, "RADI"),
                    ("triage", 1, "RADI"),
                    ("reading", 1, "RADI"),
                    ("closet", 1, "INFO"),
                ),
            ),
            ("2F", (("us", 6, "ULTR"), ("reading", 1, "ULTR"), ("closet", 1, "INFO"))),
        ),
    ),
    Building(
        "MAIN",
        "LAB",
        "Laboratory Building",
        "检验病理楼",
        15,
        (
            ("1F", (("lab", 3, "CLAB"), ("closet", 1, "INFO"))),
            ("2F", (("lab", 3, "CLAB"), ("closet", 1, "INFO"))),
            ("3F", (("lab", 2, "PATH"), ("office", 1, "PATH"), ("closet", 1, "INFO"))),
        ),
    ),
    Building(
        "MAIN",
        "ADM",
        "Administration and Data Centre",
        "行政楼与数据中心",
        16,
        (
            (
                "1F",
                (
                    ("datacentre", 2, "INFO"),
                    ("servicedesk", 1, "INFO"),
                    ("store", 1, "INFO"),
                    ("security", 1, "LOGI"),
                    ("closet", 1, "INFO"),
                ),
            ),
            (
                "2F",
                (
                    *(("office", 1, d) for d in ("FIN", "HR", "MEDA", "NURS", "HOFF")),
                    ("meeting", 1, "HOFF"),
                    ("closet", 1, "INFO"),
                ),
            ),
            (
                "3F",
                (
                    *(("office", 1, d) for d in ("INFO", "EQUP", "LOGI", "QUAL")),
                    ("meeting", 1, "INFO"),
                    ("closet", 1, "INFO"),
                ),
            ),
        ),
    ),
    Building(
        "EAST",
        "GEN",
        "General Building",
        "综合楼",
        21,
        (
            (
                "1F",
                (
                    ("registration", 1, "OPDO"),
                    ("pharmacy", 1, "PHAR"),
                    ("triage", 1, "EEMR"),
                    ("resus", 1, "EEMR"),
                    ("ed", 2, "EEMR"),
                    ("closet", 1, "INFO"),
                ),
            ),
            ("2F", clinic_floor("EGEN", "EGER", "REHA")),
            *(
                (f"{n + 3}F", ward_floor(dept, 5))
                for n, dept in enumerate(("EGEN", "EGER", "REHA", "PAED"))
            ),
        ),
    ),
    Building(
        "EAST",
        "MTB",
        "Medical Technology Building",
        "医技楼",
        22,
        (
            (
                "1F",
                (
                    ("ct", 1, "RADI"),
                    ("us", 2, "ULTR"),
                    ("reading", 1, "RADI"),
                    ("lab", 2, "CLAB"),
                    ("closet", 1, "INFO"),
                ),
            ),
            (
                "2F",
                (
                    ("datacentre", 1, "INFO"),
                    ("store", 1, "INFO"),
                    ("office", 1, "INFO"),
                    ("closet", 1, "INFO"),
                ),
            ),
        ),
    ),
)
