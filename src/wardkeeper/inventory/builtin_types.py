"""The asset types every hospital has, created by the first migrate.

(code, English name, category, depreciation years, stores data)
"""

BUILTIN_TYPES = [
    ("workstation", "Workstation", "end_user", 5, True),
    ("kiosk", "All-in-one / kiosk", "end_user", 5, True),
    ("laptop", "Laptop", "end_user", 4, True),
    ("printer", "Printer", "end_user", 5, False),
    ("label-printer", "Label / wristband printer", "end_user", 5, False),
    ("ip-phone", "IP phone", "end_user", 6, False),
    ("server", "Server", "server", 5, True),
    ("storage", "Storage array", "server", 6, True),
    ("switch", "Switch", "network", 7, False),
    ("router", "Router", "network", 7, False),
    ("firewall", "Firewall", "network", 5, False),
    ("wireless-ap", "Wireless access point", "network", 5, False),
    ("ups", "UPS", "power", 8, False),
    ("camera", "IP camera", "other", 6, True),
    ("ct", "CT scanner", "medical", 10, True),
    ("mr", "MR scanner", "medical", 10, True),
    ("ultrasound", "Ultrasound", "medical", 8, True),
    ("ecg", "ECG", "medical", 8, True),
    ("infusion-gateway", "Infusion pump gateway", "medical", 8, True),
    ("patient-monitor", "Patient monitor", "medical", 8, True),
]
