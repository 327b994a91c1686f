"""Writes the snmpsim recordings in recordings/ (run it after editing; the
output is committed so tests need no generation step).

The devices are made up for these tests, shaped like a hospital ward's
wiring: ``access-sw`` is a 24-port gigabit access switch with two 10G
uplinks, a port channel and an SVI (IF-MIB with ifXTable and 64-bit counters,
EtherLike duplex, LLDP-MIB, BRIDGE-MIB port map, Q-BRIDGE-MIB forwarding
table); ``old-sw`` is an older 8-port switch with only 32-bit counters,
BRIDGE-MIB's forwarding table and an ipNetToMediaTable; ``router`` is the
ward's gateway with IP-MIB's ipNetToPhysicalTable; ``core-sw`` learns the
ward's hosts on its downlink to ``access-sw``. Addresses are from the
documentation ranges (RFC 5737) and MACs from a locally administered block.

    python -m tests.network.snmp.make_recordings
"""

from __future__ import annotations

from pathlib import Path

OUT = Path(__file__).parent / "recordings"
IF, IFX = "1.3.6.1.2.1.2.2.1", "1.3.6.1.2.1.31.1.1.1"
LLDP_LOC, LLDP_REM = "1.0.8802.1.1.2.1.3.7.1", "1.0.8802.1.1.2.1.4.1.1"
GIG, TEN = 1_000_000_000, 10_000_000_000

# Ward 3's access switch: which access port has whom (MAC suffix, VLAN).
PC_VLAN, PHONE_VLAN, PRINTER_VLAN = 10, 20, 10
ACCESS_HOSTS = {n: [(0x10 + n, PC_VLAN)] for n in range(1, 19)}
ACCESS_HOSTS[3].append((0xA3, PHONE_VLAN))  # a phone with the PC behind it
ACCESS_HOSTS[21] = [(0x61, PRINTER_VLAN)]
HUNDRED_MEG = {9, 21}  # old printers and a PC negotiated down
HALF_DUPLEX = {9}  # … one of them at half duplex
ERRORING = {7: 1_523, 9: 88}  # in-errors on a bad patch lead
ADMIN_DOWN = {20}


def mac(suffix: int, block: int = 0x02) -> str:
    """A locally administered MAC (02:57:4b:…) as the 4x hex of snmprec."""
    return f"{block:02x}574b00{suffix >> 8:02x}{suffix & 0xFF:02x}"


def mac_oid(hexmac: str) -> str:
    return ".".join(str(int(hexmac[i : i + 2], 16)) for i in range(0, 12, 2))


def text(value: str) -> tuple[str, str]:
    return "4", value


def system(lines: dict, descr: str, name: str, uptime: int) -> None:
    lines["1.3.6.1.2.1.1.1.0"] = text(descr)
    lines["1.3.6.1.2.1.1.2.0"] = ("6", "1.3.6.1.4.1.8072.3.2.10")
    lines["1.3.6.1.2.1.1.3.0"] = ("67", str(uptime))
    lines["1.3.6.1.2.1.1.5.0"] = text(name)


