"""The Redfish storage probe against a stand-in BMC: a real HTTPS server on
loopback (certificate from the test CA, basic authentication) serving the
Redfish documents each test writes. It is a stand-in, not a BMC: no real
management controller is available to the tests; the documents follow the
DMTF schemas (Storage, StorageController, Volume, Drive, Battery)."""

from __future__ import annotations

import base64
import json
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.monitoring.probes.conftest import run
from wardkeeper.monitoring.engine.probes.redfish import check_redfish
from wardkeeper.monitoring.engine.spec import CheckSpec, Status

USER, PASSWORD = "monitor", "s3cret"
SYSTEM = "/redfish/v1/Systems/System.Embedded.1"
STORAGE = f"{SYSTEM}/Storage/RAID.Integrated.1-1"


class _Bmc(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        wanted = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
        if self.headers.get("Authorization") != wanted:
            self.send_response(401)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        document = self.server.documents.get(self.path.rstrip("/"))
        data = json.dumps(document).encode() if document is not None else b""
        self.send_response(200 if document is not None else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def ok(state="Enabled", health="OK"):
    return {"State": state, "Health": health}


def drive(n, health="OK", spare="None"):
    return {
        "@odata.id": f"{SYSTEM}/Storage/RAID.Integrated.1-1/Drives/Disk.{n}",
        "Id": f"Disk.{n}",
        "Name": f"Disk in bay {n}",
        "Status": ok("StandbySpare" if spare != "None" else "Enabled", health),
        "HotspareType": spare,
    }


def raid_array(*, volume="OK", disk3="OK", battery="OK", spares=1):
    """One PERC-like controller, a RAID 5 volume over four disks, spares."""
    drives = [drive(n) for n in range(3)] + [drive(3, disk3)]
    drives += [drive(4 + n, spare="Global") for n in range(spares)]
    docs = {
        "/redfish/v1/Systems": {"Members": [{"@odata.id": SYSTEM}]},
        f"{SYSTEM}/Storage": {"Members": [{"@odata.id": STORAGE}]},
        STORAGE: {
            "Id": "RAID.Integrated.1-1",
            "Name": "PERC H755 Front",
            "Status": {"State": "Enabled", "Health": "OK"},
            "StorageControllers": [
                {
                    "MemberId": "0",
                    "Name": "PERC H755",
                    "Status": ok(),
                    "CacheSummary": {"TotalCacheSizeMiB": 8192, "Status": ok()},
                    "Links": {"Battery": {"@odata.id": f"{STORAGE}/Battery"}},
                }
            ],
            "Drives": [{"@odata.id": d["@odata.id"]} for d in drives],
            "Volumes": {"@odata.id": f"{STORAGE}/Volumes"},
        },
        f"{STORAGE}/Battery": {
            "Name": "Controller battery",
            "Status": ok(health=battery),
        },
        f"{STORAGE}/Volumes": {
            "Members": [{"@odata.id": f"{STORAGE}/Volumes/Disk.Virtual.0"}]
        },
        f"{STORAGE}/Volumes/Disk.Virtual.0": {
            "Id": "Disk.Virtual.0",
            "Name": "OS and data",
            "RAIDType": "RAID5",
            "Status": ok("Enabled", volume),
        },
    }
    docs.update({d["@odata.id"]: d for d in drives})
    return docs


@pytest.fixture
def bmc(pki):
    """Start the stand-in BMC with some documents; returns its port."""
    servers = []
    issued = pki.issue("bmc")

    def start(documents):
        server = ThreadingHTTPServer(("127.0.0.1", 0), _Bmc)
        server.daemon_threads = True
        server.documents = documents
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(issued.cert, issued.key)
        server.socket = context.wrap_socket(server.socket, server_side=True)
        threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
        servers.append(server)
        return server.server_address[1]

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def spec(port, pki, **params):
    base = {
        "port": port,
        "username": USER,
        "password": PASSWORD,
        "ca_file": str(pki.ca_file),
    }
    return CheckSpec(
        id=1, kind="redfish", host="127.0.0.1", params=base | params, timeout=5
    )


def test_a_healthy_array_is_up_with_its_parts_counted(bmc, pki):
    outcome = run(check_redfish(spec(bmc(raid_array()), pki)))
    assert outcome.status == Status.UP, outcome.message
    (array,) = outcome.values["arrays"]
    assert array["name"] == "PERC H755 Front"
    assert array["volumes"] == [
        {"name": "OS and data", "raid": "RAID5", "health": "OK", "state": "Enabled"}
    ]
    assert array["drives"] == 5
    assert array["hot_spares"] == 1
    assert array["battery"] == "OK"
    assert array["cache"] == "OK"


def test_a_degraded_volume_is_degraded(bmc, pki):
    port = bmc(raid_array(volume="Warning"))
    outcome = run(check_redfish(spec(port, pki, system="System.Embedded.1")))
    assert outcome.status == Status.DEGRADED
    assert outcome.reason == "degraded"
    assert "volume OS and data Warning" in outcome.message


def test_a_failed_drive_is_down(bmc, pki):
    outcome = run(check_redfish(spec(bmc(raid_array(disk3="Critical")), pki)))
    assert outcome.status == Status.DOWN
    assert outcome.reason == "failed"
    assert "drive Disk in bay 3 Critical" in outcome.message
    assert outcome.values["arrays"][0]["failed_drives"] == 1


def test_a_weak_cache_battery_is_degraded(bmc, pki):
    outcome = run(check_redfish(spec(bmc(raid_array(battery="Warning")), pki)))
    assert outcome.status == Status.DEGRADED
    assert "battery Warning" in outcome.message


def test_too_few_hot_spares_is_degraded(bmc, pki):
    port = bmc(raid_array(spares=0))
    outcome = run(check_redfish(spec(port, pki, min_hot_spares=1)))
    assert outcome.status == Status.DEGRADED
    assert outcome.reason == "spares"
    assert outcome.values["arrays"][0]["hot_spares"] == 0


def test_a_wrong_password_is_an_auth_failure(bmc, pki):
    outcome = run(check_redfish(spec(bmc(raid_array()), pki, password="wrong")))
    assert outcome.status == Status.DOWN
    assert outcome.reason == "auth"


def test_an_unknown_certificate_is_refused(bmc, pki):
    port = bmc(raid_array())
    outcome = run(check_redfish(spec(port, pki, ca_file="")))
    assert outcome.status == Status.DOWN
    assert outcome.reason == "tls"


def test_a_system_without_storage_is_unknown(bmc, pki):
    documents = {
        "/redfish/v1/Systems": {"Members": [{"@odata.id": SYSTEM}]},
        f"{SYSTEM}/Storage": {"Members": []},
    }
    outcome = run(check_redfish(spec(bmc(documents), pki)))
    assert outcome.status == Status.UNKNOWN
    assert outcome.reason == "storage"
