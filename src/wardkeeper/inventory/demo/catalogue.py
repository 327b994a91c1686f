"""The demo hospital's suppliers: manufacturers, their models per asset type,
and the vendors that sell and service them. Plain data; prices are in yuan.

Websites and e-mail addresses use the reserved ``.example`` domain, and the
MAC prefixes are made up: nothing here points at a real system.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Maker:
    """A manufacturer: how its serial numbers look and who sells its products."""

    name: str
    serial: str  # "#" a digit, "@" a letter, "*" a letter or digit
    vendor: str
    support_phone: str = ""


@dataclass(frozen=True)
class ModelSpec:
    """A product model; ``place`` limits where it is installed ("dc", "edge")."""

    maker: str
    name: str
    type_code: str
    price: int
    part_number: str = ""
    weight: int = 1
    place: str = ""


MAKERS = (
    Maker("Dell", "*******", "Dongfang IT Supplies Co., Ltd.", "400-886-8610"),
    Maker("Lenovo", "PF@#####", "Dongfang IT Supplies Co., Ltd.", "400-990-8888"),
    Maker("HP", "CN@####*@*", "Dongfang IT Supplies Co., Ltd.", "400-820-2255"),
    Maker("Huawei", "2102#######@####", "Huaxin Digital Systems Co., Ltd."),
    Maker("H3C", "219801A#####@####", "Huaxin Digital Systems Co., Ltd."),
    Maker("Cisco", "FOC####@#@@", "Jinqiao Network Technology Co., Ltd."),
    Maker("Ruijie", "G1@#####@####", "Huaxin Digital Systems Co., Ltd."),
    Maker("Fortinet", "FG2H0F##########", "Jinqiao Network Technology Co., Ltd."),
    Maker("Sangfor", "SF####@#####", "Jinqiao Network Technology Co., Ltd."),
    Maker("Inspur", "21#########", "Yunhai Data Services Co., Ltd."),
    Maker("APC", "AS####1#####", "Ruitong Power Engineering Co., Ltd."),
    Maker("Eaton", "G###@#####", "Ruitong Power Engineering Co., Ltd."),
    Maker("Zebra", "D#J#########", "Dongfang IT Supplies Co., Ltd."),
    Maker("TSC", "TE##@#####", "Dongfang IT Supplies Co., Ltd."),
    Maker("Brother", "E7#######", "Dongfang IT Supplies Co., Ltd."),
    Maker("Pantum", "CC##########", "Dongfang IT Supplies Co., Ltd."),
    Maker("Epson", "X#@######", "Dongfang IT Supplies Co., Ltd."),
    Maker("Yealink", "8010############", "Huaxin Digital Systems Co., Ltd."),
    Maker("Hikvision", "DS####@####", "Anbao Security Technology Co., Ltd."),
    Maker("Dahua", "7@0####@@#####", "Anbao Security Technology Co., Ltd."),
    Maker("Siemens Healthineers", "#####", "Siemens Healthineers Ltd. (China)"),
    Maker("GE HealthCare", "###@@#####", "GE HealthCare (China) Co., Ltd."),
    Maker("United Imaging", "UI######", "United Imaging Healthcare Co., Ltd."),
    Maker("Philips", "US#######", "Kangjian Medical Equipment Services Co., Ltd."),
    Maker("Mindray", "@@-#######", "Shenzhen Mindray Medical Sales Co., Ltd."),
    Maker("B. Braun", "BB######", "Kangjian Medical Equipment Services Co., Ltd."),
)

MODELS = (
    ModelSpec("Dell", "OptiPlex 7010", "workstation", 5200, "D17M", 5),
    ModelSpec("Dell", "OptiPlex 7000", "workstation", 4900, "D15M", 3),
    ModelSpec("Lenovo", "ThinkCentre M920t", "workstation", 4500, "10SF", 3),
    ModelSpec("Lenovo", "ThinkCentre M90t Gen 3", "workstation", 5400, "11TN", 4),
    ModelSpec("HP", "EliteDesk 800 G6 Tower", "workstation", 5600, "1D2X7PA", 2),
    ModelSpec("Lenovo", "ThinkCentre M90a AIO", "kiosk", 7800, "11CD", 2),
    ModelSpec("HP", "ProOne 440 G9 AIO", "kiosk", 6900, "6D383PA", 2),
    ModelSpec("Lenovo", "ThinkPad T14 Gen 3", "laptop", 8200, "21AH", 3),
    ModelSpec("Dell", "Latitude 5430", "laptop", 7600, "N006L5430", 2),
    ModelSpec("HP", "LaserJet Pro M404dn", "printer", 2600, "W1A53A", 4),
    ModelSpec("Brother", "HL-L5100DN", "printer", 2300, "HLL5100DN", 2),
    ModelSpec("Pantum", "P3300DN", "printer", 1900, "P3300DN", 2),
    ModelSpec("Epson", "LQ-630KII", "printer", 2100, "C11CF38", 2),
    ModelSpec("Zebra", "ZD421", "label-printer", 3400, "ZD4A042-D0EE00EZ", 4),
    ModelSpec("Zebra", "HC100", "label-printer", 5200, "HC100-300E-1100", 2),
    ModelSpec("TSC", "TE244", "label-printer", 1500, "99-065A301", 2),
    ModelSpec("Yealink", "SIP-T46U", "ip-phone", 1300, "T46U", 3),
    ModelSpec("Yealink", "SIP-T31P", "ip-phone", 450, "T31P", 3),
    ModelSpec("Cisco", "IP Phone 8845", "ip-phone", 2800, "CP-8845-K9", 1),
    ModelSpec("Dell", "PowerEdge R750", "server", 98000, "R750", 4),
    ModelSpec("Dell", "PowerEdge R740", "server", 76000, "R740", 3),
    ModelSpec("Huawei", "FusionServer 2288H V6", "server", 88000, "02312XYB", 3),
    ModelSpec("Inspur", "NF5280M6", "server", 72000, "NF5280M6", 3),
    ModelSpec("Huawei", "OceanStor 5310", "storage", 420000, "OS5310", 2),
    ModelSpec("Dell", "PowerVault ME5024", "storage", 260000, "ME5024", 1),
    ModelSpec("Huawei", "S5735-L48T4X-A1", "switch", 6800, "98012157", 5, "edge"),
    ModelSpec("H3C", "S5130S-52S-EI", "switch", 5200, "LS-5130S-52S-EI", 3, "edge"),
    ModelSpec("Ruijie", "RG-S2910-48GT4XS-E", "switch", 4600, "RG-S2910", 2, "edge"),
    ModelSpec("Huawei", "S6730-H48X6C", "switch", 42000, "02352GYL", 2, "dc"),
    ModelSpec("Huawei", "CloudEngine S12704", "switch", 380000, "ES1BS12704", 1, "dc"),
    ModelSpec("Cisco", "Catalyst 9300-48P", "switch", 56000, "C9300-48P-A", 1, "dc"),
    ModelSpec("Huawei", "NetEngine AR6280", "router", 46000, "02354HUN", 2),
    ModelSpec("H3C", "MSR3620", "router", 21000, "RT-MSR3620", 1),
    ModelSpec("Fortinet", "FortiGate 600E", "firewall", 210000, "FG-600E", 1),
    ModelSpec("Fortinet", "FortiGate 200F", "firewall", 68000, "FG-200F", 2),
    ModelSpec("Sangfor", "NGAF M5400", "firewall", 120000, "AF-1000-B1500", 2),
    ModelSpec("Huawei", "AirEngine 5761-11", "wireless-ap", 2600, "02353VUR", 4),
    ModelSpec("H3C", "WA6320", "wireless-ap", 2100, "EWP-WA6320", 2),
    ModelSpec("APC", "Smart-UPS SRT 3000", "ups", 16000, "SRT3000XLICH", 4, "edge"),
    ModelSpec("Eaton", "9PX 6000i", "ups", 28000, "9PX6KiRT", 2, "edge"),
    ModelSpec("APC", "Symmetra PX 40kW", "ups", 320000, "SY40K100F", 1, "dc"),
    ModelSpec("Hikvision", "DS-2CD2347G2-LU", "camera", 1200, "DS-2CD2347G2", 3),
    ModelSpec("Dahua", "IPC-HFW2441S", "camera", 900, "IPC-HFW2441S", 2),
    ModelSpec("Siemens Healthineers", "SOMATOM Force", "ct", 16_500_000, "", 1),
    ModelSpec("Siemens Healthineers", "SOMATOM go.Top", "ct", 6_800_000, "", 1),
    ModelSpec("GE HealthCare", "Revolution CT", "ct", 14_200_000, "", 1),
    ModelSpec("United Imaging", "uCT 760", "ct", 7_600_000, "", 1),
    ModelSpec("Siemens Healthineers", "MAGNETOM Vida 3T", "mr", 21_000_000, "", 1),
    ModelSpec("United Imaging", "uMR 780", "mr", 17_500_000, "", 1),
    ModelSpec("Mindray", "Resona 7", "ultrasound", 1_450_000, "", 2),
    ModelSpec("Mindray", "DC-80", "ultrasound", 680_000, "", 2),
    ModelSpec("GE HealthCare", "LOGIQ E10", "ultrasound", 1_900_000, "", 1),
    ModelSpec("Philips", "PageWriter TC50", "ecg", 98_000, "860315", 2),
    ModelSpec("Mindray", "BeneHeart R12", "ecg", 56_000, "", 2),
    ModelSpec("Mindray", "BeneFusion DS5 Gateway", "infusion-gateway", 38_000, "", 2),
    ModelSpec("B. Braun", "SpaceStation with SpaceCom", "infusion-gateway", 52_000),
    ModelSpec("Mindray", "BeneVision N17", "patient-monitor", 96_000, "", 3),
    ModelSpec("Mindray", "ePM 12M", "patient-monitor", 42_000, "", 4),
    ModelSpec("Philips", "IntelliVue MX450", "patient-monitor", 88_000, "866062", 2),
    ModelSpec("GE HealthCare", "CARESCAPE B450", "patient-monitor", 79_000, "", 1),
)

# (name, contact, phone, e-mail, address)
VENDORS = (
    (
        "Dongfang IT Supplies Co., Ltd.",
        "Zhou Ming",
        "021-5866 3210",
        "service@dongfang-it.example",
        "Room 1203, 500 Zhangyang Road, Shanghai",
    ),
    (
        "Huaxin Digital Systems Co., Ltd.",
        "Lin Hao",
        "021-6432 7788",
        "support@huaxin-digital.example",
        "18F Tower B, 2889 Jinke Road, Shanghai",
    ),
    (
        "Jinqiao Network Technology Co., Ltd.",
        "Xu Jie",
        "021-5031 4466",
        "noc@jinqiao-net.example",
        "6 Jinqiao Road, Shanghai",
    ),
    (
        "Yunhai Data Services Co., Ltd.",
        "Gao Yun",
        "021-6087 1200",
        "helpdesk@yunhai-data.example",
        "399 Songtao Road, Shanghai",
    ),
    (
        "Ruitong Power Engineering Co., Ltd.",
        "Ma Gang",
        "021-5465 9021",
        "ups@ruitong-power.example",
        "77 Huajing Road, Shanghai",
    ),
    (
        "Anbao Security Technology Co., Ltd.",
        "Song Lei",
        "021-3376 5540",
        "service@anbao-sec.example",
        "1500 Hongqiao Road, Shanghai",
    ),
    (
        "Siemens Healthineers Ltd. (China)",
        "Chen Rui",
        "400-810-5888",
        "cs.china@siemens-healthineers.example",
        "278 Zhouzhu Road, Shanghai",
    ),
    (
        "GE HealthCare (China) Co., Ltd.",
        "He Ying",
        "800-810-8188",
        "service.cn@gehealthcare.example",
        "1 Huatuo Road, Shanghai",
    ),
    (
        "United Imaging Healthcare Co., Ltd.",
        "Tang Bo",
        "400-830-6868",
        "service@united-imaging.example",
        "2258 Chengbei Road, Shanghai",
    ),
    (
        "Shenzhen Mindray Medical Sales Co., Ltd.",
        "Huang Qian",
        "400-700-5652",
        "service@mindray-sales.example",
        "Mindray Building, Keji 12th Road South, Shenzhen",
    ),
    (
        "Kangjian Medical Equipment Services Co., Ltd.",
        "Deng Juan",
        "021-6219 8800",
        "repairs@kangjian-med.example",
        "45 Yishan Road, Shanghai",
    ),
    (
        "Hengxin HIS Software Support Centre",
        "Cao Ning",
        "400-820-7808",
        "his-support@hengxin-his.example",
        "9 Guiqing Road, Shanghai",
    ),
)

# Warranty years given by the seller, per category of asset type.
WARRANTY_YEARS = {
    "end_user": 3,
    "server": 5,
    "network": 3,
    "power": 2,
    "medical": 2,
    "other": 2,
}
# Server roles in the data centres: (hostname stem, what it runs).
SERVER_ROLES = (
    ("his-app", "HIS application server"),
    ("his-db", "HIS database server"),
    ("emr-app", "EMR application server"),
    ("emr-db", "EMR database server"),
    ("lis-app", "LIS application server"),
    ("lis-db", "LIS database server"),
    ("pacs-app", "PACS application server"),
    ("pacs-db", "PACS database server"),
    ("ris-app", "RIS application server"),
    ("esb", "Integration engine (HL7)"),
    ("cdr", "Clinical data repository"),
    ("ad-dc", "Domain controller"),
    ("backup", "Backup server"),
    ("virt", "Virtualisation host"),
    ("virt", "Virtualisation host"),
    ("virt", "Virtualisation host"),
    ("oa", "Office automation server"),
    ("hrp", "HRP (finance and materials) server"),
    ("peis", "Health check system server"),
    ("web", "Hospital website server"),
    ("mail", "Mail server"),
    ("mon", "Monitoring server"),
)
