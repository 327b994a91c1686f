"""The SNMP probe's "disks" mode (HOST-RESOURCES-MIB hrDeviceTable and
hrDiskStorageTable) against real agents:

- Debian's snmpd. It lists the disks it finds under /dev (sd*, hd*, md*),
  and this machine has none there, so for these tests snmpd runs in a
  mount namespace of its own whose /dev holds one block device named sda
  (a loop device): snmpd opens and lists it as it would a real disk. It
  reports no hrDeviceStatus for disks, which is what a Linux server's
  net-snmp answers.
- The recorded agent "raid-server": snmpsim serving
  tests/network/snmp/recordings/raid-server.snmprec, a recording written for
  these tests (no real device here can fail a disk on demand): a server
  whose RAID controller (hrDeviceOther) presents three logical drives as
  disks, one running, one in warning (a degraded RAID 5), one down, plus a
  CD-ROM drive with removable media.
"""

from __future__ import annotations

import os
import shutil

import pytest

from tests.monitoring.probes import snmp_agent
from tests.monitoring.probes.snmp_agent import COMMUNITY, SNMPD, Agent, probe
from tests.network.snmp.agents import Simulator, snmpsim_responder
from wardkeeper.monitoring.engine.spec import Status

RECORDED = {"community": "raid-server", "what": "disks"}
V2C = {"community": COMMUNITY, "what": "disks"}

# Run snmpd in a mount namespace whose /dev is a tmpfs of its own holding
# the few nodes snmpd needs and "sda", a loop block device (7, 0): snmpd
# opens it and asks its size, never writes. Nothing outside the namespace
# sees this /dev, and it goes with the process.
PRIVATE_DEV = """\
mount -t tmpfs -o size=64k,mode=755 wkdev /dev
mknod -m 666 /dev/null c 1 3
mknod -m 666 /dev/urandom c 1 9
mknod -m 666 /dev/random c 1 8
mknod -m 600 /dev/sda b 7 0
exec {snmpd} "$@"
"""


@pytest.fixture
def agent(tmp_path):
    if not os.path.exists(SNMPD):
        pytest.skip("snmpd is not installed (apt-get install snmpd)")
    peer = Agent(tmp_path)
    peer.start()
    yield peer
    peer.stop()


@pytest.fixture
def agent_with_disk(tmp_path, monkeypatch):
    if not os.path.exists(SNMPD):
        pytest.skip("snmpd is not installed (apt-get install snmpd)")
    if os.geteuid() != 0 or not shutil.which("unshare"):
        pytest.skip("a mount namespace needs root and util-linux's unshare")
    script = tmp_path / "private-dev.sh"
    script.write_text(PRIVATE_DEV.format(snmpd=SNMPD))
    wrapper = tmp_path / "snmpd-private-dev"
    wrapper.write_text(
        f'#!/bin/sh\nexec unshare --mount --propagation private sh {script} "$@"\n'
    )
    wrapper.chmod(0o755)
    monkeypatch.setattr(snmp_agent, "SNMPD", str(wrapper))
    peer = Agent(tmp_path)
    peer.start()
    yield peer
    peer.stop()


@pytest.fixture(scope="session")
def recorded(tmp_path_factory):
    """The recorded agent "raid-server" (snmpsim), started once for the
    probe's and the continuity dashboard's tests."""
    binary = snmpsim_responder()
    if binary is None:
        pytest.skip("snmpsim is missing: run scripts/setup.sh --dev")
    sim = Simulator(binary, tmp_path_factory.mktemp("snmpsim"))
    sim.start()
    try:
        yield sim
    finally:
        sim.stop()


def test_a_linux_agent_without_disks_says_so(agent):
    outcome = probe(agent, **V2C)
    assert outcome.status == Status.UNKNOWN
    assert outcome.reason == "unsupported"
    assert outcome.message == "the agent lists no disks"


