"""The asset types every hospital has, created by the first migrate.

(code, English name, category, depreciation years, stores data)

The English names are stored; ``gettext_noop`` marks them for the catalog so
``AssetType.display_name`` shows a built-in type in the reader's language.
"""

from typing import Any

from django.utils.translation import gettext_noop

BUILTIN_TYPES = [
    ("workstation", gettext_noop("Workstation"), "end_user", 5, True),
    ("kiosk", gettext_noop("All-in-one / kiosk"), "end_user", 5, True),
    ("laptop", gettext_noop("Laptop"), "end_user", 4, True),
    ("printer", gettext_noop("Printer"), "end_user", 5, False),
    ("label-printer", gettext_noop("Label / wristband printer"), "end_user", 5, False),
    ("ip-phone", gettext_noop("IP phone"), "end_user", 6, False),
    ("server", gettext_noop("Server"), "server", 5, True),
    ("storage", gettext_noop("Storage array"), "server", 6, True),
    ("switch", gettext_noop("Switch"), "network", 7, False),
    ("router", gettext_noop("Router"), "network", 7, False),
    ("firewall", gettext_noop("Firewall"), "network", 5, False),
    ("wireless-ap", gettext_noop("Wireless access point"), "network", 5, False),
    ("ups", gettext_noop("UPS"), "power", 8, False),
    ("camera", gettext_noop("IP camera"), "other", 6, True),
    ("ct", gettext_noop("CT scanner"), "medical", 10, True),
    ("mr", gettext_noop("MR scanner"), "medical", 10, True),
    ("ultrasound", gettext_noop("Ultrasound"), "medical", 8, True),
    ("ecg", gettext_noop("ECG"), "medical", 8, True),
    ("infusion-gateway", gettext_noop("Infusion pump gateway"), "medical", 8, True),
    ("patient-monitor", gettext_noop("Patient monitor"), "medical", 8, True),
]


def ensure_builtin_types(asset_type_model: Any) -> int:
    """Create any missing built-in type (without audit: they ship with the
    software); return how many were created. Takes the model class so the
    data migration can pass its historical model."""
    present = set(asset_type_model.objects.values_list("code", flat=True))
    missing = [
        asset_type_model(
            code=code,
            name=name,
            category=category,
            depreciation_years=years,
            stores_data=stores_data,
            is_builtin=True,
        )
        for code, name, category, years, stores_data in BUILTIN_TYPES
        if code not in present
    ]
    asset_type_model.objects.bulk_create(missing, ignore_conflicts=True)
    return len(missing)
