"""DICOM probes against dcmtk's wlmscpfs (Debian package dcmtk) on loopback:
it answers C-ECHO and modality worklist C-FIND for the called AE titles that
have a folder of .wl files, and rejects any other called AE title."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from datetime import date, timedelta

import pytest

from tests.monitoring.probes.conftest import run
from wardkeeper.monitoring.engine.probes.dicom import (
    check_dicom_echo,
    check_dicom_worklist,
)
from wardkeeper.monitoring.engine.spec import CheckSpec, Status

pytestmark = pytest.mark.skipif(
    shutil.which("wlmscpfs") is None, reason="dcmtk is installed by scripts/setup.sh"
)

ITEM = """\
(0008,0005) CS [ISO_IR 100]
(0008,0050) SH [{accession}]
(0010,0010) PN [{patient}]
(0010,0020) LO [{accession}P]
(0020,000d) UI [1.2.826.0.1.3680043.2.1125.{n}]
(0032,1060) LO [test procedure]
(0040,0100) SQ (Sequence with undefined length)
(fffe,e000) na (Item with undefined length)
(0008,0060) CS [{modality}]
(0040,0001) AE [{station}]
(0040,0002) DA [{day}]
(0040,0003) TM [0900]
(0040,0007) LO [test step]
(0040,0009) SH [SPS{n}]
(fffe,e00d) na (ItemDelimitationItem)
(fffe,e0dd) na (SequenceDelimitationItem)
(0040,1001) SH [RP{n}]
"""


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_closed(port, seconds=5.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
        except OSError:
            return
        time.sleep(0.05)


def _start_wlm(folder, port):
    process = subprocess.Popen(
        ["wlmscpfs", "-dfr", "-dfp", str(folder), str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):  # up to 5 s for it to listen
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            return process
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise RuntimeError("wlmscpfs did not start")


@pytest.fixture(scope="module")
def worklist(tmp_path_factory):
    """A worklist SCP whose AE title RIS holds two CT steps and one MR step
    today and a CT step yesterday; yields its port."""
    root = tmp_path_factory.mktemp("worklist")
    folder = root / "RIS"
    folder.mkdir()
    (folder / "lockfile").touch()
    today = date.today().strftime("%Y%m%d")
    yesterday = (date.today() - timedelta(days=1)).strftime("%Y%m%d")
    items = [("CT", today), ("CT", today), ("MR", today), ("CT", yesterday)]
    for n, (modality, day) in enumerate(items, start=1):
        dump = root / f"item{n}.dump"
        dump.write_text(
            ITEM.format(
                n=n, accession=f"ACC{n}", patient=f"DOE^PATIENT{n}",
                modality=modality, station=f"{modality}01", day=day,
            )
        )  # fmt: skip
        subprocess.run(["dump2dcm", str(dump), str(folder / f"item{n}.wl")], check=True)
    port = _free_port()
    process = _start_wlm(root, port)
    yield port
    process.terminate()
    process.wait(5)


def echo(port, called="RIS", timeout=15.0, **params):
    params = {"port": port, "calling_ae": "WARDKEEPER", "called_ae": called, **params}
    return CheckSpec(21, "dicom_echo", "127.0.0.1", params, timeout=timeout)


def find(port, timeout=15.0, **params):
    params = {"port": port, "called_ae": "RIS", **params}
    return CheckSpec(22, "dicom_worklist", "127.0.0.1", params, timeout=timeout)


def test_c_echo_to_the_right_ae_title_is_up(worklist):
    outcome = run(check_dicom_echo(echo(worklist)))
    assert (outcome.status, outcome.values["status"]) == (Status.UP, 0)
    assert 0 < outcome.latency_ms < 5000


def test_a_wrong_called_ae_title_is_a_rejected_association(worklist):
    outcome = run(check_dicom_echo(echo(worklist, called="NOT-PACS")))
    assert (outcome.status, outcome.reason) == (Status.DOWN, "rejected")
    assert "called ae title not recognised" in outcome.message.lower()
    assert "Permanent" in outcome.message


def test_a_stopped_peer_is_refused_not_rejected(tmp_path):
    (tmp_path / "PACS").mkdir()
    (tmp_path / "PACS" / "lockfile").touch()
    port = _free_port()
    process = _start_wlm(tmp_path, port)
    assert run(check_dicom_echo(echo(port, called="PACS"))).status == Status.UP
    process.terminate()
    process.wait(5)
    _wait_until_closed(port)  # a child the server forked may hold it a moment
    outcome = run(check_dicom_echo(echo(port, called="PACS")))
    assert (outcome.status, outcome.reason) == (Status.DOWN, "refused")


def test_a_peer_that_never_answers_the_association_times_out(tcp_peer):
    started = time.monotonic()
    outcome = run(check_dicom_echo(echo(tcp_peer(None), timeout=1.0)))
    assert (outcome.status, outcome.reason) == (Status.DOWN, "timeout")
    assert time.monotonic() - started < 2.5


def test_the_worklist_answers_todays_steps_for_a_modality(worklist):
    ct = run(check_dicom_worklist(find(worklist, modality="CT")))
    assert (ct.status, ct.values["matches"], ct.values["status"]) == (Status.UP, 2, 0)
    assert (
        run(check_dicom_worklist(find(worklist, modality="MR"))).values["matches"] == 1
    )
    every_day = run(check_dicom_worklist(find(worklist, modality="CT", date="")))
    assert every_day.values["matches"] == 3


def test_an_empty_worklist_is_degraded_only_when_items_are_expected(worklist):
    quiet = run(check_dicom_worklist(find(worklist, modality="US")))
    assert (quiet.status, quiet.values["matches"]) == (Status.UP, 0)
    expected = run(check_dicom_worklist(find(worklist, modality="US", min_matches=1)))
    assert (expected.status, expected.reason) == (Status.DEGRADED, "empty")


def test_a_worklist_query_to_an_unknown_ae_title_is_rejected(worklist):
    outcome = run(check_dicom_worklist(find(worklist, called_ae="MODALITY9")))
    assert (outcome.status, outcome.reason) == (Status.DOWN, "rejected")