def test_net_snmp_lists_a_disk_without_a_status(agent_with_disk):
    outcome = probe(agent_with_disk, **V2C)
    # net-snmp reports no hrDeviceStatus for disks: nothing to judge.
    assert outcome.status == Status.UNKNOWN, outcome.message
    assert outcome.reason == "unsupported"
    assert "no status" in outcome.message
    (array,) = outcome.values["arrays"]
    (disk,) = array["volumes"]
    assert disk["name"] == "SCSI disk (/dev/sda)"
    assert disk["state"] == "unknown"
    assert disk["media"] == "unknown"  # what net-snmp answers here
    assert isinstance(disk["capacity_kb"], int)
    assert array["name"] == os.uname().nodename


def test_named_disks_are_watched_for_presence_on_net_snmp(agent_with_disk):
    present = probe(agent_with_disk, disks=["*/dev/sda*"], **V2C)
    assert present.status == Status.UP, present.message
    (array,) = present.values["arrays"]
    assert array["health"] == "OK"
    assert (array["drives"], array["failed_drives"]) == (1, 0)

    gone = probe(agent_with_disk, disks=["*/dev/sda*", "*/dev/sdb*"], **V2C)
    assert gone.status == Status.DOWN
    assert gone.reason == "missing"
    assert gone.message == "*/dev/sdb* not found"
    assert gone.values["missing"] == ["*/dev/sdb*"]
    assert gone.values["arrays"][0]["health"] == "Critical"


def test_a_down_disk_fails_the_array_and_a_warning_one_degrades_it(recorded):
    outcome = probe(recorded, **RECORDED)
    assert outcome.status == Status.DOWN
    assert outcome.reason == "failed"
    assert "disk Logical drive 3 (RAID 1, archive) down" in outcome.message
    assert "disk Logical drive 2 (RAID 5, data) warning" in outcome.message
    (array,) = outcome.values["arrays"]
    assert array["name"] == "his-db1.hosp.example"
    assert array["health"] == "Critical"
    # The CD-ROM drive (removable media) is left out unless named.
    assert [(v["name"], v["state"], v["health"]) for v in array["volumes"]] == [
        ("Logical drive 1 (RAID 1, system)", "running", "OK"),
        ("Logical drive 2 (RAID 5, data)", "warning", "Warning"),
        ("Logical drive 3 (RAID 1, archive)", "down", "Critical"),
    ]
    assert array["volumes"][0]["capacity_kb"] == 292_968_750
    assert (array["drives"], array["failed_drives"]) == (3, 1)
    # The standard MIBs carry none of these.
    assert (array["hot_spares"], array["cache"], array["battery"]) == (None,) * 3


def test_ignoring_the_failed_disk_leaves_the_array_degraded(recorded):
    outcome = probe(recorded, ignore=["*archive*"], **RECORDED)
    assert outcome.status == Status.DEGRADED
    assert outcome.reason == "degraded"
    assert outcome.values["arrays"][0]["health"] == "Warning"
    assert outcome.values["arrays"][0]["drives"] == 2


def test_picked_disks_and_a_named_controller_are_judged(recorded):
    outcome = probe(
        recorded,
        disks=["*system*", "CD-ROM*"],
        controllers=["RAID controller*"],
        array="HIS database RAID",
        **RECORDED,
    )
    assert outcome.status == Status.UP, outcome.message
    (array,) = outcome.values["arrays"]
    assert array["name"] == "HIS database RAID"
    assert array["controllers"] == 1
    assert [v["name"] for v in array["volumes"]] == [
        "Logical drive 1 (RAID 1, system)",
        "CD-ROM drive",
    ]
    assert array["volumes"][1]["media"] == "optical_rom"


def test_a_named_disk_the_agent_does_not_list_is_missing(recorded):
    outcome = probe(recorded, disks=["Logical drive 4*"], **RECORDED)
    assert outcome.status == Status.DOWN
    assert outcome.reason == "missing"
    assert outcome.values["arrays"][0]["drives"] == 0