def interface(lines: dict, index: int, port: dict, hc: bool = True) -> None:
    """One ifTable row (and ifXTable row when ``hc``)."""
    i = str(index)
    speed = port["speed"]
    lines[f"{IF}.1.{i}"] = ("2", i)
    lines[f"{IF}.2.{i}"] = text(port["descr"])
    lines[f"{IF}.3.{i}"] = ("2", str(port.get("type", 6)))
    lines[f"{IF}.5.{i}"] = ("66", str(min(speed, 2**32 - 1)))
    lines[f"{IF}.6.{i}"] = ("4x", port.get("mac", mac(index, 0x06)))
    lines[f"{IF}.7.{i}"] = ("2", "2" if port.get("admin_down") else "1")
    lines[f"{IF}.8.{i}"] = ("2", "1" if port.get("up") else "2")
    octets_in, octets_out = port.get("octets", (0, 0))
    lines[f"{IF}.10.{i}"] = ("65", str(octets_in % 2**32))
    lines[f"{IF}.13.{i}"] = ("65", "0")
    lines[f"{IF}.14.{i}"] = ("65", str(port.get("errors", 0)))
    lines[f"{IF}.16.{i}"] = ("65", str(octets_out % 2**32))
    lines[f"{IF}.19.{i}"] = ("65", "0")
    lines[f"{IF}.20.{i}"] = ("65", "0")
    if hc:
        lines[f"{IFX}.1.{i}"] = text(port["name"])
        lines[f"{IFX}.6.{i}"] = ("70", str(octets_in))
        lines[f"{IFX}.10.{i}"] = ("70", str(octets_out))
        lines[f"{IFX}.15.{i}"] = ("66", str(speed // 1_000_000))
        lines[f"{IFX}.18.{i}"] = text(port.get("alias", ""))
    if port.get("type", 6) == 6:
        duplex = "2" if port.get("half") else "3"
        lines[f"1.3.6.1.2.1.10.7.2.1.19.{i}"] = ("2", duplex)


def access_switch() -> dict:
    lines: dict = {}
    system(lines, "Access switch, 24x1G + 2x10G", "ward3-sw1.hosp.example", 8_640_000)
    ports = {}
    for n in range(1, 25):
        ports[10100 + n] = {
            "descr": f"GigabitEthernet1/0/{n}",
            "name": f"Gi1/0/{n}",
            "speed": 100_000_000 if n in HUNDRED_MEG else GIG,
            "half": n in HALF_DUPLEX,
            "up": n in ACCESS_HOSTS,
            "admin_down": n in ADMIN_DOWN,
            "errors": ERRORING.get(n, 0),
            "alias": f"Ward 3 outlet W3-{n:02d}" if n in ACCESS_HOSTS else "",
            "octets": (n * 7_340_033, n * 3_000_017),
        }
    for n in (1, 2):
        ports[10200 + n] = {
            "descr": f"TenGigabitEthernet1/1/{n}",
            "name": f"Te1/1/{n}",
            "speed": TEN,
            "up": True,
            "alias": f"uplink to core-sw{n}",
            "octets": (2**40 + n, 2**39 + n),
        }
    ports[5001] = {"descr": "Port-channel1", "name": "Po1", "speed": 2 * TEN,
                   "type": 161, "up": True}  # fmt: skip
    ports[10] = {"descr": "Vlan10", "name": "Vl10", "speed": GIG, "type": 136,
                 "up": True}  # fmt: skip
    for index, port in ports.items():
        interface(lines, index, port)
    bridge_ports = {n: 10100 + n for n in range(1, 25)} | {25: 10201, 26: 10202}
    for bport, if_index in bridge_ports.items():
        lines[f"1.3.6.1.2.1.17.1.4.1.2.{bport}"] = ("2", str(if_index))
        lines[f"{LLDP_LOC}.2.{bport}"] = ("2", "5")
        lines[f"{LLDP_LOC}.3.{bport}"] = text(ports[if_index]["name"])
        lines[f"{LLDP_LOC}.4.{bport}"] = text(ports[if_index]["descr"])
    lldp_neighbour(lines, 25, 1, mac(0x0C01, 0x0A), "Te1/0/7",
                   "TenGigabitEthernet1/0/7", "core-sw1.hosp.example")  # fmt: skip
    lldp_neighbour(lines, 3, 2, mac(0xA3), mac(0xA3), "SW PORT",
                   "SEP02574B0000A3", port_subtype=3)  # fmt: skip
    fdb = []  # (vlan, mac, bridge port)
    for n, hosts in ACCESS_HOSTS.items():
        fdb += [(vlan, mac(suffix), n) for suffix, vlan in hosts]
    # Behind the uplink: the gateway and hosts on other switches; some of the
    # ward's hosts are also seen there (flooded before the access port learnt).
    fdb += [(PC_VLAN, mac(0x0FE1, 0x0A), 25)]
    fdb += [(PC_VLAN, mac(0x0200 + k), 25) for k in range(40)]
    lines.update(qbridge(fdb, own=mac(0x5E1F, 0x06)))
    return lines


def lldp_neighbour(lines, port, rem, chassis, port_id, port_descr, sys_name,
                   port_subtype=5) -> None:  # fmt: skip
    index = f"0.{port}.{rem}"
    lines[f"{LLDP_REM}.4.{index}"] = ("2", "4")
    lines[f"{LLDP_REM}.5.{index}"] = ("4x", chassis)
    lines[f"{LLDP_REM}.6.{index}"] = ("2", str(port_subtype))
    lines[f"{LLDP_REM}.7.{index}"] = (
        ("4x", port_id) if port_subtype == 3 else text(port_id)
    )
    lines[f"{LLDP_REM}.8.{index}"] = text(port_descr)
    lines[f"{LLDP_REM}.9.{index}"] = text(sys_name)


def qbridge(fdb: list, own: str) -> dict:
    lines = {}
    for vlan, hexmac, bport in [*fdb, (PC_VLAN, own, 0)]:
        index = f"{vlan}.{mac_oid(hexmac)}"
        lines[f"1.3.6.1.2.1.17.7.1.2.2.1.2.{index}"] = ("2", str(bport))
        status = "4" if bport == 0 else "3"
        lines[f"1.3.6.1.2.1.17.7.1.2.2.1.3.{index}"] = ("2", status)
    return lines


def old_switch() -> dict:
    lines: dict = {}
    system(lines, "Old 8-port switch", "ward5-sw1", 123_456)
    for n in range(1, 9):
        interface(lines, n, {"descr": f"port {n}", "name": "", "speed": 100_000_000,
                             "up": n < 4, "octets": (2**32 - 1000 * n, n)},
                  hc=False)  # fmt: skip
        lines[f"1.3.6.1.2.1.17.1.4.1.2.{n}"] = ("2", str(n))
    for n, suffix in ((1, 0x0501), (2, 0x0502), (8, 0x0200)):
        index = mac_oid(mac(suffix))
        lines[f"1.3.6.1.2.1.17.4.3.1.1.{index}"] = ("4x", mac(suffix))
        lines[f"1.3.6.1.2.1.17.4.3.1.2.{index}"] = ("2", str(n))
        lines[f"1.3.6.1.2.1.17.4.3.1.3.{index}"] = ("2", "3")
    # An old layer-3 switch: ARP in the deprecated ipNetToMediaTable.
    lines["1.3.6.1.2.1.4.22.1.2.1.203.0.113.51"] = ("4x", mac(0x0501))
    lines["1.3.6.1.2.1.4.22.1.2.1.203.0.113.52"] = ("4x", mac(0x0502))
    return lines


def router() -> dict:
    lines: dict = {}
    system(lines, "Ward gateway router", "ward-gw1.hosp.example", 99_000_000)
    interface(lines, 1, {"descr": "Vlan10", "name": "Vl10", "speed": GIG,
                         "type": 136, "up": True})  # fmt: skip
    for n, hosts in ACCESS_HOSTS.items():
        for suffix, vlan in hosts:
            if vlan == PC_VLAN:
                address = f"198.51.100.{n + 10}"
                index = f"1.1.4.{address}"
                lines[f"1.3.6.1.2.1.4.35.1.4.{index}"] = ("4x", mac(suffix))
    return lines


def core_switch() -> dict:
    """The core: ward 3's hosts are learnt on its downlink Te1/0/7."""
    lines: dict = {}
    system(lines, "Core switch", "core-sw1.hosp.example", 700_000_000)
    for n in range(5, 9):
        interface(lines, 100 + n, {"descr": f"TenGigabitEthernet1/0/{n}",
                                   "name": f"Te1/0/{n}", "speed": TEN, "up": True})  # fmt: skip
        lines[f"1.3.6.1.2.1.17.1.4.1.2.{n}"] = ("2", str(100 + n))
        lines[f"{LLDP_LOC}.3.{n}"] = text(f"Te1/0/{n}")
    lldp_neighbour(lines, 7, 1, mac(0x5E1F, 0x06), "Te1/1/1",
                   "TenGigabitEthernet1/1/1", "ward3-sw1.hosp.example")  # fmt: skip
    fdb = [
        (v, mac(suffix), 7) for hosts in ACCESS_HOSTS.values() for suffix, v in hosts
    ]
    lines.update(qbridge(fdb, own=mac(0x0C01, 0x0A)))
    return lines


def write(name: str, lines: dict) -> None:
    def key(oid: str) -> tuple[int, ...]:
        return tuple(int(part) for part in oid.split("."))

    body = "".join(f"{oid}|{tag}|{value}\n" for oid, (tag, value) in
                   sorted(lines.items(), key=lambda item: key(item[0])))  # fmt: skip
    (OUT / f"{name}.snmprec").write_text(body)


if __name__ == "__main__":
    OUT.mkdir(exist_ok=True)
    write("access-sw", access_switch())
    write("old-sw", old_switch())
    write("router", router())
    write("core-sw", core_switch())
